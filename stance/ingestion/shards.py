"""Merging shard databases: several machines ingest into their own database, one merges them.

Documents are content-addressed (their id is the sha256 of the text), so the same text from
two shards is one document. Each shard's runs are stored again through the store's own path
(`Store.save_run`, `Store.save_failure`): one transaction per run, claims with their speaker
and target names as extracted (shard entity ids mean nothing in another database), then the
resolution pass (`stance.resolve.linker.resolve_pending`, what `stance resolve` runs) resolves
them in the merged database. Appearances are copied when both databases have the table, and evals
are copied. Merging twice changes nothing: a run is skipped when the target already has a run
of the same document, key (backend, model, prompt and schema hashes), status and start time,
or (an ok run) any ok run of that key, which is what the cache would say; an appearance or an
eval already there is skipped.

Shards are opened read-only: a merge never changes them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.core.errors import InputError
from stance.core.models import Document, Extraction
from stance.resolve.judge import Judge
from stance.resolve.linker import resolve_pending
from stance.store import queries
from stance.store.db import Store

# What one shard's rows are matched on when they are copied as they are.
EVAL_KEY = ("created_at", "gold_sha", "backend", "model", "prompt_sha", "schema_sha")


@dataclass
class ShardCounts:
    path: str
    documents: int = 0  # documents read
    new_documents: int = 0  # documents the target did not have
    runs: int = 0  # runs copied
    skipped_runs: int = 0  # runs the target had already
    claims: int = 0  # claims copied
    appearances: int = 0
    evals: int = 0


@dataclass
class MergeSummary:
    into: str
    shards: list[ShardCounts] = field(default_factory=list)
    documents: int = 0  # documents in the target afterwards
    resolved: int = 0  # runs the resolution pass resolved
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "into": self.into,
            "documents": self.documents,
            "resolved_runs": self.resolved,
            "shards": [s.__dict__ for s in self.shards],
            "notes": self.notes,
        }


def open_shard(path: str) -> sqlite3.Connection:
    """A shard, read-only; an InputError when it is not a stance database."""
    if not Path(path).is_file():
        raise InputError(f"{path}: no such database; check the path")
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    except sqlite3.DatabaseError as error:
        raise InputError(f"{path}: not a SQLite database ({error})") from None
    if not {"documents", "runs", "claims"} <= tables:
        conn.close()
        raise InputError(f"{path}: not a stance database (no documents, runs and claims tables)")
    return conn


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}


class _Merger:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db
        self.target_tables = set(self.db.table_names())

    def has_run(self, run: sqlite3.Row) -> bool:
        if run["status"] == "ok":
            return (
                self.store.cached_run(
                    run["document_id"],
                    run["backend"],
                    run["model"],
                    run["prompt_sha"],
                    run["schema_sha"],
                )
                is not None
            )
        sql = (
            "select 1 from runs where document_id = ? and backend = ? and model is ? and "
            "prompt_sha is ? and schema_sha is ? and status = ? and started_at is ? limit 1"
        )
        params = [
            run["document_id"],
            run["backend"],
            run["model"],
            run["prompt_sha"],
            run["schema_sha"],
            run["status"],
            run["started_at"],
        ]
        return self.db.execute(sql, params).fetchone() is not None

    def copy_run(self, shard: sqlite3.Connection, document: Document, run: sqlite3.Row) -> int:
        """Store one shard run through the store's own path; the claims it stored."""
        if run["status"] != "ok":
            self.store.save_failure(
                document,
                backend=run["backend"],
                model=run["model"],
                prompt_sha=run["prompt_sha"],
                schema_sha=run["schema_sha"],
                error=run["error"] or "",
                started_at=run["started_at"],
            )
            return 0
        keys = run.keys()
        extraction = Extraction(
            claims=queries.shard_run_claims(shard, run["id"]),
            backend=run["backend"],
            model=run["model"],
            prompt_sha=run["prompt_sha"],
            schema_sha=run["schema_sha"],
            input_tokens=run["input_tokens"],
            output_tokens=run["output_tokens"],
            requests=(run["requests"] if "requests" in keys else None) or 0,
            notes=run["notes"] if "notes" in keys else None,
        )
        saved = self.store.save_run(
            document, extraction, started_at=run["started_at"], replace_cached=False
        )
        if saved is None:
            return 0
        # The run keeps when the shard finished it, not when it was merged.
        with self.store.write_transaction():
            self.db.execute(
                "update runs set finished_at = ? where id = ?", [run["finished_at"], saved.run_id]
            )
        return len(extraction.claims)

    def copy_document(self, row: dict[str, Any]) -> bool:
        """A document with no run to bring it (True when the target did not have it)."""
        columns = set(queries.table_columns(self.db.conn, "documents"))
        with self.store.write_transaction():
            cursor = self.db.conn.execute(
                f"insert or ignore into documents ({', '.join(k for k in row if k in columns)}) "
                f"values ({', '.join('?' for k in row if k in columns)})",
                [v for k, v in row.items() if k in columns],
            )
        return cursor.rowcount > 0

    def copy_rows(
        self,
        shard: sqlite3.Connection,
        table: str,
        key: tuple[str, ...] | None,
        rows: Iterator[sqlite3.Row],
    ) -> int:
        """Copy rows (without their id) that the target does not have, matched on `key`
        (every column but the id when None)."""
        columns = [c for c in queries.table_columns(self.db.conn, table) if c != "id"]
        copied = 0
        with self.store.write_transaction():
            for row in rows:
                values = {c: row[c] for c in columns if c in row.keys()}
                match = key or tuple(values)
                where = " and ".join(f'"{c}" is ?' for c in match)
                if self.db.execute(
                    f"select 1 from {table} where {where} limit 1", [values.get(c) for c in match]
                ).fetchone():
                    continue
                self.db.execute(
                    f"insert into {table} ({', '.join(values)}) "
                    f"values ({', '.join('?' for _ in values)})",
                    list(values.values()),
                )
                copied += 1
        return copied


