"""Which entity or event a query means, when its words match several.

`stance compare "Brussels meeting"` may match the meeting in Brussels, a call about it and
Belgium's capital; the user means the meeting. `pick` ranks what matched and goes on with
the best, saying what it picked and what else matched (the CLI prints it on stderr):

1. an event first when the query speaks of one: an event word ("meeting", "call"), a date
   ("April 5") or a place ("Brussels") — else an entity first;
2. a match by name or alias before one by date or words alone;
3. then the one with most claims (made and about), then the lowest id.

Events are also found through the query's place and people: "Brussels meeting" finds the
meetings held in Brussels, "Blinken's call" the calls in which Blinken speaks or is spoken
of. `#id` always names exactly one entity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from stance.core.canonical import EVENT_WORDS
from stance.core.errors import NotFoundError
from stance.core.event_features import features, venue_in
from stance.core.gazetteer import phrase_words, place_named, places_in
from stance.resolve.overrides import find_entity, suggestions
from stance.store import queries
from stance.store.queries import EntityRef, candidates_by_name, entity_refs, matching_event_ids

MAX_SHOWN = 5
COUNT_CAP = 20_000  # other matches named in the note
_QUERY_FILLER = frozenset({"the", "a", "an", "of", "on", "in", "at", "with", "about", "s"})


@dataclass(frozen=True)
class Picked:
    """The entity a query names, and the others it also matched."""

    ref: EntityRef
    others: list[EntityRef] = field(default_factory=list)
    claims: int = 0

    def note(self, query: str) -> str | None:
        """One line for stderr when the query was ambiguous, else None."""
        if not self.others:
            return None
        also = "; ".join(f"{r.name} (#{r.id}, {r.kind})" for r in self.others[:MAX_SHOWN])
        more = f" and {len(self.others) - MAX_SHOWN} more" if len(self.others) > MAX_SHOWN else ""
        return (
            f"'{query}' matches {len(self.others) + 1}: picked {self.ref.name} "
            f"(#{self.ref.id}, {self.ref.kind}, {self.claims} claims); also {also}{more}; "
            "give an #id to pick another"
        )


def speaks_of_an_event(query: str) -> bool:
    """An event word, a date or a place in the query."""
    words = phrase_words(query)
    if any(w in EVENT_WORDS for w in words):
        return True
    f = features(query, None)
    return bool(f.month_day or f.date or f.year or f.participants or venue_in(query))


def events_by_context(db: Database, query: str) -> list[int]:
    """Events of the query's kind held where it says or involving the people it names."""
    f = features(query, None)
    if not f.type:
        return []
    found: set[int] = set()
    place = venue_in(query)
    words = [w for w in phrase_words(query) if w not in EVENT_WORDS and w not in _QUERY_FILLER]
    places = {w for w in words if place_named(w) is not None}
    if place:
        found |= set(queries.events_at_venue(db, place, f.type))
    # People and bodies the query names ("Blinken's call"): the events of that kind their
    # claims are about, or in which they are spoken of.
    named = [w for w in words if w not in places and not places_in((w,))]
    people: set[int] = set()
    for word in named:
        people |= {
            ref.id
            for ref in entity_refs(db, candidates_by_name(db, word))
            if ref.kind in ("person", "organization")
        }
    if people:
        found |= set(queries.events_involving(db, f.type, sorted(people)))
    return sorted(found)


def pick(db: Database, query: str, *, role: str = "entity or event") -> Picked:
    """The best match of a query (see the module's docstring); NotFoundError when none."""
    text = query.strip()
    if text.lstrip("#").isdigit():
        return Picked(find_entity(db, text, role=role))
    by_name = set(candidates_by_name(db, query))
    ids = by_name | set(matching_event_ids(db, query)) | set(events_by_context(db, query))
    refs = entity_refs(db, sorted(ids))
    if not refs:
        raise NotFoundError(f"no {role} matches '{query}'{suggestions(db, query)}")
    if len(refs) == 1:
        return Picked(refs[0])
    counts = queries.claim_counts(db, [r.id for r in refs], COUNT_CAP)
    eventish = speaks_of_an_event(query)

    def rank(ref: EntityRef) -> tuple[bool, bool, int, int]:
        is_event = ref.kind == "event"
        return (is_event != eventish, ref.id not in by_name, -counts[ref.id], ref.id)

    ordered = sorted(refs, key=rank)
    return Picked(ordered[0], ordered[1:], counts[ordered[0].id])
