"""Ingesting inputs: readers -> extraction workers -> one writer.

The readers (stance.inputs) turn files, folders, stdin, URLs, feeds and datasets into
documents. Extraction runs on a pool of workers while one writer (the calling thread) stores
each document in its own transaction.

Crash safety comes from that transaction and the cache: a document is stored whole or not
at all, and a run of the same configuration already stored is not extracted again, so the
same command run again after a crash does only what is left. On Ctrl-C the pool takes no new
document, stores what finishes within a short grace, and `IngestInterrupted` says what was
done.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from stance.core.clock import now
from stance.core.errors import InputError, StanceError, StoreError
from stance.core.models import Document, Extraction, schema_sha
from stance.extraction.config import Extractor
from stance.extraction.rules.confidence import NOT_ENGLISH
from stance.inputs import InputText, Metadata, Reader, ReadOptions, normalize_date
from stance.resolve.judge import Judge
from stance.resolve.linker import resolve_pending
from stance.store.db import Store

__all__ = [
    "IngestInterrupted",
    "IngestResult",
    "IngestSummary",
    "InputText",
    "Metadata",
    "ReadOptions",
    "ingest",
    "normalize_date",
]

INTERRUPT_GRACE = 2.0  # seconds an interrupted ingest waits for extractions in flight


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
    notes: tuple[str, ...] = ()


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
            "documents": [{**r.__dict__, "notes": list(r.notes)} for r in self.results],
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


def language_note(backend: str, document: Document) -> str | None:
    """The offline extractor's word on a text it cannot read: it reads English only."""
    if backend != "rules" or document.language in (None, "en"):
        return None
    return (
        f"language '{document.language}': the offline rules extractor reads English only; "
        "give a model (--model) to extract claims from this text"
    )


def _run_extraction(extractor: Extractor, document: Document) -> tuple[Extraction | None, str]:
    """Extract one document; a model failure becomes the error text of a failed run (with
    what it cost, when the extractor says: an Extraction without claims)."""
    try:
        extraction = extractor.extract(document.text, published=document.published)
    except StanceError as exc:
        spent = getattr(exc, "spent", None)
        return (spent if isinstance(spent, Extraction) else None), str(exc)
    note = language_note(extractor.backend, document)
    if note:  # the run says why it found nothing, in its notes
        # The detected language is the more precise word than the rules' own guess: one note.
        earlier = (extraction.notes or "").replace(NOT_ENGLISH, "").strip("; ")
        notes = "; ".join(n for n in (earlier, note) if n)
        extraction = extraction.model_copy(update={"notes": notes})
    return extraction, ""


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


PathArgument = str | os.PathLike[str]


def as_paths(names: PathArgument | Iterable[PathArgument]) -> list[str]:
    """The inputs of `ingest` as a list of path strings: a single path is one input."""
    if isinstance(names, (str, os.PathLike)):
        names = [names]
    elif isinstance(names, (bytes, bytearray)) or not isinstance(names, Iterable):
        raise TypeError(
            f"stance.ingest() takes a path or an iterable of paths, not {type(names).__name__}"
        )
    paths: list[str] = []
    for name in names:
        path = os.fspath(name) if isinstance(name, (str, os.PathLike)) else name
        if not isinstance(path, str):
            raise TypeError(
                "stance.ingest(): each path must be a str or os.PathLike, "
                f"not {type(path).__name__} ({path!r})"
            )
        paths.append(path)
    return paths


