"""What an event mention says about its event: date, participants, kind, other words.

"the three-way meeting of Chile, Peru and the European Union on March 9" reads as
2025-03-09 (in a text published on 2025-03-07), Chile + Peru + European Union, a gathering
("meeting"), "three-way". Relative dates ("tomorrow", "today's", "on Friday")
are resolved against the document's publication date, with dateparser. `score` says how
likely two mentions name one event (0 when something rules it out).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

import dateparser
from rapidfuzz import fuzz

from stance.core.canonical import EVENT_WORDS
from stance.core.gazetteer import PLACES, phrase_words, places_in

SURE = 0.8  # at or above: the same event without asking
# Words that point back at an event rather than name it ("the mentioned meeting").
REFERRING_WORDS = frozenset(
    "mentioned aforementioned said above same this that upcoming planned scheduled "
    "forthcoming latest recent next previous last".split()
)
DOUBTFUL = 0.55  # from here up to SURE: the judge decides
NEAR_DAYS = 14  # a document this close to a dated event may speak of it without a date

_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTH_DAY = re.compile(_MONTH + r"\.?\s*(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s*(\d{4}))?", re.I)
_DAY_MONTH = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s*(?:of\s+)?" + _MONTH + r"\b(?:,?\s*(\d{4}))?", re.I
)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_RELATIVE = re.compile(r"\b(today|tonight|tomorrow|yesterday|the day after tomorrow)\b", re.I)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(?:(last|next|this|on|coming)\s+)?(" + "|".join(_WEEKDAYS) + r")\b", re.I)
_TYPES: dict[str, str] = {
    **dict.fromkeys(
        "meeting meetings conference summit session forum gathering consultations "
        "round ceremony".split(),
        "gathering",
    ),
    **dict.fromkeys("talks negotiations dialogue".split(), "talks"),
    **dict.fromkeys("call phonecall".split(), "call"),
    **dict.fromkeys("visit".split(), "visit"),
    **dict.fromkeys("exercises exercise drills".split(), "exercises"),
    **dict.fromkeys("election elections referendum".split(), "election"),
    **dict.fromkeys("outage outages meltdown blackout".split(), "outage"),
}
_COMPATIBLE: set[frozenset[str]] = set()  # kinds that may name one event
_DATE_WORDS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec today tonight tomorrow yesterday day after
    last next this coming on of in for at the a an and between with scheduled planned held
    to be set by""".split()
) | frozenset(_WEEKDAYS)
DATE_WORDS = _DATE_WORDS  # words of dates and their links, never a name


@dataclass(frozen=True)
class EventFeatures:
    """What identifies an event mention: when, who, what kind, and its other words."""

    date: str | None = None  # ISO date
    month_day: str | None = None  # "04-05", known even when the year is not
    participants: tuple[str, ...] = ()  # canonical place names, in order of mention
    type: str | None = None  # "gathering", "talks", "call", ...
    type_word: str | None = None  # the word the text used ("meeting")
    words: tuple[str, ...] = field(default=())  # other content words ("trilateral", "joint")
    year: str | None = None  # a year named alone ("the Prague meeting in 2022")
    proper: tuple[str, ...] = ()  # capitalised words of the name ("prague", "munich")
    venue: str | None = None  # where it takes place, as written ("Brussels", "Lisvane")

    def describe(self) -> str:
        parts = [
            f"date: {self.date or (self.month_day and '--' + self.month_day) or 'unknown'}",
            f"participants: {', '.join(self.participants) or 'unknown'}",
            f"kind: {self.type_word or 'unknown'}",
        ]
        return "; ".join(parts)


# --- Reading a mention ---------------------------------------------------------------------


