"""What a claim is about, for the rules extractor (the stance toward it:
stance.extraction.rules.stances).

Targets come from the claim's own words: countries and blocs of the gazetteer ("Moldovan
side" is Moldova, "Moscow has not been constructive" is Russia), people and bodies the
document named, the events and topics it talks about (stance.extraction.rules.events: "the April 5
meeting", "the lithium royalty reform"), definite nouns that point back to a body the text
named in full ("the coast guard", "the company", "the bloc") or to a ship ("the crew"), the
speaker's own side ("we", "his squad"), and anaphora ("the two nations", "such steps", a
claim that opens with "He" or "It").

Left out: a region named as a place ("cases across Europe"), a capitalised first word, a
bare title; a lone first name stands for the person the text named in full.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

from stance.core.models import TargetKind
from stance.core.names import name_words
from stance.extraction.rules.events import Event, Events
from stance.extraction.rules.lexicon import (
    ANAPHORIC_SUBJECT,
    CAPITALS,
    DEMONYMS,
    LOCATIVE,
    MONTH_NUMBERS,
    PAIR_ANAPHORA,
    PLACE_FORMS,
    REGION_ADJECTIVES,
    REGIONS,
    ROLE_NOUNS,
    WEEKDAYS,
    words,
)
from stance.extraction.rules.lexicon_stance import OWN_SIDE
from stance.extraction.rules.mentions import LOOKBACK, Mentions, Person
from stance.extraction.rules.phrases import CHAIN, POSSESSIVE_END, chain_parts, word_key


@dataclass
class Found:
    """A target found in a claim, before its stance is read."""

    name: str
    kind: TargetKind
    at: int  # view offset of the mention (-1 for targets found by anaphora)
    date: dt.date | None = None
    end: int = -1  # view offset just after the mention, when known


def countries_named(name: str) -> list[str]:
    """The countries a body's name carries ("Icelandic Coast Guard" -> Iceland)."""
    words = [POSSESSIVE_END.sub("", w) for w in name.split()]
    found: list[str] = []
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            piece = " ".join(words[i : i + size])
            country = DEMONYMS.get(piece) or (
                PLACE_FORMS[piece][0] if PLACE_FORMS.get(piece, ("", ""))[1] == "country" else None
            )
            if country and country not in found:
                found.append(country)
    return found


@dataclass(frozen=True)
class Claimant:
    """Who makes a claim, as far as targets and stances need to know."""

    name: str
    kind: str  # "person", "body", "anonymous" or "unresolved" (see rules_speakers.Speaker)
    person: Person | None = None

    @property
    def own(self) -> list[str]:
        """The speaker's own side: a body itself and its country, a person's organisation
        and country."""
        if self.person is not None:
            bodies = sorted(a for a in self.person.affiliations if a not in PLACE_FORMS)
            countries = sorted(a for a in self.person.affiliations if a in PLACE_FORMS)
            for body in bodies:
                countries += [c for c in countries_named(body) if c not in countries]
            return bodies + countries
        if self.kind == "body":
            return [self.name, *countries_named(self.name)]
        return []


