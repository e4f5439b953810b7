"""Documents and their appearances: every outlet that carried a text; deleting documents
(with their claims, runs, targets and appearances) and editing their metadata without
extracting again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from stance.core.clock import now
from stance.core.errors import NotFoundError, UsageError
from stance.core.models import Document

METADATA = ("source", "url", "title", "published")


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").strip().lower() == (b or "").strip().lower()


def record_appearance(db: Database, document: Document) -> bool:
    """Add the document's source/URL as an appearance unless known; True when added.

    An appearance already there with the same source (or URL) gets only what it lacked.
    """
    rows = list(
        db.query("select * from appearances where document_id = ? order by id", [document.id])
    )
    row = {
        "document_id": document.id,
        "source": document.source,
        "url": document.url,
        "title": document.title,
        "published": document.published,
        "published_from": document.published_from,
    }
    if rows and document.source is None and document.url is None:
        return False
    match = next(
        (
            r
            for r in rows
            if (_same(r["source"], document.source) and (r["source"] or not r["url"]))
            or (document.url and r["url"] == document.url)
        ),
        None,
    )
    if match is None:
        # A first appearance with nothing known takes the first one that says who it was.
        match = next((r for r in rows if r["source"] is None and r["url"] is None), None)
    if match is not None:
        updates = {k: v for k, v in row.items() if v is not None and match.get(k) is None}
        if updates:
            db.table("appearances").update(match["id"], updates)
        return False
    db.table("appearances").insert({**row, "ingested_at": now()})
    return True


def appearances(db: Database, document_id: str | None = None) -> list[dict[str, Any]]:
    if document_id is None:
        return list(db.query("select * from appearances order by document_id, id"))
    return list(
        db.query("select * from appearances where document_id = ? order by id", [document_id])
    )


def resolve_document_id(db: Database, prefix: str) -> str:
    """The one document whose id is or begins with `prefix`."""
    prefix = prefix.strip().lstrip("#")
    if len(prefix) < 4:
        raise UsageError(f"document id '{prefix}': give at least 4 characters of the id")
    ids = [r["id"] for r in db.query("select id from documents where id like ?", [prefix + "%"])]
    if not ids:
        raise NotFoundError(f"no document with id '{prefix}'; see `stance documents`")
    if len(ids) > 1:
        raise UsageError(f"document id '{prefix}' matches {len(ids)} documents; give more of it")
    return str(ids[0])


def _columns(db: Database, table: str) -> set[str]:
    return {c.name for c in db.table(table).columns}


def delete_documents(db: Database, document_ids: list[str]) -> int:
    """Delete documents with everything stored for them: claims, their targets (and any
    table keyed by claim), runs, appearances (and any table keyed by document)."""
    if not document_ids:
        return 0
    marks = ", ".join("?" for _ in document_ids)
    claim_ids = f"select id from claims where document_id in ({marks})"
    tables = [t for t in db.table_names() if not t.startswith("sqlite_")]
    run_ids = f"select id from runs where document_id in ({marks})"
    for table in tables:
        if table == "claims":
            continue
        columns = _columns(db, table)
        for column in ("claim_id", "claim_a", "claim_b"):  # targets, relations, ...
            if column in columns:
                db.execute(f"delete from [{table}] where {column} in ({claim_ids})", document_ids)
        if "run_id" in columns:  # runs waiting for the resolution pass, ...
            db.execute(f"delete from [{table}] where run_id in ({run_ids})", document_ids)
    db.execute(f"delete from claims where document_id in ({marks})", document_ids)
    for table in tables:
        if table not in ("claims", "runs", "documents") and "document_id" in _columns(db, table):
            db.execute(f"delete from [{table}] where document_id in ({marks})", document_ids)
    db.execute(f"delete from runs where document_id in ({marks})", document_ids)
    cursor = db.execute(f"delete from documents where id in ({marks})", document_ids)
    return int(cursor.rowcount)


@dataclass(frozen=True)
class SourceDeleted:
    documents: int  # deleted whole: no other outlet carried them
    appearances: int  # appearances removed from documents other outlets carried too


def delete_source(db: Database, source: str) -> SourceDeleted:
    """Remove a source: its appearances, and the documents no other source carried."""
    rows = list(
        db.query("select id, document_id from appearances where lower(source) = lower(?)", [source])
    )
    if not rows:
        raise NotFoundError(f"no document from source '{source}'; see `stance documents`")
    orphans: list[str] = []
    kept = 0
    for document_id in dict.fromkeys(r["document_id"] for r in rows):
        others = list(
            db.query(
                "select * from appearances where document_id = ? and lower(coalesce(source, '')) "
                "!= lower(?) order by id",
                [document_id, source],
            )
        )
        if not others:
            orphans.append(document_id)
            continue
        kept += 1
        db.execute(
            "delete from appearances where document_id = ? and lower(source) = lower(?)",
            [document_id, source],
        )
        first = others[0]
        # The document's metadata is its first appearance's: now the first one left.
        db.table("documents").update(
            document_id, {k: first[k] for k in (*METADATA, "published_from")}
        )
    return SourceDeleted(delete_documents(db, orphans), kept)


def edit_document(db: Database, document_id: str, changes: dict[str, str | None]) -> dict[str, Any]:
    """Change a document's source, URL, title or date (and its first appearance's); the
    claims stay as extracted."""
    updates = {k: v for k, v in changes.items() if k in METADATA}
    if not updates:
        raise UsageError("nothing to change: give --source, --url, --title or --published")
    before = db.table("documents").get(document_id)
    if "published" in updates:
        updates["published_from"] = "edited" if updates["published"] else None
    db.table("documents").update(document_id, updates)
    first = next(
        iter(
            db.query(
                "select id from appearances where document_id = ? and source is ? and url is ? "
                "order by id limit 1",
                [document_id, before["source"], before["url"]],
            )
        ),
        None,
    )
    if first is not None:
        db.table("appearances").update(first["id"], updates)
    else:
        after = db.table("documents").get(document_id)
        record_appearance(db, Document(**{k: after[k] for k in Document.model_fields}))
    return dict(db.table("documents").get(document_id))