def merge_databases(
    store: Store,
    shards: list[str],
    *,
    on_shard: Callable[[ShardCounts], None] | None = None,
    judge: Judge | None = None,
) -> MergeSummary:
    """Merge shard databases into `store` (see the module's docstring); `judge` decides
    doubtful event matches in the resolution pass (rules when None)."""
    summary = MergeSummary(store.path)
    merger = _Merger(store)
    target = Path(store.path).resolve() if store.path != ":memory:" else None
    for path in shards:
        if target is not None and Path(path).resolve() == target:
            raise InputError(f"{path}: is the database merged into; give it once, with --into")
    connections = [(path, open_shard(path)) for path in shards]
    if "appearances" not in merger.target_tables:
        summary.notes.append(
            "this database has no appearances table: a shared document keeps the metadata of "
            "its first shard only"
        )
    for path, shard in connections:
        counts = ShardCounts(path)
        shard_tables = _tables(shard)
        document_columns = queries.table_columns(shard, "documents")
        for doc_row in shard.execute("select * from documents order by rowid"):
            row = {k: doc_row[k] for k in document_columns}
            counts.documents += 1
            document = Document(
                id=row["id"],
                text=row["text"],
                source=row.get("source"),
                url=row.get("url"),
                title=row.get("title"),
                published=row.get("published"),
            )
            known = store.db.execute(
                "select 1 from documents where id = ?", [document.id]
            ).fetchone()
            counts.new_documents += known is None
            runs = shard.execute(
                "select * from runs where document_id = ? order by id", [document.id]
            ).fetchall()
            for run in runs:
                if merger.has_run(run):
                    counts.skipped_runs += 1
                    continue
                counts.claims += merger.copy_run(shard, document, run)
                counts.runs += 1
            if known is None and not runs:
                merger.copy_document(row)
        if "appearances" in merger.target_tables:
            if "appearances" in shard_tables:
                rows = shard.execute("select * from appearances order by rowid")
            else:  # a shard made before appearances: its documents' own metadata
                rows = shard.execute(
                    "select id as document_id, source, url, title, published, ingested_at "
                    "from documents order by rowid"
                )
            key = ("document_id", "source", "url", "title", "published")
            counts.appearances = merger.copy_rows(shard, "appearances", key, rows)
        if "evals" in shard_tables and "evals" in merger.target_tables:
            rows = shard.execute("select * from evals order by id")
            counts.evals = merger.copy_rows(shard, "evals", EVAL_KEY, rows)
        shard.close()
        summary.shards.append(counts)
        if on_shard:
            on_shard(counts)
    summary.resolved = resolve_pending(store, judge).runs
    summary.documents = store.db.execute("select count(*) from documents").fetchone()[0]
    return summary
