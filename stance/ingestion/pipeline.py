"""Reading inputs and ingesting them: files, folders, stdin, header blocks.

A file may begin with a header block (`source:`, `url:`, `published:`, `title:` lines, then
one blank line); flags override it. Extraction runs on a pool of workers while one writer
(the calling thread) stores each document in its own transaction.

Crash safety comes from that transaction and the cache: a document is stored whole or not
at all, and a run of the same configuration already stored is not extracted again, so the
same command run again after a crash does only what is left. On Ctrl-C the pool takes no new
document, stores what finishes within a short grace, and `IngestInterrupted` says what was
done.
"""

from __future__ import annotations

import html
import queue
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal

import dateparser

from stance.core.clock import now
from stance.core.errors import InputError, StanceError
from stance.core.models import Document, Extraction, schema_sha
from stance.extraction.config import Extractor
from stance.resolve.judge import Judge
from stance.resolve.linker import resolve_pending
from stance.store.db import Store

TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")
INTERRUPT_GRACE = 2.0  # seconds an interrupted ingest waits for extractions in flight
HEADER_KEYS = ("source", "url", "published", "title")
_HEADER_LINE = re.compile(r"^(source|url|published|title):[ \t]*(.*)$", re.IGNORECASE)
# The dateline syndicated feeds put first: "date 2024-04-03 (MENAFN- AzerNews) On April 3, ..."
_FEED_DATELINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s+\((?:MENAFN-\s*)?([^)\n]{2,80})\)")


@dataclass(frozen=True)
class Metadata:
    source: str | None = None
    url: str | None = None
    published: str | None = None
    title: str | None = None

    def overridden_by(self, other: Metadata) -> Metadata:
        return Metadata(**{k: getattr(other, k) or getattr(self, k) for k in HEADER_KEYS})


@dataclass(frozen=True)
class InputText:
    """One text to ingest, named by where it came from."""

    label: str
    document: Document


@dataclass(frozen=True)
class IngestResult:
    label: str
    status: Literal["new", "cached", "failed"]
    document_id: str | None = None
    claims: int = 0
    rejected: int = 0
    error: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0


@dataclass
class IngestSummary:
    results: list[IngestResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def claims(self) -> int:
        return sum(r.claims for r in self.results)

    @property
    def rejected(self) -> int:
        return sum(r.rejected for r in self.results)

    def as_dict(self) -> dict[str, object]:
        return {
            "new": self.count("new"),
            "cached": self.count("cached"),
            "failed": self.count("failed"),
            "claims": self.claims,
            "rejected": self.rejected,
            "documents": [r.__dict__ for r in self.results],
        }


class IngestInterrupted(KeyboardInterrupt):
    """Ctrl-C during an ingest: what was done, and how many inputs were left undone.

    A KeyboardInterrupt still, for callers that only know that one.
    """

    def __init__(self, summary: IngestSummary, total: int) -> None:
        super().__init__("ingest interrupted")
        self.summary = summary
        self.total = total

    @property
    def stored(self) -> int:
        return self.summary.count("new")

    @property
    def left(self) -> int:
        """Inputs with nothing done: never started, or abandoned in flight."""
        return self.total - len(self.summary.results)


def normalize_date(value: str | None, label: str = "published") -> str | None:
    """An ISO 8601 date for a publication date written in any common way."""
    if value is None or not value.strip():
        return None
    parsed = dateparser.parse(
        value.strip(), settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    )
    if parsed is None:
        raise InputError(f"{label}: cannot read '{value}' as a date; use YYYY-MM-DD")
    if parsed.time() == parsed.time().min:
        return parsed.date().isoformat()
    return parsed.isoformat(timespec="seconds")


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


class _HTMLText(HTMLParser):
    """Visible text of an HTML page, one paragraph per block element."""

    BLOCKS = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "tr",
            "blockquote",
            "section",
            "article",
            "header",
            "footer",
        }
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
    parser = _HTMLText()
    parser.feed(raw)
    parser.close()
    text = re.sub(r"[ \t\r\f\v]+", " ", "".join(parser.parts))
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p), html.unescape(parser.title or "") or None


def decode(data: bytes, label: str) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(f"{label}: looks like a binary file, not text; give a UTF-8 text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{label}: not UTF-8 text (byte {exc.start}); convert it to UTF-8 first"
        ) from exc


