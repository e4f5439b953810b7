"""Who carried what: every outlet of a document, and a claim's appearances, counted one way.

A text carried by several outlets (a wire story, a readout republished) is stored once; the
`appearances` table lists each outlet (source, URL, date). A claim appears wherever its
document does, and wherever the same statement was reported in other words
(`stance.query.statements`). `compare` (which source reports what, and leaves out what)
and `timeline` both build appearances with `appearances_of`, so they count alike: an outlet
"leaves out" only the statements none of its documents carries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pydantic import BaseModel
from sqlite_utils import Database

from stance.core.models import StoredClaim


class Appearance(BaseModel):
    """One place where a claim was published."""

    claim_id: int
    document_id: str
    source: str | None
    published: str | None
    url: str | None = None


@dataclass(frozen=True)
class Outlet:
    source: str | None
    url: str | None
    published: str | None


def _has_appearances(db: Database) -> bool:
    return (
        db.execute(
            "select 1 from sqlite_master where type = 'table' and name = 'appearances'"
        ).fetchone()
        is not None
    )


def outlets(db: Database, document_ids: list[str]) -> dict[str, list[Outlet]]:
    """Every outlet that carried each document (its first appearance first)."""
    found: dict[str, list[Outlet]] = defaultdict(list)
    ids = sorted(set(document_ids))
    table = _has_appearances(db)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        sql = (
            f"select document_id, source, url, published from appearances "
            f"where document_id in ({marks}) order by rowid"
            if table
            else f"select id, source, url, published from documents where id in ({marks})"
        )
        for document_id, source, url, published in db.execute(sql, chunk).fetchall():
            outlet = Outlet(source, url, published)
            if outlet not in found[str(document_id)]:
                found[str(document_id)].append(outlet)
    return found


def appearances_of(group: list[StoredClaim], carried: dict[str, list[Outlet]]) -> list[Appearance]:
    """The appearances of one statement: each claim of the group in each outlet that carried
    its document (the claim's own source when nothing else is known), one per outlet."""
    found: list[Appearance] = []
    seen: set[tuple[str | None, str]] = set()
    for claim in group:
        places = carried.get(claim.document_id) or [
            Outlet(claim.source, claim.url, claim.published)
        ]
        for outlet in places:
            key = (outlet.source, claim.document_id)
            if key in seen:
                continue
            seen.add(key)
            found.append(
                Appearance(
                    claim_id=claim.id,
                    document_id=claim.document_id,
                    source=outlet.source,
                    published=outlet.published or claim.published,
                    url=outlet.url,
                )
            )
    return found