# A definite noun phrase that may point back to a body: "the coast guard", "its crew".
_DEFINITE = re.compile(
    r"\b(?:[Tt]he|[Ii]ts|[Tt]heir|[Oo]ur|[Tt]his)\s+([a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})"
)
# What may follow the head of such a phrase (a verb, a preposition, punctuation, the end).
_PHRASE_END = re.compile(
    r"(?:\s*[,.;:!?)\"”'’]|\s*$|\s+(?:is|are|was|were|has|have|had|would|will|could|can|may"
    r"|might|must|should|did|does|do|said|says|of|in|on|at|for|to|and|or|but|with|that"
    r"|which|who|from|by|after|before|over|under|as|than|not|also|itself|no|never|always"
    r"|still|now|only|fully|been|being|denies|insists|argues|plans|expects|wants|needs"
    r"|faces|remains|operates|owns|runs|makes|believes|hopes|knows|[a-z]+ed)\b)"
)
# Definite nouns that stand for the body of their kind last named ("the company").
_DEFINITE_BODY_NOUNS = words("bodies", "definite body nouns")
# ... of which these only for a body with the noun in its name ("the port": a port).
_NAMED_ONLY = frozenset({"port", "court", "ministry", "orchestra", "bank", "union"})
_BLOC_NOUNS = frozenset({"bloc", "alliance", "union"})
# Nouns for a ship and its people: "the crew", "the vessel" are the ship the text named.
_VESSEL_NOUNS = words("bodies", "vessel nouns")
# Words that make a capitalised chain a titled role ("French Minister of Foreign Affairs").
_TITLE_HEADS = words("roles", "title heads")
_ACCUSED = re.compile(r"(?:the\s+)?([a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s+(?:of|for|on)\s")
_ACCUSING = frozenset({"accuse", "blame", "allege"})
# Cues of a speaker holding its ground: its own side is a target ("maintained that ...").
_DEFENDING = frozenset("insist maintain counter deny reject dismiss refute defend".split())
# A claim that opens on someone just spoken of ("He is personally engaged ...").
_PERSON_ANAPHOR = re.compile(r"(?:He|She|His|Her)\b")


def find_targets(
    view: str,
    start: int,
    end: int,
    *,
    mentions: Mentions,
    events: Events,
    claimant: Claimant,
    previous_events: list[Event],
    previous_found: list[Found] | None = None,
    topic_from: int = 0,
    claim_type: str,
    lemma: str,
) -> list[Found]:
    """The people, bodies, countries and events the claim at view[start:end] is about;
    `previous_events` and `previous_found` are those of the same speaker's previous claim, and
    a claim that names nothing is about the last event the text spoke of since `topic_from`."""
    found: list[Found] = []
    keys: set[str] = set()
    covered: list[tuple[int, int]] = []
    quote = view[start:end]

    def add(item: Found, span: tuple[int, int] | None = None) -> None:
        """Keep one target per name; remember the text it covers (so that "French" in
        "French Minister" is not France as well)."""
        key = "".join(name_words(item.name)) or item.name.lower()
        if key in keys:
            return
        if span:
            item.end = span[1]
            covered.append(span)
        keys.add(key)
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
                _chain_target(view, offset, tokens, start, mentions, claimant, add)

    for place in places:
        if place.locative or any(a <= place.start < b for a, b in covered):
            continue
        add(Found(place.name, place.kind, place.start), (place.start, place.end))

    for m in _DEFINITE.finditer(view, start, end):  # "the coast guard", "the company"
        _definite_target(view, m, end, mentions, claimant, add)

    pair = PAIR_ANAPHORA.search(quote)
    if pair:
        for country in mentions.latest_countries(start + pair.start(), 2):
            add(Found(country, "country", start + pair.start()))
    if _PERSON_ANAPHOR.match(quote) and not any(f.kind == "person" for f in found):
        person = mentions.last_person_before(start, claimant.person)
        if person is not None:  # "He is personally engaged": the person just spoken of
            add(Found(person.name, "person", -1))
    itself = claimant.kind == "body" and re.search(r"\b(?:it|its)\b", quote, re.IGNORECASE)
    defending = lemma in _DEFENDING or claim_type == "denial"
    if OWN_SIDE.search(quote) or defending or itself:  # "we", "our club", "maintained that"
        for name in claimant.own[:1]:
            kind: TargetKind = "country" if name in PLACE_FORMS else "organization"
            add(Found(name, "person" if mentions.person_of(name) else kind, -1))
    one = claimant.kind == "anonymous" and not claimant.name.split()[0].endswith("s")
    if claim_type == "denial" and (claimant.kind == "person" or one):  # defends the denier
        add(Found(claimant.name, "person", -1))
    accused = _ACCUSED.match(quote) if claim_type == "accusation" and lemma in _ACCUSING else None
    if accused and not found:  # "accused the prosecution of ...": a target without a name
        add(Found(accused.group(1), "other", start + accused.start(1)))
    if not found:  # nothing named: the claim is about what the speaker or the text was on
        if previous_found:
            add(Found(previous_found[0].name, previous_found[0].kind, -1, previous_found[0].date))
        else:
            topic = events.latest_before(start, since=topic_from)
            if topic is not None:
                add(Found(topic.name, "event", -1, topic.date))
    return found


