"""Which entity or event a query means, when its words match several.

`stance compare "Brussels meeting"` may match the meeting in Brussels, a call about it and
Belgium's capital; the user means the meeting. `pick` ranks what matched and goes on with
the best, saying what it picked and what else matched (the CLI prints it on stderr):

1. an event first when the query speaks of one: an event word ("meeting", "call"), a date
   ("April 5") or a place ("Brussels") — else an entity first;
2. a match by name or alias before one by date or words alone;
3. then the one with most claims (made and about), then the lowest id.

Events are also found through the query's place and people: "Brussels meeting" finds the
meetings held in Brussels; "Blinken's call" or "Blinken call with Aliyev" (a person or body,
under any alias or transliteration, and an event word) the events those people are involved
in, as the speaker of a claim about the event or named in one. Among those, the events of
the query's kind come first, then those involving every person named, then the one with most
claims; when no event of that kind involves them, the note says so. When no event involves
them at all, the people themselves are what matched. `#id` always names exactly one entity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from stance.core.canonical import EVENT_WORDS
from stance.core.errors import NotFoundError
from stance.core.event_features import DATE_WORDS, features, venue_in
from stance.core.gazetteer import phrase_words, place_named, places_in
from stance.core.name_variants import translit_key, words_close
from stance.query.meaning import Embeds, events_by_meaning
from stance.resolve.overrides import find_entity, suggestions
from stance.store import queries
from stance.store.queries import EntityRef, candidates_by_name, entity_refs, matching_event_ids

MAX_SHOWN = 5
COUNT_CAP = 20_000  # other matches named in the note
_QUERY_FILLER = frozenset(
    {"the", "a", "an", "of", "on", "in", "at", "with", "about", "s", "and", "between", "by"}
)
_PEOPLE_KINDS = ("person", "organization")


@dataclass(frozen=True)
class Picked:
    """The entity a query names, and the others it also matched."""

    ref: EntityRef
    others: list[EntityRef] = field(default_factory=list)
    claims: int = 0
    why: str | None = None  # how it was found, when not by its own name ("events of Blinken")

    def note(self, query: str) -> str | None:
        """One line for stderr when the query was ambiguous or found its subject through
        the people it names, else None."""
        why = f"; {self.why}" if self.why else ""
        if not self.others:
            if not self.why:
                return None
            return f"'{query}': picked {self.ref.name} (#{self.ref.id}, {self.ref.kind}{why})"
        also = "; ".join(f"{r.name} (#{r.id}, {r.kind})" for r in self.others[:MAX_SHOWN])
        more = f" and {len(self.others) - MAX_SHOWN} more" if len(self.others) > MAX_SHOWN else ""
        return (
            f"'{query}' matches {len(self.others) + 1}: picked {self.ref.name} "
            f"(#{self.ref.id}, {self.ref.kind}, {self.claims} claims{why}); also {also}{more}; "
            "give an #id to pick another"
        )


def speaks_of_an_event(query: str) -> bool:
    """An event word, a date or a place in the query."""
    words = phrase_words(query)
    if any(w in EVENT_WORDS for w in words):
        return True
    f = features(query, None)
    return bool(f.month_day or f.date or f.year or f.participants or venue_in(query))


def _name_runs(query: str) -> list[list[str]]:
    """Runs of the query's words that may name a person or body: event words, filler and
    places cut them ("Blinken call with Aliyev" → [["blinken"], ["aliyev"]])."""
    runs: list[list[str]] = [[]]
    for word in phrase_words(query):
        cut = (
            word in EVENT_WORDS
            or word in _QUERY_FILLER
            or word in DATE_WORDS
            or word.isdigit()
            or place_named(word) is not None
            or bool(places_in((word,)))
        )
        if cut:
            runs.append([])
        else:
            runs[-1].append(word)
    return [run for run in runs if run]


def people_named(db: Database, query: str) -> dict[int, str]:
    """Persons and bodies the query names (entity id → the words naming them): a run of
    words that is a name or alias, else each word as a surname or a body's last word, in
    any transliteration ("Qadirzade" finds "Ayhan Gadirzade")."""
    # Exact keys and the name keys' index only: a word of the query ("town", "new") must
    # not make every alias that contains it a candidate.
    found: dict[int, str] = {}
    for run in _name_runs(query):
        phrase = " ".join(run)
        whole = [
            ref.id
            for ref in entity_refs(db, queries.entities_with_key(db, phrase))
            if ref.kind in _PEOPLE_KINDS
        ]
        if whole:
            found.update(dict.fromkeys(whole, phrase))
            continue
        for word in run:
            if len(word) < 3:
                continue
            ids = {
                ref.id
                for ref in entity_refs(db, queries.entities_with_key(db, word))
                if ref.kind in _PEOPLE_KINDS
            }
            key = translit_key(word)
            ids |= {
                entity_id
                for entity_id, kind, last_key in queries.people_by_name_key(db, key)
                if kind in _PEOPLE_KINDS and words_close(key, last_key)
            }
            found.update(dict.fromkeys(ids, word))
    return found


def events_by_context(db: Database, query: str) -> list[int]:
    """Events of the query's kind held where it says."""
    f = features(query, None)
    place = venue_in(query)
    if not f.type or not place:
        return []
    return queries.events_at_venue(db, place, f.type)


