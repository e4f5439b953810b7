"""The SQLite store: its tables, created and upgraded by migrations.

One transaction per document: a document, its run and its claims are stored whole or not at
all. A failed run is recorded (status `failed`, error) and retried by the next ingest.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from stance.core.clock import now
from stance.core.errors import StoreError
from stance.core.models import Claim, Document, Extraction, ModelCall, StoredClaim
from stance.core.name_variants import name_key_row
from stance.store import queries
from stance.store.documents import record_appearance
from stance.store.queries import ClaimFilter

__all__ = ["ClaimFilter", "SavedRun", "Store", "migrations"]

BUSY_TIMEOUT_MS = 30_000

migrations = Migrations("stance")


@migrations()
def m001_initial(db: Database) -> None:
    db.table("documents").create(
        {
            "id": str,
            "source": str,
            "url": str,
            "title": str,
            "published": str,
            "ingested_at": str,
            "text": str,
        },
        pk="id",
    )
    db.table("runs").create(
        {
            "id": int,
            "document_id": str,
            "backend": str,
            "model": str,
            "prompt_sha": str,
            "schema_sha": str,
            "status": str,
            "error": str,
            "started_at": str,
            "finished_at": str,
            "input_tokens": int,
            "output_tokens": int,
            "requests": int,
        },
        pk="id",
        foreign_keys=[("document_id", "documents", "id")],
    )
    db.table("entities").create({"id": int, "name": str, "kind": str}, pk="id")
    db.table("aliases").create(
        {"entity_id": int, "alias": str, "key": str},
        pk=("entity_id", "alias"),
        foreign_keys=[("entity_id", "entities", "id")],
    )
    db.table("claims").create(
        {
            "id": int,
            "document_id": str,
            "run_id": int,
            "speaker_id": int,
            "speaker": str,
            "speaker_mention": str,
            "cue": str,
            "quote": str,
            "content": str,
            "start": int,
            "end": int,
            "attribution": str,
            "claim_type": str,
            "grounding": str,
            "reason": str,
        },
        pk="id",
        foreign_keys=[
            ("document_id", "documents", "id"),
            ("run_id", "runs", "id"),
            ("speaker_id", "entities", "id"),
        ],
    )
    db.table("claim_targets").create(
        {"claim_id": int, "entity_id": int, "name": str, "stance": str, "date": str},
        pk=("claim_id", "entity_id"),
        foreign_keys=[("claim_id", "claims", "id"), ("entity_id", "entities", "id")],
    )
    db.table("aliases").create_index(["key"])
    db.table("runs").create_index(["document_id", "status"])
    db.table("claims").create_index(["run_id"])
    db.table("claims").create_index(["speaker_id"])
    db.table("claims").create_index(["document_id"])
    db.table("claim_targets").create_index(["entity_id"])
    # The claims that queries show: those of each document's latest successful run.
    db.execute(
        "create view current_runs as select document_id, max(id) as run_id "
        "from runs where status = 'ok' group by document_id"
    )


@migrations()
def m002_entity_resolution(db: Database) -> None:
    # Full personal names by surname: a surname alone joins the one full name that has it.
    db.table("person_names").create(
        {"entity_id": int, "surname": str}, foreign_keys=[("entity_id", "entities", "id")]
    )
    db.table("person_names").create_index(["surname"])
    db.table("person_names").create_index(["entity_id"])
    # `stance merge` / `stance split`, kept so that later ingests respect them.
    db.table("entity_overrides").create(
        {
            "id": int,
            "action": str,
            "alias_key": str,
            "entity_id": int,
            "other_id": int,
            "created_at": str,
        },
        pk="id",
    )
    db.table("entity_overrides").create_index(["alias_key", "action"])
    db.table("documents").create_index(["published"])
    db.table("claim_targets").create_index(["claim_id"])


@migrations()
def m003_events(db: Database) -> None:
    # What is known of each event (entities of kind event), and mentions not yet matched.
    db.table("events").create(
        {
            "entity_id": int,
            "date": str,
            "month_day": str,
            "type": str,
            "type_word": str,
            "participants": str,
            "words": str,
            "year": str,
            "first_published": str,
        },
        pk="entity_id",
        foreign_keys=[("entity_id", "entities", "id")],
    )
    db.table("events").create_index(["date"])
    db.table("events").create_index(["month_day"])
    db.table("event_participants").create(
        {"entity_id": int, "participant": str}, foreign_keys=[("entity_id", "entities", "id")]
    )
    db.table("event_participants").create_index(["participant"])
    db.table("event_participants").create_index(["entity_id"])
    db.table("event_pending").create(
        {"entity_id": int}, pk="entity_id", foreign_keys=[("entity_id", "entities", "id")]
    )
    # Event entities of databases made before events were matched: match them now.
    db.execute("insert into event_pending (entity_id) select id from entities where kind = 'event'")


@migrations()
def m004_llm_cache(db: Database) -> None:
    # Answers of the model to doubtful event matches and claim relations, asked once.
    db.table("llm_cache").create(
        {
            "task": str,
            "model": str,
            "prompt_sha": str,
            "input_sha": str,
            "answer": str,
            "created_at": str,
        },
        pk=("task", "model", "prompt_sha", "input_sha"),
    )


@migrations()
def m010_claim_view(db: Database) -> None:
    # One row per claim and target of the current runs: what Datasette facets on.
    db.execute(
        """
        create view claim_view as
        select c.id, d.published, d.source, coalesce(s.name, c.speaker) as speaker, c.cue,
               c.quote, c.content, e.name as target, t.stance, c.attribution, c.claim_type,
               c.grounding, c.document_id
        from claims c
        join documents d on d.id = c.document_id
        left join claim_targets t on t.claim_id = c.id
        left join entities e on e.id = t.entity_id
        left join entities s on s.id = c.speaker_id
        where c.run_id in (select run_id from current_runs) and c.grounding != 'rejected'
        """
    )


@migrations()
def m011_evals(db: Database) -> None:
    # Every `stance eval --db` run, so that models and prompt versions can be compared.
    db.table("evals").create(
        {
            "id": int,
            "created_at": str,
            "gold": str,
            "gold_sha": str,
            "backend": str,
            "model": str,
            "prompt_sha": str,
            "schema_sha": str,
            "documents": int,
            "span_f1": float,
            "attribution_precision": float,
            "attribution_recall": float,
            "attribution_f1": float,
            "target_recall": float,
            "stance_accuracy": float,
            "stance_macro_f1": float,
            "report": str,
        },
        pk="id",
    )


@migrations()
def m050_run_notes(db: Database) -> None:
    # What bounding cut from a model's answers (claims over the limit, clipped fields): an ok
    # run says so instead of storing the answer blindly.
    db.table("runs").add_column("notes", str)


@migrations()
def m100_resolution_pass(db: Database) -> None:
    # Claims are stored as extracted; the resolution pass (`stance.resolve.linker`) fills in
    # speaker_id and each target's entity_id afterwards, in a transaction of its own.
    db.execute("drop view if exists claim_view")
    db.execute(
        """
        create table claim_targets_new (
            claim_id integer not null references claims(id),
            entity_id integer references entities(id),
            name text, kind text, stance text, date text
        )
        """
    )
    db.execute(
        "insert into claim_targets_new (claim_id, entity_id, name, kind, stance, date) "
        "select t.claim_id, t.entity_id, t.name, e.kind, t.stance, t.date from claim_targets t "
        "left join entities e on e.id = t.entity_id order by t.rowid"
    )
    db.execute("drop table claim_targets")
    db.execute("alter table claim_targets_new rename to claim_targets")
    # One stance per claim and entity (the first wins); unresolved targets (null) are many.
    db.execute(
        "create unique index claim_targets_claim_entity on claim_targets (claim_id, entity_id)"
    )
    db.execute("create index claim_targets_entity on claim_targets (entity_id)")
    db.execute(queries.CLAIM_VIEW_SQL)
    # Runs stored and not yet resolved: the pass takes them from here (a crash in between
    # leaves them for the next ingest or `stance resolve`).
    db.table("unresolved_runs").create({"run_id": int}, pk="run_id")
    # Claim relations a model decided (`stance ingest`/`stance resolve` with a model), per
    # subject, and the subjects whose claims changed since.
    db.table("claim_relations").create(
        {
            "subject_id": int,
            "claim_a": int,
            "claim_b": int,
            "label": str,
            "reason": str,
            "judge": str,
            "created_at": str,
        },
        pk=("subject_id", "claim_a", "claim_b"),
    )
    db.table("relations_pending").create({"entity_id": int}, pk="entity_id")
    # Candidate events are read newest first, at most a few hundred per lookup.
    db.execute(
        "create index event_participants_latest on event_participants (participant, entity_id)"
    )


@migrations()
def m200_claim_confidence(db: Database) -> None:
    # How sure the extractor was of a claim (0-1, null when it does not say), so that queries
    # can hide the unsure ones.
    db.table("claims").add_column("confidence", float)


@migrations()
def m300_model_calls(db: Database) -> None:
    # Each request to a model server and its answer, per run (failed runs included): what the
    # model was asked and said (`stance runs --log RUN`). No API key: it travels in a header.
    db.table("model_calls").create(
        {
            "id": int,
            "run_id": int,
            "chunk": int,
            "attempt": int,
            "request": str,
            "response": str,
            "error": str,
            "input_tokens": int,
            "output_tokens": int,
            "started_at": str,
            "seconds": float,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db.table("model_calls").create_index(["run_id"])


@migrations()
def m400_documents_language_and_appearances(db: Database) -> None:
    # Where a document's date came from, and its language (issue 13); every outlet that
    # carried a text (DESIGN's `appearances`): existing documents become their first one.
    db.table("documents").add_column("published_from", str)
    db.table("documents").add_column("language", str)
    db.table("appearances").create(
        {
            "id": int,
            "document_id": str,
            "source": str,
            "url": str,
            "title": str,
            "published": str,
            "published_from": str,
            "ingested_at": str,
        },
        pk="id",
        foreign_keys=[("document_id", "documents", "id")],
    )
    db.table("appearances").create_index(["document_id"])
    db.table("appearances").create_index(["source"])
    db.execute(
        "insert into appearances (document_id, source, url, title, published, ingested_at) "
        "select id, source, url, title, published, ingested_at from documents order by rowid"
    )


@migrations()
def m500_name_variants(db: Database) -> None:
    # Names of persons and bodies by spelling-insensitive keys (`stance.resolve.variants`),
    # and every automatic fold of one spelling into a known entity, with its reason.
    db.table("name_keys").create(
        {
            "entity_id": int,
            "kind": str,
            "first_word": str,
            "first_key": str,
            "last_key": str,
            "org_key": str,
            "words": int,
            "roles": str,
        },
        foreign_keys=[("entity_id", "entities", "id")],
    )
    for column in ("entity_id", "last_key", "org_key", "first_word"):
        db.table("name_keys").create_index([column])
    db.table("name_keys").create_index(["first_key", "last_key"])
    db.table("entity_merges").create(
        {
            "id": int,
            "entity_id": int,
            "alias": str,
            "alias_key": str,
            "rule": str,
            "reason": str,
            "created_at": str,
        },
        pk="id",
    )
    db.table("entity_merges").create_index(["entity_id"])
    # The names of older databases.
    rows = db.execute(
        "select id, kind, name from entities where kind in ('person', 'organization')"
    ).fetchall()
    for entity_id, kind, name in rows:
        row = name_key_row(str(kind), str(name), frozenset())
        if row is not None:
            db.table("name_keys").insert({"entity_id": int(entity_id), **row})


@migrations()
def m501_event_venue(db: Database) -> None:
    # Where an event takes place ("Brussels"), and events looked up by when they were first
    # reported (undated mentions are matched with events reported in the same days).
    db.table("events").add_column("venue", str)
    db.table("events").create_index(["first_published"])


@dataclass(frozen=True)
class Schema:
    """The tables (with their columns) and views that the migrations make."""

    tables: dict[str, frozenset[str]]
    views: dict[str, str]  # name -> CREATE VIEW statement

    @classmethod
    def of(cls, db: Database) -> Schema:
        rows = db.execute(
            "select type, name, sql from sqlite_master where type in ('table', 'view') "
            "and name not like 'sqlite_%' and name not like '\\_%' escape '\\'"
        ).fetchall()
        tables = {
            name: frozenset(c.name for c in db.table(name).columns)
            for kind, name, _ in rows
            if kind == "table"
        }
        return cls(tables, {name: sql for kind, name, sql in rows if kind == "view"})


@cache
def expected_schema() -> Schema:
    """What a database migrated to the latest version holds: a new one made in memory."""
    fresh = Database(memory=True)
    migrations.apply(fresh)
    schema = Schema.of(fresh)
    fresh.close()
    return schema


def schema_damage(db: Database, *, views: bool = False) -> str | None:
    """What a migrated database lacks of the expected tables and columns (and views, when
    asked: a writable store makes them again), or None."""
    expected, found = expected_schema(), Schema.of(db)
    missing = sorted(set(expected.tables) - set(found.tables))
    if missing:
        if len(missing) == 1:
            return f"the table {missing[0]} is missing"
        return f"the tables {', '.join(missing)} are missing"
    for table, columns in sorted(expected.tables.items()):
        lacking = sorted(columns - found.tables[table])
        if lacking:
            plural = "s" * (len(lacking) > 1)
            return f"the table {table} has no column{plural} {', '.join(lacking)}"
    missing_views = sorted(set(expected.views) - set(found.views)) if views else []
    if missing_views:
        return f"the view {missing_views[0]} is missing"
    return None


@migrations()
def m700_batches(db: Database) -> None:
    # Batches of requests sent through the OpenAI Batch API (kind "openai") or written to a
    # file for another batch engine (kind "export"), with the run key they were made for, and
    # each document they carry until its answers are stored (issue 15).
    db.table("batches").create(
        {
            "id": str,
            "kind": str,
            "status": str,
            "created_at": str,
            "updated_at": str,
            "model": str,
            "mode": str,
            "prompt_sha": str,
            "schema_sha": str,
            "chunk_chars": int,
            "documents": int,
            "requests": int,
            "request_file": str,
            "input_file_id": str,
            "output_file_id": str,
            "error_file_id": str,
            "input_tokens": int,
            "output_tokens": int,
            "error": str,
        },
        pk="id",
    )
    db.table("batch_documents").create(
        {
            "batch_id": str,
            "document_id": str,
            "label": str,
            "source": str,
            "url": str,
            "title": str,
            "published": str,
            "text": str,
            "chunks": int,
            "status": str,
            "run_id": int,
            "error": str,
        },
        pk=("batch_id", "document_id"),
        foreign_keys=[("batch_id", "batches", "id")],
    )
    db.table("batch_documents").create_index(["document_id"])
    db.table("batch_documents").create_index(["batch_id", "status"])


@migrations()
def m740_batch_reasks(db: Database) -> None:
    # Re-asks of a batch's failing answers go out as a follow-up batch (issue 15): linked to
    # the batch it follows (parent_id), numbered by the attempt its requests are; each of its
    # documents keeps the answers of the earlier attempts (JSON), merged when it comes back.
    db.table("batches").add_column("parent_id", str)
    db.table("batches").add_column("attempt", int)
    db.table("batch_documents").add_column("answers", str)


_INSERT_CLAIM = (
    "insert into claims (document_id, run_id, speaker_id, speaker, speaker_mention, cue, quote, "
    'content, start, "end", attribution, claim_type, grounding, reason, confidence) '
    "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_TARGET = (
    "insert into claim_targets (claim_id, entity_id, name, kind, stance, date) "
    "values (?, null, ?, ?, ?, ?)"
)


@dataclass(frozen=True)
class SavedRun:
    run_id: int
    claims: int
    rejected: int


class Store:
    """A stance database. `Store(path)` opens (and migrates) it; `Store(":memory:")` for tests.

    `Store(path, read_only=True)` is what query commands use: it never writes, creates no file
    or folder and runs no migration (sqlite `mode=ro`, or `immutable=1` where the folder is
    read-only and SQLite cannot make its shared-memory file). `path` may be a `file:` URI.
    """

    def __init__(self, path: str | Path = "stance.db", *, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        self.closed = False
        try:
            conn = _connect_read_only(self.path) if read_only else self._connect()
            self.db = Database(conn)
            if read_only:
                if not migrations.applied(self.db):
                    raise StoreError(
                        f"{self.path}: not a stance database; give the --db of an ingest"
                    )
                if migrations.pending(self.db):
                    raise StoreError(
                        f"{self.path}: made by an older stance and needs upgrading; run "
                        f"`stance resolve --db {self.path}` (or an ingest) once, then query"
                    )
                damage = schema_damage(self.db, views=True)
            else:
                damage = self._open_for_writing()
        except (sqlite3.DatabaseError, OSError) as exc:
            raise StoreError(
                f"{self.path}: cannot open as a stance database ({exc}); give another --db path"
            ) from exc
        if damage:
            self.db.close()
            raise StoreError(
                f"{self.path}: damaged stance database: {damage}; restore the file from a "
                "backup, or give another --db path to start anew"
            )

    def _open_for_writing(self) -> str | None:
        """Settings, migrations and the schema check of a writable database; its damage."""
        self.db.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
        self.db.execute("pragma foreign_keys = on")
        if self.path != ":memory:":
            self.db.enable_wal()
            # WAL's recommended setting: a crash of the process loses nothing committed; a
            # commit no longer waits for the disk (three times faster ingest of short texts).
            self.db.execute("pragma synchronous = normal")
        if migrations.pending(self.db):
            # Under the write lock: two processes opening a new database at once must
            # not both create its tables.
            with self.write_transaction():
                migrations.apply(self.db)
        return self._check_schema()

    def _check_schema(self) -> str | None:
        """What the database lacks of its tables and columns (a table dropped by hand, a
        file cut short), or None. Views hold no data: a missing one is made again."""
        damage = schema_damage(self.db)
        if damage:
            return damage
        views = set(self.db.view_names())
        missing = {n: sql for n, sql in expected_schema().views.items() if n not in views}
        if missing:
            with self.write_transaction():
                for sql in missing.values():
                    self.db.execute(sql)
        return None

    def _connect(self) -> sqlite3.Connection:
        if self.path.startswith("file:"):
            return sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, uri=True)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        return sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)

    def close(self) -> None:
        """Close the connection; the Store cannot be used afterwards."""
        if self.closed:
            return
        self.closed = True
        if not self.read_only and self.path != ":memory:":
            # Leave the file whole, without -wal and -shm beside it, when this was the last
            # connection: a read-only query then reads it as it is and creates nothing.
            # With other connections open this changes nothing; the last one does it.
            try:
                self.db.execute("pragma wal_checkpoint(truncate)")
                self.db.execute("pragma journal_mode = delete")
            except sqlite3.OperationalError:
                pass
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------------

    def cached_run(
        self,
        document_id: str,
        backend: str,
        model: str | None,
        prompt_sha: str | None,
        schema_sha: str,
    ) -> dict[str, Any] | None:
        """The latest successful run with this exact configuration, if any."""
        return queries.cached_run(self.db, document_id, backend, model, prompt_sha, schema_sha)

    def _upsert_document(self, document: Document) -> None:
        existing = self.db.table("documents").count_where("id = ?", [document.id])
        row = document.model_dump()
        if existing:
            # The document keeps its first appearance's metadata; a later ingest fills in
            # only what is unknown, and adds an appearance of its own.
            known = self.db.table("documents").get(document.id)
            updates = {
                k: v
                for k, v in row.items()
                if v is not None and known.get(k) is None and k not in ("id", "text")
            }
            if updates:
                self.db.table("documents").update(document.id, updates)
        else:
            self.db.table("documents").insert({**row, "ingested_at": now()})
        record_appearance(self.db, document)

    def add_appearance(self, document: Document) -> bool:
        """Record that a stored text appeared under this source/URL too (True if new)."""
        with self.write_transaction():
            if not self.db.table("documents").count_where("id = ?", [document.id]):
                return False
            return record_appearance(self.db, document)

    @contextmanager
    def write_transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE: take the write lock up front, so that two processes writing one
        database wait for each other (busy timeout) instead of failing on lock upgrade."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; nothing can be written")
        conn = self.db.conn
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        try:
            yield
            # Inside the try: a COMMIT that fails (a full disk) must roll back too, or the
            # connection would stay in a transaction that the next write would extend.
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @contextmanager
    def _storing(self) -> Iterator[None]:
        """A write that fails (full disk, I/O error, lock held too long) becomes a StoreError
        naming the database; what the transaction wrote is rolled back."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL" or "full" in str(exc):
                raise StoreError(
                    f"{self.path}: the database or its disk is full; free some space, then "
                    "run the same command again"
                ) from exc
            raise StoreError(f"{self.path}: cannot write ({exc})") from exc

    def save_run(
        self,
        document: Document,
        extraction: Extraction,
        *,
        started_at: str,
        replace_cached: bool = True,
    ) -> SavedRun | None:
        """Store a document, a successful run and its claims in one transaction.

        Claims are stored as extracted: speakers and targets by name, not yet resolved to
        entities. The run is left for the resolution pass (`stance.resolve.linker`), which the
        ingest writer runs next. With `replace_cached=False`, a run of the same configuration
        stored meanwhile by another process wins, and nothing is written (returns None). A
        write that fails (a full disk) raises StoreError and leaves nothing of the document.
        """
        with self._storing(), self.write_transaction():
            if not replace_cached and self.cached_run(
                document.id,
                extraction.backend,
                extraction.model,
                extraction.prompt_sha,
                extraction.schema_sha,
            ):
                return None
            self._upsert_document(document)
            run_id = self._insert_run(
                document.id,
                backend=extraction.backend,
                model=extraction.model,
                prompt_sha=extraction.prompt_sha,
                schema_sha=extraction.schema_sha,
                status="ok",
                error=None,
                started_at=started_at,
                input_tokens=extraction.input_tokens,
                output_tokens=extraction.output_tokens,
                requests=extraction.requests,
                notes=extraction.notes,
            )
            self._insert_calls(run_id, extraction.calls)
            rejected = 0
            execute = self.db.conn.execute
            for claim in extraction.claims:
                rejected += claim.grounding == "rejected"
                # Plain INSERTs: sqlite-utils' insert() looks the table up again on every
                # call, which made the writer the bottleneck of a concurrent ingest.
                claim_id = execute(
                    _INSERT_CLAIM,
                    [
                        document.id,
                        run_id,
                        None,
                        claim.speaker,
                        claim.speaker_mention,
                        claim.cue,
                        claim.quote,
                        claim.content,
                        claim.start,
                        claim.end,
                        claim.attribution,
                        claim.claim_type,
                        claim.grounding,
                        claim.reason,
                        claim.confidence,
                    ],
                ).lastrowid
                for target in claim.targets:
                    execute(
                        _INSERT_TARGET,
                        [
                            claim_id,
                            target.name,
                            target.kind,
                            target.stance,
                            target.date.isoformat() if target.date else None,
                        ],
                    )
            execute("insert into unresolved_runs (run_id) values (?)", [run_id])
        return SavedRun(run_id, len(extraction.claims) - rejected, rejected)

    def save_failure(
        self,
        document: Document,
        *,
        backend: str,
        model: str | None,
        prompt_sha: str | None,
        schema_sha: str,
        error: str,
        started_at: str,
        spent: Extraction | None = None,
    ) -> int:
        """Store the document and a failed run, so that the next ingest retries it.

        `spent` is what the failed extraction cost: its requests, tokens and their log.
        """
        with self._storing(), self.write_transaction():
            self._upsert_document(document)
            run_id = self._insert_run(
                document.id,
                backend=backend,
                model=model,
                prompt_sha=prompt_sha,
                schema_sha=schema_sha,
                status="failed",
                error=error,
                started_at=started_at,
                input_tokens=spent.input_tokens if spent else None,
                output_tokens=spent.output_tokens if spent else None,
                requests=spent.requests if spent else None,
                notes=spent.notes if spent else None,
            )
            if spent is not None:
                self._insert_calls(run_id, spent.calls)
            return run_id

    def _insert_calls(self, run_id: int, calls: list[ModelCall]) -> None:
        self.db.conn.executemany(
            "insert into model_calls (run_id, chunk, attempt, request, response, error, "
            "input_tokens, output_tokens, started_at, seconds) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    run_id,
                    c.chunk,
                    c.attempt,
                    c.request,
                    c.response,
                    c.error,
                    c.input_tokens,
                    c.output_tokens,
                    c.started_at,
                    c.seconds,
                ]
                for c in calls
            ],
        )

    def _insert_run(self, document_id: str, **fields: Any) -> int:
        row = {"document_id": document_id, **fields, "finished_at": now()}
        return int(self.db.table("runs").insert(row).last_pk or 0)

    def save_eval(self, row: dict[str, Any]) -> int:
        with self.write_transaction():
            return int(self.db.table("evals").insert({"created_at": now(), **row}).last_pk or 0)

    # --- reading (the SQL is in stance.store.queries) ----------------------------------------

    def claims(self, where: ClaimFilter | None = None) -> list[StoredClaim]:
        """Claims of each document's current run, filtered; rejected ones only when asked."""
        return queries.claims(self.db, where)

    def claims_by_id(self, ids: list[int]) -> list[StoredClaim]:
        return queries.claims_by_id(self.db, ids)

    def documents(self) -> list[dict[str, Any]]:
        """Every stored document without its text: metadata, length in characters (`chars`),
        claims shown by queries (`claims`) and the status of its latest run (`last_run`)."""
        return queries.documents(self.db)

    def document(self, document_id: str) -> Document | None:
        row = next(
            iter(self.db.query("select * from documents where id like ?", [document_id + "%"])),
            None,
        )
        if row is None:
            return None
        row.pop("ingested_at", None)
        return Document(**row)

    def runs(self) -> list[dict[str, Any]]:
        """Every extraction run, oldest first: backend, model, hashes, status, error, tokens,
        notes, and the number of claims it stored (rejected ones included)."""
        return queries.runs(self.db)

    def entities(self) -> list[dict[str, Any]]:
        """Every entity with its aliases and the claims it makes and is the target of."""
        return queries.entities(self.db)

    def run(self, run_id: int) -> dict[str, Any] | None:
        return next(iter(self.db.query("select * from runs where id = ?", [run_id])), None)

    def run_log(self, run_id: int) -> list[dict[str, Any]]:
        """Each request of a run and its answer, in order (empty for a run without any)."""
        if not self.db.table("model_calls").exists():  # a read-only database made before
            return []
        return list(
            self.db.query("select * from model_calls where run_id = ? order by id", [run_id])
        )

    def run_claims(self, run_id: int) -> list[Claim]:
        """A run's claims as the extractor gave them (what `stance eval` scores)."""
        return queries.run_claims(self.db, run_id)

    def evals(self, gold_sha: str | None = None) -> list[dict[str, Any]]:
        return queries.evals(self.db, gold_sha)

    def integrity_problems(self) -> Iterator[str]:
        """Claims that break the evidence invariant: text[start:end] must be the quote."""
        return queries.integrity_problems(self.db)


def _connect_read_only(path: str) -> sqlite3.Connection:
    """A connection that cannot write: `mode=ro`, else `immutable=1` (read-only folder)."""
    if path == ":memory:":
        raise StoreError(":memory: holds nothing to query; give the --db of an ingest")
    if path.startswith("file:"):
        parts = urlsplit(path)
        params = dict(parse_qsl(parts.query))
        file = parts.path
        base = f"file:{parts.path}"
    else:
        params = {}
        file = path
        base = "file:" + quote(str(Path(path).resolve()))
    if not file or not Path(file).is_file():
        raise StoreError(f"{file or path}: no such database; ingest something first (--db)")
    params["mode"] = "ro"
    conn = sqlite3.connect(f"{base}?{urlencode(params)}", uri=True)
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        # A WAL database in a read-only folder: SQLite cannot create its -shm file. Read the
        # file as it is (what a checkpoint left in it).
        conn.close()
    params["immutable"] = "1"
    conn = sqlite3.connect(f"{base}?{urlencode(params)}", uri=True)
    conn.execute("select count(*) from sqlite_master").fetchone()
    return conn
