"""The database as Parquet files, for DuckDB, Spark, BigQuery and the like (docs/parquet.md).

`export_parquet(store, folder)` writes documents.parquet, appearances.parquet,
claims.parquet, targets.parquet and entities.parquet, each with a fixed schema (`SCHEMAS`),
streamed from SQLite in record batches so that memory stays flat in the size of the database.
Claims are those of each document's current run, rejected ones included (their `grounding`
says so), as `stance claims --include-rejected` shows them.

pyarrow is an optional extra: `pip install 'stance[parquet]'`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stance.core.errors import StanceError, UsageError
from stance.store import queries
from stance.store.db import Store

ROWS_PER_BATCH = 10_000

# (column, Arrow type name) per file; the types are pyarrow factory names.
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "documents": [
        ("id", "string"),
        ("source", "string"),
        ("url", "string"),
        ("title", "string"),
        ("published", "string"),
        ("ingested_at", "string"),
        ("language", "string"),
        ("text", "string"),
    ],
    "appearances": [
        ("document_id", "string"),
        ("source", "string"),
        ("url", "string"),
        ("title", "string"),
        ("published", "string"),
    ],
    "claims": [
        ("id", "int64"),
        ("document_id", "string"),
        ("run_id", "int64"),
        ("speaker_id", "int64"),
        ("speaker", "string"),
        ("speaker_mention", "string"),
        ("cue", "string"),
        ("quote", "string"),
        ("content", "string"),
        ("start", "int64"),
        ("end", "int64"),
        ("attribution", "string"),
        ("claim_type", "string"),
        ("grounding", "string"),
        ("reason", "string"),
        ("confidence", "double"),
        ("backend", "string"),
        ("model", "string"),
    ],
    "targets": [
        ("claim_id", "int64"),
        ("entity_id", "int64"),
        ("name", "string"),
        ("kind", "string"),
        ("stance", "string"),
        ("date", "string"),
    ],
    "entities": [
        ("id", "int64"),
        ("name", "string"),
        ("kind", "string"),
        ("aliases", "list<string>"),
    ],
}


@dataclass(frozen=True)
class ParquetFile:
    name: str
    path: str
    rows: int


def _arrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise StanceError(
            "writing Parquet needs pyarrow: pip install 'stance[parquet]' (or pip install pyarrow)"
        ) from None
    return pyarrow


def schema(name: str) -> Any:
    """The Arrow schema of one file."""
    pa = _arrow()
    types = {
        "string": pa.string(),
        "int64": pa.int64(),
        "double": pa.float64(),
        "list<string>": pa.list_(pa.string()),
    }
    return pa.schema([(column, types[kind]) for column, kind in COLUMNS[name]])


def _batches(store: Store, sql: str, name: str) -> Iterator[dict[str, list[Any]]]:
    import json

    cursor = store.db.execute(sql)
    columns = [column for column, _ in COLUMNS[name]]
    while rows := cursor.fetchmany(ROWS_PER_BATCH):
        batch = {column: [row[i] for row in rows] for i, column in enumerate(columns)}
        if name == "entities":
            batch["aliases"] = [json.loads(value or "[]") for value in batch["aliases"]]
        yield batch


def export_parquet(store: Store, folder: str | Path) -> list[ParquetFile]:
    """Write the five Parquet files into `folder` (created); each whole or not at all."""
    pa = _arrow()
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{folder}: is a file; give a folder for the Parquet files")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, sql in queries.export_queries(store.db).items():
        path = out / f"{name}.parquet"
        scratch = out / f".{name}.parquet.partial"
        rows = 0
        try:
            with pa.parquet.ParquetWriter(scratch, schema(name), compression="zstd") as writer:
                for batch in _batches(store, sql, name):
                    writer.write_batch(pa.record_batch(batch, schema=schema(name)))
                    rows += len(next(iter(batch.values())))
            os.replace(scratch, path)
        finally:
            if scratch.exists():
                scratch.unlink()
        written.append(ParquetFile(name, str(path), rows))
    return written
