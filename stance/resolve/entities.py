"""Entities across documents: one row per person, body, country or event, with aliases.

Every mention is reduced to a canonical form before it is looked up:

- a place (`stance.core.gazetteer`): "the U.S.", "United States", "Washington" → United States;
  "the Azerbaijani side" → Azerbaijan;
- a body: "Azerbaijani Foreign Ministry", "MFA of Azerbaijan" → Ministry of Foreign Affairs
  of Azerbaijan; "State Department" → U.S. Department of State;
- a person: titles, roles and the country before them stripped ("U.S. Secretary of State
  Antony J. Blinken" → Antony J. Blinken), middle initials and spaces left out of the key
  ("IlhamAliyev" and "Ilham Aliyev" → ilhamaliyev). A surname alone ("Aliyev") joins the one
  full name that has it, and stays its own entity when there are several.

Events are not resolved here by name: one name ("the meeting on Friday") means different
events in different documents. An event mention gets its own entity, marked pending, and
`stance.resolve.events.link_pending` matches it with the events already known using the dates and
participants of its document. User corrections (`stance merge`, `stance split`) are in
`stance.resolve.overrides`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from stance.core.gazetteer import ACTOR_WORDS, is_place_word, phrase_words, place_named, places_in
from stance.core.name_variants import LEGAL_FORMS, trim_leading_junk
from stance.core.names import TITLE_WORDS, names_agree
from stance.extraction.speakers import ROLE_WORDS
from stance.resolve.variants import find_variant, record_merge, record_names, roles_of

EVENT_WORDS = frozenset(
    """meeting meetings conference summit talks call phonecall visit session forum exercises
    exercise drills election elections referendum negotiations round dialogue ceremony
    gathering consultations""".split()
)
# Words a person's name is preceded by and that are not part of it.
_STRIP = (
    TITLE_WORDS
    | ROLE_WORDS
    | ACTOR_WORDS
    | frozenset(
        """high commissioner special envoy aide adviser advisor affairs security policy defense
    defence ministry mfa department office head representative spokeswoman press service
    national top senior former acting first deputy""".split()
    )
)
_BODY_WORDS = frozenset(
    """ministry department office mfa government parliament council commission agency
    committee service administration embassy presidency cabinet union bank court
    organization organisation""".split()
)
_BODIES: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"foreign", "ministry"}), "Ministry of Foreign Affairs"),
    (frozenset({"ministry", "foreign", "affairs"}), "Ministry of Foreign Affairs"),
    (frozenset({"mfa"}), "Ministry of Foreign Affairs"),
    (frozenset({"defense", "ministry"}), "Ministry of Defense"),
    (frozenset({"defence", "ministry"}), "Ministry of Defense"),
    (frozenset({"state", "department"}), "Department of State"),
    (frozenset({"department", "state"}), "Department of State"),
    (frozenset({"presidential", "administration"}), "Presidential Administration"),
)
_FILLER = frozenset({"of", "the", "for", "and", "s"})


@dataclass(frozen=True)
class Canonical:
    """What a mention names: display name, kind, lookup key, and a surname for persons."""

    name: str
    kind: str
    key: str
    surname: str | None = None  # the last word of a full personal name
    short: bool = False  # a one-word personal name ("Aliyev")


@dataclass(frozen=True)
class EntityRef:
    id: int
    name: str
    kind: str


def _key(words: tuple[str, ...] | list[str]) -> str:
    return "".join(words)


def entity_key(name: str) -> str:
    """Lookup key of a name as a generic entity: its words joined ("ilhamaliyev")."""
    return canonical(name, "other").key


def _body(words: tuple[str, ...]) -> Canonical | None:
    """A ministry or department, with the country it belongs to when the name gives one."""
    places = places_in(words)
    rest = [w for i, w in enumerate(words) if not any(s <= i < e for s, e, _ in places)]
    content = frozenset(w for w in rest if w not in _FILLER)
    for pattern, body in _BODIES:
        if content == pattern:
            country = (
                places[0][2].name if places else ("United States" if "State" in body else None)
            )
            if country is None:
                return None
            label = "U.S." if country == "United States" else None
            name = f"{label} {body}" if label else f"{body} of {country}"
            return Canonical(name, "organization", _key(phrase_words(name)))
    return None


def _person_tokens(name: str) -> list[str] | None:
    """The tokens of a personal name once the titles and roles before it are stripped.

    None when the mention is a role without a name ("French Minister of Foreign Affairs").
    """
    segments = [s.strip() for s in name.split(",") if s.strip()]
    # "Antony Blinken, U.S. Secretary of State": the name is the segment that is not a role.
    for segment in segments or [name]:
        tokens = segment.split()
        cut = 0
        has_title = False
        for i, token in enumerate(tokens):
            words = phrase_words(token)
            if words and all(w in _STRIP or is_place_word(w) for w in words):
                has_title = has_title or any(w in _STRIP for w in words)
                cut = i + 1
                continue
            break
        rest = tokens[cut:] if has_title else tokens
        # "and Security Policy Peter Stano": what a cut-off role left before the name.
        rest = trim_leading_junk(rest, _STRIP)
        if rest:
            return rest
    return None


def canonical(name: str, kind: str) -> Canonical:
    """The canonical form of a mention; `kind` is what the extractor said it is."""
    cleaned = " ".join(name.split()).strip(" .,;:\"'“”") or name
    place = place_named(cleaned)
    if place is not None:
        return Canonical(place.name, place.kind, _key(phrase_words(place.name)))
    words = phrase_words(cleaned)
    is_body = any(w in _BODY_WORDS for w in words)
    if kind == "person":
        # "Azerbaijani Foreign Ministry spokesman Aykhan Hajizada" is a person;
        # "Azerbaijani Foreign Ministry" is a body.
        tokens = _person_tokens(cleaned)
        display = " ".join(tokens or []).strip(" .,;:")
        display = display[:-2] if display.endswith(("'s", "’s")) else display
        person_words = [w for w in phrase_words(display) if w not in TITLE_WORDS]
        # "CrowdStrike Inc" speaks as a body, not as a person surnamed "Inc".
        is_company = len(person_words) >= 2 and person_words[-1] in LEGAL_FORMS
        if is_company:
            return Canonical(display, "organization", _key(person_words))
        if person_words and not any(w in _BODY_WORDS for w in person_words):
            full = [w for w in person_words if len(w) > 1] or person_words
            if len(full) >= 2:
                return Canonical(display, "person", _key(full), surname=full[-1])
            return Canonical(display, "person", _key(full), short=True)
    if is_body:
        body = _body(words)
        if body is not None:
            return body
    generic = [w for w in words if w != "the"] or list(words) or [cleaned.lower()]
    resolved_kind = "organization" if kind == "person" and is_body else kind
    return Canonical(cleaned, resolved_kind, _key(generic))


def is_event_mention(name: str, kind: str) -> bool:
    """An event target: kind event, or an 'other' target named like one ("the meeting")."""
    if kind == "event":
        return True
    return kind == "other" and any(w in EVENT_WORDS for w in phrase_words(name))


# --- Looking up and creating ---------------------------------------------------------------


def _alias_owner(db: Database, key: str) -> int | None:
    row = db.execute(
        "select a.entity_id from aliases a left join event_pending p on p.entity_id = a.entity_id "
        "where a.key = ? and p.entity_id is null order by a.entity_id limit 1",
        [key],
    ).fetchone()
    return int(row[0]) if row else None


def add_alias(db: Database, entity_id: int, alias: str, key: str | None = None) -> None:
    db.execute(
        "insert or ignore into aliases (entity_id, alias, key) values (?, ?, ?)",
        [entity_id, alias.strip(), key if key is not None else entity_key(alias)],
    )


def separated(db: Database, key: str, entity_id: int) -> bool:
    """True when the user split this name off that entity (`stance split`)."""
    return (
        db.execute(
            "select 1 from entity_overrides where action = 'split' and alias_key = ? "
            "and entity_id = ? limit 1",
            [key, entity_id],
        ).fetchone()
        is not None
    )


def _full_names_with(db: Database, surname: str, key: str) -> list[int]:
    rows = db.execute(
        "select distinct entity_id from person_names where surname = ?", [surname]
    ).fetchall()
    return [int(r[0]) for r in rows if not separated(db, key, int(r[0]))]


def _create(db: Database, canon: Canonical, alias: str) -> int:
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
    row = db.execute("select name from entities where id = ?", [entity_id]).fetchone()
    if row and len(canon.name.split()) > len(str(row[0]).split()):
        db.execute("update entities set name = ? where id = ?", [canon.name, entity_id])


def resolve_entity(db: Database, name: str, kind: str, document_id: str | None = None) -> int:
    """The id of the entity this name refers to, created when there is none.

    A new spelling of a known person or body joins it (`stance.resolve.variants`), recorded.
    """
    alias = " ".join(name.split()) or name
    canon = canonical(alias, kind)
    if canon.kind not in ("country", "organization") and is_event_mention(alias, kind):
        from stance.resolve.events import link_new_mention  # late: events imports this module

        entity_id = _create(db, Canonical(alias, "event", canon.key), alias)
        db.execute("insert into event_pending (entity_id) values (?)", [entity_id])
        return link_new_mention(db, entity_id, alias, canon.key)
    owner = _alias_owner(db, canon.key)
    if owner is not None:
        add_alias(db, owner, alias, canon.key)
        if canon.kind == "person":
            _prefer_name(db, owner, canon)
        return owner
    if canon.short:
        full = _full_names_with(db, canon.key, canon.key)
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
        return _create(db, canon, alias)
    entity_id = _create(db, canon, alias)
    if canon.surname:
        _absorb_short_name(db, entity_id, canon.surname)
    return entity_id


def _absorb_short_name(db: Database, entity_id: int, surname: str) -> None:
    """A surname seen alone before its full name: join it now if the full name is unique."""
    short_id = _alias_owner(db, surname)
    if short_id is None or short_id == entity_id or separated(db, surname, entity_id):
        return
    kind = db.execute("select kind from entities where id = ?", [short_id]).fetchone()
    has_full = db.execute("select 1 from person_names where entity_id = ?", [short_id]).fetchone()
    if (
        kind
        and kind[0] == "person"
        and not has_full
        and len(_full_names_with(db, surname, surname)) == 1
    ):
        from stance.resolve.overrides import move_entity  # late: overrides imports this module

        move_entity(db, keep=entity_id, drop=short_id)


# --- Queries -------------------------------------------------------------------------------------


def entity_refs(db: Database, ids: list[int]) -> list[EntityRef]:
    marks = ", ".join("?" for _ in ids) or "null"
    rows = db.execute(
        f"select id, name, kind from entities where id in ({marks}) order by id", list(ids)
    ).fetchall()
    return [EntityRef(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def _like_pattern(query: str) -> str | None:
    words = sorted(phrase_words(query), key=len, reverse=True)
    return f"%{words[0][:5]}%" if words else None


def candidates_by_name(db: Database, query: str) -> list[int]:
    """Entities named by the query: same canonical key, else the metric's name rules."""
    ids: set[int] = set()
    for kind in ("person", "other"):
        canon = canonical(query, kind)
        ids |= {
            int(r[0])
            for r in db.execute(
                "select entity_id from aliases where key = ?", [canon.key]
            ).fetchall()
        }
    if ids:
        return sorted(ids)
    pattern = _like_pattern(query)
    if pattern is None:
        return []
    # The LIKE narrows a large table to the aliases sharing a word stem, in SQL.
    for entity_id, alias in db.execute(
        "select entity_id, alias from aliases where key like ?", [pattern]
    ).fetchall():
        if names_agree(query, alias):
            ids.add(int(entity_id))
    return sorted(ids)


def matching_entity_ids(db: Database, query: str) -> list[int]:
    """Entities whose name or an alias agrees with the query (events by date and name too)."""
    from stance.resolve.events import link_pending, matching_event_ids  # late: events imports this

    link_pending(db)
    ids = set(candidates_by_name(db, query)) | set(matching_event_ids(db, query))
    return sorted(ids)
