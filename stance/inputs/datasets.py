"""Article datasets: JSONL, JSON arrays, CSV and TSV files with one article per row.

Columns are found by their usual names or named with `--text-column` and the like; each row
is a document; a bad row is reported with its number and the others are read.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from stance.core.errors import InputError
from stance.inputs.base import Metadata

ROLES = ("text", "source", "published", "url", "title")
# The usual names of each column, most specific first; compared in lower case.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "full_text", "article_text", "maintext"),
    "source": ("source", "outlet", "publisher", "site", "source_name", "site_name", "domain"),
    "published": (
        "published",
        "published_at",
        "date",
        "publish_date",
        "pubdate",
        "date_published",
        "publishedat",
        "datetime",
        "time",
    ),
    "url": ("url", "link", "href", "canonical_url", "article_url"),
    "title": ("title", "headline", "name"),
}
DATASET_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".tsv", ".json")

# A row: its number (1-based, as users count rows), its metadata and text, or what is wrong.
Row = tuple[int, Metadata, str] | InputError


def dataset_kind(name: str, text: str) -> str | None:
    """jsonl, json, csv or tsv, by the file's name or (for JSON lines) its content."""
    lower = name.lower()
    for suffix, kind in (
        (".jsonl", "jsonl"),
        (".ndjson", "jsonl"),
        (".csv", "csv"),
        (".tsv", "tsv"),
        (".json", "json"),
    ):
        if lower.endswith(suffix):
            return kind
    head = [line for line in text[:20000].splitlines() if line.strip()][:3]
    if head and all(line.lstrip().startswith("{") for line in head):
        try:
            json.loads(head[0])
        except ValueError:
            return None
        return "jsonl"
    return None


def _pick(columns: list[str], role: str, chosen: dict[str, str], label: str) -> str | None:
    if role in chosen:
        wanted = chosen[role]
        for column in columns:
            if column == wanted or column.lower() == wanted.lower():
                return column
        raise InputError(
            f"{label}: no column '{wanted}' (given with --{role if role != 'published' else 'date'}"
            f"-column); the columns are: {', '.join(columns)}"
        )
    by_lower = {c.lower().strip(): c for c in columns}
    for name in COLUMN_NAMES[role]:
        if name in by_lower:
            return by_lower[name]
    return None


def _mapping(columns: list[str], chosen: dict[str, str], label: str) -> dict[str, str]:
    found = {role: _pick(columns, role, chosen, label) for role in ROLES}
    if found["text"] is None:
        raise InputError(
            f"{label}: no text column (looked for {', '.join(COLUMN_NAMES['text'])}); "
            f"name it with --text-column; the columns are: {', '.join(columns) or 'none'}"
        )
    return {role: column for role, column in found.items() if column}


def _value(row: dict[str, Any], column: str | None) -> str | None:
    if column is None:
        return None
    value = row.get(column)
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value).strip()
    return text or None


def _row(number: int, row: dict[str, Any], mapping: dict[str, str], label: str) -> Row:
    text = _value(row, mapping["text"])
    if not text:
        return InputError(f"{label}: row {number}: no text in column '{mapping['text']}'")
    return (
        number,
        Metadata(
            source=_value(row, mapping.get("source")),
            url=_value(row, mapping.get("url")),
            published=_value(row, mapping.get("published")),
            title=_value(row, mapping.get("title")),
            published_from="column",
        ).with_origin("column"),
        text,
    )


def read_rows(text: str, kind: str, label: str, chosen: dict[str, str]) -> Iterator[Row]:
    """Each row of a dataset as (number, metadata, text), or an error for that row."""
    if kind in ("csv", "tsv"):
        yield from _csv_rows(text, "\t" if kind == "tsv" else ",", label, chosen)
    elif kind == "json":
        yield from _json_rows(text, label, chosen)
    else:
        yield from _jsonl_rows(text, label, chosen)


def _csv_rows(text: str, delimiter: str, label: str, chosen: dict[str, str]) -> Iterator[Row]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # articles are longer than 128 KB at times
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    mapping = _mapping(list(reader.fieldnames or []), chosen, label)
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield InputError(f"{label}: row {number + 1}: {exc}")
            return
        number += 1
        if None in row:
            yield InputError(
                f"{label}: row {number}: more fields than the header has columns; check its quoting"
            )
            continue
        yield _row(number, row, mapping, label)


def _jsonl_rows(text: str, label: str, chosen: dict[str, str]) -> Iterator[Row]:
    def parsed() -> Iterator[tuple[int, object]]:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except ValueError as exc:
                yield number, InputError(f"{label}: row {number}: not valid JSON ({_reason(exc)})")

    yield from _object_rows(parsed(), label, chosen)


def _json_rows(text: str, label: str, chosen: dict[str, str]) -> Iterator[Row]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{label}: not valid JSON ({_reason(exc)})") from exc
    if isinstance(data, dict):  # {"articles": [...]}, as news APIs answer
        lists = [v for v in data.values() if isinstance(v, list)]
        data = lists[0] if len(lists) == 1 else None
    if not isinstance(data, list):
        raise InputError(f"{label}: JSON, but not a list of articles; give JSONL or a list")
    yield from _object_rows(enumerate(data, start=1), label, chosen)


def _object_rows(
    rows: Iterable[tuple[int, object]], label: str, chosen: dict[str, str]
) -> Iterator[Row]:
    """Rows of JSON objects (numbered); the columns are found from the first object."""
    mapping: dict[str, str] | None = None
    for number, row in rows:
        if isinstance(row, InputError):
            yield row
            continue
        if not isinstance(row, dict):
            yield InputError(f"{label}: row {number}: not a JSON object")
            continue
        if mapping is None:
            mapping = _mapping(list(row), chosen, label)
        yield _row(number, row, mapping, label)


def _reason(exc: ValueError) -> str:
    return str(getattr(exc, "msg", exc))