@dataclass(frozen=True)
class _PeopleEvents:
    """The events the people a query names are involved in, and how well each fits."""

    people: dict[int, str]  # entity id → its name
    involved: dict[int, set[int]]  # event → the named people involved in it
    types: dict[int, str | None]

    def missing(self, event_id: int) -> int:
        """How many of the named people are not involved in the event."""
        if not self.people or event_id not in self.involved:
            return 0
        return len(set(self.people) - self.involved[event_id])


def _people_events(db: Database, query: str) -> _PeopleEvents:
    # Only with an event word: "European Union" names the body, not the events it is in.
    named = people_named(db, query) if features(query, None).type else {}
    people = {ref.id: ref.name for ref in entity_refs(db, sorted(named))}
    involved = queries.events_of_people(db, sorted(people))
    return _PeopleEvents(people, involved, queries.event_types(db, sorted(involved)))


def pick(
    db: Database, query: str, *, role: str = "entity or event", embedder: Embeds | None = None
) -> Picked:
    """The best match of a query (see the module's docstring); NotFoundError when none.

    With an `embedder`, a query whose words name no event is matched to events by meaning
    (`stance.query.meaning`) before giving up."""
    text = query.strip()
    if text.lstrip("#").isdigit():
        return Picked(find_entity(db, text, role=role))
    found = _matches(db, query)
    if embedder is not None:
        meant = _by_meaning(db, query, embedder, found)
        if meant is not None:
            return meant
    return _pick(db, query, role, found)


@dataclass(frozen=True)
class _Matches:
    """What a query's words match: by name, by the people it names, and in all."""

    by_name: set[int]
    by_people: _PeopleEvents
    refs: list[EntityRef]


def _matches(db: Database, query: str) -> _Matches:
    by_name = set(candidates_by_name(db, query))
    # A query that is a name ("Meeting, Lisvane, 2025-06-12") needs no people in it.
    exact = bool(by_name) and bool(queries.entities_with_key(db, query, limit=1))
    by_people = _PeopleEvents({}, {}, {}) if exact else _people_events(db, query)
    ids = by_name | set(matching_event_ids(db, query)) | set(events_by_context(db, query))
    ids |= set(by_people.involved)
    if by_people.people and not by_people.involved:
        ids |= set(by_people.people)  # nothing they are involved in: the people themselves
    return _Matches(by_name, by_people, entity_refs(db, sorted(ids)))


def _by_meaning(db: Database, query: str, embedder: Embeds, found: _Matches) -> Picked | None:
    """The event the query means, when its words name none (None otherwise)."""
    if any(r.kind == "event" for r in found.refs):
        return None  # the words already name an event
    if found.by_name and not speaks_of_an_event(query):
        return None  # a name of a person or body, not an event
    meant = events_by_meaning(db, query, embedder)
    if not meant:
        return None
    refs = {r.id: r for r in entity_refs(db, [m.entity_id for m in meant])}
    best = meant[0]
    why = (
        f"matched by meaning: similarity {best.similarity:.2f} to '{best.name}' "
        f"(embeddings of {embedder.model})"
    )
    others = [refs[m.entity_id] for m in meant[1:] if m.entity_id in refs]
    claims = queries.claim_counts(db, [best.entity_id], COUNT_CAP)[best.entity_id]
    return Picked(refs[best.entity_id], others, claims, why)


def _pick(db: Database, query: str, role: str, found: _Matches) -> Picked:
    by_name, by_people, refs = found.by_name, found.by_people, found.refs
    if not refs:
        raise NotFoundError(f"no {role} matches '{query}'{suggestions(db, query)}")
    kind = features(query, None).type
    if len(refs) == 1:
        return Picked(refs[0], why=_why(refs[0], by_people, query, by_name))
    counts = queries.claim_counts(db, [r.id for r in refs], COUNT_CAP)
    eventish = speaks_of_an_event(query)
    types = by_people.types | queries.event_types(
        db, [r.id for r in refs if r.kind == "event" and r.id not in by_people.types]
    )

    def rank(ref: EntityRef) -> tuple[bool, bool, bool, int, int, int]:
        is_event = ref.kind == "event"
        other_kind = is_event and kind is not None and types.get(ref.id) != kind
        return (
            is_event != eventish,
            ref.id not in by_name,
            other_kind,
            by_people.missing(ref.id),
            -counts[ref.id],
            ref.id,
        )

    ordered = sorted(refs, key=rank)
    best = ordered[0]
    return Picked(best, ordered[1:], counts[best.id], _why(best, by_people, query, by_name))


def _why(ref: EntityRef, by_people: _PeopleEvents, query: str, by_name: set[int]) -> str | None:
    """How a subject found through the people the query names was found (None otherwise)."""
    if ref.id in by_name or not by_people.people:
        return None
    f = features(query, None)
    if ref.id in by_people.people:
        return f"no {f.type_word or 'event'} involving {ref.name} is stored"
    if ref.id not in by_people.involved:
        return None
    names = [by_people.people[i] for i in sorted(by_people.involved[ref.id])]
    who = " and ".join(names)
    if f.type and by_people.types.get(ref.id) != f.type:
        return f"no {f.type_word} involving {who} is stored: an event involving them"
    return f"an event involving {who}"