def _definite_target(
    view: str,
    m: re.Match[str],
    end: int,
    mentions: Mentions,
    claimant: Claimant,
    add: Callable[[Found, tuple[int, int]], None],
) -> None:
    """The body, person or ship a definite noun phrase points back to: the longest run of its words
    that ends a phrase and ends the name of a body the text gave ("the coast guard" ->
    Icelandic Coast Guard), else a body of its kind ("the company"), else the ship."""
    words = m.group(1).split()
    at = m.start(1)
    for size in range(len(words), 0, -1):
        head_end = at + len(" ".join(words[:size]))
        phrase = " ".join(words[:size])
        noun = words[size - 1].lower()
        span = (at, head_end)
        ends = _PHRASE_END.match(view, head_end, end) is not None
        # One word may be a modifier ("the energy prices"), unless it names a kind of body.
        if size > 1 or ends or noun in _DEFINITE_BODY_NOUNS:
            body = mentions.body_called_by(phrase, at)
            if body is not None:
                add(Found(body.name, "organization", at), span)
                return
        if size > 1:
            continue
        if noun in ROLE_NOUNS:  # "the defendant", "the minister": who holds the role
            person = mentions.latest_person_with_role(noun, at)
            if person is not None and person is not claimant.person:
                add(Found(person.name, "person", at), span)
        elif noun in _VESSEL_NOUNS:
            vessel = mentions.latest_vessel(at)
            if vessel is not None:
                add(Found(vessel, "other", at), span)
        elif noun in _DEFINITE_BODY_NOUNS:
            named = _body_for(mentions, noun, at)
            if named is not None:
                add(Found(named[0], named[1], at), span)


def _body_for(mentions: Mentions, noun: str, at: int) -> tuple[str, TargetKind] | None:
    """(name, kind) of the body a definite noun in a claim refers to."""
    if noun in _BLOC_NOUNS:
        bloc = mentions.latest_place("organization", at)
        if bloc is not None:
            return bloc, "organization"
    if noun in _NAMED_ONLY:
        return None  # a body with the noun in its name was looked for already
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
    view: str,
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
    if person is None and len(tokens) == 1:
        person = mentions.person_by_first_name(text)  # "Pavel" for Pavel Novak
    if person is not None:
        if person is not claimant.person and person.name != claimant.name:  # not the speaker
            add(Found(person.name, "person", offset), span)
        return
    if text in PLACE_FORMS or text in DEMONYMS or text in CAPITALS:
        return  # read as places
    if len(tokens) == 1 and text in REGION_ADJECTIVES:
        return  # "Asian battery makers": a description, not an actor
    bare = text[4:] if text.startswith("the ") else text
    before = view[max(0, offset - 30) : offset]
    if bare in REGIONS and LOCATIVE.search(re.sub(r"\bthe\s+$", "", before)):
        return  # "cases across Europe", "growth in the Baltics": where, not who
    words = [word_key(t) for t in tokens]
    if tokens[0] in DEMONYMS and len(tokens) > 1:  # "French Minister of Foreign Affairs"
        add(Found(text, "person" if words[1] in _TITLE_HEADS else "other", offset), span)
        return
    body = mentions.body_called(text) or (mentions.body_named(text) if len(tokens) == 1 else None)
    if body is not None:  # "Harrow" for the Harrow Athletic named earlier
        add(Found(body.name, body.kind, offset), span)
        return
    if offset == quote_start and len(tokens) == 1:
        return  # a capitalised first word is not a name by itself
    if tokens[0] in MONTH_NUMBERS or tokens[0] in WEEKDAYS or text.isdigit():
        return
    if any(w in _TITLE_HEADS for w in words) and not mentions.person_of(text):
        return  # a bare title ("the President") is not a target by itself
    add(Found(text, "other", offset), span)
