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
from typing import Any, TextIO

from openai.types.chat import ChatCompletion

from stance.core.errors import InputError, ModelError, NotFoundError, StanceError, UsageError
from stance.core.models import Document, Extraction, schema_sha
from stance.extraction.config import ExtractorConfig
from stance.extraction.llm.batch import (
    FINAL_STATES,
    BatchAnswer,
    BatchClient,
    BatchState,
    ChunkId,
    parse_result_line,
    request_line,
    request_lines,
)
from stance.extraction.llm.extractor import LLMExtractor, Reasks
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
    reasked: list[str] = field(default_factory=list)  # documents moved on to a follow-up
    followups: list[FollowUp] = field(default_factory=list)  # the follow-up batches made

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
            "reasked": len(self.reasked),
            "followups": [f.as_dict() for f in self.followups],
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
        if self.reasked:
            text += f"; re-asked: {len(self.reasked)} documents"
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


@dataclass
class FollowUp:
    """A follow-up batch: the re-asks of the chunks whose answers failed, for the documents of
    one batch. Recorded as it fills (`preparing`), then sent or written by `send_followups`."""

    id: str
    parent: dict[str, Any]
    path: Path  # where its request lines are written
    documents: int = 0
    requests: int = 0
    state: BatchState | None = None  # once sent through the Batch API

    @property
    def attempt(self) -> int:
        return int(self.parent.get("attempt") or 1) + 1

    def as_dict(self) -> dict[str, object]:
        return {
            "batch": self.id,
            "follows": self.parent["id"],
            "attempt": self.attempt,
            "documents": self.documents,
            "requests": self.requests,
            "file": str(self.path) if self.parent["kind"] != "openai" else None,
            "status": self.state.status if self.state else "exported",
        }