def ingest(
    store: Store,
    names: PathArgument | Iterable[PathArgument],
    extractor: Extractor,
    *,
    metadata: Metadata | None = None,
    options: ReadOptions | None = None,
    reader: Reader | None = None,
    force: bool = False,
    concurrency: int = 1,
    stdin: Callable[[], bytes] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
    judge: Judge | None = None,
    on_stage: Callable[[str, str, int], None] | None = None,
) -> IngestSummary:
    """Ingest every input; failures are reported per input and the rest is still stored.

    `names` is one path (str or os.PathLike) or an iterable of them; anything else is a
    TypeError, raised before anything is read or stored. `options` say how to read the
    inputs (`metadata` alone is the flags' metadata).
    After each document is stored, the resolution pass (`stance.resolve.linker`) resolves
    its speakers, targets and events in a transaction of its own, and anything a crash left
    unresolved; `judge` decides doubtful event matches (rules when None). Claim relations
    are left to `stance resolve --model` (the subjects whose claims changed are listed).

    `on_start(total)` is called once the inputs are read (folders expanded, datasets split
    into rows, URLs fetched), and `on_result` once for each document, in the calling thread;
    `on_stage(label, stage, characters)` when the calling thread begins "extracting" a
    document (one at a time only) or "resolving" it: a long text spends minutes in each.
    Ctrl-C raises `IngestInterrupted` once what was in flight is stored or abandoned.
    """
    summary = IngestSummary()
    options = options or ReadOptions(metadata=metadata or Metadata())
    schema = schema_sha()
    own_reader = reader is None
    reader = reader or Reader(options, stdin=stdin)
    try:
        inputs = list(reader.read(as_paths(names)))
    finally:
        if own_reader:
            reader.close()
    if on_start:
        on_start(len(inputs))
    # The same text met again in this very ingest: its appearance is added once it is stored.
    later_appearances: list[Document] = []

    def report(result: IngestResult) -> None:
        summary.results.append(result)
        if on_result:
            on_result(result)

    def pending_inputs() -> Iterator[InputText]:
        seen: set[str] = set()
        for item in inputs:
            if isinstance(item, InputError):
                label = str(item).split(": ", 1)[0]
                report(IngestResult(label=label, status="failed", error=str(item)))
                continue
            doc = item.document
            notes = item.notes
            note = language_note(extractor.backend, doc)
            if note:
                notes = (*notes, f"{item.label}: {note}")
            item = InputText(item.label, doc, notes)
            cached = store.cached_run(
                doc.id, extractor.backend, extractor.model, extractor.prompt_sha, schema
            )
            if doc.id in seen:
                later_appearances.append(doc)
                report(IngestResult(item.label, "cached", document_id=doc.id, notes=notes))
                continue
            if cached and not force:
                if store.add_appearance(doc):
                    notes = (*notes, f"{item.label}: already stored; appearance added")
                report(IngestResult(item.label, "cached", document_id=doc.id, notes=notes))
                continue
            seen.add(doc.id)
            yield item

    def add_later_appearances() -> None:
        for doc in later_appearances:
            store.add_appearance(doc)

    def store_outcome(outcome: Outcome) -> None:
        item, started, result = outcome
        if isinstance(result, Exception):
            raise result
        extraction, error = result
        try:
            stored = stored_result(item, started, extraction, error)
        except StoreError as exc:
            # This document did not fit (a full disk): nothing of it is stored, and the next
            # ones are still tried.
            report(
                IngestResult(
                    label=item.label, status="failed", error=f"{item.label}: not stored: {exc}"
                )
            )
            return
        # Counted before the resolution pass runs: a Ctrl-C during the pass must not leave a
        # stored document out of the summary (the pass is finished by the next ingest).
        report(stored)
        if on_stage:
            on_stage(item.label, "resolving", len(item.document.text))
        resolve_pending(store, judge, relations=False)

    def stored_result(
        item: InputText, started: str, extraction: Extraction | None, error: str
    ) -> IngestResult:
        """Store one outcome (a run and its claims, or a failed run)."""
        doc = item.document
        if extraction is None or error:
            store.save_failure(
                doc,
                backend=extractor.backend,
                model=extractor.model,
                prompt_sha=extractor.prompt_sha,
                schema_sha=schema,
                error=error,
                started_at=started,
                spent=extraction,
            )
            return IngestResult(
                label=item.label,
                status="failed",
                document_id=doc.id,
                error=f"{item.label}: {error}",
                input_tokens=(extraction.input_tokens or 0) if extraction else 0,
                output_tokens=(extraction.output_tokens or 0) if extraction else 0,
                notes=item.notes,
            )
        saved = store.save_run(doc, extraction, started_at=started, replace_cached=force)
        if saved is None:  # another process stored this very run meanwhile
            store.add_appearance(doc)
            return IngestResult(item.label, "cached", document_id=doc.id, notes=item.notes)
        return IngestResult(
            label=item.label,
            status="new",
            document_id=doc.id,
            claims=saved.claims,
            rejected=saved.rejected,
            input_tokens=extraction.input_tokens or 0,
            output_tokens=extraction.output_tokens or 0,
            notes=item.notes,
        )

    if concurrency <= 1:
        try:
            for item in pending_inputs():
                started = now()
                if on_stage:
                    on_stage(item.label, "extracting", len(item.document.text))
                store_outcome((item, started, _run_extraction(extractor, item.document)))
        except KeyboardInterrupt:
            raise IngestInterrupted(summary, len(inputs)) from None
        add_later_appearances()
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
    add_later_appearances()
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