def read_dateline(text: str) -> Metadata:
    """Source and date from a feed's dateline at the top of the text; the text is unchanged."""
    match = _FEED_DATELINE.match(text)
    if match is None:
        return Metadata()
    return Metadata(published=match.group(1), source=match.group(2).strip())


def make_input(label: str, raw: str, metadata: Metadata, *, is_html: bool = False) -> InputText:
    header, text = split_header(raw)
    html_title = None
    if is_html:
        text, html_title = html_to_text(text)
    meta = (
        read_dateline(text)
        .overridden_by(Metadata(title=html_title))
        .overridden_by(header)
        .overridden_by(metadata)
    )
    if not text.strip():
        raise InputError(f"{label}: the text is empty; give a file with the article's text")
    return InputText(
        label=label,
        document=Document(
            id=Document.id_for(text),
            text=text,
            source=meta.source,
            url=meta.url,
            title=meta.title,
            published=normalize_date(meta.published, f"{label}: published"),
        ),
    )


def expand_paths(paths: Iterable[str]) -> Iterator[str | InputError]:
    """Files named, and text files found in folders (recursively, in a stable order)."""
    for name in paths:
        if name == "-":
            yield name
            continue
        path = Path(name)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
            )
            if not found:
                yield InputError(f"{name}: no .txt, .md, .html or .htm files in this folder")
            yield from (str(p) for p in found)
        elif path.is_file():
            yield name
        else:
            yield InputError(f"{name}: no such file or folder; check the path")


def read_input(name: str, metadata: Metadata, stdin: Callable[[], bytes]) -> InputText:
    if name == "-":
        return make_input("<stdin>", decode(stdin(), "<stdin>"), metadata)
    try:
        data = Path(name).read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror}); check the path") from exc
    if not data.strip():
        raise InputError(f"{name}: the file is empty; give a file with the article's text")
    is_html = Path(name).suffix.lower() in (".html", ".htm")
    return make_input(name, decode(data, name), metadata, is_html=is_html)


def _run_extraction(extractor: Extractor, document: Document) -> tuple[Extraction | None, str]:
    """Extract one document; a model failure becomes the error text of a failed run."""
    try:
        return extractor.extract(document.text, published=document.published), ""
    except StanceError as exc:
        return None, str(exc)


# input, started, (extraction or None, error) -- or the exception of a bug, raised by the writer
Outcome = tuple[InputText, str, tuple[Extraction | None, str] | Exception]


class _Workers:
    """Threads that extract documents; the thread that made them stores the outcomes.

    Daemon threads: after Ctrl-C the process exits without waiting for requests still in
    flight (their documents are simply not stored, and the next ingest does them).
    """

    def __init__(self, extractor: Extractor, size: int) -> None:
        self.extractor = extractor
        self.jobs: queue.Queue[InputText | None] = queue.Queue()
        self.outcomes: queue.Queue[Outcome] = queue.Queue()
        self.stopping = threading.Event()
        self.running = 0  # jobs being extracted right now
        self._lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self._work, name=f"stance-extract-{i}", daemon=True)
            for i in range(size)
        ]
        for thread in self.threads:
            thread.start()

    def _work(self) -> None:
        while (item := self.jobs.get()) is not None:
            with self._lock:
                if self.stopping.is_set():
                    return
                self.running += 1
            started = now()
            try:
                result: tuple[Extraction | None, str] | Exception = _run_extraction(
                    self.extractor, item.document
                )
            except Exception as bug:  # not a StanceError: the writer raises it, nobody hangs
                result = bug
            self.outcomes.put((item, started, result))
            with self._lock:
                self.running -= 1

    def busy(self) -> bool:
        """Some extraction is still running, or finished and not yet stored."""
        with self._lock:
            return self.running > 0 or not self.outcomes.empty()

    def close(self) -> None:
        """No more jobs: each thread ends after the one it is on (if any)."""
        for _ in self.threads:
            self.jobs.put(None)