class _Importer:
    """Stores documents as their answers complete; one extractor per batch (its run key).

    A document whose answers fail the checks with re-asks left goes, as the `reasks` policy
    says, to a follow-up batch ("batch"), to live requests ("live"), or is stored with the
    failing claims rejected ("none").
    """

    def __init__(
        self,
        store: Store,
        batch_id: str | None,
        summary: ImportSummary,
        on_result: Callable[[IngestResult], None] | None,
        judge: Judge | None = None,
        *,
        reasks: Reasks = "none",
        base_url: str | None = None,
        reask_file: Callable[[dict[str, Any]], Path] | None = None,
    ) -> None:
        self.store = store
        self.judge = judge
        self.batch_id = batch_id
        self.summary = summary
        self.on_result = on_result
        self.reasks: Reasks = reasks
        self.base_url = base_url
        self.reask_file = reask_file
        self.extractors: dict[str, LLMExtractor] = {}
        self.waiting: dict[tuple[str, int], dict[int, ChatCompletion]] = {}
        self.expected: dict[tuple[str, int], int] = {}
        self.done: set[tuple[str, int]] = set()
        self.followups: dict[str, FollowUp] = {}  # by the batch they follow
        self.files: dict[str, TextIO] = {}

    def report(self, result: IngestResult) -> None:
        self.summary.results.append(result)
        if self.on_result:
            self.on_result(result)

    def extractor_for(self, batch: dict[str, Any]) -> LLMExtractor:
        if batch["id"] not in self.extractors:
            config = ExtractorConfig(
                backend="llm", model=batch["model"], mode=batch["mode"], base_url=self.base_url
            )
            extractor = LLMExtractor(config, chunk_chars=batch["chunk_chars"])
            self.extractors[batch["id"]] = extractor
        return self.extractors[batch["id"]]

    def chunks_expected(self, chunk: ChunkId) -> int:
        """How many answers make a document whole: all its chunks on a first attempt, the
        chunks re-asked in a follow-up batch."""
        if chunk.attempt == 1:
            return chunk.count
        key = (chunk.document_id, chunk.attempt)
        if key not in self.expected:
            found = table.pending_document(
                self.store, chunk.document_id, self.batch_id, chunk.attempt
            )
            self.expected[key] = found.chunks if found else chunk.count
        return self.expected[key]

    def take(self, answer: BatchAnswer) -> None:
        chunk = answer.chunk
        key = (chunk.document_id, chunk.attempt)
        if key in self.done:
            return
        if answer.completion is None:
            self.done.add(key)
            self.waiting.pop(key, None)
            self.store_failure(
                chunk.document_id,
                f"the batch answered with an error: {answer.error}",
                chunk.attempt,
            )
            return
        chunks = self.waiting.setdefault(key, {})
        chunks[chunk.index] = answer.completion
        if len(chunks) >= self.chunks_expected(chunk):
            del self.waiting[key]
            self.done.add(key)
            self.store_answers(chunk.document_id, chunk.attempt, chunk.count, chunks)

    def finish(self) -> None:
        for (doc_id, attempt), chunks in self.waiting.items():
            found = self.pending(doc_id, attempt)
            label = found[0].label if found else doc_id[:12]
            total = found[0].chunks if found else "?"
            self.summary.incomplete.append(
                f"{label}: {len(chunks)} of {total} chunks answered; not stored yet"
            )
        self.waiting.clear()
        for file in self.files.values():
            file.close()

    def pending(
        self, doc_id: str, attempt: int = 1
    ) -> tuple[table.PendingDocument, dict[str, Any]] | None:
        found = table.pending_document(self.store, doc_id, self.batch_id, attempt)
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

    def store_failure(
        self, doc_id: str, error: str, attempt: int = 1, spent: Extraction | None = None
    ) -> None:
        looked_up = self.pending(doc_id, attempt)
        if looked_up is None:
            self.unknown(doc_id)
            return
        found, batch = looked_up
        if self.cached(found, batch):
            return
        if found.status == table.REASKED:
            self.summary.reasked.append(found.label)
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
                spent=spent,
            )
            table.mark_document(
                self.store, found.batch_id, doc_id, "failed", run_id=run_id, error=error
            )
        self.report(
            IngestResult(found.label, "failed", document_id=doc_id, error=f"{found.label}: {error}")
        )

    def answers_so_far(
        self, found: table.PendingDocument, chunks: int, new: dict[int, ChatCompletion]
    ) -> list[list[ChatCompletion]]:
        """Each chunk's answers in order: the earlier attempts' (kept with the document in a
        follow-up batch), then the ones just come back."""
        earlier = json.loads(found.answers) if found.answers else [[] for _ in range(chunks)]
        answers = [[ChatCompletion.model_validate(a) for a in chunk] for chunk in earlier]
        for index, completion in new.items():
            answers[index].append(completion)
        return answers

    def store_answers(
        self, doc_id: str, attempt: int, count: int, new: dict[int, ChatCompletion]
    ) -> None:
        """Store a document once its answers are back, or move it on to a follow-up batch;
        `count`: its chunks."""
        looked_up = self.pending(doc_id, attempt)
        if looked_up is None:
            self.unknown(doc_id)
            return
        found, batch = looked_up
        if self.cached(found, batch):
            return
        if found.status == table.REASKED:  # collected before: its re-asks are under way
            self.summary.reasked.append(found.label)
            return
        extractor = self.extractor_for(batch)
        doc = found.document
        try:
            answers = self.answers_so_far(found, count, new)
            replayed = extractor.check_answers(
                doc.text, answers, published=doc.published, reasks=self.reasks
            )
        except ModelError as error:
            spent = error.spent if isinstance(error.spent, Extraction) else None
            self.store_failure(doc_id, str(error), attempt, spent)
            return
        except (IndexError, ValueError) as error:  # earlier answers kept in another shape
            self.store_failure(doc_id, f"the answers kept cannot be read ({error})", attempt)
            return
        if replayed.extraction is None:
            self.follow_up(found, batch, answers, replayed.requests)
            return
        # The run key is the batch's: what the requests were made with.
        extraction = replayed.extraction.model_copy(
            update={"prompt_sha": batch["prompt_sha"], "schema_sha": batch["schema_sha"]}
        )
        saved = self.store.save_run(
            doc, extraction, started_at=batch["created_at"], replace_cached=False
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
                notes=tuple(extraction.notes.split("; ")) if extraction.notes else (),
            )
        )

    def follow_up(
        self,
        found: table.PendingDocument,
        batch: dict[str, Any],
        answers: list[list[ChatCompletion]],
        requests: dict[int, dict[str, Any]],
    ) -> None:
        """Move a document on to the follow-up batch of its batch: its re-asks written as
        request lines, its answers so far kept with it."""
        followup = self.followups.get(batch["id"])
        if followup is None:
            local_id = "reask-" + uuid.uuid4().hex[:12]
            assert self.reask_file is not None
            path = self.reask_file(batch)
            followup = FollowUp(local_id, batch, path)
            table.record_batch(
                self.store,
                {
                    **{k: batch[k] for k in ("kind", "model", "mode", "prompt_sha", "schema_sha")},
                    "chunk_chars": batch["chunk_chars"],
                    "id": local_id,
                    "status": table.PREPARING,
                    "parent_id": batch["id"],
                    "attempt": followup.attempt,
                    "request_file": str(path) if batch["kind"] != "openai" else None,
                },
            )
            self.followups[batch["id"]] = followup
            path.parent.mkdir(parents=True, exist_ok=True)
            self.files[batch["id"]] = open(path, "w", encoding="utf-8")  # noqa: SIM115
        file = self.files[batch["id"]]
        total = len(answers)
        for index, body in sorted(requests.items()):
            chunk = ChunkId(found.document.id, index, total, followup.attempt)
            file.write(json.dumps(request_line(chunk, body), ensure_ascii=False) + "\n")
        kept = json.dumps(
            [[a.model_dump(mode="json", exclude_unset=True) for a in chunk] for chunk in answers],
            ensure_ascii=False,
        )
        table.add_reasked(self.store, followup.id, found, len(requests), kept)
        followup.documents += 1
        followup.requests += len(requests)
        table.update_batch(
            self.store, followup.id, documents=followup.documents, requests=followup.requests
        )
        self.summary.reasked.append(found.label)


