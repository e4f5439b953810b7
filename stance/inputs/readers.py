"""From names on the command line to documents: files, folders, stdin and URLs, each read
as what its content is (text with a header block, a web page, a feed, a dataset, PDF, DOCX).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from stance.core.errors import InputError
from stance.core.models import Document
from stance.inputs.base import InputText, Metadata, ReadOptions, read_dateline, split_header
from stance.inputs.datasets import DATASET_SUFFIXES, dataset_kind, read_rows
from stance.inputs.dates import date_from_text, read_date
from stance.inputs.decode import decode, docx_text, is_docx, is_pdf, pdf_text
from stance.inputs.feeds import looks_like_feed, read_feed
from stance.inputs.fetch import Fetcher, is_url
from stance.inputs.language import detect_language
from stance.inputs.web import looks_like_html, read_page

TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".xml", ".rss", ".atom", ".pdf", ".docx")
# A .json file in a folder is more often settings than articles: read only when named.
FOLDER_SUFFIXES = TEXT_SUFFIXES + tuple(s for s in DATASET_SUFFIXES if s != ".json")

Item = InputText | InputError


def _unreadable_folder(error: OSError, fallback: str) -> InputError:
    name = str(Path(error.filename)) if error.filename else fallback
    return InputError(f"{name}: cannot read this folder ({error.strerror}); check its permissions")


def _list_folder(name: str, *, follow_links: bool = False) -> Iterator[str | InputError]:
    """Readable files under a folder (recursively, sorted); a folder that cannot be listed is
    an error of its own, and the rest is still listed.

    A link to a file outside the folder is not read unless `follow_links`: a folder of
    articles must not pull in `/etc/passwd` through `passwd.txt -> /etc/passwd`.
    """
    errors: list[InputError] = []
    found: list[Path] = []
    root = Path(name).resolve()
    for folder, _, files in os.walk(
        name,
        onerror=lambda e: errors.append(_unreadable_folder(e, name)),
        followlinks=follow_links,
    ):
        for path in (Path(folder) / file for file in files):
            if path.suffix.lower() not in FOLDER_SUFFIXES or not path.is_file():
                continue
            if not follow_links and path.is_symlink() and not path.resolve().is_relative_to(root):
                errors.append(
                    InputError(
                        f"{path}: a link to a file outside {name}; skipped (name the file "
                        "itself, or pass --follow-links, to read it)"
                    )
                )
                continue
            found.append(path)
    yield from errors
    if not found and not errors:
        yield InputError(f"{name}: no text, HTML, feed, dataset, PDF or DOCX files in this folder")
    yield from (str(p) for p in sorted(found))


def expand_paths(
    names: Iterable[str], *, follow_links: bool = False
) -> Iterator[str | InputError]:
    """Files named, URLs, and readable files found in folders (recursively, stable order).

    Anything that exists and is not a folder is read as a file: /dev/null, a pipe such as the
    shell's `<(command)`, a device.
    """
    for name in names:
        if name == "-" or is_url(name):
            yield name
            continue
        path = Path(name)
        if path.is_dir():
            yield from _list_folder(name, follow_links=follow_links)
        elif path.exists():
            yield name
        else:
            yield InputError(f"{name}: no such file, folder or URL; check the path")


def read_url_list(path: str) -> list[str]:
    """The URLs of a `--urls` file: one a line; blank lines and # comments skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the list of URLs ({exc}); check the path") from exc
    return [s for line in lines if (s := line.strip()) and not s.startswith("#")]


