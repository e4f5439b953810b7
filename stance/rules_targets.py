"""What a claim is about, and how the speaker stands toward it, for the rules extractor.

Targets come from the claim's own words: countries and blocs of a small gazetteer
("Azerbaijani side" is Azerbaijan, "Moscow has not been constructive" is Russia), people and
bodies the document named, the events it talks about (stance.rules_events), definite nouns
that point back to a body ("the company", "the bloc"), the speaker's own side ("we", "his
squad"), and two kinds of anaphora ("the two nations", "such steps").

Stance is read from the wording: the balance of negative and positive words in the clause
around the target, then in the whole claim (a negator just before a word turns it round; a
good word right after a harming verb, "undermines the peace process", counts as bad). A
target on the receiving end of criticism ("anti-Azerbaijan", "threat to Armenia") is
defended, one pressed to act ("the need for Azerbaijan to ...") is criticised, and the
speaker's own side is supported.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

from stance.lexicon import (
    ADDRESSEE_AFTER,
    ADDRESSEE_BEFORE,
    ANAPHORIC_SUBJECT,
    CLAIM_TYPE_WORDS,
    DEMONYMS,
    HARM_VERBS,
    MONTH_NUMBERS,
    NEGATIVE_WORDS,
    NEGATORS,
    OWN_SIDE,
    PAIR_ANAPHORA,
    PLACE_FORMS,
    POSITIVE_WORDS,
    VICTIM_MARKERS,
    WEEKDAYS,
    cue_claim_type,
)
from stance.models import ClaimType, Stance, Target, TargetKind
from stance.names import name_words
from stance.rules_events import Event, Events
from stance.rules_mentions import LOOKBACK, Mentions, Person
from stance.rules_phrases import CHAIN, POSSESSIVE_END, chain_parts, word_key

# --- Targets -----------------------------------------------------------------------------------


@dataclass
class Found:
    """A target found in a claim, before its stance is read."""

    name: str
    kind: TargetKind
    at: int  # view offset of the mention (-1 for targets found by anaphora)
    date: dt.date | None = None
    end: int = -1  # view offset just after the mention, when known


@dataclass(frozen=True)
class Claimant:
    """Who makes a claim, as far as targets and stances need to know."""

    name: str
    kind: str  # "person", "body", "anonymous" or "unresolved" (see rules_mentions.Speaker)
    person: Person | None = None

    @property
    def own(self) -> list[str]:
        """The speaker's own side: a body itself, a person's organisation and country."""
        if self.person is not None:
            bodies = sorted(a for a in self.person.affiliations if a not in PLACE_FORMS)
            countries = sorted(a for a in self.person.affiliations if a in PLACE_FORMS)
            return bodies + countries
        return [self.name] if self.kind == "body" else []


_DEFINITE_BODY = re.compile(
    r"\b(?:the|its|their)\s+(company|firm|club|league|agency|bloc|alliance|port|ministry"
    r"|regulator|lender|utility|team|court|commission|council|delegation)\b"
)
_BLOC_NOUNS = frozenset({"bloc", "alliance", "union"})
# Words that make a capitalised chain a titled role ("French Minister of Foreign Affairs").
_TITLE_HEADS = frozenset(
    """minister president secretary prime foreign ambassador chancellor envoy spokesperson
    spokesman leader""".split()
)
_ACCUSED = re.compile(r"(?:the\s+)?([a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s+(?:of|for|on)\s")


def find_targets(
    view: str,
    start: int,
    end: int,
    *,
    mentions: Mentions,
    events: Events,
    claimant: Claimant,
    previous_events: list[Event],
    claim_type: str,
    lemma: str,
) -> list[Found]:
    """The people, bodies, countries and events the claim at view[start:end] is about."""
    found: list[Found] = []
    covered: list[tuple[int, int]] = []
    quote = view[start:end]

    def add(item: Found, span: tuple[int, int] | None = None) -> None:
        """Keep one target per name; remember the text it covers (so that "French" in
        "French Minister" is not France as well)."""
        key = "".join(name_words(item.name)) or item.name.lower()
        if key in {"".join(name_words(f.name)) or f.name.lower() for f in found}:
            return
        if span:
            item.end = span[1]
            covered.append(span)
        found.append(item)

    in_claim = events.in_span(start, end)
    for event in in_claim:
        add(Found(event.name, "event", _event_offset(events, event, start), event.date))
    if ANAPHORIC_SUBJECT.match(quote) and not in_claim:
        for event in previous_events:  # "such steps": what the speaker was just talking about
            add(Found(event.name, "event", -1, event.date))

    places = mentions.places_in(start, end)
    named = {d.lower() for event in in_claim for d in event.descriptors}
    for m in CHAIN.finditer(view, start, end):
        for offset, tokens in chain_parts(m):
            inside_place = any(
                p.start <= offset < p.end and not p.demonym for p in places
            )  # "West" of "the West"
            if not inside_place and " ".join(tokens).lower() not in named:  # "Prague meeting"
                _chain_target(offset, tokens, start, mentions, claimant, add)

    for place in places:
        if place.locative or any(a <= place.start < b for a, b in covered):
            continue
        add(Found(place.name, place.kind, place.start), (place.start, place.end))

    for m in _DEFINITE_BODY.finditer(view, start, end):  # "the company", "the bloc"
        body = _body_for(mentions, m.group(1), m.start())
        if body is not None:
            add(Found(body[0], body[1], m.start(1)), (m.start(1), m.end(1)))

    pair = PAIR_ANAPHORA.search(quote)
    if pair:
        for country in mentions.latest_countries(start + pair.start(), 2):
            add(Found(country, "country", start + pair.start()))
    itself = claimant.kind == "body" and re.search(r"\b(?:it|its)\b", quote, re.IGNORECASE)
    if OWN_SIDE.search(quote) or claim_type == "denial" or itself:  # "we", "our club"
        for name in claimant.own[:1]:
            add(Found(name, "organization" if name not in PLACE_FORMS else "country", -1))
    if claim_type == "denial" and claimant.kind == "person":  # a denial defends the denier
        add(Found(claimant.name, "person", -1))
    accused = _ACCUSED.match(quote) if claim_type == "accusation" and lemma in _ACCUSING else None
    if accused and not found:  # "accused the prosecution of ...": a target without a name
        add(Found(accused.group(1), "other", start + accused.start(1)))
    return found


_ACCUSING = frozenset({"accuse", "blame", "allege"})


def _body_for(mentions: Mentions, noun: str, at: int) -> tuple[str, TargetKind] | None:
    """(name, kind) of the body a definite noun in a claim refers to."""
    if noun in _BLOC_NOUNS:
        bloc = mentions.latest_place("organization", at)
        return (bloc, "organization") if bloc is not None else None
    body = mentions.latest_body(noun, at)
    return (body.name, "organization") if body is not None else None


def _event_offset(events: Events, event: Event, start: int) -> int:
    """Where the claim starting at `start` first mentions the event."""
    first = bisect_left(events.mentions, (start, -1))
    for at, index in events.mentions[first : first + LOOKBACK]:
        if events.events[index] is event:
            return at
    return start


def _chain_target(
    offset: int,
    tokens: list[str],
    quote_start: int,
    mentions: Mentions,
    claimant: Claimant,
    add: Callable[[Found, tuple[int, int]], None],
) -> None:
    """A target from one capitalised chain: a person, a titled role, a body or a name."""
    text = POSSESSIVE_END.sub("", " ".join(tokens))
    span = (offset, offset + len(" ".join(tokens)))
    person = mentions.person_of(text)
    if person is not None:
        if person is not claimant.person and person.name != claimant.name:  # not the speaker
            add(Found(person.name, "person", offset), span)
        return
    if text in PLACE_FORMS or text in DEMONYMS:
        return
    words = [word_key(t) for t in tokens]
    if tokens[0] in DEMONYMS and len(tokens) > 1:  # "French Minister of Foreign Affairs"
        add(Found(text, "person" if words[1] in _TITLE_HEADS else "other", offset), span)
        return
    body = mentions.body_called(text)
    if body is not None:
        add(Found(body.name, body.kind, offset), span)
        return
    if offset == quote_start and len(tokens) == 1:
        return  # a capitalised first word is not a name by itself
    if tokens[0] in MONTH_NUMBERS or tokens[0] in WEEKDAYS or text.isdigit():
        return
    if any(w in _TITLE_HEADS for w in words) and not mentions.person_of(text):
        return  # a bare title ("the President") is not a target by itself
    add(Found(text, "other", offset), span)


# --- Stance ------------------------------------------------------------------------------------

_HARM = re.compile(r"\b(?:" + HARM_VERBS + r")\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:]|\s(?:but|despite|although|though|while|whereas|yet)\s")


def _within_words(view: str, pattern: re.Pattern[str], at: int, words: int = 3) -> bool:
    """A match of `pattern` ends within `words` words before offset `at`."""
    window = view[max(0, at - 40) : at]
    hits = list(pattern.finditer(window))
    return bool(hits) and len(window[hits[-1].end() :].split()) <= words


def polarity(view: str, start: int, end: int) -> int:
    """Positive minus negative words of view[start:end]. A negated word counts reversed, and
    a good word right after a harming verb ("undermines the peace process") counts as bad."""
    score = 0
    for pattern, sign in ((POSITIVE_WORDS, 1), (NEGATIVE_WORDS, -1)):
        for m in pattern.finditer(view, start, end):
            if m.group()[0].isupper() and m.start() > start:
                continue  # part of a name ("European Peace Facility"), not an evaluation
            flipped = _within_words(view, NEGATORS, m.start())
            if sign > 0 and _within_words(view, _HARM, m.start()):
                flipped = True
            score += -sign if flipped else sign
    return score


def _clause_polarity(view: str, start: int, end: int, at: int) -> int:
    """Polarity of the clause of view[start:end] around offset `at`."""
    low, high = start, end
    for m in _CLAUSE_BREAK.finditer(view, start, end):
        if m.end() <= at:
            low = m.end()
        elif m.start() >= at:
            high = m.start()
            break
    return polarity(view, low, high)


def stance_of(
    view: str, found: Found, start: int, end: int, score: int, claimant: Claimant, claim_type: str
) -> Stance:
    """The speaker's stance toward one target of the claim at view[start:end], whose words
    score `score` overall."""
    if found.name in claimant.own:
        return "support"  # a speaker takes its own side
    if found.at >= 0:
        before = view[max(start, found.at - 60) : found.at]
        after = view[found.end : found.end + 30] if found.end > 0 else ""
        if ADDRESSEE_BEFORE.search(before) or ADDRESSEE_AFTER.match(after):
            return "oppose"  # "the need for Azerbaijan to ...", "China should also ..."
        marker = VICTIM_MARKERS.search(before)
        if marker:  # "not against Azerbaijan", "anti-Azerbaijan", "undermines the process"
            if _within_words(view, NEGATORS, found.at - len(marker.group())):
                return "support"
            return "support" if score < 0 else "neutral"
        score = _clause_polarity(view, start, end, found.at) or score
    if claim_type == "accusation":
        score = min(score, -1)
    if score > 0:
        return "support"
    if score < 0:
        return "oppose"
    return "neutral"


def claim_type_of(lemma: str, quote: str) -> ClaimType:
    """The speech act: from the cue ("denied", "warned"), else from the wording ("baseless",
    "will lead to", "the need to"), else a statement."""
    by_cue = cue_claim_type(lemma)
    if by_cue != "statement":
        return by_cue
    for kind, pattern in CLAIM_TYPE_WORDS:
        if pattern.search(quote):
            return kind
    return "statement"


def targets_with_stance(
    view: str,
    start: int,
    end: int,
    found: list[Found],
    claimant: Claimant,
    claim_type: str,
    cue_bias: int = 0,
) -> list[Target]:
    """Targets with the speaker's stance; `cue_bias` is +1 for "welcomed", -1 for
    "condemned" and the like, 0 for a neutral cue."""
    score = polarity(view, start, end) + cue_bias
    return [
        Target(
            name=f.name,
            kind=f.kind,
            stance=stance_of(view, f, start, end, score, claimant, claim_type),
            date=f.date,
        )
        for f in found
    ]
