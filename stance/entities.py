"""Entities across documents: one row per person, body, country or event, with aliases.

An alias is stored with its key, the name's words per the metric's rules joined together
("President Ilham Aliyev", "IlhamAliyev" → "ilhamaliyev"), so spellings of one name meet.
"""

from __future__ import annotations

from sqlite_utils import Database

from stance.names import name_words, names_agree


def entity_key(name: str) -> str:
    """Lookup key of a name: its words without titles, joined ("ilhamaliyev")."""
    words = name_words(name) or name.lower().split()
    return "".join(words)


def resolve_entity(db: Database, name: str, kind: str) -> int:
    """The id of the entity this name refers to, created when there is none."""
    key = entity_key(name)
    row = next(iter(db.query("select entity_id from aliases where key = ? limit 1", [key])), None)
    if row is not None:
        return int(row["entity_id"])
    entity_id = db["entities"].insert({"name": name.strip(), "kind": kind}).last_pk
    db["aliases"].insert({"entity_id": entity_id, "alias": name.strip(), "key": key})
    return int(entity_id)


def add_alias(db: Database, entity_id: int, alias: str) -> None:
    db["aliases"].insert(
        {"entity_id": entity_id, "alias": alias.strip(), "key": entity_key(alias)}, ignore=True
    )


def matching_entity_ids(db: Database, query: str) -> list[int]:
    """Entities whose name or an alias agrees with the query, by the metric's name rules."""
    key = entity_key(query)
    ids = {
        int(r["entity_id"]) for r in db.query("select entity_id from aliases where key = ?", [key])
    }
    if ids:
        return sorted(ids)
    for row in db.query("select entity_id, alias from aliases"):
        if names_agree(query, row["alias"]):
            ids.add(int(row["entity_id"]))
    return sorted(ids)