def _base(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _parse(text: str, base: dt.date) -> dt.date | None:
    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime.combine(base, dt.time()),
            "PREFER_DATES_FROM": "current_period",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date() if parsed else None


def _month_number(word: str) -> int:
    months = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    return months.index(word[:3].lower()) + 1


def _with_year(month: int, day: int, year: str | None, base: dt.date | None) -> str | None:
    if year:
        try:
            return dt.date(int(year), month, day).isoformat()
        except ValueError:
            return None
    if base is None:
        return None
    found = _parse(f"{day} {dt.date(2000, month, 1):%B}", base)
    if found is None:
        return None
    # A month and day without a year: the occurrence nearest to the document's date.
    if (found - base).days > 183:
        found = found.replace(year=found.year - 1)
    elif (base - found).days > 183:
        found = found.replace(year=found.year + 1)
    return found.isoformat()


def find_date(text: str, published: str | None) -> tuple[str | None, str | None]:
    """(ISO date, "MM-DD") of the date a name gives, relative ones against `published`."""
    base = _base(published)
    if m := _ISO.search(text):
        return m.group(0), f"{m.group(2)}-{m.group(3)}"
    for pattern, order in ((_MONTH_DAY, "md"), (_DAY_MONTH, "dm")):
        if m := pattern.search(text):
            month_word, day_text = (
                (m.group(1), m.group(2)) if order == "md" else (m.group(2), m.group(1))
            )
            month, day = _month_number(month_word), int(day_text)
            if not 1 <= day <= 31:
                continue
            return _with_year(month, day, m.group(3), base), f"{month:02d}-{day:02d}"
    if base is None:
        return None, None
    if m := _RELATIVE.search(text):
        word = m.group(1).lower()
        found = (
            base + dt.timedelta(days=2)
            if word.startswith("the day")
            else _parse("today" if word == "tonight" else word, base)
        )
        return (found.isoformat(), f"{found:%m-%d}") if found else (None, None)
    if m := _WEEKDAY.search(text):
        found = _weekday(base, _WEEKDAYS.index(m.group(2).lower()), (m.group(1) or "").lower())
        return found.isoformat(), f"{found:%m-%d}"
    return None, None


def _weekday(base: dt.date, weekday: int, modifier: str) -> dt.date:
    """ "on Friday": the nearest Friday (news speaks of this week); "last"/"next" as said."""
    ahead = (weekday - base.weekday()) % 7
    if modifier == "last":
        return base - dt.timedelta(days=(7 - ahead) if ahead else 7)
    if modifier in ("next", "coming"):
        return base + dt.timedelta(days=ahead or 7)
    return base + dt.timedelta(days=ahead if ahead <= 3 else ahead - 7)


def _event_type(words: tuple[str, ...]) -> tuple[str | None, str | None]:
    for word in words:
        if word in _TYPES:
            return _TYPES[word], word
    for word in words:  # words run together: "trilateralmeeting"
        for type_word, kind in _TYPES.items():
            if len(type_word) >= 4 and word.endswith(type_word):
                return kind, type_word
    return None, None


def features(name: str, published: str | None, given_date: str | None = None) -> EventFeatures:
    """The features of an event mention, in the context of its document's date."""
    # Split words run together with a number ("April5") before reading the date.
    spaced = re.sub(r"(?<=[a-z])(?=\d)", " ", name, flags=re.I)
    date, month_day = find_date(spaced, published)
    if given_date:
        date, month_day = given_date, given_date[5:10]
    words = phrase_words(spaced)
    spans = places_in(words)
    participants: list[str] = []
    for _, _, place in spans:
        if place.name not in participants:
            participants.append(place.name)
    in_place = {i for s, e, _ in spans for i in range(s, e)}
    kind, type_word = _event_type(words)
    rest = tuple(
        w[: -len(type_word)] if type_word and w.endswith(type_word) and w != type_word else w
        for i, w in enumerate(words)
        if i not in in_place
        and w not in _DATE_WORDS
        and not w.isdigit()
        and w not in EVENT_WORDS
        and w != type_word
    )
    year = m.group(0) if not date and (m := _YEAR.search(spaced)) else None
    proper = tuple(
        dict.fromkeys(
            w
            for token in spaced.split()
            if token[:1].isupper()
            for w in phrase_words(token)
            if w in rest
        )
    )
    return EventFeatures(
        date, month_day, tuple(participants), kind, type_word, rest, year, proper, venue_in(spaced)
    )


_VENUE = re.compile(r"\b(?:in|at)\s+((?:[A-Z][\w'’-]+)(?:[ -][A-Z][\w'’-]+)?)")
_NOT_VENUES = frozenset(_DATE_WORDS | {"the", "a", "an", "its", "his", "her", "their", "our"})


def venue_in(text: str) -> str | None:
    """Where an event takes place: a capital the text names ("Brussels meeting"), or a
    capitalised place after "in"/"at" ("the conference in Lisvane")."""
    for m in _VENUE.finditer(text):
        place = m.group(1)
        words = phrase_words(place)
        if words and words[0] not in _NOT_VENUES and not places_in(words):
            return place
    words = phrase_words(text)
    for capital in _capitals():
        if capital in words:
            return capital.title()
    return None


@lru_cache(maxsize=1)
def _capitals() -> tuple[str, ...]:
    return tuple(c.lower() for p in PLACES for c in p.capitals if " " not in c)


_LINKS = frozenset({"of", "between", "with", "among"})


def with_context(f: EventFeatures, quote: str | None, published: str | None) -> EventFeatures:
    """Fill what a name leaves out from the clause of the quote around it.

    "summit" in "...the summit planned for Lima next Friday will fail..." is dated by its
    clause; "joint meeting" in "the joint meeting of the Chile-EU-Peru format" takes the
    parties named right before it or after "of", "between", "with". Places elsewhere in the
    clause ("not aimed at Bolivia") are not parties.
    """
    if not quote or not f.type_word or (f.date and f.participants and f.venue):
        return f
    at = quote.lower().find(f.type_word)
    if at < 0:
        return f
    stops = (". ", "; ", "? ", "! ")
    start = max(quote.rfind(stop, 0, at) for stop in stops) + 1
    ends = [e for e in (quote.find(stop, at) for stop in stops) if e >= 0]
    clause = quote[start : min(ends) if ends else len(quote)]
    when = features(clause, published)
    before = phrase_words(quote[start:at])[-4:]
    after = phrase_words(quote[at:])[1:13]
    near = before + (after if after[:1] and after[0] in _LINKS else ())
    parties = tuple(dict.fromkeys(place.name for _, _, place in places_in(near)))
    return EventFeatures(
        f.date or when.date,
        f.month_day or when.month_day,
        f.participants or parties,
        f.type,
        f.type_word,
        f.words,
        f.year or when.year,
        f.proper,
        f.venue or venue_in(quote[at:][:80]),
    )


def label(f: EventFeatures, fallback: str) -> str:
    """A short canonical name: "Armenia–EU–US meeting, Brussels, 2024-04-05".

    Participants (in alphabetical order, joined by en dashes), the kind of event as the
    text named it, the venue and the date, each when known; with none of them, the first
    words of a mention, never a whole sentence.
    """
    if not f.type_word or not (f.date or f.month_day or f.participants or f.venue):
        return short_name(fallback)
    shorts = {p.name: p.short for p in PLACES}
    who = "–".join(sorted(shorts.get(p, p) for p in f.participants))
    when = f.date or (
        f.month_day and dt.date(2000, *map(int, f.month_day.split("-"))).strftime("%B %-d")
    )
    type_word = "meeting" if f.type_word == "meetings" else f.type_word
    parts = [f"{who} {type_word}" if who else type_word.capitalize()]
    if f.venue:
        parts.append(f.venue)
    if when:
        parts.append(when)
    return ", ".join(parts)


def short_name(name: str, max_words: int = 6) -> str:
    """A mention cut to a name: its first words, without a leading article."""
    words = name.split()
    while words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words[:max_words]) or name


