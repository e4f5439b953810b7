"""The `batches` and `batch_documents` tables: what was sent in a batch, and what came back.

A batch row keeps the run key its requests were made with (model, mode, prompt and schema
hashes, chunk size); a batch_documents row keeps a document's text and metadata until its
answers are stored (`status`: pending, stored, cached, failed, or reasked when its failing
answers went on to a follow-up batch).

A follow-up batch (`parent_id`: the batch it follows; `attempt`: 2 for the first re-ask)
carries the re-asks of the chunks whose answers failed; each of its documents keeps the
answers of the earlier attempts (`answers`, JSON: one list of chat completions per chunk).
A follow-up is `preparing` until it is sent (or written): one left so by a crash is
discarded, and its documents go back to pending in the batch it follows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from stance.core.clock import now
from stance.core.models import Document
from stance.store.db import Store

PENDING = "pending"
REASKED = "reasked"
PREPARING = "preparing"  # a follow-up batch being filled, not sent yet
INSERT_BATCH_SIZE = 500  # document rows per transaction while a batch is recorded


@dataclass(frozen=True)
class PendingDocument:
    """A document sent in a batch, as recorded."""

    batch_id: str
    label: str
    document: Document
    chunks: int  # requests for it in this batch
    status: str
    run_id: int | None
    answers: str | None = None  # earlier attempts' answers (JSON), in a follow-up batch


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
                  where d.batch_id = b.id and d.status = 'failed') as failed,
               (select count(*) from batch_documents d
                  where d.batch_id = b.id and d.status = 'reasked') as reasked
        from batches b {where} order by b.created_at desc, b.rowid desc
    """
    where = "where b.kind = ?" if kind else ""
    return list(store.db.query(sql.format(where=where), [kind] if kind else []))


def pending_document(
    store: Store, document_id: str, batch_id: str | None = None, attempt: int = 1
) -> PendingDocument | None:
    """A document as a batch sent it: in `batch_id`, else in the latest batch of that attempt
    (1: first requests; 2 and on: re-asks) that has it."""
    if batch_id is not None:
        sql = "select * from batch_documents where batch_id = ? and document_id = ?"
        params: list[Any] = [batch_id, document_id]
    else:
        sql = (
            "select d.* from batch_documents d join batches b on b.id = d.batch_id "
            "where d.document_id = ? and coalesce(b.attempt, 1) = ? "
            "order by b.created_at desc, b.rowid desc limit 1"
        )
        params = [document_id, attempt]
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
        row["batch_id"],
        row["label"],
        document,
        row["chunks"],
        row["status"],
        row["run_id"],
        row.get("answers"),
    )


def add_reasked(
    store: Store, batch_id: str, found: PendingDocument, chunks: int, answers: str
) -> None:
    """Move a document on to follow-up batch `batch_id` (`chunks` re-asks, the answers so far),
    and mark it reasked in the batch it came from, in one transaction."""
    doc = found.document
    with store.write_transaction():
        store.db.table("batch_documents").insert(
            {
                "batch_id": batch_id,
                "document_id": doc.id,
                "label": found.label,
                "source": doc.source,
                "url": doc.url,
                "title": doc.title,
                "published": doc.published,
                "text": doc.text,
                "chunks": chunks,
                "status": PENDING,
                "run_id": None,
                "error": None,
                "answers": answers,
            },
            replace=True,
        )
        store.db.execute(
            "update batch_documents set status = ?, error = null "
            "where batch_id = ? and document_id = ?",
            [REASKED, found.batch_id, doc.id],
        )


def discard_followup(store: Store, batch_id: str) -> None:
    """Undo a follow-up batch that was not sent: its documents back to pending in the batch
    it follows, its rows gone (one transaction)."""
    found = batch(store, batch_id)
    if found is None:
        return
    with store.write_transaction():
        store.db.execute(
            "update batch_documents set status = ?, error = null "
            "where batch_id = ? and document_id in "
            "(select document_id from batch_documents where batch_id = ?)",
            [PENDING, found["parent_id"], batch_id],
        )
        store.db.execute("delete from batch_documents where batch_id = ?", [batch_id])
        store.db.execute("delete from batches where id = ?", [batch_id])


def unsent_followups(store: Store, parent_id: str | None = None) -> list[str]:
    """Follow-up batches left preparing (by a crash), of `parent_id` or of any batch."""
    sql = "select id from batches where status = ? and parent_id is not null"
    params: list[Any] = [PREPARING]
    if parent_id is not None:
        sql += " and parent_id = ?"
        params.append(parent_id)
    return [row["id"] for row in store.db.query(sql, params)]


def adopt_server_id(store: Store, local_id: str, server_id: str, **fields: Any) -> None:
    """Give a batch recorded under a local id the server's id, documents and all, in one
    transaction (with `fields` updated)."""
    with store.write_transaction():
        store.db.execute("pragma defer_foreign_keys = on")  # until both tables agree
        sets = ", ".join(f"{name} = ?" for name in fields)
        store.db.execute(
            f"update batches set id = ?, {sets}, updated_at = ? where id = ?",
            [server_id, *fields.values(), now(), local_id],
        )
        store.db.execute(
            "update batch_documents set batch_id = ? where batch_id = ?", [server_id, local_id]
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
