"""Events a document talks about, for the rules extractor.

"The trilateral meeting between Canada, the European Union and Norway on May 12" is
the event "May 12 trilateral meeting (Canada-EU-Norway)" (dated with the publication's year
when the text gives none); a later "the meeting on April 5" or "the mentioned meeting" is
the same event, and "the Prague meeting in 2022" another. Mentions of one family of nouns
("the talks", "the negotiations"; "a deal", "the acquisition") with nothing that tells them
apart refer to the latest event of that family. "X ... to acquire Y" names the event
"X acquisition of Y".
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, field

from stance.extraction.rules.lexicon import (
    ANONYMOUS_NOUNS,
    BODY_NOUNS,
    EVENT_NOUN_FAMILIES,
    EVENT_NOUNS,
    GENERIC_EVENT_MODIFIERS,
    MONTH_NUMBERS,
    MONTHS,
    NOT_NAME_WORDS,
    PLACE_FORMS,
    SHORT_NAMES,
    TOPIC_EVENT_NOUNS,
    words,
)
from stance.extraction.rules.mentions import LOOKBACK, Mentions
from stance.extraction.rules.phrases import CHAIN, POSSESSIVE_END, word_key

# --- Patterns ------------------------------------------------------------------------------------

_EVENT_NOUN = re.compile(r"\b(" + "|".join(sorted(EVENT_NOUNS, key=len, reverse=True)) + r")\b")
_MONTH = r"(" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_DATE_AFTER = re.compile(
    r"^[^.;:!?\"“”]{0,140}?\b(?:on|for|of|set for|scheduled for|held on)\s+"
    + _MONTH
    + r"\s*(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s*(\d{4}))?"
)
_DATE_BEFORE = re.compile(
    r"\b" + _MONTH + r"\s*(\d{1,2})(?:st|nd|rd|th)?(?:,?\s*(\d{4}))?(?:['’]s)?\s+"
    r"(?:[\w-]+\s+){0,2}$"
)
# An event's own name set off after its noun: "The joint exercise of the two armies, Iron
# Gate 2025, opened today" names the exercise "Iron Gate exercise".
_NAMED_AFTER = re.compile(
    r"^(?:\s+(?:of|between|with|by)\s+[^,.;:\"“”]{1,80})?,\s+((?:[A-Z][\w'’-]+\s+){0,3}"
    r"[A-Z][\w'’-]+(?:\s+\d{4})?),\s+(?:opened|began|started|ended|closed|will|was|is|has"
    r"|took|takes|which|involving|brought|brings)\b"
)
_ENDS = re.compile(r"\b(?:end(?:s|ed)?|until|till|through|clos(?:e|es|ed)|finish(?:es|ed)?)\b")
_YEAR_AFTER = re.compile(r"^[^.;:!?\"“”]{0,40}?\bin\s+((?:19|20)\d{2})\b")
_BETWEEN = re.compile(
    r"^[^.;:!?\"“”]{0,30}?\bbetween\s+(.{1,160}?)(?=\s+(?:on|in|at|for|was|were|is|are|will"
    r"|would|had|has|have|held|scheduled|set|to|that|which)\b|[.;:!?]|,\s*(?:despite|which|who"
    r"|but)\b|$)"
)
_ACQUISITION = re.compile(
    r"(?P<buyer>" + CHAIN.pattern + r")\s+(?:[^.;:\"“”]{0,60}?\s)?(?:to\s+)?(?P<verb>acquire|buy"
    r"|purchase|take\s+over)\s+(?:[\w-]+\s+){0,4}?(?P<bought>" + CHAIN.pattern + r")"
    r"(?=\s+(?:for|in|from|at|with|by|and|if|as|after|before)\b|\s*[,.;:]|$)"
)
_MODIFIER = re.compile(
    r"^(?:[A-Z][\w'’.-]*|[a-z]+(?:al|ic|ary|ive|ian|ese|ist)|peace|trade|security|climate"
    r"|energy|nuclear|border|budget|cabinet|leaders|emergency|annual|joint|snap|crisis"
    r"|ceasefire|board|shareholder|shareholders|council|committee|press|cup|league|title"
    r"|group|world|military|summit|ministerial|tripartite|quadrilateral)$"
)


# What opens a noun phrase before an event noun ("the", "its", a possessive).
_PHRASE_OPENERS = words("events", "phrase openers")
_COMPOUND = re.compile(r"[a-z][a-z-]{2,}")
# Lower-case words that are not nouns of a compound ("would reform", "said review").
_NOT_COMPOUND = words("events", "not compound")
_ABOUT = re.compile(r"\s+(of|over|into|on|against)\s+((?:[\w'’-]+\s+){0,3}[\w'’-]+)")
# Nouns that name what they are "on" ("a ban on logging"); after others "on" is anything
# ("blamed the outbreak on the city").
_ON_NOUNS = words("events", "on nouns")
_NOT_ABOUT = _NOT_COMPOUND | frozenset(
    """that which who whom whose to for in at by as on of its their his her our this these
    those it they he she we i""".split()
)
CALENDAR_WORDS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday today yesterday".split()
)


@dataclass
class Event:
    """An event as the document describes it, gathered over all its mentions."""

    family: str  # "meeting", "talks" (negotiations), ...
    noun: str  # the noun as the text uses it
    descriptors: list[str] = field(default_factory=list)  # "trilateral", "Prague", "peace"
    participants: list[str] = field(default_factory=list)  # canonical place names
    month: int | None = None
    day: int | None = None
    year: int | None = None
    acquired: str | None = None  # what an acquisition acquires
    about: str | None = None  # what it is of or about: "over water rights"

    def compatible(self, other: Event) -> bool:
        """Could two descriptions be of one event (no date, descriptor or party disagrees)?"""

        def clash(a: object, b: object) -> bool:
            return a is not None and b is not None and a != b

        if clash(self.month, other.month) or clash(self.day, other.day):
            return False
        if clash(self.year, other.year):
            return False
        mine, theirs = {d.lower() for d in self.descriptors}, {d.lower() for d in other.descriptors}
        if mine and theirs and not mine & theirs:
            return False
        return not (
            self.participants
            and other.participants
            and not set(self.participants) & set(other.participants)
        )

    def absorb(self, other: Event) -> None:
        """Take in what a further mention of the event adds (a date, a party, a descriptor)."""
        self.month = self.month or other.month
        self.day = self.day or other.day
        self.year = self.year or other.year
        for d in other.descriptors:
            if d.lower() not in {x.lower() for x in self.descriptors}:
                self.descriptors.append(d)
        for p in other.participants:
            if p not in self.participants:
                self.participants.append(p)
        self.about = self.about or other.about

    @property
    def informative(self) -> bool:
        """Does the mention tell this event from others of its kind ("the meeting" does not)?"""
        return bool(self.descriptors or self.participants or self.month or self.year)

    @property
    def name(self) -> str:
        if self.acquired:  # "Solvik Power acquisition of Daugava Solar"
            return f"{' '.join([*self.descriptors, self.noun])} of {self.acquired}"
        described = " ".join([*self.descriptors, self.noun])
        if self.about:  # "investigation into Karl Brandt", "dispute over water rights"
            described = f"{described} {self.about}"
        parties = "-".join(SHORT_NAMES.get(p, p) for p in self.participants)
        if self.month and self.day:
            when = f"{MONTHS[self.month - 1]} {self.day}"
            return f"{when} {described}" + (f" ({parties})" if parties else "")
        if parties:
            return f"{parties} {described}"
        return described

    @property
    def date(self) -> dt.date | None:
        if not (self.month and self.day and self.year):
            return None
        try:
            return dt.date(self.year, self.month, self.day)
        except ValueError:
            return None


class Events:
    """The events a document talks about, and where it mentions each."""

    def __init__(self, view: str, mentions: Mentions, year: int | None) -> None:
        self.events: list[Event] = []
        self.mentions: list[tuple[int, int]] = []  # (offset of the noun, event index)
        self._last_of_family: dict[str, int] = {}
        for m in _ACQUISITION.finditer(view):  # "Solvik Power ... to acquire ... Daugava Solar"
            buyer, bought = m.group("buyer"), m.group("bought")
            deal = Event("deal", "acquisition", descriptors=[buyer], acquired=bought)
            self.events.append(deal)
            self.mentions.append((m.start("verb"), len(self.events) - 1))
            self._last_of_family["deal"] = len(self.events) - 1
        for m in _EVENT_NOUN.finditer(view):
            if _EVENT_NOUN.match(view, m.end() + 1) and view[m.end() : m.end() + 1] == " ":
                continue  # "royalty" of "the royalty reform": a modifier of the next noun
            found = _describe(view, m, mentions)
            if found.month and found.day and not found.year:
                found.year = year
            index = self._match(found)
            if index is None:
                bare = not found.informative and found.noun not in TOPIC_EVENT_NOUNS
                if bare and self._latest(found.family) is None:
                    continue  # "the meeting" with nothing to tell which: no event
                self.events.append(found)
                index = len(self.events) - 1
            else:
                self.events[index].absorb(found)
            self.mentions.append((m.start(), index))
            self._last_of_family[found.family] = index
        self.mentions.sort()

    def _latest(self, family: str) -> int | None:
        return self._last_of_family.get(family)

    def _match(self, found: Event) -> int | None:
        """The event a mention names: the latest compatible one of its kind, if any."""
        if not found.informative:
            return self._latest(found.family)
        for _, index in reversed(self.mentions[-LOOKBACK:]):
            event = self.events[index]
            if event.family == found.family and event.compatible(found):
                return index
        return None

    def latest_before(self, at: int, since: int = 0) -> Event | None:
        """The event the text spoke of last before offset `at` and from offset `since`."""
        index = bisect_left(self.mentions, (at, -1))
        if index == 0 or self.mentions[index - 1][0] < since:
            return None
        return self.events[self.mentions[index - 1][1]]

    def in_span(self, start: int, end: int) -> list[Event]:
        """The events mentioned in view[start:end], in order of first mention."""
        index = bisect_left(self.mentions, (start, -1))
        found: list[Event] = []
        while index < len(self.mentions) and self.mentions[index][0] < end:
            event = self.events[self.mentions[index][1]]
            if event not in found:
                found.append(event)
            index += 1
        return found


def _modifiers(before: list[str], event: Event) -> list[str]:
    """The words before an event noun that tell which it is: "trilateral", "Prague", and
    lower-case nouns of a compound ("the lithium royalty reform") when a determiner or a
    possessive opens the phrase, so that "the minister would reform" gives none."""
    chosen: list[tuple[str, bool]] = []  # (word, is a lower-case compound noun), nearest first
    opened = False
    tokens = before[-4:]
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        bare = token.strip(",")
        lowered = bare.lower()
        if bare != token or lowered in _PHRASE_OPENERS:
            opened = True
            break
        if word_key(bare) in NOT_NAME_WORDS | ANONYMOUS_NOUNS | BODY_NOUNS:
            break
        if re.fullmatch(r"\d{1,2}", bare):
            if index > 0 and tokens[index - 1].strip(",") in MONTH_NUMBERS:
                continue  # the day of "April 5 meeting"
            chosen.append((bare, True))  # "phase 3 trial"
            continue
        if lowered in GENERIC_EVENT_MODIFIERS:
            continue
        if bare in MONTH_NUMBERS:
            continue
        if _MODIFIER.match(bare):
            parties = [p for p in re.split(r"[-–]", bare) if p in PLACE_FORMS]
            if len(parties) >= 2:  # "Canada-EU-Norway meeting"
                event.participants = [PLACE_FORMS[p][0] for p in parties]
                continue
            chosen.append((bare, False))
            if POSSESSIVE_END.search(bare):
                opened = True  # "Norway's pension reform"
                break
            continue
        if _COMPOUND.fullmatch(bare) and lowered not in _NOT_COMPOUND and bare[-2:] != "ed":
            chosen.append((bare, True))
            continue
        break
    if not opened:  # no determiner before them: the lower-case words may be anything
        cut = next((i for i, (_, compound) in enumerate(chosen) if compound), len(chosen))
        chosen = chosen[:cut]
    return [word for word, _ in reversed(chosen)]


def _about(view: str, at: int, noun: str) -> str | None:
    """What an event noun is of or about, when a short phrase says it: "dispute over
    water rights", "investigation into Karl Brandt" (not "talks on Friday")."""
    m = _ABOUT.match(view, at, at + 80)
    if m is None or (m.group(1) == "on" and noun not in _ON_NOUNS):
        return None
    words: list[str] = []
    for word in m.group(2).split():
        if word.lower() in _NOT_ABOUT or word in MONTH_NUMBERS or word in CALENDAR_WORDS:
            break
        words.append(word)
    if not words or words[0][:1].isdigit() or (words[0] == "the" and len(words) == 1):
        return None
    if words[0] == "the":
        words = words[1:]
    return f"{m.group(1)} {' '.join(words)}"


