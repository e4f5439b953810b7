"""The core: pydantic models (the extraction schema and what is stored), errors, name rules,
the gazetteer, the clock. Imports nothing else of stance."""
