"""Ingesting through batch files: requests out, answers back, stored as the live path stores.

- `export_batch`: reads the inputs as `ingest` does, skips documents already extracted with
  the same run key (and repeats), and writes one request line per chunk
  (`stance.extraction.llm.batch.request_lines`). The batch and its documents are recorded in
  the database (`stance.store.batches`), so that the answers can be matched to their texts.
- `import_results`: reads result lines (an OpenAI output or error file, `vllm run-batch`'s
  output, ...). Once every chunk of a document has its answer, the answers go through the
  extractor's own checks (`LLMExtractor.check_answers`) and the document, its run and its
  claims are stored in one transaction (`Store.save_run`). A document answered with an error
  gets a failed run (so the next ingest retries it). A malformed line is reported with its
  line number and the rest is stored. Importing twice stores nothing twice: a document whose
  run is already stored is reported as cached.
- `submit_batch`, `refresh_batch`, `collect_batch`: the same through the OpenAI Batch API
  (upload, create, poll, download and import).

Memory stays flat in the number of documents: request lines are written as they are made,
and a document's answers are kept only until its last chunk has come back.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openai.types.chat import ChatCompletion

from stance.core.clock import now
from stance.core.errors import InputError, ModelError, NotFoundError, StanceError, UsageError
from stance.core.models import Document, schema_sha
from stance.extraction.config import ExtractorConfig
from stance.extraction.llm.batch import (
    BatchAnswer,
    BatchClient,
    BatchState,
    parse_result_line,
    request_lines,
)
from stance.extraction.llm.extractor import LLMExtractor
from stance.ingestion.pipeline import IngestResult, IngestSummary
from stance.inputs import Metadata, Reader, ReadOptions
from stance.resolve.judge import Judge
from stance.resolve.linker import resolve_pending
from stance.store import batches as table
from stance.store.db import Store


@dataclass
class ExportSummary:
    batch_id: str
    path: str
    documents: int = 0
    requests: int = 0
    results: list[IngestResult] = field(default_factory=list)  # cached and failed inputs

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    def as_dict(self) -> dict[str, object]:
        return {
            "batch": self.batch_id,
            "file": self.path,
            "documents": self.documents,
            "requests": self.requests,
            "cached": self.count("cached"),
            "failed": self.count("failed"),
            "errors": [r.error for r in self.results if r.error],
        }


@dataclass
class ImportSummary(IngestSummary):
    """What an import stored (per document, as an ingest reports it), and what it could not."""

    malformed: list[str] = field(default_factory=list)  # "FILE:LINE: what is wrong"
    incomplete: list[str] = field(default_factory=list)  # documents with chunks missing

    @property
    def input_tokens(self) -> int:
        return sum(r.input_tokens for r in self.results)

    @property
    def output_tokens(self) -> int:
        return sum(r.output_tokens for r in self.results)

    @property
    def ok(self) -> bool:
        return not (self.count("failed") or self.malformed or self.incomplete)

    def as_dict(self) -> dict[str, object]:
        return {
            "new": self.count("new"),
            "cached": self.count("cached"),
            "failed": self.count("failed"),
            "claims": self.claims,
            "rejected": self.rejected,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "malformed": self.malformed,
            "incomplete": self.incomplete,
            "documents": [r.__dict__ for r in self.results],
        }

    def line(self) -> str:
        text = (
            f"documents: {self.count('new')} new, {self.count('cached')} cached, "
            f"{self.count('failed')} failed; claims stored: {self.claims}, "
            f"rejected: {self.rejected}; tokens: {self.input_tokens:,} in, "
            f"{self.output_tokens:,} out"
        )
        if self.malformed:
            text += f"; malformed lines: {len(self.malformed)}"
        if self.incomplete:
            text += f"; documents with chunks missing: {len(self.incomplete)}"
        return text


# --- Out ---------------------------------------------------------------------------------------


def _documents(
    store: Store,
    names: Iterable[str],
    extractor: LLMExtractor,
    metadata: Metadata,
    force: bool,
    stdin: Callable[[], bytes],
    skipped: list[IngestResult],
) -> Iterator[tuple[str, Document]]:
    """The inputs to send, read as `ingest` reads them (`stance.inputs.Reader`); cached ones
    (their appearance recorded, as `ingest` does) and repeats skipped."""
    schema = schema_sha()
    seen: set[str] = set()
    with Reader(ReadOptions(metadata=metadata), stdin=stdin) as reader:
        for item in reader.read(names):
            if isinstance(item, InputError):
                label = str(item).split(": ", 1)[0]
                skipped.append(IngestResult(label=label, status="failed", error=str(item)))
                continue
            doc = item.document
            cached = store.cached_run(
                doc.id, extractor.backend, extractor.model, extractor.prompt_sha, schema
            )
            if (cached and not force) or doc.id in seen:
                if cached:
                    store.add_appearance(doc)
                skipped.append(IngestResult(item.label, "cached", document_id=doc.id))
                continue
            seen.add(doc.id)
            yield item.label, doc


def _new_batch_row(extractor: LLMExtractor, kind: str, **fields: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "model": extractor.model,
        "mode": extractor.mode,
        "prompt_sha": extractor.prompt_sha,
        "schema_sha": schema_sha(),
        "chunk_chars": extractor.chunk_chars,
        **fields,
    }


def write_requests(
    store: Store,
    names: Iterable[str],
    extractor: LLMExtractor,
    out: Path,
    batch_id: str,
    *,
    metadata: Metadata | None = None,
    force: bool = False,
    stdin: Callable[[], bytes] | None = None,
) -> ExportSummary:
    """Write the request file (whole or not at all) and record its documents under batch_id."""
    summary = ExportSummary(batch_id, str(out))
    pending: list[tuple[str, Document, int]] = []
    documents = _documents(
        store,
        names,
        extractor,
        metadata or Metadata(),
        force,
        stdin or (lambda: b""),
        summary.results,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(prefix=".stance-batch-", suffix=".jsonl", dir=out.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            for label, doc in documents:
                lines = request_lines(extractor, doc.id, doc.text, doc.published)
                for line in lines:
                    file.write(json.dumps(line, ensure_ascii=False) + "\n")
                summary.documents += 1
                summary.requests += len(lines)
                pending.append((label, doc, len(lines)))
                if len(pending) >= table.INSERT_BATCH_SIZE:
                    _record_documents(store, summary, extractor, pending)
        if summary.documents:
            os.replace(scratch, out)
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)
    if pending:
        _record_documents(store, summary, extractor, pending)
    return summary


def _record_documents(
    store: Store,
    summary: ExportSummary,
    extractor: LLMExtractor,
    pending: list[tuple[str, Document, int]],
) -> None:
    """The batch row (created with its first documents) and the documents so far."""
    if table.batch(store, summary.batch_id) is None:
        table.record_batch(
            store,
            _new_batch_row(
                extractor,
                "export",
                id=summary.batch_id,
                status="exported",
                request_file=summary.path,
            ),
        )
    table.add_documents(store, summary.batch_id, pending)
    table.update_batch(
        store, summary.batch_id, documents=summary.documents, requests=summary.requests
    )
    pending.clear()


def export_batch(
    store: Store,
    names: Iterable[str],
    extractor: LLMExtractor,
    out: Path,
    *,
    metadata: Metadata | None = None,
    force: bool = False,
    stdin: Callable[[], bytes] | None = None,
) -> ExportSummary:
    """Write an OpenAI Batch API request file for the inputs, for a batch engine elsewhere."""
    batch_id = "export-" + uuid.uuid4().hex[:12]
    summary = write_requests(
        store, names, extractor, out, batch_id, metadata=metadata, force=force, stdin=stdin
    )
    return summary


# --- Back ----------------------------------------------------------------------------------------


class _Importer:
    """Stores documents as their answers complete; one extractor per batch (its run key)."""

    def __init__(
        self,
        store: Store,
        batch_id: str | None,
        summary: ImportSummary,
        on_result: Callable[[IngestResult], None] | None,
        judge: Judge | None = None,
    ) -> None:
        self.store = store
        self.judge = judge
        self.batch_id = batch_id
        self.summary = summary
        self.on_result = on_result
        self.extractors: dict[str, LLMExtractor] = {}
        self.waiting: dict[str, dict[int, ChatCompletion]] = {}
        self.done: set[str] = set()

    def report(self, result: IngestResult) -> None:
        self.summary.results.append(result)
        if self.on_result:
            self.on_result(result)

    def extractor_for(self, batch: dict[str, Any]) -> LLMExtractor:
        if batch["id"] not in self.extractors:
            config = ExtractorConfig(backend="llm", model=batch["model"], mode=batch["mode"])
            extractor = LLMExtractor(config, chunk_chars=batch["chunk_chars"])
            self.extractors[batch["id"]] = extractor
        return self.extractors[batch["id"]]

    def take(self, answer: BatchAnswer) -> None:
        doc_id = answer.chunk.document_id
        if doc_id in self.done:
            return
        if answer.completion is None:
            self.done.add(doc_id)
            self.waiting.pop(doc_id, None)
            self.store_failure(doc_id, f"the batch answered with an error: {answer.error}")
            return
        chunks = self.waiting.setdefault(doc_id, {})
        chunks[answer.chunk.index] = answer.completion
        if len(chunks) == answer.chunk.count:
            del self.waiting[doc_id]
            self.done.add(doc_id)
            self.store_answers(doc_id, [chunks[i] for i in range(answer.chunk.count)])

    def finish(self) -> None:
        for doc_id, chunks in self.waiting.items():
            found = self.pending(doc_id)
            label = found[0].label if found else doc_id[:12]
            total = found[0].chunks if found else "?"
            self.summary.incomplete.append(
                f"{label}: {len(chunks)} of {total} chunks answered; not stored yet"
            )
        self.waiting.clear()

    def pending(self, doc_id: str) -> tuple[table.PendingDocument, dict[str, Any]] | None:
        found = table.pending_document(self.store, doc_id, self.batch_id)
        if found is None:
            return None
        batch = table.batch(self.store, found.batch_id)
        assert batch is not None  # a foreign key
        return found, batch

    def unknown(self, doc_id: str) -> None:
        where = f"batch {self.batch_id}" if self.batch_id else "any batch of this database"
        self.report(
            IngestResult(
                label=doc_id[:12],
                status="failed",
                document_id=doc_id,
                error=f"document {doc_id[:12]} is not in {where}: import into the database "
                "that exported the requests",
            )
        )

    def cached(self, found: table.PendingDocument, batch: dict[str, Any]) -> bool:
        run = self.store.cached_run(
            found.document.id, "llm", batch["model"], batch["prompt_sha"], batch["schema_sha"]
        )
        if run is None:
            return False
        if found.status != "stored":
            table.mark_document(
                self.store, found.batch_id, found.document.id, "stored", run_id=run["id"]
            )
        self.report(IngestResult(found.label, "cached", document_id=found.document.id))
        return True

    def store_failure(self, doc_id: str, error: str) -> None:
        looked_up = self.pending(doc_id)
        if looked_up is None:
            self.unknown(doc_id)
            return
        found, batch = looked_up
        if self.cached(found, batch):
            return
        if found.status != "failed" or found.run_id is None:
            run_id = self.store.save_failure(
                found.document,
                backend="llm",
                model=batch["model"],
                prompt_sha=batch["prompt_sha"],
                schema_sha=batch["schema_sha"],
                error=error,
                started_at=batch["created_at"],
            )
            table.mark_document(
                self.store, found.batch_id, doc_id, "failed", run_id=run_id, error=error
            )
        self.report(
            IngestResult(found.label, "failed", document_id=doc_id, error=f"{found.label}: {error}")
        )

    def store_answers(self, doc_id: str, answers: list[ChatCompletion]) -> None:
        looked_up = self.pending(doc_id)
        if looked_up is None:
            self.unknown(doc_id)
            return
        found, batch = looked_up
        if self.cached(found, batch):
            return
        try:
            extraction = self.extractor_for(batch).check_answers(found.document.text, answers)
        except ModelError as error:
            self.store_failure(doc_id, str(error))
            return
        # The run key is the batch's: what the requests were made with.
        extraction = extraction.model_copy(
            update={"prompt_sha": batch["prompt_sha"], "schema_sha": batch["schema_sha"]}
        )
        saved = self.store.save_run(
            found.document, extraction, started_at=batch["created_at"], replace_cached=False
        )
        # The resolution pass, as the live ingest runs it after each document.
        resolve_pending(self.store, self.judge, relations=False)
        if saved is None:  # stored meanwhile by another process
            self.report(IngestResult(found.label, "cached", document_id=doc_id))
            return
        table.mark_document(self.store, found.batch_id, doc_id, "stored", run_id=saved.run_id)
        self.report(
            IngestResult(
                found.label,
                "new",
                document_id=doc_id,
                claims=saved.claims,
                rejected=saved.rejected,
                input_tokens=extraction.input_tokens or 0,
                output_tokens=extraction.output_tokens or 0,
            )
        )


def import_results(
    store: Store,
    lines: Iterable[str],
    *,
    label: str = "results",
    batch_id: str | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
    summary: ImportSummary | None = None,
    judge: Judge | None = None,
) -> ImportSummary:
    """Store the answers of result lines (see the module's docstring). `judge` decides
    doubtful event matches in the resolution pass, as in `ingest` (rules when None)."""
    summary = summary or ImportSummary()
    importer = _Importer(store, batch_id, summary, on_result, judge)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            answer = parse_result_line(line)
        except ValueError as error:
            summary.malformed.append(f"{label}:{number}: {error}")
            continue
        importer.take(answer)
    importer.finish()
    resolve_pending(store, judge, relations=False)
    return summary


def read_lines(path: str) -> Iterator[str]:
    """The lines of a results file, read as they are needed."""
    try:
        with open(path, encoding="utf-8") as file:
            yield from file
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; give the batch's results file") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None


# --- Through the Batch API ---------------------------------------------------------------------


@dataclass
class SubmitSummary:
    export: ExportSummary
    state: BatchState | None  # None: nothing to send

    def as_dict(self) -> dict[str, object]:
        found = self.export.as_dict()
        found["status"] = self.state.status if self.state else "nothing to send"
        return found


def submit_batch(
    store: Store,
    names: Iterable[str],
    extractor: LLMExtractor,
    *,
    metadata: Metadata | None = None,
    force: bool = False,
    stdin: Callable[[], bytes] | None = None,
) -> SubmitSummary:
    """Write the requests, upload them, create the batch and record it; returns at once."""
    client = BatchClient(extractor)
    local_id = "pending-" + uuid.uuid4().hex[:12]
    with tempfile.TemporaryDirectory(prefix="stance-batch-") as scratch:
        path = Path(scratch) / "requests.jsonl"
        summary = write_requests(
            store, names, extractor, path, local_id, metadata=metadata, force=force, stdin=stdin
        )
        if not summary.documents:
            return SubmitSummary(summary, None)
        try:
            file_id = client.upload("stance-requests.jsonl", path.read_bytes())
            state = client.create(file_id, {"stance_batch": local_id})
        except StanceError as error:
            table.update_batch(store, local_id, kind="openai", status="failed", error=str(error))
            raise
    # The server's id replaces the local one, documents and all, in one transaction.
    with store.write_transaction():
        store.db.execute("pragma defer_foreign_keys = on")  # until both tables agree
        store.db.execute(
            "update batches set id = ?, kind = 'openai', status = ?, input_file_id = ?, "
            "request_file = null, updated_at = ? where id = ?",
            [state.id, state.status, state.input_file_id, now(), local_id],
        )
        store.db.execute(
            "update batch_documents set batch_id = ? where batch_id = ?", [state.id, local_id]
        )
    summary.batch_id = state.id
    summary.path = ""
    return SubmitSummary(summary, state)


def _batch_or_latest(store: Store, batch_id: str | None) -> dict[str, Any]:
    if batch_id:
        found = table.batch(store, batch_id)
        if found is None:
            raise NotFoundError(f"no batch {batch_id} in this database: see `stance batch status`")
        return found
    rows = [b for b in table.batches(store, "openai") if b["status"] != "collected"]
    if not rows:
        raise NotFoundError(
            "no batch waiting in this database: send one with `stance ingest --batch`"
        )
    return rows[0]


def refresh_batch(store: Store, extractor: LLMExtractor, batch_id: str | None) -> dict[str, Any]:
    """Ask the server how a batch is doing (the latest uncollected one without an id)."""
    row = _batch_or_latest(store, batch_id)
    if row["kind"] != "openai":
        raise UsageError(
            f"batch {row['id']} was exported to a file, not sent: store its results with "
            "`stance batch import RESULTS.jsonl`"
        )
    if row["status"] == "collected":
        return row
    state = BatchClient(extractor).retrieve(row["id"])
    table.update_batch(
        store,
        row["id"],
        status=state.status,
        output_file_id=state.output_file_id,
        error_file_id=state.error_file_id,
        error=state.errors,
    )
    found = table.batch(store, row["id"])
    assert found is not None
    return found | {"total": state.total, "completed": state.completed, "failed": state.failed}


@dataclass
class CollectSummary:
    batch: dict[str, Any]
    imported: ImportSummary | None  # None: the batch is not done yet
    left: dict[str, int] = field(default_factory=dict)  # documents by status afterwards

    def as_dict(self) -> dict[str, object]:
        return {
            "batch": self.batch["id"],
            "status": self.batch["status"],
            "by_status": self.left,
            **(self.imported.as_dict() if self.imported else {}),
        }


def collect_batch(
    store: Store,
    extractor: LLMExtractor,
    batch_id: str | None,
    *,
    on_result: Callable[[IngestResult], None] | None = None,
    judge: Judge | None = None,
) -> CollectSummary:
    """When the batch is over: download its output and error files and store the answers.

    Safe to run again (after a crash too): stored documents are not stored twice. An expired,
    failed or cancelled batch stores what it answered; the rest stays pending, to send again.
    """
    row = refresh_batch(store, extractor, batch_id)
    if row["status"] not in ("completed", "expired", "failed", "cancelled", "collected"):
        return CollectSummary(row, None, table.documents_by_status(store, row["id"]))
    imported = ImportSummary()
    client = BatchClient(extractor)
    for kind in ("output_file_id", "error_file_id"):
        if row.get(kind):
            import_results(
                store,
                client.lines(row[kind]),
                label=f"{row['id']} {kind.split('_')[0]} file",
                batch_id=row["id"],
                on_result=on_result,
                summary=imported,
                judge=judge,
            )
    tokens = store.db.query(
        "select sum(r.input_tokens) as i, sum(r.output_tokens) as o from runs r "
        "join batch_documents d on d.run_id = r.id where d.batch_id = ?",
        [row["id"]],
    )
    totals = next(iter(tokens))
    status = "collected" if row["status"] == "completed" else row["status"]
    table.update_batch(
        store, row["id"], status=status, input_tokens=totals["i"], output_tokens=totals["o"]
    )
    found = table.batch(store, row["id"])
    assert found is not None
    return CollectSummary(found, imported, table.documents_by_status(store, row["id"]))
