"""Readers that turn inputs into documents: text files with header blocks, web pages, URLs,
RSS/Atom feeds, article datasets (JSONL, CSV, TSV), PDF and DOCX, in any common encoding.

This layer sits beside extraction: it imports only `stance.core`, and ingestion wires its
readers to the extraction workers and the writer.
"""

from stance.inputs.base import InputText, Metadata, ReadOptions, read_dateline, split_header
from stance.inputs.dates import DATE_ORDERS, DateOrder, normalize_date, read_date
from stance.inputs.readers import Reader, expand_paths, read_url_list
from stance.inputs.web import html_to_text, looks_like_html

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