# --- Matching -----------------------------------------------------------------------------------


def _year(f: EventFeatures) -> str | None:
    return f.date[:4] if f.date else f.year


def score(
    a: EventFeatures, b: EventFeatures, *, same_document: bool, published: str | None = None
) -> float:
    """How likely two mentions name one event, 0..1; 0 when something rules it out."""
    if a.date and b.date and a.date != b.date:
        return 0.0
    if a.month_day and b.month_day and a.month_day != b.month_day:
        return 0.0
    if _year(a) and _year(b) and _year(a) != _year(b):
        return 0.0
    if a.participants and b.participants:
        pa, pb = set(a.participants), set(b.participants)
        # Other parties on both sides ("Armenia-Azerbaijan" and "US-EU-Armenia"): not one event.
        if not (pa <= pb or pb <= pa):
            return 0.0
        who = len(pa & pb) / len(pa | pb)
    else:
        who = 0.5
    if a.type and b.type and a.type != b.type and frozenset({a.type, b.type}) not in _COMPATIBLE:
        return 0.0
    kind = 1.0 if a.type and a.type == b.type else 0.5
    if (a.month_day or a.date) and (b.month_day or b.date):
        when = 1.0
    else:
        dated = a.date or b.date
        near = (
            dated
            and published
            and abs(
                (dt.date.fromisoformat(dated[:10]) - dt.date.fromisoformat(published[:10])).days
            )
            <= NEAR_DAYS
        )
        when = 0.6 if near else 0.3
    same_day = bool(a.date and a.date == b.date)
    # A name of its own ("the Prague meeting", "Munich Security Conference") must be shared.
    if (
        a.proper
        and not same_day
        and not set(a.proper) & (set(b.words) | set(phrase_words(b.venue or "")))
    ):
        return 0.0
    if a.words and b.words:
        name = fuzz.token_set_ratio(" ".join(a.words), " ".join(b.words)) / 100
    else:
        name = 0.5
    # A mention with no date and no participants says too little outside its own document,
    # unless its distinctive words are the event's ("the trilateral meeting"); inside it, it
    # may not bring words of its own that the event lacks ("the peace agreement" is not "the
    # trilateral meeting"; "the meeting" and "the mentioned meeting" may be).
    foreign_words = bool(set(a.words) - set(b.words) - REFERRING_WORDS) and not (
        set(a.words) & set(b.words)
    )
    if (
        not (a.date or a.month_day or a.participants)
        and (not same_document or foreign_words)
        and not (a.words and name >= 0.9)
    ):
        return min(0.4, 0.4 * when + 0.3 * who + 0.15 * kind + 0.15 * name)
    # Named in the same document, or by a name of its own ("COP29"): more likely the same.
    bonus = 0.2 if same_document or (a.proper and name >= 0.9) else 0.0
    total = 0.4 * when + 0.3 * who + 0.15 * kind + 0.15 * name + bonus
    return min(total, 1.0)


def union(a: EventFeatures, b: EventFeatures) -> EventFeatures:
    return EventFeatures(
        a.date or b.date,
        a.month_day or b.month_day,
        tuple(dict.fromkeys(a.participants + b.participants)),
        a.type or b.type,
        a.type_word or b.type_word,
        tuple(dict.fromkeys(a.words + b.words)),
        a.year or b.year,
        tuple(dict.fromkeys(a.proper + b.proper)),
        a.venue or b.venue,
    )
