"""What readers yield: documents with the metadata found for them, and notes on the way."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from stance.core.models import Document
from stance.inputs.dates import DateOrder

HEADER_KEYS = ("source", "url", "published", "title")
_HEADER_LINE = re.compile(r"^(source|url|published|title):[ \t]*(.*)$", re.IGNORECASE)
# The dateline syndicated feeds put first: "date 2025-01-09 (MENAFN- Example Wire) On ..."
_FEED_DATELINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s+\((?:MENAFN-\s*)?([^)\n]{2,80})\)")


@dataclass(frozen=True)
class Metadata:
    """What is known of a text besides the text; `published` as written, read later."""

    source: str | None = None
    url: str | None = None
    published: str | None = None
    title: str | None = None
    published_from: str | None = None  # header, flag, page, feed, column, dateline, text

    def overridden_by(self, other: Metadata) -> Metadata:
        merged = {k: getattr(other, k) or getattr(self, k) for k in HEADER_KEYS}
        origin = other.published_from if other.published else self.published_from
        return Metadata(**merged, published_from=origin if merged["published"] else None)

    def with_origin(self, origin: str) -> Metadata:
        return replace(self, published_from=origin if self.published else None)


@dataclass(frozen=True)
class ReadOptions:
    """How to read inputs: flags given on the command line."""

    metadata: Metadata = field(default_factory=Metadata)
    date_order: DateOrder | None = None
    columns: dict[str, str] = field(default_factory=dict)  # role -> column name
    fetch_full: bool = False
    follow_links: bool = False  # read links in folders that lead outside them


@dataclass(frozen=True)
class InputText:
    """One text to ingest, named by where it came from, with notes on how it was read."""

    label: str
    document: Document
    notes: tuple[str, ...] = ()


def split_header(raw: str) -> tuple[Metadata, str]:
    """Split a leading `key: value` header block (ended by one blank line) from the text."""
    lines = raw.split("\n")
    found: dict[str, str] = {}
    for i, line in enumerate(lines):
        if not line.strip():
            if found and i > 0:
                return Metadata(**found), "\n".join(lines[i + 1 :])
            break
        match = _HEADER_LINE.match(line.rstrip("\r"))
        if not match:
            break
        found[match.group(1).lower()] = match.group(2).strip()
    return Metadata(), raw


def read_dateline(text: str) -> Metadata:
    """Source and date from a feed's dateline at the top of the text; the text is unchanged."""
    match = _FEED_DATELINE.match(text)
    if match is None:
        return Metadata()
    return Metadata(
        published=match.group(1), source=match.group(2).strip(), published_from="dateline"
    )