class Reader:
    """Reads inputs into documents. One fetcher (HTTP client) is shared by every URL."""

    def __init__(
        self,
        options: ReadOptions | None = None,
        *,
        stdin: Callable[[], bytes] | None = None,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.options = options or ReadOptions()
        self.stdin = stdin or (lambda: b"")
        self._fetcher = fetcher
        self._own_fetcher = fetcher is None

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher()
        return self._fetcher

    def close(self) -> None:
        if self._own_fetcher and self._fetcher is not None:
            self._fetcher.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, names: Iterable[str]) -> Iterator[Item]:
        for name in expand_paths(names, follow_links=self.options.follow_links):
            if isinstance(name, InputError):
                yield name
                continue
            try:
                yield from self.read_one(name)
            except InputError as exc:
                yield exc

    def read_one(self, name: str) -> Iterator[Item]:
        if name == "-":
            yield from self.read_bytes("<stdin>", self.stdin(), kind_hint="")
        elif is_url(name):
            fetched = self.fetcher.fetch(name)
            yield from self.read_bytes(
                name, fetched.data, url=fetched.url, kind_hint=urlsplit(fetched.url).path
            )
        else:
            try:
                data = Path(name).read_bytes()
            except OSError as exc:
                raise InputError(f"{name}: cannot read ({exc.strerror}); check the path") from exc
            yield from self.read_bytes(name, data, kind_hint=name)

    def read_bytes(
        self, label: str, data: bytes, *, url: str | None = None, kind_hint: str
    ) -> Iterator[Item]:
        """One input's bytes, read as what they are."""
        if not data.strip():
            raise InputError(f"{label}: the file is empty; give a file with the article's text")
        notes: list[str] = []
        if is_pdf(data):
            yield self.document(label, pdf_text(data, label), Metadata(url=url), notes)
            return
        if is_docx(data):
            yield self.document(label, docx_text(data, label), Metadata(url=url), notes)
            return
        decoded = decode(data, label)
        if decoded.note:
            notes.append(decoded.note)
        raw = decoded.text
        if looks_like_feed(raw):
            yield from self.feed_items(label, raw, notes)
            return
        kind = dataset_kind(kind_hint, raw)
        if kind:
            yield from self.dataset_rows(label, raw, kind, notes)
            return
        header, body = split_header(raw)
        header = header.with_origin("header")
        if looks_like_html(body):
            yield self.page(label, body, url, notes, header)
        else:
            yield self.document(
                label, body, read_dateline(body).overridden_by(header), notes, url=url
            )

    def page(
        self,
        label: str,
        raw: str,
        url: str | None,
        notes: list[str],
        known: Metadata | None = None,
    ) -> Item:
        known = known or Metadata()
        page = read_page(raw, url=url)
        source = page.site_name or (urlsplit(url).hostname if url else None)
        found = Metadata(
            source=source,
            url=page.url or url,
            published=page.published,
            title=page.title,
            published_from="page" if page.published else None,
        )
        return self.document(label, page.text, found.overridden_by(known), notes)

    def feed_items(self, label: str, raw: str, notes: list[str]) -> Iterator[Item]:
        items = list(read_feed(raw))
        if not items:
            raise InputError(f"{label}: a feed with no items")
        for item in items:
            item_label = f"{label} item {item.number}"
            link = item.metadata.url
            if self.options.fetch_full and item.is_summary and link and is_url(link):
                try:
                    fetched = self.fetcher.fetch(link)
                    text = decode(fetched.data, link).text
                    # The page's canonical URL wins over the feed's link.
                    known = replace(item.metadata, url=None)
                    yield self.page(item_label, text, fetched.url, list(notes), known)
                    continue
                except InputError as exc:
                    notes = [*notes, f"{item_label}: kept the summary: {exc}"]
            if not item.text.strip():
                yield InputError(f"{item_label}: no text in the item; try --fetch-full")
                continue
            yield self.document(item_label, item.text, item.metadata, list(notes))

    def dataset_rows(self, label: str, raw: str, kind: str, notes: list[str]) -> Iterator[Item]:
        for row in read_rows(raw, kind, label, self.options.columns):
            if isinstance(row, InputError):
                yield row
                continue
            number, metadata, text = row
            yield self.document(f"{label} row {number}", text, metadata, list(notes))

    def document(
        self,
        label: str,
        text: str,
        found: Metadata,
        notes: list[str],
        *,
        url: str | None = None,
    ) -> Item:
        """The document for a text, with what was found of it under the flags."""
        if not text.strip():
            return InputError(f"{label}: the text is empty; give a file with the article's text")
        flags = self.options.metadata.with_origin("flag")
        meta = Metadata(url=url).overridden_by(found).overridden_by(flags)
        date = read_date(meta.published, order=self.options.date_order)
        published, origin = date.value, meta.published_from if date.value else None
        if date.note:
            notes = [*notes, f"{label}: published: {date.note}"]
        if published is None:
            from_text = date_from_text(text)
            if from_text is not None:
                published, origin = from_text.value, from_text.origin
        return InputText(
            label=label,
            document=Document(
                id=Document.id_for(text),
                text=text,
                source=meta.source,
                url=meta.url,
                title=meta.title,
                published=published,
                published_from=origin,
                language=detect_language(text),
            ),
            notes=tuple(notes),
        )
