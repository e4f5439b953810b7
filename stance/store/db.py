"""The SQLite store: tables of DESIGN.md, created and upgraded by migrations.

One transaction per document: a document, its run and its claims are stored whole or not at
all. A failed run is recorded (status `failed`, error) and retried by the next ingest.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from stance.core.clock import now
from stance.core.errors import StoreError
from stance.core.models import Claim, Document, Extraction, StoredClaim, StoredTarget, Target
from stance.resolve.entities import matching_entity_ids, resolve_entity

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


_INSERT_CLAIM = (
    "insert into claims (document_id, run_id, speaker_id, speaker, speaker_mention, cue, quote, "
    'content, start, "end", attribution, claim_type, grounding, reason) '
    "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_TARGET = (
    "insert or ignore into claim_targets (claim_id, entity_id, name, stance, date) "
    "values (?, ?, ?, ?, ?)"
)


@dataclass(frozen=True)
class SavedRun:
    run_id: int
    claims: int
    rejected: int


@dataclass(frozen=True)
class ClaimFilter:
    speaker: str | None = None
    about: str | None = None
    source: str | None = None
    document: str | None = None
    since: str | None = None
    until: str | None = None
    include_rejected: bool = False


class Store:
    """A stance database. `Store(path)` opens (and migrates) it; `Store(":memory:")` for tests."""

    def __init__(self, path: str | Path = "stance.db") -> None:
        self.path = str(path)
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
            self.db = Database(conn)
            self.db.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
            self.db.execute("pragma foreign_keys = on")
            if self.path != ":memory:":
                self.db.enable_wal()
            if migrations.pending(self.db):
                # Under the write lock: two processes opening a new database at once must
                # not both create its tables.
                with self.write_transaction():
                    migrations.apply(self.db)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise StoreError(
                f"{self.path}: cannot open as a stance database ({exc}); give another --db path"
            ) from exc

    def close(self) -> None:
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
        rows = self.db.query(
            "select * from runs where document_id = ? and backend = ? and model is ? "
            "and prompt_sha is ? and schema_sha = ? and status = 'ok' order by id desc limit 1",
            [document_id, backend, model, prompt_sha, schema_sha],
        )
        return next(iter(rows), None)

    def _upsert_document(self, document: Document) -> None:
        existing = self.db.table("documents").count_where("id = ?", [document.id])
        row = document.model_dump()
        if existing:
            # A later ingest may add metadata; it never erases what is known.
            updates = {k: v for k, v in row.items() if v is not None and k not in ("id", "text")}
            if updates:
                self.db.table("documents").update(document.id, updates)
        else:
            self.db.table("documents").insert({**row, "ingested_at": now()})

    @contextmanager
    def write_transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE: take the write lock up front, so that two processes writing one
        database wait for each other (busy timeout) instead of failing on lock upgrade."""
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
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def save_run(
        self,
        document: Document,
        extraction: Extraction,
        *,
        started_at: str,
        replace_cached: bool = True,
    ) -> SavedRun | None:
        """Store a document, a successful run and its claims in one transaction.

        With `replace_cached=False`, a run of the same configuration stored meanwhile by
        another process wins, and nothing is written (returns None).
        """
        with self.write_transaction():
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
            rejected = 0
            for claim in extraction.claims:
                grounded = claim.grounding != "rejected"
                rejected += not grounded
                speaker_id = resolve_entity(self.db, claim.speaker, "person") if grounded else None
                # Plain INSERTs: sqlite-utils' insert() looks the table up again on every
                # call, which made the writer the bottleneck of a concurrent ingest.
                claim_id = self.db.conn.execute(
                    _INSERT_CLAIM,
                    [
                        document.id,
                        run_id,
                        speaker_id,
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
                    ],
                ).lastrowid
                for target in claim.targets:
                    entity_id = resolve_entity(self.db, target.name, target.kind)
                    # OR IGNORE: one stance per claim and entity, the first wins.
                    self.db.conn.execute(
                        _INSERT_TARGET,
                        [
                            claim_id,
                            entity_id,
                            target.name,
                            target.stance,
                            target.date.isoformat() if target.date else None,
                        ],
                    )
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
    ) -> int:
        """Store the document and a failed run, so that the next ingest retries it."""
        with self.write_transaction():
            self._upsert_document(document)
            return self._insert_run(
                document.id,
                backend=backend,
                model=model,
                prompt_sha=prompt_sha,
                schema_sha=schema_sha,
                status="failed",
                error=error,
                started_at=started_at,
                input_tokens=None,
                output_tokens=None,
                requests=None,
            )

    def _insert_run(self, document_id: str, **fields: Any) -> int:
        row = {"document_id": document_id, **fields, "finished_at": now()}
        return int(self.db.table("runs").insert(row).last_pk or 0)

    # --- reading ---------------------------------------------------------------------------

    def claims(self, where: ClaimFilter | None = None) -> list[StoredClaim]:
        """Claims of each document's current run, filtered; rejected ones only when asked."""
        where = where or ClaimFilter()
        clauses = ["c.run_id in (select run_id from current_runs)"]
        params: list[Any] = []
        if not where.include_rejected:
            clauses.append("c.grounding != 'rejected'")
        if where.speaker:
            ids = matching_entity_ids(self.db, where.speaker)
            clauses.append(f"c.speaker_id in ({_marks(ids)})")
            params += ids
        if where.about:
            ids = matching_entity_ids(self.db, where.about)
            clauses.append(
                f"c.id in (select claim_id from claim_targets where entity_id in ({_marks(ids)}))"
            )
            params += ids
        if where.source:
            clauses.append("lower(d.source) like lower(?)")
            params.append(f"%{where.source}%")
        if where.document:
            clauses.append("c.document_id like ?")
            params.append(f"{where.document}%")
        if where.since:
            clauses.append("d.published >= ?")
            params.append(where.since)
        if where.until:
            clauses.append("d.published <= ?")
            params.append(where.until + "\uffff")  # a date includes that whole day
        return self._claims_where(" and ".join(clauses), params)

    def claims_by_id(self, ids: list[int]) -> list[StoredClaim]:
        return self._claims_where(f"c.id in ({_marks(ids)})", list(ids))

    def _claims_where(self, where_sql: str, params: list[Any]) -> list[StoredClaim]:
        sql = f"""
            select c.*, coalesce(s.name, c.speaker) as speaker_name, d.source, d.url,
                   d.published, r.backend, r.model
            from claims c
            join documents d on d.id = c.document_id
            join runs r on r.id = c.run_id
            left join entities s on s.id = c.speaker_id
            where {where_sql}
            order by d.published is null, d.published, c.document_id, c.start is null, c.start, c.id
        """
        rows = list(self.db.query(sql, params))
        targets = self._targets_for([r["id"] for r in rows])
        return [
            StoredClaim(
                id=r["id"],
                document_id=r["document_id"],
                source=r["source"],
                url=r["url"],
                published=r["published"],
                speaker=r["speaker_name"],
                speaker_mention=r["speaker_mention"],
                cue=r["cue"],
                quote=r["quote"],
                content=r["content"],
                start=r["start"],
                end=r["end"],
                attribution=r["attribution"],
                claim_type=r["claim_type"],
                grounding=r["grounding"],
                targets=targets.get(r["id"], []),
                run_id=r["run_id"],
                backend=r["backend"],
                model=r["model"],
            )
            for r in rows
        ]

    def _targets_for(self, claim_ids: list[int]) -> dict[int, list[StoredTarget]]:
        found: dict[int, list[StoredTarget]] = {}
        for chunk in _chunks(claim_ids, 500):
            sql = (
                "select t.claim_id, e.name, e.kind, t.stance from claim_targets t "
                f"join entities e on e.id = t.entity_id where t.claim_id in ({_marks(chunk)}) "
                "order by t.claim_id, t.rowid"
            )
            for row in self.db.query(sql, chunk):
                found.setdefault(row["claim_id"], []).append(
                    StoredTarget(name=row["name"], kind=row["kind"], stance=row["stance"])
                )
        return found

    def documents(self) -> list[dict[str, Any]]:
        sql = """
            select d.id, d.source, d.url, d.title, d.published, d.ingested_at,
                   length(d.text) as chars,
                   (select count(*) from claims c where c.document_id = d.id
                      and c.run_id in (select run_id from current_runs)
                      and c.grounding != 'rejected') as claims,
                   (select status from runs r where r.document_id = d.id
                      order by r.id desc limit 1) as last_run
            from documents d order by d.published is null, d.published, d.ingested_at
        """
        return list(self.db.query(sql))

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
        sql = """
            select r.id, r.document_id, r.backend, r.model, r.prompt_sha, r.schema_sha,
                   r.status, r.error, r.started_at, r.finished_at, r.input_tokens,
                   r.output_tokens, r.requests, r.notes,
                   (select count(*) from claims c where c.run_id = r.id) as claims
            from runs r order by r.id
        """
        return list(self.db.query(sql))

    def entities(self) -> list[dict[str, Any]]:
        # Counted once per table with GROUP BY, then joined: correlated subqueries per
        # entity took a minute on a database of a million claims.
        sql = """
            with live as (
                select c.id, c.speaker_id from claims c
                join current_runs r on r.run_id = c.run_id
                where c.grounding != 'rejected'
            ),
            made as (select speaker_id as entity_id, count(*) as n from live group by speaker_id),
            about as (
                select t.entity_id, count(*) as n from claim_targets t
                join live on live.id = t.claim_id group by t.entity_id
            ),
            names as (
                select entity_id, group_concat(alias, ' | ') as aliases from aliases
                group by entity_id
            )
            select e.id, e.name, e.kind, names.aliases,
                   coalesce(made.n, 0) as claims_made, coalesce(about.n, 0) as claims_about
            from entities e
            left join names on names.entity_id = e.id
            left join made on made.entity_id = e.id
            left join about on about.entity_id = e.id
            order by e.name
        """
        return list(self.db.query(sql))

    def run_claims(self, run_id: int) -> list[Claim]:
        """A run's claims as the extractor gave them: target names as extracted, not as
        resolved to entities (what `stance eval` scores), rejected ones included."""
        rows = list(self.db.query("select * from claims where run_id = ? order by id", [run_id]))
        targets: dict[int, list[Target]] = {}
        sql = (
            "select t.claim_id, t.name, e.kind, t.stance, t.date from claim_targets t "
            "join entities e on e.id = t.entity_id join claims c on c.id = t.claim_id "
            "where c.run_id = ? order by t.rowid"
        )
        for row in self.db.query(sql, [run_id]):
            targets.setdefault(row["claim_id"], []).append(
                Target(name=row["name"], kind=row["kind"], stance=row["stance"], date=row["date"])
            )
        fields = set(Claim.model_fields) - {"targets"}
        return [Claim(**{k: r[k] for k in fields}, targets=targets.get(r["id"], [])) for r in rows]

    def save_eval(self, row: dict[str, Any]) -> int:
        with self.write_transaction():
            return int(self.db.table("evals").insert({"created_at": now(), **row}).last_pk or 0)

    def evals(self, gold_sha: str | None = None) -> list[dict[str, Any]]:
        if gold_sha is None:
            return list(self.db.query("select * from evals order by id"))
        return list(self.db.query("select * from evals where gold_sha = ? order by id", [gold_sha]))

    def integrity_problems(self) -> Iterator[str]:
        """Claims that break DESIGN.md's invariant: text[start:end] must be the quote."""
        sql = """
            select c.id, c.quote, substr(d.text, c.start + 1, c.end - c.start) as evidence
            from claims c join documents d on d.id = c.document_id
            where c.grounding != 'rejected'
        """
        for row in self.db.query(sql):
            if row["evidence"] != row["quote"]:
                yield f"claim {row['id']}: stored quote differs from the text at its offsets"


def _marks(values: list[Any]) -> str:
    return ", ".join("?" for _ in values) or "null"


def _chunks(values: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]
