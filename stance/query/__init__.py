"""Read-only questions over the store: `compare` (one subject, all sides) and `timeline`."""
