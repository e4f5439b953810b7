"""Events across documents: one entity per event, matched by date, participants and name.

"the trilateral meeting between the U.S., the European Union, and Armenia on April 5",
"the meeting on April 5" and "the EU-Armenia-US joint conference scheduled for April 5,
2024, in Brussels" are one event. Each event mention is stored as a pending entity
(`entities.resolve_entity`); `link_pending` then reads its features in the context of its
document (relative dates such as "tomorrow" or "on Friday" are resolved against the
document's publication date) and matches it with the events already known:

- a date that differs, participants that do not overlap, or kinds of event that cannot be
  one (a call and a summit) rule a match out;
- otherwise a score weighs the date, the participants, the kind and the other words of the
  names, with a bonus when the event is already named in the same document;
- a sure score merges, a low one makes a new event, and a doubtful one goes to the judge
  (`stance.resolve.judge`): the model when one is configured (answers cached), else a fixed rule.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlite_utils import Database

from stance.resolve.entities import entity_refs, separated
from stance.resolve.event_cluster import nearby_sharing_words, same_in_document, shared_near
from stance.resolve.event_features import (
    DOUBTFUL,
    SURE,
    EventFeatures,
    features,
    find_date,
    label,
    score,
    union,
    with_context,
)


def _row(f: EventFeatures, published: str | None) -> dict[str, object]:
    return {
        "date": f.date,
        "month_day": f.month_day,
        "type": f.type,
        "type_word": f.type_word,
        "participants": json.dumps(list(f.participants)),
        "words": json.dumps(list(f.words)),
        "year": f.year,
        "first_published": published,
        "venue": f.venue,
    }


def stored_features(db: Database, entity_id: int) -> EventFeatures | None:
    row = db.execute(
        "select date, month_day, participants, type, type_word, words, year, venue "
        "from events where entity_id = ?",
        [entity_id],
    ).fetchone()
    if row is None:
        return None
    return EventFeatures(
        row[0],
        row[1],
        tuple(json.loads(row[2] or "[]")),
        row[3],
        row[4],
        tuple(json.loads(row[5] or "[]")),
        row[6],
        (),
        row[7],
    )


def _save_features(db: Database, entity_id: int, f: EventFeatures, published: str | None) -> None:
    row = _row(f, published)
    db.execute(
        "insert or replace into events (entity_id, date, month_day, type, type_word, "
        "participants, words, year, first_published, venue) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [entity_id, *row.values()],
    )
    # Shown by its canonical name ("Armenia–EU–US meeting, Brussels, 2024-04-05"), never by
    # the sentence fragment a mention happened to be.
    current = db.execute("select name from entities where id = ?", [entity_id]).fetchone()
    if current is not None:
        db.execute(
            "update entities set name = ? where id = ?", [label(f, str(current[0])), entity_id]
        )
    db.execute("delete from event_participants where entity_id = ?", [entity_id])
    for participant in f.participants:
        db.execute(
            "insert into event_participants (entity_id, participant) values (?, ?)",
            [entity_id, participant],
        )


def merge_event_rows(db: Database, keep: int, drop: int) -> None:
    """When two entities become one, the event data of both is kept (called on every merge)."""
    kept, dropped = stored_features(db, keep), stored_features(db, drop)
    if dropped is not None:
        published = db.execute(
            "select min(first_published) from events where entity_id in (?, ?)", [keep, drop]
        ).fetchone()[0]
        _save_features(db, keep, union(kept, dropped) if kept else dropped, published)
    db.execute("delete from events where entity_id = ?", [drop])
    db.execute("delete from event_participants where entity_id = ?", [drop])
    db.execute("delete from event_pending where entity_id = ?", [drop])


# --- Linking pending mentions -------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """One pending event mention, in its document."""

    entity_id: int
    name: str
    key: str
    document_id: str
    published: str | None
    features: EventFeatures


def _mention(db: Database, entity_id: int) -> Mention | None:
    row = db.execute(
        "select t.name, t.date, d.published, c.document_id, c.quote from claim_targets t "
        "join claims c on c.id = t.claim_id join documents d on d.id = c.document_id "
        "where t.entity_id = ? order by c.id limit 1",
        [entity_id],
    ).fetchone()
    alias = db.execute(
        "select alias, key from aliases where entity_id = ? limit 1", [entity_id]
    ).fetchone()
    if row is None or alias is None:
        return None
    name, given, published, document_id, quote = row
    return Mention(
        entity_id,
        str(name or alias[0]),
        str(alias[1]),
        str(document_id),
        published,
        with_context(features(str(name or alias[0]), published, given), quote, published),
    )


def _candidates(db: Database, m: Mention) -> tuple[set[int], set[int]]:
    """(candidate events, those named in the same document): found through indexes."""
    f = m.features
    found: set[int] = set()
    if f.date:
        found |= {
            int(r[0])
            for r in db.execute(
                "select entity_id from events where date = ? or (date is null and month_day = ?)",
                [f.date, f.month_day],
            ).fetchall()
        }
    elif f.month_day:
        found |= {
            int(r[0])
            for r in db.execute(
                "select entity_id from events where month_day = ?", [f.month_day]
            ).fetchall()
        }
    if f.participants:
        marks = ", ".join("?" for _ in f.participants)
        found |= {
            int(r[0])
            for r in db.execute(
                f"select distinct entity_id from event_participants where participant in ({marks}) "
                "order by entity_id desc limit 500",
                list(f.participants),
            ).fetchall()
        }
    # The same name in another document ("COP29", "Munich Security Conference").
    found |= {
        int(r[0])
        for r in db.execute(
            "select a.entity_id from aliases a join events e on e.entity_id = a.entity_id "
            "where a.key = ? limit 100",
            [m.key],
        ).fetchall()
    }
    found |= set(nearby_sharing_words(db, f, m.published))
    same_document = {
        int(r[0])
        for r in db.execute(
            "select distinct t.entity_id from claims c join claim_targets t on t.claim_id = c.id "
            "join events e on e.entity_id = t.entity_id where c.document_id = ?",
            [m.document_id],
        ).fetchall()
    }
    found |= same_document
    found.discard(m.entity_id)
    return {c for c in found if not separated(db, m.key, c)}, same_document


_judge: ContextVar[object | None] = ContextVar("stance_event_judge", default=None)


@contextmanager
def use_judge(judge: object | None) -> Iterator[None]:
    """Event mentions stored inside this block have their doubtful matches decided by `judge`
    (e.g. `stance.resolve.judge.LLMJudge`); outside, by the rules."""
    token = _judge.set(judge)
    try:
        yield
    finally:
        _judge.reset(token)


class DecideLater:
    """A judge for ingesting with a model: doubtful matches stay pending, to be decided by the
    model when the events are next compared (`link_pending` with an `LLMJudge`), not by a
    request made inside the writer's transaction while other documents wait."""

    name = "later"


