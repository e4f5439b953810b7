"""One real-world event whatever each outlet calls it: mentions near in time that share a
venue or a distinctive word.

`score` (stance.core.event_features) matches mentions by date and participants. Outlets
often give neither: "the trilateral meeting", "the Lisvane talks", "the conference in
Lisvane". Two such mentions name one event when

- nothing rules it out (another date, other parties, a kind of event that cannot be the
  same: a call is not a summit; talks and a meeting may be),
- they share the venue or a distinctive word of the name ("trilateral", "Lisvane"), not a
  generic one ("joint", "high-level"),
- and they were reported within `NEAR_DAYS` of each other (or one of the articles is
  undated, and then the venue or word must be shared exactly).

Candidates are read through indexes (`events.first_published`, `events.venue`), at most a
few hundred, so the cost per mention does not grow with the database.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import lru_cache

from sqlite_utils import Database

from stance.core.event_features import NEAR_DAYS, REFERRING_WORDS, EventFeatures, features
from stance.core.gazetteer import phrase_words

MAX_NEARBY = 300
# Words of an event's name too common to tell one event from another.
GENERIC_WORDS = REFERRING_WORDS | frozenset(
    """joint first second third high level highest new official formal informal major key
    important historic special regular annual international regional bilateral format
    meeting talks process their his her its our region""".split()
)
_COMPATIBLE = {frozenset({"gathering", "talks"})}


def distinctive(f: EventFeatures) -> set[str]:
    """The words of an event's name that tell it apart ("trilateral", "lisvane")."""
    words = {w for w in f.words if w not in GENERIC_WORDS and len(w) > 3 and not w.isdigit()}
    if f.venue:
        words |= set(phrase_words(f.venue))
    return words


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def compatible(a: EventFeatures, b: EventFeatures) -> bool:
    """Nothing rules out that the two name one event."""
    if a.date and b.date and a.date != b.date:
        return False
    if a.month_day and b.month_day and a.month_day != b.month_day:
        return False
    year_a = a.date[:4] if a.date else a.year
    year_b = b.date[:4] if b.date else b.year
    if year_a and year_b and year_a != year_b:
        return False
    if not (a.type and b.type):
        return False
    if a.type != b.type and frozenset({a.type, b.type}) not in _COMPATIBLE:
        return False
    if a.participants and b.participants:
        pa, pb = set(a.participants), set(b.participants)
        if not (pa <= pb or pb <= pa):
            return False
    return not (a.venue and b.venue and a.venue.lower() != b.venue.lower())


def shared_near(
    a: EventFeatures, a_published: str | None, b: EventFeatures, b_published: str | None
) -> bool:
    """Two mentions that name one event by venue or distinctive word, reported near in time."""
    if not compatible(a, b):
        return False
    shared = distinctive(a) & distinctive(b)
    if not shared:
        return False
    day_a = _day(a.date) or _day(a_published)
    day_b = _day(b.date) or _day(b_published)
    if day_a is None or day_b is None:
        return True  # an undated article: the shared venue or word decides
    return abs((day_a - day_b).days) <= NEAR_DAYS


def nearby_sharing_words(db: Database, f: EventFeatures, published: str | None) -> list[int]:
    """Events reported near `published` whose name shares a distinctive word or the venue."""
    words = sorted(distinctive(f))
    if not words or not f.type:
        return []
    clauses = " or ".join(["lower(venue) = ?"] * len(words) + ["words like ?"] * len(words))
    params: list[object] = [*words, *(f'%"{w}"%' for w in words)]
    day = _day(f.date) or _day(published)
    where = f"({clauses})"
    if day is not None:
        span = dt.timedelta(days=NEAR_DAYS)
        where += " and (first_published is null or first_published between ? and ?)"
        params += [(day - span).isoformat(), (day + span).isoformat() + "\uffff"]
    rows = db.execute(
        f"select entity_id, words, venue from events where {where} "
        f"order by entity_id desc limit {MAX_NEARBY}",
        params,
    ).fetchall()
    found = []
    wanted = set(words)
    for entity_id, known_words, venue in rows:
        if _shares(wanted, known_words, venue):
            found.append(int(entity_id))
    return found


@lru_cache(maxsize=8192)
def _word_set(known_words: str | None, venue: str | None) -> frozenset[str]:
    """The words of a stored event's name and venue (the same few rows are read for every
    mention near them in time)."""
    return frozenset(json.loads(known_words or "[]")) | frozenset(phrase_words(venue or ""))


def _shares(wanted: set[str], known_words: str | None, venue: str | None) -> bool:
    return not wanted.isdisjoint(_word_set(known_words, venue))


def same_in_document(mention: EventFeatures, known: EventFeatures) -> bool:
    """Two names of one kind of event in one document that nothing tells apart: the mention
    brings no common word of its own ("the peace talks" is not "the trilateral meeting");
    a proper name may be the venue ("the Lisvane meeting")."""
    if not compatible(mention, known):
        return False
    # One capitalised word may be a venue the name gives ("Lisvane"); two or more are a
    # name of its own ("Munich Security Conference").
    venue_like = set(mention.proper) if len(mention.proper) == 1 else set()
    own = distinctive(mention) - distinctive(known) - venue_like
    return not own


def own_names(names: list[str]) -> set[tuple[str, ...]]:
    """The names of their own ("Iron Falcon", "Redmoor") that these names of an event carry:
    their capitalised words, as `features` reads them."""
    return {found for name in names if (found := features(name, None).proper)}


@lru_cache(maxsize=256)
def _spaced_words(text: str) -> str:
    return " " + " ".join(phrase_words(text)) + " "


def named_in(names: set[tuple[str, ...]], texts: list[str]) -> bool:
    """Whether one of the texts names one of these names (words in a row, any case)."""
    wanted = [" " + " ".join(name) + " " for name in names]
    return any(w in _spaced_words(text) for text in texts for w in wanted)


def named_across(
    mention: EventFeatures,
    mention_text: str,
    mention_published: str | None,
    known: EventFeatures,
    known_names: Callable[[], list[str]],
    known_texts: Callable[[], list[str]],
    known_published: str | None,
) -> bool:
    """Two names of one event that share no word ("the Redmoor exercise", "the Iron Falcon
    exercise"): the same kind, nothing that tells them apart, reported near in time, and each
    name's article names the other's own name ("... Iron Falcon, the exercise at Redmoor ...").

    A mention without a name of its own ("the drills") only needs its article to name the
    event's. The same kind exactly (talks beside a meeting are not enough), and two names of
    their own must each be named on the other side, so that an article that merely mentions
    another event of the kind joins nothing. The event's names and articles are read only
    when nothing else rules the match out (`known_names`, `known_texts`).
    """
    if not (mention.type and mention.type == known.type) or not compatible(mention, known):
        return False
    day_a = _day(mention.date) or _day(mention_published)
    day_b = _day(known.date) or _day(known_published)
    if day_a is not None and day_b is not None and abs((day_a - day_b).days) > NEAR_DAYS:
        return False
    theirs = own_names(known_names())
    if not theirs or not named_in(theirs, [mention_text]):
        return False
    mine = {mention.proper} if mention.proper else set()
    return not mine or named_in(mine, known_texts())
