"""Web pages: the article's main text and the page's own metadata (trafilatura).

The cookie banner, navigation, ads, related links and comments are left out; the title loses
its " | Site Name" suffix; the site name becomes the source; the canonical URL and the date
come from the page's metadata (meta tags, JSON-LD).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

# The start of an HTML document or fragment, after any BOM, XML declaration or comments.
_HTML_START = re.compile(
    r"^\ufeff?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|meta|title|article|div|p|section|main)\b",
    re.IGNORECASE | re.DOTALL,
)
_TAGS = re.compile(r"</?(?:p|div|br|span|a|b|i|em|strong|li|ul|h[1-6]|article|body)\b[^>]*>", re.I)
_TITLE_SEPARATORS = re.compile(r"\s*:\s+|\s+[|\-–—·•»]\s+")


def looks_like_html(text: str) -> bool:
    """HTML by its content: it starts as a page or a fragment does, or is full of tags."""
    head = text[:4000]
    if _HTML_START.match(head):
        return True
    return len(_TAGS.findall(head)) >= 6


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None = None
    site_name: str | None = None
    url: str | None = None
    published: str | None = None


def _field(result: Any, name: str) -> Any:
    if isinstance(result, dict):
        return result.get(name)
    return getattr(result, name, None)


def strip_site_suffix(title: str | None, site_name: str | None) -> str | None:
    """ "Talks resume | Daily Planet" -> "Talks resume" when the last part is the site."""
    if not title:
        return None
    title = title.strip()
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) > 1:
        last, first = parts[-1].strip().lower(), parts[0].strip().lower()
        site = (site_name or "").strip().lower()
        if site and (last == site or site in last or last in site):
            return title[: title.rfind(parts[-1])].rstrip(" |-–—:·•»").strip()
        if site and (first == site or first in site):
            return title[len(parts[0]) :].lstrip(" |-–—:·•»").strip()
    return title


def _json_ld_dates(raw: str) -> str | None:
    """datePublished from JSON-LD blocks, when trafilatura's date finder gives none."""
    for block in re.findall(
        r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", raw, re.I | re.S
    ):
        try:
            data = json.loads(block)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    return str(item["datePublished"])
                stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
    return None


def read_page(raw: str, url: str | None = None) -> Page:
    """The article of a web page; a page trafilatura finds no article in falls back to its
    visible text."""
    import trafilatura  # imported when a page is met: it takes a while to import

    result = trafilatura.bare_extraction(
        raw,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
        deduplicate=False,
    )
    text = _field(result, "text") if result is not None else None
    fallback_title = None
    if not text or not str(text).strip():
        text, fallback_title = html_to_text(raw)
    paragraphs = [p.strip() for p in re.split(r"\n+", str(text))]
    text = "\n\n".join(p for p in paragraphs if p)
    site_name = (_field(result, "sitename") or None) if result is not None else None
    title = (_field(result, "title") if result is not None else None) or fallback_title
    page_url = _field(result, "url") if result is not None else None
    published = (_field(result, "date") if result is not None else None) or _json_ld_dates(raw)
    return Page(
        text=text,
        title=strip_site_suffix(title, site_name),
        site_name=site_name,
        url=page_url or url,
        published=published,
    )


class _HTMLText(HTMLParser):
    """Visible text of an HTML page, one paragraph per block element."""

    BLOCKS = frozenset(
        "p div br li h1 h2 h3 h4 h5 h6 tr blockquote section article header footer".split()
    )
    SKIP = frozenset({"script", "style", "noscript", "template", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.title: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = (self.title or "") + data.strip()
        elif not self.skipping:
            self.parts.append(data)


def html_to_text(raw: str) -> tuple[str, str | None]:
    """All visible text of an HTML fragment, paragraphs kept, and its <title>."""
    parser = _HTMLText()
    parser.feed(raw)
    parser.close()
    text = re.sub(r"[ \t\r\f\v]+", " ", "".join(parser.parts))
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p), html.unescape(parser.title or "") or None