def ingest(
    store: Store,
    names: Iterable[str],
    extractor: Extractor,
    *,
    metadata: Metadata | None = None,
    force: bool = False,
    concurrency: int = 1,
    stdin: Callable[[], bytes] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
    judge: Judge | None = None,
) -> IngestSummary:
    """Ingest every input; failures are reported per input and the rest is still stored.

    After each document is stored, the resolution pass (`stance.resolve.linker`) resolves
    its speakers, targets and events in a transaction of its own, and anything a crash left
    unresolved; `judge` decides doubtful event matches (rules when None). Claim relations
    are left to `stance resolve --model` (the subjects whose claims changed are listed).

    `on_start(total)` is called once the inputs are listed (folders expanded), and
    `on_result` once for each input, in the calling thread. Ctrl-C raises
    `IngestInterrupted` once what was in flight is stored or abandoned.
    """
    summary = IngestSummary()
    metadata = metadata or Metadata()
    read_stdin = stdin or (lambda: b"")
    schema = schema_sha()
    inputs = list(expand_paths(names))
    if on_start:
        on_start(len(inputs))

    def report(result: IngestResult) -> None:
        summary.results.append(result)
        if on_result:
            on_result(result)

    def pending_inputs() -> Iterator[InputText]:
        seen: set[str] = set()
        for name in inputs:
            if isinstance(name, InputError):
                report(
                    IngestResult(label=str(name).split(":")[0], status="failed", error=str(name))
                )
                continue
            try:
                item = read_input(name, metadata, read_stdin)
            except InputError as exc:
                report(IngestResult(label=name, status="failed", error=str(exc)))
                continue
            doc = item.document
            cached = store.cached_run(
                doc.id, extractor.backend, extractor.model, extractor.prompt_sha, schema
            )
            if (cached and not force) or doc.id in seen:
                report(IngestResult(label=item.label, status="cached", document_id=doc.id))
                continue
            seen.add(doc.id)
            yield item

    def store_outcome(outcome: Outcome) -> None:
        item, started, result = outcome
        if isinstance(result, Exception):
            raise result
        extraction, error = result
        doc = item.document
        if extraction is None:
            store.save_failure(
                doc,
                backend=extractor.backend,
                model=extractor.model,
                prompt_sha=extractor.prompt_sha,
                schema_sha=schema,
                error=error,
                started_at=started,
            )
            report(
                IngestResult(
                    label=item.label,
                    status="failed",
                    document_id=doc.id,
                    error=f"{item.label}: {error}",
                )
            )
            return
        saved = store.save_run(doc, extraction, started_at=started, replace_cached=force)
        resolve_pending(store, judge, relations=False)
        if saved is None:  # another process stored this very run meanwhile
            report(IngestResult(label=item.label, status="cached", document_id=doc.id))
            return
        report(
            IngestResult(
                label=item.label,
                status="new",
                document_id=doc.id,
                claims=saved.claims,
                rejected=saved.rejected,
                input_tokens=extraction.input_tokens or 0,
                output_tokens=extraction.output_tokens or 0,
            )
        )

    if concurrency <= 1:
        try:
            for item in pending_inputs():
                started = now()
                store_outcome((item, started, _run_extraction(extractor, item.document)))
        except KeyboardInterrupt:
            raise IngestInterrupted(summary, len(inputs)) from None
        resolve_pending(store, judge, relations=False)
        return summary

    workers = _Workers(extractor, concurrency)
    in_flight = 0
    try:
        for item in pending_inputs():
            # Up to `concurrency` documents wait queued beyond those being extracted, so that
            # a worker never waits for the writer to hand it the next one. There are only
            # `concurrency` workers: that many requests in flight, no more.
            while in_flight >= 2 * concurrency:
                store_outcome(workers.outcomes.get())
                in_flight -= 1
            workers.jobs.put(item)
            in_flight += 1
        while in_flight:
            store_outcome(workers.outcomes.get())
            in_flight -= 1
    except KeyboardInterrupt:
        workers.stopping.set()
        _store_within_grace(workers, store_outcome)
        raise IngestInterrupted(summary, len(inputs)) from None
    finally:
        workers.close()
    resolve_pending(store, judge, relations=False)
    return summary


def _store_within_grace(workers: _Workers, store_outcome: Callable[[Outcome], None]) -> None:
    """Store the extractions that finish within the grace; a second Ctrl-C stops at once."""
    deadline = time.monotonic() + INTERRUPT_GRACE
    try:
        while workers.busy() and time.monotonic() < deadline:
            try:
                outcome = workers.outcomes.get(timeout=0.05)
            except queue.Empty:
                continue
            store_outcome(outcome)
    except KeyboardInterrupt:
        return
