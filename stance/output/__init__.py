"""What users see: the one renderer for tables, JSON and CSV, terminal views, the HTML report,
and Datasette."""
