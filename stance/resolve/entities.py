"""Entities across documents: one row per person, body, country or event, with aliases.

Every mention is reduced to its canonical form (`stance.core.canonical`) and looked up by
its key. A surname alone ("Aliyev") joins the one full name that has it, and stays its own
entity when there are several.

Events are not resolved here by name: one name ("the meeting on Friday") means different
events in different documents. `stance.resolve.events` matches an event mention with the
events already known, in the context of its document. User corrections (`stance merge`,
`stance split`) are in `stance.resolve.overrides`.

This module writes; what it reads goes through `stance.store.queries`.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from stance.core.canonical import Canonical, canonical, entity_key, is_event_mention
from stance.core.event_features import EventFeatures, features, label, union
from stance.resolve.variants import find_variant, record_merge, record_names, roles_of
from stance.store import queries

__all__ = [
    "add_alias",
    "canonical",
    "create_entity",
    "entity_key",
    "is_event_mention",
    "move_entity",
    "moves_so_far",
    "refresh_event",
    "resolve_entity",
    "save_event_features",
]


def add_alias(db: Database, entity_id: int, alias: str, key: str | None = None) -> None:
    db.execute(
        "insert or ignore into aliases (entity_id, alias, key) values (?, ?, ?)",
        [entity_id, alias.strip(), key if key is not None else entity_key(alias)],
    )


def create_entity(db: Database, canon: Canonical, alias: str) -> int:
    entity_id = int(
        db.execute(
            "insert into entities (name, kind) values (?, ?)", [canon.name, canon.kind]
        ).lastrowid
        or 0
    )
    add_alias(db, entity_id, alias, canon.key)
    record_names(db, entity_id, canon.kind, canon.name, roles_of(alias, canon.name))
    if canon.surname:
        db.execute(
            "insert into person_names (entity_id, surname) values (?, ?)",
            [entity_id, canon.surname],
        )
    return entity_id


def _prefer_name(db: Database, entity_id: int, canon: Canonical) -> None:
    """Show an entity by its fullest spelling: "Ilham Aliyev" rather than "IlhamAliyev"."""
    name = queries.entity_name(db, entity_id)
    if name is not None and len(canon.name.split()) > len(name.split()):
        db.execute("update entities set name = ? where id = ?", [canon.name, entity_id])


def resolve_entity(db: Database, name: str, kind: str, document_id: str | None = None) -> int:
    """The id of the entity this name refers to, created when there is none.

    A new spelling of a known person or body joins it (`stance.resolve.variants`), recorded.
    An event mention gets an entity of its own here; `stance.resolve.events.link_event`
    folds it into the event it names, knowing its document.
    """
    alias = " ".join(name.split()) or name
    canon = canonical(alias, kind)
    if canon.kind not in ("country", "organization") and is_event_mention(alias, kind):
        return create_entity(db, Canonical(alias, "event", canon.key), alias)
    owner = queries.alias_owner(db, canon.key)
    if owner is not None:
        add_alias(db, owner, alias, canon.key)
        if canon.kind == "person":
            _prefer_name(db, owner, canon)
        return owner
    if canon.short:
        full = queries.full_names_with(db, canon.key, canon.key)
        if len(full) == 1:  # unambiguous: "Aliyev" is the one Aliyev we know
            add_alias(db, full[0], alias, canon.key)
            return full[0]
    variant = find_variant(
        db,
        name=canon.name,
        kind=canon.kind,
        key=canon.key,
        short=canon.short,
        alias=alias,
        document_id=document_id,
    )
    if variant is not None:
        add_alias(db, variant.entity_id, alias, canon.key)
        record_merge(db, variant.entity_id, alias, canon.key, variant.match)
        return variant.entity_id
    if canon.short:
        return create_entity(db, canon, alias)
    entity_id = create_entity(db, canon, alias)
    if canon.surname:
        _absorb_short_name(db, entity_id, canon.surname)
    return entity_id


def _absorb_short_name(db: Database, entity_id: int, surname: str) -> None:
    """A surname seen alone before its full name: join it now if the full name is unique."""
    short_id = queries.alias_owner(db, surname)
    if short_id is None or short_id == entity_id or queries.separated(db, surname, entity_id):
        return
    if (
        queries.entity_kind(db, short_id) == "person"
        and not queries.has_full_name(db, short_id)
        and len(queries.full_names_with(db, surname, surname)) == 1
    ):
        move_entity(db, keep=entity_id, drop=short_id)


# Entities folded into others so far, in this process: what a resolution pass keeps in memory
# about who is named where (`events.DocumentEvents`) is read again after a move it did not make.
_moves = 0


def moves_so_far() -> int:
    return _moves


def move_entity(db: Database, *, keep: int, drop: int) -> None:
    """Fold entity `drop` into `keep`: aliases, claims, targets and event data follow."""
    global _moves
    _moves += 1
    db.execute(
        "insert or ignore into aliases (entity_id, alias, key) "
        "select ?, alias, key from aliases where entity_id = ?",
        [keep, drop],
    )
    db.execute("delete from aliases where entity_id = ?", [drop])
    db.execute("update claims set speaker_id = ? where speaker_id = ?", [keep, drop])
    # One stance per claim and entity: where a claim targets both, the row of `keep` wins.
    db.execute("update or ignore claim_targets set entity_id = ? where entity_id = ?", [keep, drop])
    db.execute("delete from claim_targets where entity_id = ?", [drop])
    db.execute("update person_names set entity_id = ? where entity_id = ?", [keep, drop])
    db.execute("update name_keys set entity_id = ? where entity_id = ?", [keep, drop])
    db.execute("update entity_merges set entity_id = ? where entity_id = ?", [keep, drop])
    _merge_event_rows(db, keep, drop)
    db.execute("insert or ignore into relations_pending (entity_id) values (?)", [keep])
    db.execute("delete from relations_pending where entity_id = ?", [drop])
    db.execute("delete from entities where id = ?", [drop])


# --- Event rows ------------------------------------------------------------------------------


def save_event_features(
    db: Database, entity_id: int, f: EventFeatures, published: str | None
) -> None:
    db.execute(
        "insert or replace into events (entity_id, date, month_day, type, type_word, "
        "participants, words, year, first_published, venue) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            entity_id,
            f.date,
            f.month_day,
            f.type,
            f.type_word,
            json.dumps(list(f.participants)),
            json.dumps(list(f.words)),
            f.year,
            published,
            f.venue,
        ],
    )
    # Shown by its canonical name ("Armenia–EU–US meeting, Brussels, 2024-04-05"), never by
    # the sentence fragment a mention happened to be.
    current = queries.entity_name(db, entity_id)
    if current is not None and label(f, current) != current:
        db.execute("update entities set name = ? where id = ?", [label(f, current), entity_id])
    db.execute("delete from event_participants where entity_id = ?", [entity_id])
    for participant in f.participants:
        db.execute(
            "insert into event_participants (entity_id, participant) values (?, ?)",
            [entity_id, participant],
        )


def _merge_event_rows(db: Database, keep: int, drop: int) -> None:
    """When two entities become one, the event data of both is kept (called on every merge)."""
    kept, dropped = queries.stored_features(db, keep), queries.stored_features(db, drop)
    if dropped is not None:
        published = queries.first_published(db, [keep, drop])
        save_event_features(db, keep, union(kept, dropped) if kept else dropped, published)
    db.execute("delete from events where entity_id = ?", [drop])
    db.execute("delete from event_participants where entity_id = ?", [drop])
    db.execute("delete from event_pending where entity_id = ?", [drop])


def refresh_event(db: Database, entity_id: int) -> None:
    """Recompute an event's data from its mentions (after a split)."""
    mentions = queries.event_mentions(db, entity_id)
    merged: EventFeatures | None = None
    for name, given, published in mentions:
        f = features(name, published, given)
        merged = f if merged is None else union(merged, f)
    if merged is not None:
        first = min((p for _, _, p in mentions if p), default=None)
        save_event_features(db, entity_id, merged, first)
