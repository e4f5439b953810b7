"""Events across documents: one entity per event, matched by date, participants and name.

"the three-way meeting of Chile, Peru and the European Union on March 9", "the meeting on
March 9" and "the EU-Chile-Peru conference set for 9 March 2025 in Lima" are one event.
Each event mention gets an entity of its own (`entities.resolve_entity`); `link_event` then
reads its features in the context of its document, given explicitly (relative dates such as
"tomorrow" or "on Friday" are resolved against the document's publication date), and matches
it with the events already known:

- a date that differs, participants that do not overlap, or kinds of event that cannot be
  one (a call and a summit) rule a match out;
- otherwise a score weighs the date, the participants, the kind and the other words of the
  names, with a bonus when the event is already named in the same document;
- a sure score merges, a low one makes a new event, and a doubtful one goes to the judge
  (`stance.resolve.judge`): the model when one is configured (answers cached), else a fixed rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from stance.core.event_features import (
    DOUBTFUL,
    NEAR_DAYS,
    SURE,
    EventFeatures,
    features,
    find_date,
    score,
    with_context,
)
from stance.resolve.entities import move_entity, moves_so_far, save_event_features
from stance.resolve.event_cluster import (
    MAX_NEARBY,
    named_across,
    nearby_sharing_words,
    same_in_document,
    shared_near,
)
from stance.resolve.judge import Deferred, Judge
from stance.store import queries


@dataclass(frozen=True)
class Mention:
    """One event mention, in its document."""

    entity_id: int
    name: str
    key: str
    document_id: str
    published: str | None
    features: EventFeatures

    @classmethod
    def read(
        cls,
        entity_id: int,
        name: str,
        key: str,
        *,
        document_id: str,
        published: str | None,
        quote: str | None,
        given_date: str | None,
    ) -> Mention:
        found = with_context(features(name, published, given_date), quote, published)
        return cls(entity_id, name, key, document_id, published, found)


class DocumentEvents:
    """The events named by the claims of one document, through one resolution pass.

    Read from the database once, then kept up to date as the pass gives each target its
    entity (`named`): a long document has thousands of event mentions, and reading all its
    claims again for each would be quadratic. Read again after any merge of entities the
    pass did not make itself (a surname joining its full name), which may change who is
    named where. Only for a mention not yet named by any claim (a new entity).
    """

    def __init__(self, document_id: str) -> None:
        self.document_id = document_id
        self._events: set[int] | None = None
        self._unchecked: set[int] = set()  # named, not known whether events
        self._not_events: set[int] = set()
        self._moves = -1

    def ids(self, db: Database) -> set[int]:
        if self._events is None or self._moves != moves_so_far():
            self._events = queries.document_events(db, self.document_id)
            self._unchecked.clear()
            self._not_events.clear()
            self._moves = moves_so_far()
        elif self._unchecked:
            found = queries.events_among(db, sorted(self._unchecked))
            self._events |= found
            self._not_events |= self._unchecked - found
            self._unchecked.clear()
        return self._events

    def named(self, entity_id: int, *, event: bool) -> None:
        """A claim of the document now names this entity (`event`: known to be an event)."""
        if self._events is None:
            return
        if event:
            self._events.add(entity_id)
        elif entity_id not in self._events and entity_id not in self._not_events:
            self._unchecked.add(entity_id)

    def moved(self, before: int) -> None:
        """The pass folded a mention no claim names yet into an event: nothing changes here,
        if nothing else moved since `before` (`moves_so_far()` before the move)."""
        if self._moves == before:
            self._moves = moves_so_far()


def link_event(
    db: Database, mention: Mention, judge: Judge, document: DocumentEvents | None = None
) -> int:
    """Record the mention's features, then fold it into the event it names, if one is known;
    returns the event's id. Runs inside the caller's transaction. `document`: the events its
    document names, kept by the caller (the mention's entity is new, named by no claim)."""
    db.execute("delete from event_pending where entity_id = ?", [mention.entity_id])
    save_event_features(db, mention.entity_id, mention.features, mention.published)
    try:
        target = _matching_event(db, mention, judge, document)
    except Deferred:  # doubtful: pending until `stance resolve` asks the model
        db.execute("insert into event_pending (entity_id) values (?)", [mention.entity_id])
        return mention.entity_id
    if target is None:
        return mention.entity_id
    before = moves_so_far()
    move_entity(db, keep=target, drop=mention.entity_id)
    if document is not None:
        document.moved(before)
    return target


def link_pending(db: Database, judge: Judge) -> int:
    """Match the event mentions left pending (doubtful matches of an ingest with a model);
    returns how many were linked. Runs inside the caller's transaction."""
    linked = 0
    pending = queries.pending_events(db)
    db.execute("delete from event_pending")  # those deferred again go back
    for entity_id in pending:
        found = queries.first_mention(db, entity_id)
        if found is None:  # its claim was never stored: nothing refers to it
            db.execute("delete from event_pending where entity_id = ?", [entity_id])
            db.execute("delete from aliases where entity_id = ?", [entity_id])
            db.execute("delete from entities where id = ?", [entity_id])
            continue
        name, given, published, document_id, quote, key = found
        mention = Mention.read(
            entity_id,
            name,
            key,
            document_id=document_id,
            published=published,
            quote=quote,
            given_date=given,
        )
        linked += link_event(db, mention, judge) != entity_id
    return linked


def _matching_event(
    db: Database, mention: Mention, judge: Judge, document: DocumentEvents | None
) -> int | None:
    merged_into = queries.event_merged_into(db, mention.key)
    if merged_into is not None:  # the user merged this name into an event before
        return merged_into
    found, same_document = queries.event_candidates(
        db,
        mention.features,
        mention.key,
        mention.document_id,
        document.ids(db) if document is not None else None,
    )
    found |= set(nearby_sharing_words(db, mention.features, mention.published))
    # Events of the same kind near in time: another name of one of them may be named in the
    # mention's article ("named_across"); read only when the article is.
    of_kind: set[int] = set()
    if mention.features.type:
        day = mention.features.date or (mention.published or "")[:10] or None
        of_kind = set(
            queries.events_of_kind_near(db, mention.features.type, day, NEAR_DAYS, MAX_NEARBY)
        )
        found |= of_kind
    found.discard(mention.entity_id)
    found -= queries.split_off(db, mention.key)
    stored = queries.stored_features_of(db, sorted(found))
    first_published = queries.first_published_of(db, sorted(found))
    scored = []
    texts: dict[str, str] = {}  # the mention's article, read once when needed
    for candidate in sorted(found):
        known = stored.get(candidate)
        if known is not None:
            value = score(
                mention.features,
                known,
                same_document=candidate in same_document,
                published=mention.published,
            )
            # Undated mentions near in time that share a distinctive word or the venue ("the
            # trilateral meeting" a day after "the June 12 trilateral meeting"), and two names
            # of one kind of event in one document that nothing tells apart.
            if shared_near(
                mention.features,
                mention.published,
                known,
                first_published.get(candidate),
            ) or (candidate in same_document and same_in_document(mention.features, known)):
                value = max(value, SURE)
            elif candidate in of_kind and _named_across(
                db, mention, (candidate, known, first_published.get(candidate)), texts
            ):
                value = max(value, SURE)
            scored.append((value, candidate, known))
    # The best candidates first; a doubtful one is asked about, and a "no" tries the next.
    for value, best, known in sorted(scored, key=lambda s: (-s[0], s[1]))[:3]:
        if value < DOUBTFUL:
            break
        if value >= SURE:
            return best
        name = queries.entity_refs(db, [best])[0].name
        aliases = queries.aliases_of(db, best, limit=8)
        if judge.same_event(
            mention.name, mention.features, mention.published, name, aliases, known, value
        ):
            return best
    return None


def _named_across(
    db: Database,
    mention: Mention,
    event: tuple[int, EventFeatures, str | None],
    texts: dict[str, str],
) -> bool:
    """`named_across` for a known `event` (id, features, first published); `texts`: the
    mention's article once read."""
    candidate, known, known_published = event
    if mention.document_id not in texts:
        texts[mention.document_id] = queries.document_text(db, mention.document_id)
    return named_across(
        mention.features,
        texts[mention.document_id],
        mention.published,
        known,
        lambda: queries.aliases_of(db, candidate, limit=20),
        lambda: queries.document_texts_of_event(db, candidate),
        known_published,
    )


__all__ = [
    "DocumentEvents",
    "EventFeatures",
    "Mention",
    "features",
    "find_date",
    "link_event",
    "link_pending",
]
