"""Readers that turn inputs into documents: text files with header blocks, web pages, URLs,
RSS/Atom feeds, article datasets (JSONL, CSV, TSV), PDF and DOCX, in any common encoding.

This layer sits beside extraction: it imports only `stance.core`, and ingestion wires its
readers to the extraction workers and the writer.
"""

from typing import TYPE_CHECKING

from stance.core.lazy import lazy_names

if TYPE_CHECKING:
    from stance.inputs.base import InputText, Metadata, ReadOptions, read_dateline, split_header
    from stance.inputs.dates import DATE_ORDERS, DateOrder, normalize_date, read_date
    from stance.inputs.readers import Reader, expand_paths, read_url_list
    from stance.inputs.web import html_to_text, looks_like_html

# Loaded on first use (see stance.core.lazy): a query reads no web page.
_LAZY = {
    "InputText": "stance.inputs.base",
    "Metadata": "stance.inputs.base",
    "ReadOptions": "stance.inputs.base",
    "read_dateline": "stance.inputs.base",
    "split_header": "stance.inputs.base",
    "DATE_ORDERS": "stance.inputs.dates",
    "DateOrder": "stance.inputs.dates",
    "normalize_date": "stance.inputs.dates",
    "read_date": "stance.inputs.dates",
    "Reader": "stance.inputs.readers",
    "expand_paths": "stance.inputs.readers",
    "read_url_list": "stance.inputs.readers",
    "html_to_text": "stance.inputs.web",
    "looks_like_html": "stance.inputs.web",
}

__all__ = [
    "DATE_ORDERS",
    "DateOrder",
    "InputText",
    "Metadata",
    "ReadOptions",
    "Reader",
    "expand_paths",
    "html_to_text",
    "looks_like_html",
    "normalize_date",
    "read_date",
    "read_dateline",
    "read_url_list",
    "split_header",
]

__getattr__, __dir__ = lazy_names(__name__, _LAZY, __all__)
