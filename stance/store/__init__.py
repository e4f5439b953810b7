"""The SQLite store: migrations, one transaction per document, and the queries that read it."""
