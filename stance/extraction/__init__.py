"""Extraction: one text in, checked claims out.

`config` (what chooses an extractor), `api` (`make_extractor`, `extract`), `check`, `ground`
and `speakers` (every claim is checked against the text, whatever produced it), `chunk`;
`llm/` the model backend, `rules/` the offline one. Imports only `stance.core`.
"""
