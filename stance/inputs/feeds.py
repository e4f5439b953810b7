"""RSS and Atom feeds (feedparser): each item becomes a document."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from stance.inputs.base import Metadata
from stance.inputs.web import html_to_text

_FEED_START = re.compile(
    r"^\ufeff?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?xml-stylesheet[^>]*>\s*)*"
    r"<(?:rss|feed|rdf:RDF)\b",
    re.IGNORECASE | re.DOTALL,
)
# An item whose text is shorter than this is taken for a summary of its page.
SUMMARY_CHARS = 600


def looks_like_feed(text: str) -> bool:
    return bool(_FEED_START.match(text[:4000]))


@dataclass(frozen=True)
class FeedItem:
    number: int
    metadata: Metadata
    text: str
    is_summary: bool  # only a summary: the full page is at metadata.url


def read_feed(raw: str) -> Iterator[FeedItem]:
    import feedparser  # imported when a feed is met

    parsed = feedparser.parse(raw)
    feed_title = (parsed.feed.get("title") or "").strip() or None
    for number, entry in enumerate(parsed.entries, start=1):
        contents = entry.get("content") or []
        body = max((c.get("value", "") for c in contents), key=len, default="")
        summary = entry.get("summary", "") or ""
        chosen = body if len(body) >= len(summary) else summary
        text, _ = html_to_text(chosen) if "<" in chosen else (chosen.strip(), None)
        published = entry.get("published") or entry.get("updated")
        source = feed_title
        if entry.get("source") and entry["source"].get("title"):
            source = entry["source"]["title"]
        yield FeedItem(
            number=number,
            metadata=Metadata(
                source=source,
                url=entry.get("link"),
                published=published,
                title=(entry.get("title") or "").strip() or None,
                published_from="feed" if published else None,
            ),
            text=text,
            is_summary=not body or len(text) < SUMMARY_CHARS,
        )
