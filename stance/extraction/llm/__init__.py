"""The model backend: instructor over the openai client, transport retries, prompt files."""
