"""Folding a new spelling of a known person or body into its entity, with the reason recorded.

`resolve_entity` first looks a mention up by its exact key; when nothing has that key, it
asks `find_variant` whether the name is a spelling variant of a known one
(`stance.core.name_variants`): "Mathew Miller" of Matthew Miller, "Ayhan Hajizade" of Aykhan
Hajizada, "Pashinian" of Nikol Pashinyan, "CrowdStrike Inc" of CrowdStrike, "Delta" of Delta
Air Lines. Guards keep different people apart:

- a surname alone joins a full name only when one known person has that surname (or, when
  several do, the one that shares the mention's role: "President Aliyev");
- two names whose surnames are a letter apart (not one transliteration) are not joined when
  both appear in one document (a text spells one person one way), nor when both carry roles
  and the roles differ ("Senator" / "spokesman");
- a name the user split off an entity (`stance split`) never joins it again.

Each fold is a row of `entity_merges` (entity, alias, rule, reason): `stance entities` shows
them and `stance split ENTITY ALIAS` undoes one. Candidates are found through the indexed
`name_keys` table, so the cost per mention does not grow with the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from stance.core.clock import now
from stance.core.gazetteer import phrase_words
from stance.core.name_variants import (
    LEGAL_FORMS,
    VariantMatch,
    name_key_row,
    name_words,
    org_key,
    org_short_form,
    person_variant,
    translit_key,
)
from stance.core.names import ROLE_WORDS, TITLE_WORDS
from stance.store import queries

MAX_CANDIDATES = 200  # names compared per mention at most
# Role words worth comparing between two mentions (not "the", "of", country names).
_ROLES = (TITLE_WORDS | ROLE_WORDS) - frozenset({"the", "of", "state", "foreign", "side"})


@dataclass(frozen=True)
class Found:
    entity_id: int
    match: VariantMatch


def roles_of(alias: str, display: str) -> frozenset[str]:
    """Role words of a mention outside the name itself ("spokesman Matthew Miller")."""
    name = set(phrase_words(display))
    return frozenset(w for w in phrase_words(alias) if w in _ROLES and w not in name)


def record_names(db: Database, entity_id: int, kind: str, name: str, roles: frozenset[str]) -> None:
    """Index a person's or body's name for variant lookups (called when it is created)."""
    row = name_key_row(kind, name, roles)
    if row is not None:
        db.table("name_keys").insert({"entity_id": entity_id, **row})


def _separated(db: Database, key: str, entity_id: int) -> bool:
    return (
        db.execute(
            "select 1 from entity_overrides where action = 'split' and alias_key = ? "
            "and entity_id = ? limit 1",
            [key, entity_id],
        ).fetchone()
        is not None
    )


def find_variant(
    db: Database,
    *,
    name: str,
    kind: str,
    key: str,
    short: bool,
    alias: str,
    document_id: str | None = None,
) -> Found | None:
    """The known entity a new spelling names, or None (see the module's docstring)."""
    words = name_words(name)
    if not words:
        return None
    roles = roles_of(alias, name)
    if kind == "organization" or (kind == "person" and words[-1] in LEGAL_FORMS):
        found = _organization(db, name, words, key)
        if found is not None:
            return found
    if len(words) == 1 and kind in ("person", "organization"):
        return _one_word(db, words[0], key, roles, people=kind == "person")
    if kind != "person" or short:
        return None
    return _full_person(db, words, key, roles, document_id)


def _organization(db: Database, name: str, words: list[str], key: str) -> Found | None:
    bare = org_key(name)
    for entity_id, known, _, _ in queries.name_key_rows(
        db, MAX_CANDIDATES, "k.org_key = ?", [bare]
    ):
        if not _separated(db, key, entity_id):
            return Found(entity_id, VariantMatch("legal_form", f"{name!r} is {known!r}"))
    return None


def _one_word(
    db: Database, word: str, key: str, roles: frozenset[str], *, people: bool
) -> Found | None:
    """One word: a surname known in another spelling, or the first word of one body's name."""
    known_people = queries.name_key_rows(
        db,
        MAX_CANDIDATES,
        "k.last_key = ? and k.kind = 'person' and k.words >= 2",
        [translit_key(word)],
    )
    people_found = [r for r in known_people if people and not _separated(db, key, r[0])]
    if len(people_found) > 1 and roles:
        people_found = [r for r in people_found if roles & set(r[3].split())]
    if len(people_found) == 1:
        entity_id, known, _, _ = people_found[0]
        return Found(
            entity_id,
            VariantMatch("surname", f"surname {word!r} of {known!r}, the one person known by it"),
        )
    if people_found:
        return None
    bodies = [
        r
        for r in queries.name_key_rows(
            db, MAX_CANDIDATES, "k.first_word = ? and k.words >= 3", [word]
        )
        if not _separated(db, key, r[0]) and org_short_form([word], name_words(r[1]))
    ]
    if len(bodies) == 1:
        entity_id, known, _, _ = bodies[0]
        return Found(
            entity_id,
            VariantMatch("short_form", f"{word!r} begins {known!r}, the one name that does"),
        )
    return None


def _full_person(
    db: Database, words: list[str], key: str, roles: frozenset[str], document_id: str | None
) -> Found | None:
    full = [w for w in words if len(w) > 1]
    if len(full) < 2:
        return None
    surname = translit_key(full[-1])
    # The same surname key (first names are compared below), or the same first name and
    # a surname with the same first letter (for surnames a letter apart).
    rows = queries.name_key_rows(
        db,
        MAX_CANDIDATES,
        "k.kind = 'person' and k.words >= 2 "
        "and (k.last_key = ? or (k.first_key = ? and k.last_key like ?))",
        [surname, translit_key(full[0]), surname[:1] + "%"],
    )
    for entity_id, known, _, known_roles in rows:
        match = person_variant(full, name_words(known))
        if match is None or _separated(db, key, entity_id):
            continue
        other = [w for w in name_words(known) if len(w) > 1]
        same_spelling = translit_key(other[-1]) == surname
        if not same_spelling:
            if queries.speaks_in_document(db, entity_id, document_id):
                continue
            theirs = frozenset(known_roles.split())
            if roles and theirs and not roles & theirs:
                continue
        return Found(entity_id, match)
    return None


def record_merge(db: Database, entity_id: int, alias: str, key: str, match: VariantMatch) -> None:
    db.execute(
        "insert into entity_merges (entity_id, alias, alias_key, rule, reason, created_at) "
        "values (?, ?, ?, ?, ?, ?)",
        [entity_id, alias, key, match.rule, match.reason, now()],
    )