def send_followups(store: Store, importer: _Importer) -> list[FollowUp]:
    """Send each follow-up batch an import filled (Batch API), or leave its request file
    written (a batch exported to a file). If one cannot be sent, it is undone (its documents
    back to pending where they came from) and the error raised."""
    sent = []
    for followup in importer.followups.values():
        parent = followup.parent
        if parent["kind"] != "openai":
            table.update_batch(store, followup.id, status="exported")
            sent.append(followup)
            continue
        try:
            client = BatchClient(importer.extractor_for(parent))
            file_id = client.upload("stance-reasks.jsonl", followup.path.read_bytes())
            state = client.create(file_id, {"stance_batch": followup.id, "follows": parent["id"]})
        except StanceError:
            table.discard_followup(store, followup.id)
            raise
        finally:
            followup.path.unlink(missing_ok=True)
        table.adopt_server_id(
            store,
            followup.id,
            state.id,
            status=state.status,
            input_file_id=state.input_file_id,
            request_file=None,
        )
        followup.id, followup.state = state.id, state
        sent.append(followup)
    return sent


def import_results(
    store: Store,
    lines: Iterable[str],
    *,
    label: str = "results",
    batch_id: str | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
    summary: ImportSummary | None = None,
    judge: Judge | None = None,
    reasks: Reasks = "batch",
    reask_file: Callable[[dict[str, Any]], Path] | None = None,
    base_url: str | None = None,
) -> ImportSummary:
    """Store the answers of result lines (see the module's docstring). `judge` decides
    doubtful event matches in the resolution pass, as in `ingest` (rules when None).

    Answers that fail the checks, with re-asks left, are re-asked as `reasks` says: in a
    follow-up batch ("batch": its request file at `reask_file(batch)`, sent through the Batch
    API when the batch was; see `ImportSummary.followups`; without `reask_file`, as "none"),
    live through the server at `base_url` ("live"), or not ("none": the failing claims stored
    as rejected)."""
    return import_files(
        store,
        [(label, lines)],
        batch_id=batch_id,
        on_result=on_result,
        summary=summary,
        judge=judge,
        reasks=reasks,
        reask_file=reask_file,
        base_url=base_url,
    )