class _Deferred(Exception):
    """A doubtful match met while the judge is `DecideLater`."""


def _current_judge(judge: object | None) -> object:
    from stance.resolve.judge import RuleJudge

    return judge or _judge.get() or RuleJudge()


def link_new_mention(db: Database, entity_id: int, name: str, key: str) -> int:
    """Match a mention being stored (by `Store.save_run`) at once; returns the event's id.

    The document is that of the claim stored last: save_run stores each claim, then resolves
    its targets, in one transaction. Without a claim the mention stays pending.
    """
    row = db.execute(
        "select c.document_id, d.published, c.quote from claims c join documents d on d.id = "
        "c.document_id order by c.id desc limit 1"
    ).fetchone()
    if row is None:
        return entity_id
    document_id, published, quote = row
    found = with_context(features(name, published), quote, published)
    mention = Mention(entity_id, name, key, str(document_id), published, found)
    return _link(db, mention, _current_judge(None))


def link_pending(db: Database, judge: object | None = None) -> int:
    """Match every pending event mention with the known events; returns how many were linked."""
    if db.execute("select 1 from event_pending limit 1").fetchone() is None:
        return 0
    decide = _current_judge(judge)
    linked = 0
    with db.atomic():
        pending = [
            int(r[0])
            for r in db.execute("select entity_id from event_pending order by entity_id").fetchall()
        ]
        for entity_id in pending:
            mention = _mention(db, entity_id)
            if mention is None:  # its claim was never stored: nothing refers to it
                db.execute("delete from event_pending where entity_id = ?", [entity_id])
                db.execute("delete from aliases where entity_id = ?", [entity_id])
                db.execute("delete from entities where id = ?", [entity_id])
                continue
            linked += _link(db, mention, decide) != entity_id
    return linked


