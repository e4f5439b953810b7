"""User corrections of entity resolution: `stance merge A B` and `stance split ENTITY ALIAS`.

Both are recorded in `entity_overrides`, so that later ingests respect them: a merge moves
every alias of B to A (a later mention spelled like B finds A by its key); a split moves the
named aliases to a new entity and forbids the resolver to join those names to the old one
again (`entities.separated`), for persons and events alike.
"""

from __future__ import annotations

from sqlite_utils import Database

from stance.core.canonical import canonical
from stance.core.clock import now
from stance.core.errors import NotFoundError, UsageError
from stance.resolve.entities import move_entity, refresh_event
from stance.store import queries
from stance.store.queries import EntityRef


def find_entity(db: Database, query: str, *, role: str = "entity") -> EntityRef:
    """The one entity a user names (by id, name or alias), or a clear error. Only reads."""
    text = query.strip().lstrip("#")
    if text.isdigit():
        found = queries.entity_refs(db, [int(text)])
        if found:
            return found[0]
        raise NotFoundError(f"no entity has the id {text}; `stance entities` lists them")
    refs = queries.entity_refs(db, queries.matching_entity_ids(db, query))
    if not refs:
        raise NotFoundError(f"no {role} matches '{query}'{suggestions(db, query)}")
    if len(refs) > 1:
        names = "; ".join(f"{r.name} (#{r.id}, {r.kind})" for r in refs[:8])
        raise UsageError(
            f"'{query}' matches {len(refs)} entities: {names}; name one of them or give its #id"
        )
    return refs[0]


def suggestions(db: Database, query: str, limit: int = 5) -> str:
    """ "; did you mean: ..." with the closest entity names, or nothing."""
    from rapidfuzz import fuzz, process

    names = queries.entity_names(db)
    close = process.extract(query, names, scorer=fuzz.WRatio, limit=limit, score_cutoff=55)
    if not close:
        return "; `stance entities` lists what is known"
    return "; did you mean: " + ", ".join(repr(name) for name, _, _ in close) + "?"


def merge_entities(db: Database, keep_query: str, drop_query: str) -> EntityRef:
    """Merge the entity named by `drop_query` into the one named by `keep_query`."""
    with db.atomic():
        keep = find_entity(db, keep_query)
        drop = find_entity(db, drop_query)
        if keep.id == drop.id:
            raise UsageError(
                f"'{keep_query}' and '{drop_query}' are already one entity "
                f"({keep.name}, #{keep.id})"
            )
        keys = sorted(set(queries.alias_keys_of(db, drop.id).values()))
        move_entity(db, keep=keep.id, drop=drop.id)
        for key in keys:
            _record(db, "merge", key, keep.id, drop.id)
            # A merge undoes an earlier split of the same names.
            db.execute(
                "delete from entity_overrides where action = 'split' and alias_key = ? "
                "and entity_id = ?",
                [key, keep.id],
            )
    return keep


def split_entity(db: Database, entity_query: str, aliases: list[str]) -> EntityRef:
    """Move the named aliases of an entity (and their claims) to a new entity."""
    with db.atomic():
        entity = find_entity(db, entity_query)
        known = queries.alias_keys_of(db, entity.id)
        if not aliases:
            raise UsageError(
                f"name the aliases to split off {entity.name}: " + "; ".join(sorted(known))
            )
        keys: set[str] = set()
        for alias in aliases:
            wanted = {canonical(alias, kind).key for kind in ("person", "other", entity.kind)}
            hits = {
                k for a, k in known.items() if a.lower() == alias.lower().strip() or k in wanted
            }
            if not hits:
                raise UsageError(
                    f"{entity.name} has no alias '{alias}'; its aliases: "
                    + "; ".join(sorted(known))
                )
            keys |= hits
        if keys >= set(known.values()):
            raise UsageError(
                f"splitting {', '.join(aliases)} would leave {entity.name} with no "
                "name: name fewer aliases, or merge the other way round"
            )
        new_id = int(
            db.execute(
                "insert into entities (name, kind) values (?, ?)", [aliases[0].strip(), entity.kind]
            ).lastrowid
            or 0
        )
        marks = ", ".join("?" for _ in keys)
        db.execute(
            f"update aliases set entity_id = ? where entity_id = ? and key in ({marks})",
            [new_id, entity.id, *keys],
        )
        _move_mentions(db, entity.id, new_id, keys)
        canon = canonical(aliases[0], entity.kind)
        if entity.kind == "person" and canon.surname:
            db.execute(
                "insert into person_names (entity_id, surname) values (?, ?)",
                [new_id, canon.surname],
            )
        if entity.kind == "event":
            refresh_event(db, entity.id)
            refresh_event(db, new_id)
        for key in keys:
            _record(db, "split", key, entity.id, new_id)
    return queries.entity_refs(db, [new_id])[0]


def _move_mentions(db: Database, old: int, new: int, keys: set[str]) -> None:
    """Claims by and about the split-off names follow them to the new entity."""

    def named(name: str | None) -> bool:
        return bool(name) and any(canonical(name or "", k).key in keys for k in ("person", "other"))

    made, about = queries.claims_naming(db, old)
    for claim_id, speaker in made:
        if named(speaker):
            db.execute("update claims set speaker_id = ? where id = ?", [new, claim_id])
    for claim_id, name in about:
        if named(name):
            db.execute(
                "update or ignore claim_targets set entity_id = ? "
                "where claim_id = ? and entity_id = ?",
                [new, claim_id, old],
            )


def _record(db: Database, action: str, key: str, entity_id: int, other_id: int) -> None:
    db.execute(
        "insert into entity_overrides (action, alias_key, entity_id, other_id, created_at) "
        "values (?, ?, ?, ?, ?)",
        [action, key, entity_id, other_id, now()],
    )


__all__ = ["find_entity", "merge_entities", "move_entity", "split_entity"]