def import_files(
    store: Store,
    files: Iterable[tuple[str, Iterable[str]]],
    *,
    batch_id: str | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
    summary: ImportSummary | None = None,
    judge: Judge | None = None,
    reasks: Reasks = "batch",
    reask_file: Callable[[dict[str, Any]], Path] | None = None,
    base_url: str | None = None,
) -> ImportSummary:
    """`import_results` over several (label, lines) files at once (a batch's output and error
    files): a document whose chunks are answered in both is read whole."""
    summary = summary or ImportSummary()
    if reasks == "batch" and reask_file is None:
        reasks = "none"
    for unsent in table.unsent_followups(store, batch_id):
        table.discard_followup(store, unsent)  # left by a crash: its documents are re-read
    importer = _Importer(
        store,
        batch_id,
        summary,
        on_result,
        judge,
        reasks=reasks,
        base_url=base_url,
        reask_file=reask_file,
    )
    try:
        for name, numbered in files:
            for number, line in enumerate(numbered, start=1):
                if not line.strip():
                    continue
                try:
                    answer = parse_result_line(line)
                except ValueError as error:
                    summary.malformed.append(f"{name}:{number}: {error}")
                    continue
                importer.take(answer)
    finally:
        importer.finish()
    summary.followups.extend(send_followups(store, importer))
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
    table.adopt_server_id(
        store,
        local_id,
        state.id,
        kind="openai",
        status=state.status,
        input_file_id=state.input_file_id,
        request_file=None,
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
    return _record_state(store, row["id"], BatchClient(extractor).retrieve(row["id"]))


def _record_state(store: Store, batch_id: str, state: BatchState) -> dict[str, Any]:
    """Record what the server says of a batch; its row, with the server's request counts."""
    table.update_batch(
        store,
        batch_id,
        status=state.status,
        output_file_id=state.output_file_id,
        error_file_id=state.error_file_id,
        error=state.errors,
    )
    found = table.batch(store, batch_id)
    assert found is not None
    return found | {"total": state.total, "completed": state.completed, "failed": state.failed}


def cancel_batch(store: Store, extractor: LLMExtractor, batch_id: str | None) -> dict[str, Any]:
    """Ask the server to cancel a batch (the latest uncollected one without an id) and record
    what it says (`cancelling`, then `cancelled`). What it answered before it stopped can
    still be collected; the documents it did not answer stay pending, to send again."""
    row = _batch_or_latest(store, batch_id)
    if row["kind"] != "openai":
        raise UsageError(
            f"batch {row['id']} was exported to a file, not sent: there is nothing to cancel "
            "on a server (stop the batch engine that runs it)"
        )
    if row["status"] in FINAL_STATES or row["status"] == "collected":
        raise UsageError(
            f"batch {row['id']} is already {row['status']}: nothing to cancel"
            + ("" if row["status"] == "collected" else f"; `stance batch collect {row['id']}`")
        )
    return _record_state(store, row["id"], BatchClient(extractor).cancel(row["id"]))


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
    reasks: Reasks = "batch",
) -> CollectSummary:
    """When the batch is over: download its output and error files and store the answers.

    Answers that fail the checks are re-asked as the live path re-asks them (same limit, same
    corrections): in a follow-up batch sent at once (`reasks="batch"`, see
    `CollectSummary.imported.followups`; collecting it stores the fixed claims with the good
    ones of the first answers), live ("live"), or not ("none").

    Safe to run again (after a crash too): stored documents are not stored twice. An expired,
    failed or cancelled batch stores what it answered; the rest stays pending, to send again.
    """
    row = refresh_batch(store, extractor, batch_id)
    if row["status"] not in ("completed", "expired", "failed", "cancelled", "collected"):
        return CollectSummary(row, None, table.documents_by_status(store, row["id"]))
    imported = ImportSummary()
    client = BatchClient(extractor)
    with tempfile.TemporaryDirectory(prefix="stance-reasks-") as scratch:
        import_files(
            store,
            [
                (f"{row['id']} {kind.split('_')[0]} file", client.lines(row[kind]))
                for kind in ("output_file_id", "error_file_id")
                if row.get(kind)
            ],
            batch_id=row["id"],
            on_result=on_result,
            summary=imported,
            judge=judge,
            reasks=reasks,
            reask_file=lambda _: Path(scratch) / "reasks.jsonl",
            base_url=str(extractor.client.base_url),
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