def _link(db: Database, mention: Mention, judge: object) -> int:
    """Record the mention's features, then fold it into the event it names, if one is known."""
    from stance.resolve.overrides import move_entity

    with db.atomic():
        db.execute("delete from event_pending where entity_id = ?", [mention.entity_id])
        _save_features(db, mention.entity_id, mention.features, mention.published)
        try:
            target = _matching_event(db, mention, judge)
        except _Deferred:
            db.execute("insert into event_pending (entity_id) values (?)", [mention.entity_id])
            return mention.entity_id
        if target is None:
            return mention.entity_id
        move_entity(db, keep=target, drop=mention.entity_id)
        return target


def _matching_event(db: Database, mention: Mention, judge: object) -> int | None:
    merged_into = db.execute(
        "select o.entity_id from entity_overrides o join events e on e.entity_id = o.entity_id "
        "where o.action = 'merge' and o.alias_key = ? order by o.id desc limit 1",
        [mention.key],
    ).fetchone()
    if merged_into is not None:  # the user merged this name into an event before
        return int(merged_into[0])
    candidates, same_document = _candidates(db, mention)
    scored = []
    for candidate in candidates:
        known = stored_features(db, candidate)
        if known is not None:
            value = score(
                mention.features,
                known,
                same_document=candidate in same_document,
                published=mention.published,
            )
            scored.append((value, candidate, known))
    # Undated mentions near in time that share a distinctive word or the venue ("the
    # trilateral meeting" a day after "the June 12 trilateral meeting"), and two names of
    # one kind of event in one document that nothing tells apart.
    for candidate in sorted(candidates):
        first = db.execute(
            "select first_published from events where entity_id = ?", [candidate]
        ).fetchone()
        known = stored_features(db, candidate)
        if known is not None and (
            shared_near(mention.features, mention.published, known, first[0] if first else None)
            or (candidate in same_document and same_in_document(mention.features, known))
        ):
            scored.append((SURE, candidate, known))
    # The best candidates first; a doubtful one is asked about, and a "no" tries the next.
    for value, best, known in sorted(scored, key=lambda s: (-s[0], s[1]))[:3]:
        if value < DOUBTFUL:
            break
        if value >= SURE:
            return best
        if isinstance(judge, DecideLater):
            raise _Deferred
        name = entity_refs(db, [best])[0].name
        aliases = [
            str(r[0])
            for r in db.execute(
                "select alias from aliases where entity_id = ? order by alias limit 8", [best]
            )
        ]
        if judge.same_event(  # type: ignore[attr-defined]
            mention.name, mention.features, mention.published, name, aliases, known, value
        ):
            return best
    return None


def refresh_event(db: Database, entity_id: int) -> None:
    """Recompute an event's data from its mentions (after a split)."""
    rows = db.execute(
        "select t.name, t.date, d.published from claim_targets t join claims c on "
        "c.id = t.claim_id join documents d on d.id = c.document_id where t.entity_id = ?",
        [entity_id],
    ).fetchall()
    merged: EventFeatures | None = None
    for name, given, published in rows:
        f = features(str(name), published, given)
        merged = f if merged is None else union(merged, f)
    if merged is not None:
        first = min((r[2] for r in rows if r[2]), default=None)
        _save_features(db, entity_id, merged, first)


def matching_event_ids(db: Database, query: str) -> list[int]:
    """Events a query names by date and kind ("April 5 meeting", "US-EU-Armenia meeting")."""
    q = features(query, None)
    if not q.type or not (q.month_day or q.participants):
        return []
    if q.month_day:
        rows = db.execute(
            "select entity_id from events where month_day = ?", [q.month_day]
        ).fetchall()
    else:
        marks = ", ".join("?" for _ in q.participants)
        rows = db.execute(
            f"select distinct entity_id from event_participants where participant in ({marks})",
            list(q.participants),
        ).fetchall()
    found = []
    for (entity_id,) in rows:
        known = stored_features(db, int(entity_id))
        if known is None:
            continue
        if (
            q.participants
            and known.participants
            and not set(q.participants) <= set(known.participants)
        ):
            continue
        if score(q, known, same_document=True) > 0:
            found.append(int(entity_id))
    return sorted(found)


__all__ = [
    "EventFeatures",
    "features",
    "find_date",
    "link_new_mention",
    "DecideLater",
    "link_pending",
    "matching_event_ids",
    "score",
    "use_judge",
]
