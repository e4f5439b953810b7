"""The `batches` and `batch_documents` tables: what was sent in a batch, and what came back.

A batch row keeps the run key its requests were made with (model, mode, prompt and schema
hashes, chunk size); a batch_documents row keeps a document's text and metadata until its
answers are stored (`status`: pending, stored, cached or failed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from stance.core.clock import now
from stance.core.models import Document
from stance.store.db import Store

PENDING = "pending"
INSERT_BATCH_SIZE = 500  # document rows per transaction while a batch is recorded


@dataclass(frozen=True)
class PendingDocument:
    """A document sent in a batch, as recorded."""

    batch_id: str
    label: str
    document: Document
    chunks: int
    status: str
    run_id: int | None


def record_batch(store: Store, row: dict[str, Any]) -> None:
    """Insert or replace a batch row (created_at/updated_at filled in)."""
    stamp = now()
    with store.write_transaction():
        store.db.table("batches").insert(
            {"created_at": stamp, "updated_at": stamp, **row}, pk="id", replace=True
        )


def update_batch(store: Store, batch_id: str, **fields: Any) -> None:
    with store.write_transaction():
        store.db.table("batches").update(batch_id, {**fields, "updated_at": now()})


def add_documents(store: Store, batch_id: str, items: Iterable[tuple[str, Document, int]]) -> None:
    """Record (label, document, chunks) as pending in a batch, some hundreds a transaction."""
    rows: list[dict[str, Any]] = []

    def flush() -> None:
        with store.write_transaction():
            store.db.table("batch_documents").insert_all(rows, replace=True)
        rows.clear()

    for label, document, chunks in items:
        rows.append(
            {
                "batch_id": batch_id,
                "document_id": document.id,
                "label": label,
                "source": document.source,
                "url": document.url,
                "title": document.title,
                "published": document.published,
                "text": document.text,
                "chunks": chunks,
                "status": PENDING,
                "run_id": None,
                "error": None,
            }
        )
        if len(rows) >= INSERT_BATCH_SIZE:
            flush()
    if rows:
        flush()


def batch(store: Store, batch_id: str) -> dict[str, Any] | None:
    rows = store.db.query("select * from batches where id = ?", [batch_id])
    return next(iter(rows), None)


def batches(store: Store, kind: str | None = None) -> list[dict[str, Any]]:
    """Every batch, newest first, with its documents counted by status."""
    sql = """
        select b.*,
               (select count(*) from batch_documents d
                  where d.batch_id = b.id and d.status = 'pending') as pending,
               (select count(*) from batch_documents d
                  where d.batch_id = b.id and d.status in ('stored', 'cached')) as stored,
               (select count(*) from batch_documents d
                  where d.batch_id = b.id and d.status = 'failed') as failed
        from batches b {where} order by b.created_at desc, b.rowid desc
    """
    where = "where b.kind = ?" if kind else ""
    return list(store.db.query(sql.format(where=where), [kind] if kind else []))


def pending_document(
    store: Store, document_id: str, batch_id: str | None = None
) -> PendingDocument | None:
    """A document as a batch sent it: in `batch_id`, else in the latest batch that has it."""
    if batch_id is not None:
        sql = "select * from batch_documents where batch_id = ? and document_id = ?"
        params: list[Any] = [batch_id, document_id]
    else:
        sql = (
            "select d.* from batch_documents d join batches b on b.id = d.batch_id "
            "where d.document_id = ? order by b.created_at desc, b.rowid desc limit 1"
        )
        params = [document_id]
    row = next(iter(store.db.query(sql, params)), None)
    if row is None:
        return None
    document = Document(
        id=row["document_id"],
        text=row["text"],
        source=row["source"],
        url=row["url"],
        title=row["title"],
        published=row["published"],
    )
    return PendingDocument(
        row["batch_id"], row["label"], document, row["chunks"], row["status"], row["run_id"]
    )


def mark_document(
    store: Store,
    batch_id: str,
    document_id: str,
    status: str,
    *,
    run_id: int | None = None,
    error: str | None = None,
) -> None:
    with store.write_transaction():
        store.db.execute(
            "update batch_documents set status = ?, run_id = ?, error = ? "
            "where batch_id = ? and document_id = ?",
            [status, run_id, error, batch_id, document_id],
        )


def documents_by_status(store: Store, batch_id: str) -> dict[str, int]:
    sql = "select status, count(*) as n from batch_documents where batch_id = ? group by status"
    return {row["status"]: row["n"] for row in store.db.query(sql, [batch_id])}


def pending_labels(store: Store, batch_id: str, limit: int = 5) -> list[str]:
    sql = (
        "select label from batch_documents where batch_id = ? and status = 'pending' "
        "order by rowid limit ?"
    )
    return [row["label"] for row in store.db.query(sql, [batch_id, limit])]
