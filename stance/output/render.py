"""One renderer for every output format: readable tables, JSON and CSV."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, Literal

from rich.console import Console
from rich.table import Table
from rich.text import Text

Format = Literal["table", "json", "csv", "jsonl"]


def to_jsonable(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def render(
    rows: Sequence[Any],
    fmt: Format,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    console: Console | None = None,
    wide: Sequence[str] = (
        "quote",
        "content",
        "targets",
        "aliases",
        "error",
        "notes",
        "context",
        "title",
    ),
) -> None:
    """Print rows (dicts or pydantic objects) as a table, JSON array or CSV.

    In tables, the `wide` columns (long text) share the width; the others keep to their
    content, so ids, dates and names do not wrap letter by letter.
    """
    data = [to_jsonable(r) for r in rows]
    if fmt == "json":
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if fmt == "jsonl":
        for row in data:
            print(json.dumps(row, ensure_ascii=False))
        return
    cols = list(columns or (data[0].keys() if data else []))
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(cols)
        for row in data:
            writer.writerow([_cell(row.get(c)) for c in cols])
        return
    console = console or default_console()
    if not data:
        console.print(f"[dim]no {title or 'rows'}[/dim]" if title else "[dim]nothing to show[/dim]")
        return
    long_text = [c for c in cols if c in wide]
    table = Table(title=title, show_lines=bool(long_text), expand=bool(long_text))
    for col in cols:
        if col in long_text:
            table.add_column(col, overflow="fold", ratio=1, min_width=20)
        else:
            table.add_column(col, overflow="fold", max_width=24)
    for row in data:
        # Text(), not markup: document text may contain [brackets] that rich would eat.
        table.add_row(*(Text(_cell(row.get(c))) for c in cols))
    console.print(table)


def default_console() -> Console:
    """The terminal's width on a terminal; 120 columns when piped, unless COLUMNS says."""
    if sys.stdout.isatty() or os.environ.get("COLUMNS"):
        return Console()
    return Console(width=120)


def print_json(value: Any) -> None:
    print(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False))


def shape_rows(
    rows: Sequence[dict[str, Any]],
    *,
    fields: Sequence[str] = (),
    sort: Sequence[str] = (),
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Rows sorted (a leading "-" sorts descending; empty values last), cut to `limit`
    and to `fields`, as sqlite-utils' `rows` command does. Unknown names raise ValueError."""
    known = list(rows[0]) if rows else []
    for name in [*fields, *(s.lstrip("-") for s in sort)]:
        if rows and name not in known:
            raise ValueError(f"no field '{name}'; the fields are: {', '.join(known)}")
    data = list(rows)
    for key in reversed(list(sort)):
        name, descending = key.lstrip("-"), key.startswith("-")
        present = [r for r in data if r.get(name) is not None]
        missing = [r for r in data if r.get(name) is None]
        present.sort(key=lambda r: _sort_key(r[name]), reverse=descending)
        data = present + missing
    if limit is not None:
        data = data[:limit]
    if fields:
        data = [{f: r.get(f) for f in fields} for r in data]
    return data


def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, (int, float)):
        return (0, value)
    return (1, str(value))