def _describe(view: str, m: re.Match[str], mentions: Mentions) -> Event:
    """The event one mention of an event noun describes (before matching it to others)."""
    noun = m.group(1)
    event = Event(EVENT_NOUN_FAMILIES.get(noun, noun), noun)
    event.descriptors = _modifiers(view[max(0, m.start() - 60) : m.start()].split(), event)
    event.about = _about(view, m.end(), noun)
    date_before = _DATE_BEFORE.search(view, max(0, m.start() - 40), m.start())
    after = view[m.end() : m.end() + 200]
    next_noun = _EVENT_NOUN.search(after)
    if next_noun:
        after = after[: next_noun.start()]
    date_after = _DATE_AFTER.match(after)
    if date_after and _ENDS.search(after, 0, date_after.start(1)):
        date_after = None  # "the exercise ended on May 9": its end, not its date
    date = date_before or date_after
    if date:
        event.month = MONTH_NUMBERS[date.group(1)]
        event.day = int(date.group(2))
        event.year = int(date.group(3)) if date.group(3) else None
    year = _YEAR_AFTER.match(after)
    if year and not event.year:
        event.year = int(year.group(1))
    named = _NAMED_AFTER.match(after)
    if named:  # "the joint exercise of X and Y, Iron Gate 2025,": its name says which
        words = [w for w in named.group(1).split() if not re.fullmatch(r"\d{4}", w)]
        if words and not any(w in PLACE_FORMS for w in words):
            event.descriptors, event.about = words, None
    between = _BETWEEN.match(after)
    if between and not event.participants:
        start = m.end() + between.start(1)
        for place in mentions.places_in(start, start + len(between.group(1))):
            if place.name not in event.participants:
                event.participants.append(place.name)
    return event
