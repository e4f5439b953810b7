"""Resolution across documents: entities, events, user overrides, and the judge of doubtful
matches and claim relations."""
