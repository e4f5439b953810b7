"""Who the text names, and who a mention refers to, for the rules extractor.

One pass over a document's view collects its people (a name with the titles the text gave
it: "U.S. Secretary of State Antony Blinken" is Antony Blinken, secretary of state, of the
United States), its bodies ("the European Peace Facility", "Acme Corp") and its places.
A speaker mention is then resolved against that record: a role ("the head of state") to the
person most recently named with that role, a pronoun ("He") to the latest person subject, a
surname or run-together name ("IlhamAliyev") to the full name.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from typing import Literal

from stance.lexicon import (
    BODY_NOUNS,
    CAPITALS,
    COMPANY_WORDS,
    DEMONYMS,
    DOCUMENT_BODY_NOUNS,
    EVENT_WORDS,
    LOCATIVE,
    ORGANIZATION_WORDS,
    PERSON_PRONOUNS,
    PLACE_FORMS,
    ROLE_EQUIVALENTS,
    ROLE_NOUNS,
    TITLE_TOKENS,
)
from stance.rules_phrases import (
    CAPITAL_TOKEN,
    CHAIN,
    CONNECTORS,
    DETERMINERS,
    POSSESSIVE_END,
    ROLE_MODIFIERS,
    NounPhrase,
    chain_parts,
    is_name_token,
    word_key,
)

# Country names that are first names too ("Jordan Okafor").
_FIRST_NAME_PLACES = frozenset({"Jordan", "Georgia", "Chad", "India", "Israel", "Kenya"})
_NAME_PARTICLES = frozenset({"de", "da", "del", "der", "van", "von", "bin", "al", "la", "le", "du"})
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,6}")
LOOKBACK = 400  # mentions searched backward for "the head of state", "the ministry", ...
# "BAKU, Nov 14 —", "WASHINGTON (Reuters) -", "YEREVAN/BAKU, April 19 (Wire) –"
DATELINE = re.compile(
    r"[A-Z][A-Z/ .'’-]{2,40}(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?)?"
    r"(?:\s+\([^)]{1,30}\))?\s*[—–-]{1,2}\s*|[A-Z][A-Z/ .'’-]{2,40},\s+(?=[A-Z][a-z]{2,8}\.?\s+\d)"
)
_DESCRIBED_BODY = re.compile(
    r"\bthe\s+((?:[a-z][a-z-]+\s+){1,3}(?:agency|ministry|authority|department|commission"
    r"|council|committee|regulator|watchdog|court|government|administration|delegation))\b"
)
_GENERIC_BODY_MODIFIERS = frozenset(
    "same new old first second whole entire other previous current said above".split()
)
_CORPORATE_ROLES = frozenset(
    """chief executive ceo executive manager coach captain chairman chairwoman chair director
    spokesperson spokesman spokeswoman founder officer cfo coo""".split()
)
_NAMED_BODY_NOUNS = frozenset({"ministry", "department", "court", "embassy", "parliament"})
_BUSINESS_NOUNS = frozenset(
    "company firm lender carrier automaker retailer insurer manufacturer startup producer "
    "operator utility group bank".split()
)
KNOWN_ROLES = (
    ROLE_NOUNS
    | (TITLE_TOKENS - {"of", "the", "for", "and", "affairs", "republic", "former", "senior"})
    | set(ROLE_EQUIVALENTS)
    | {role for roles in ROLE_EQUIVALENTS.values() for role in roles}
)


# --- What the document names -------------------------------------------------------------------


@dataclass
class Person:
    """Someone the document names, with what its titles say of them."""

    key: str  # surname key
    name: str  # the full name as the text gives it
    roles: set[str] = field(default_factory=set)  # "secretary of state", "secretary"
    affiliations: set[str] = field(default_factory=set)  # "United States", "Acme Corp"
    first_at: int = 0


@dataclass(frozen=True)
class Body:
    """An organisation, event or other named thing that is not a person or a place."""

    name: str
    kind: Literal["organization", "event", "other"]
    company: bool


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    name: str  # canonical ("United States")
    kind: str  # "country", "organization", "other"
    demonym: bool  # named through an adjective ("Azerbaijani side")
    locative: bool = False  # a capital named as a place ("talks in Washington")


@dataclass
class Recent:
    """Who the text was last about: what "he", "it" and "they" refer to."""

    person: Person | None = None
    body: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class Speaker:
    """Who a speaker mention names, as resolved within the document."""

    name: str  # resolved name, or the mention itself when it cannot be resolved
    mention: str
    person: Person | None = None
    kind: Literal["person", "body", "anonymous", "unresolved"] = "unresolved"


_SOURCE_DETERMINERS = frozenset("a an the two three four five several some many according".split())


def _split_title(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Split a chain of capitalised tokens into its title part and its name part."""
    cut = len(tokens)
    while cut > 0 and (
        is_name_token(tokens[cut - 1])
        or (
            tokens[cut - 1] in _NAME_PARTICLES
            and cut >= 2
            and cut < len(tokens)
            and is_name_token(tokens[cut - 2])
        )
    ):
        cut -= 1
    if cut == 1 and len(tokens) > 1 and tokens[0] in _FIRST_NAME_PLACES:
        cut = 0  # "Jordan Okafor"
    name = tokens[cut:]
    if len(name) > 2 and cut > 0 and word_key(tokens[cut - 1]) in {"of", "for"}:
        # "Assistant Secretary for Energy Resources Geoffrey Pyatt": the words after "for"
        # complete the title; the name is the last two words (three with an initial).
        keep = 3 if re.fullmatch(r"[A-Z]\.", name[-2]) else 2
        cut += len(name) - keep
    return tokens[:cut], tokens[cut:]


def _role_keys(title_words: list[str]) -> tuple[set[str], set[str]]:
    """Role keys ("secretary of state", "secretary") and affiliations (a place or an owner:
    "U.S.", "Azerbaijani", "Kurzeme Wind's") from the words of a title."""
    affiliations: set[str] = set()
    words: list[str] = []
    owner: list[str] = []
    for token in title_words:
        bare = POSSESSIVE_END.sub("", token)
        if bare in PLACE_FORMS:
            affiliations.add(PLACE_FORMS[bare][0])
        elif bare in DEMONYMS:
            affiliations.add(DEMONYMS[bare])
        elif token[:1].isupper() and word_key(bare) not in TITLE_TOKENS:
            owner.append(bare)  # part of a name: the owner of the office
            if bare != token:
                affiliations.add(" ".join(owner))
                owner = []
            continue
        else:
            key = word_key(bare)
            if key and key not in {"the", "former", "acting", "interim", "senior"}:
                words.append(key)
        owner = []
    while words and words[-1] in {"of", "for", "the"}:
        words.pop()
    keys: set[str] = set()
    if words:
        keys.add(" ".join(words))
        head = words[: words.index("of")] if "of" in words else words
        if head:
            keys.add(" ".join(head))
            keys.add(head[-1])
    return keys, affiliations


class Mentions:
    """People, bodies and places of one document's view, with where each is mentioned."""

    def __init__(self, view: str) -> None:
        self.view = view
        self.people: dict[str, Person] = {}
        self.person_mentions: list[tuple[int, str]] = []  # (offset, person key), ascending
        self.bodies: list[Body] = []
        self.body_mentions: list[tuple[int, int]] = []  # (offset, index into bodies)
        self.places: list[PlaceMention] = _places(view)
        self._place_starts = [p.start for p in self.places]
        self._glued_names: dict[str, Person] = {}
        self._by_first_word: dict[str, Body] = {}
        self._only_holder: dict[str, Person | None] = {}  # role -> its only holder
        self._body_names: dict[str, int] = {}
        self._collect()

    # Building ---------------------------------------------------------------------------

    def _collect(self) -> None:
        parts = [part for m in CHAIN.finditer(self.view) for part in chain_parts(m)]
        for offset, tokens in parts:  # first the people, so that later surnames resolve
            self._register_person(offset, tokens)
        body_index: dict[str, int] = {}
        self._by_last_word: dict[str, list[str]] = {}
        unnamed: list[tuple[int, str]] = []
        for offset, tokens in parts:
            person = self.person_of(" ".join(tokens))
            if person is not None:
                self.person_mentions.append((offset, person.key))
                continue
            body = _body_of(tokens)
            at_line_start = offset == 0 or self.view[offset - 1] == "\n"
            if body is not None and not (at_line_start and DATELINE.match(self.view, offset)):
                self.body_mentions.append((offset, self._body_index(body, body_index)))
            elif body is None and len(tokens) == 1:
                unnamed.append((offset, POSSESSIVE_END.sub("", tokens[0])))
        for m in _DESCRIBED_BODY.finditer(self.view):  # "the regional health agency"
            if m.group(1).split()[0] not in _GENERIC_BODY_MODIFIERS:
                body = Body(m.group(1), "organization", False)
                self.body_mentions.append((m.start(1), self._body_index(body, body_index)))
        for body in self.bodies:  # the first body so named wins
            if " " in body.name:
                self._by_first_word.setdefault(body.name.split()[0], body)
        for offset, word in unnamed:  # "Redhill" for Redhill United, "Nordlys" for Nordlys Energy
            if word in self._by_first_word and word not in PLACE_FORMS:
                index = body_index[self._by_first_word[word].name]
                self.body_mentions.append((offset, index))
        self.person_mentions.sort()
        self.body_mentions.sort()
        self._body_names = {body.name: i for i, body in enumerate(self.bodies)}
        for person in self.people.values():  # "chief executive Sam Okonjo" of the firm just named
            if person.roles & _CORPORATE_ROLES and not person.affiliations:
                body = self.latest_body("", person.first_at)
                if body is not None:
                    person.affiliations.add(body.name)

    def body_named(self, word: str) -> Body | None:
        """The body a short name stands for ("Redhill" -> Redhill United), if any."""
        return self._by_first_word.get(word)

    def _body_index(self, body: Body, known: dict[str, int]) -> int:
        """Index of a body; a short form ("Foreign Ministry") joins its full form ("Russia's
        Foreign Ministry") whichever comes first."""
        if body.name in known:
            return known[body.name]
        same_end = self._by_last_word.setdefault(body.name.split()[-1], [])
        for name in same_end:
            index = known[name]
            if name.endswith(" " + body.name) or name.endswith("s " + body.name):
                known[body.name] = index
                return index
            if body.name.endswith(" " + name):
                self.bodies[index] = body
                known[body.name] = index
                return index
        same_end.append(body.name)
        known[body.name] = len(self.bodies)
        self.bodies.append(body)
        return known[body.name]

    def _register_person(self, offset: int, tokens: list[str]) -> None:
        title, name = _split_title(tokens)
        if not name or re.fullmatch(r"[A-Z]\.", name[-1]):
            return
        if len(name) == 1 and any(word_key(t) in ORGANIZATION_WORDS for t in title):
            return  # "Port of Westhaven": a body, not a person
        before = self.view[max(0, offset - 40) : offset]
        lower_title = re.search(r"((?:\b[a-z][\w-]*\s+){1,3})$", before)
        title_words = list(title)
        if lower_title and lower_title.group(1).split()[-1] in ROLE_NOUNS:
            lowered = lower_title.group(1).split()
            while lowered and lowered[0] not in ROLE_NOUNS | ROLE_MODIFIERS | TITLE_TOKENS:
                lowered = lowered[1:]  # "told the" is not part of a title
            title_words = lowered + title_words
        roles, affiliations = _role_keys(title_words)
        if len(name) < 2 and not roles & KNOWN_ROLES:
            return  # one capitalised word is a name only after a title ("President Aliyev")
        key = word_key(name[-1])
        person = self.people.get(key)
        full = POSSESSIVE_END.sub("", " ".join(name))
        if person is None:
            person = self.people[key] = Person(key, full, first_at=offset)
        elif len(name) >= 2 and len(person.name.split()) < 2:
            person.name = full  # "President Aliyev" first, "Ilham Aliyev" later
        person.roles |= roles
        person.affiliations |= affiliations
        roles, owners = _appositive(self.view, offset + len(" ".join(tokens)))
        person.roles |= roles
        person.affiliations |= owners

    # Lookup ---------------------------------------------------------------------------------

    def person_of(self, name: str) -> Person | None:
        """The person a name refers to: by surname, or by a run-together full name."""
        tokens = [t for t in name.split() if is_name_token(t)]
        if not tokens:
            return None
        person = self.people.get(word_key(tokens[-1]))
        if person is not None or len(tokens) > 1:
            return person
        return self._glued().get(word_key(tokens[0]))  # "IlhamAliyev"

    def _glued(self) -> dict[str, Person]:
        """People by their full name run together ("ilhamaliyev"), built once."""
        if len(self._glued_names) != len(self.people):
            self._glued_names = {
                "".join(word_key(w) for w in p.name.split()): p for p in self.people.values()
            }
        return self._glued_names

    def latest_person_with_role(
        self, role: str, before: int, affiliation: str | None = None
    ) -> Person | None:
        """The person last named before an offset whose titles fit a role ("the head of state"
        -> a president); failing that, the only person in the text with that role."""
        wanted = {role, *ROLE_EQUIVALENTS.get(role, ())}
        index = bisect_left(self.person_mentions, (before, ""))
        for i in range(index - 1, max(-1, index - 1 - LOOKBACK), -1):
            person = self.people[self.person_mentions[i][1]]
            if person.roles & wanted and (
                affiliation is None or affiliation in person.affiliations
            ):
                return person
        if role not in self._only_holder:
            holders = [p for p in self.people.values() if p.roles & wanted][:2]
            self._only_holder[role] = holders[0] if len(holders) == 1 else None
        return self._only_holder[role]

    def latest_body(self, noun: str, before: int) -> Body | None:
        """The body most recently named before `before` that a noun ("the ministry") fits:
        one with the noun in its name, else for a business noun the latest company, else for
        a generic noun ("the league") the latest body of any kind."""
        index = bisect_left(self.body_mentions, (before, -1))
        company: Body | None = None
        latest: Body | None = None
        for i in range(index - 1, max(-1, index - 1 - LOOKBACK), -1):
            body = self.bodies[self.body_mentions[i][1]]
            if body.kind != "organization":
                continue
            if noun in body.name.lower().replace("’", "'").split():
                return body
            if company is None and body.company:
                company = body
            latest = latest or body
        if noun in _NAMED_BODY_NOUNS:
            return None  # "the ministry" is a ministry, not the latest company
        return (company or latest) if noun in _BUSINESS_NOUNS else latest

    def note_body(self, name: str, at: int) -> None:
        """A body that a speaker mention named ("Azerbaijan's foreign ministry"), so that a
        later "the ministry" can refer to it."""
        body = Body(name, "organization", False)
        self.bodies.append(body)
        insort(self.body_mentions, (at, len(self.bodies) - 1))

    def add_title(self, person: Person, title: list[str]) -> None:
        """Roles and affiliations a title gives a person ("Kurzeme Wind's chief executive")."""
        roles, affiliations = _role_keys(title)
        person.roles |= roles
        person.affiliations |= affiliations
        self._only_holder.clear()

    def last_person_in(self, start: int, end: int) -> Person | None:
        index = bisect_left(self.person_mentions, (end, ""))
        if index > 0 and self.person_mentions[index - 1][0] >= start:
            return self.people[self.person_mentions[index - 1][1]]
        return None

    def first_person_in(self, start: int, end: int) -> Person | None:
        index = bisect_left(self.person_mentions, (start, ""))
        if index < len(self.person_mentions) and self.person_mentions[index][0] < end:
            return self.people[self.person_mentions[index][1]]
        return None

    def places_in(self, start: int, end: int) -> list[PlaceMention]:
        first = bisect_left(self._place_starts, start)
        last = bisect_left(self._place_starts, end)
        return self.places[first:last]

    def latest_place(self, kind: str, before: int) -> str | None:
        """The place of a kind ("organization": the EU, NATO) last named before an offset."""
        index = bisect_left(self._place_starts, before)
        for i in range(index - 1, max(-1, index - 1 - LOOKBACK), -1):
            if self.places[i].kind == kind:
                return self.places[i].name
        return None

    def body_called(self, name: str) -> Body | None:
        """The body of that exact name, if the document has one."""
        index = self._body_names.get(name)
        return self.bodies[index] if index is not None else None

    def latest_countries(self, before: int, count: int) -> list[str]:
        """The last `count` distinct countries named before an offset, latest first."""
        found: list[str] = []
        index = bisect_left(self._place_starts, before)
        for i in range(index - 1, max(-1, index - 1 - LOOKBACK), -1):
            place = self.places[i]
            if place.kind != "country":
                continue
            if place.name not in found:
                found.append(place.name)
            if len(found) == count:
                break
        return found

    # Speakers ---------------------------------------------------------------------------------

    def resolve(self, phrase: NounPhrase, at: int, recent: Recent) -> Speaker:
        """Who a speaker mention names; the mention itself when nothing fits."""
        mention = phrase.text
        if phrase.kind == "pronoun":
            lowered = mention.lower()
            if lowered in PERSON_PRONOUNS and recent.person is not None:
                return Speaker(recent.person.name, mention, recent.person, "person")
            if lowered == "it" and recent.body is not None:
                return Speaker(recent.body, mention, None, "body")
            if lowered == "they" and (recent.group or recent.body):
                group = recent.group or recent.body or ""
                return Speaker(group, mention, None, "anonymous" if recent.group else "body")
            return Speaker(mention, mention)
        if phrase.kind == "anonymous":  # "two senior officials" -> "senior officials"
            words = mention.split()
            while len(words) > 1 and words[0].lower() in _SOURCE_DETERMINERS:
                words = words[1:]
            return Speaker(" ".join(words), mention, None, "anonymous")
        tokens = mention.split()
        if phrase.kind == "proper":
            person = self.person_of(mention)
            if person is not None:
                return Speaker(person.name, mention, person, "person")
            named = [t for t in tokens if t != "The"]
            if any(word_key(t) not in TITLE_TOKENS | CONNECTORS for t in named):
                # A name the document gives: "Russia's Foreign Ministry", "The Kremlin",
                # "Redhill" for the Redhill United named earlier.
                body = self.body_named(named[0]) if len(named) == 1 else None
                return Speaker(body.name if body else " ".join(named), mention, None, "body")
        role_words = [t for t in tokens if word_key(t) not in DETERMINERS]
        roles, affiliations = _role_keys(role_words)
        affiliation = next(iter(affiliations), None)
        for role in sorted(roles, key=len, reverse=True):
            person = self.latest_person_with_role(role, at, affiliation)
            if person is not None:
                return Speaker(person.name, mention, person, "person")
        head = word_key(tokens[-1])
        if affiliation is not None or any(t[:1].isupper() for t in role_words):
            # "the Armenian government", "China's delegation": named through their owner.
            words = tokens[1:] if tokens[0].lower() in {"the", "a", "an"} else tokens
            return Speaker(" ".join(words), mention, None, "body")
        if head in DOCUMENT_BODY_NOUNS and recent.body is not None:
            return Speaker(recent.body, mention, None, "body")  # "the statement read"
        if head in BODY_NOUNS and len(role_words) >= 2 and "of" not in role_words:
            # "the statistics office", "the central bank": a body named by what it is.
            return Speaker(" ".join(role_words), mention, None, "body")
        if head in BODY_NOUNS:
            body = self.latest_body(head, at)
            if body is not None:
                return Speaker(body.name, mention, None, "body")
        return Speaker(mention, mention)


_APPOSITIVE = re.compile(
    r",\s+(?:the\s+|a\s+|an\s+)?((?:[\w'’.-]+\s+){0,3}?[\w'’.-]+)"
    r"(?:\s+(?:of|at|for)\s+(?:the\s+)?(?P<owner>"
    + CAPITAL_TOKEN
    + r"(?:\s+(?:of\s+|and\s+)?"
    + CAPITAL_TOKEN
    + r"){0,4}))?(?=[\s,.;])"
)


def _appositive(view: str, end: int) -> tuple[set[str], set[str]]:
    """Roles and affiliation from an appositive after a name: "Jane Doe, chief executive of
    Acme,", "Maria Lindgren, a portfolio manager at Sjöberg Asset Management,"."""
    m = _APPOSITIVE.match(view, end, min(len(view), end + 140))
    if not m:
        return set(), set()
    words = [word_key(w) for w in m.group(1).split()]
    if not words or words[-1] not in ROLE_NOUNS | TITLE_TOKENS - CONNECTORS:
        return set(), set()
    owner = POSSESSIVE_END.sub("", m.group("owner") or "")
    if owner in PLACE_FORMS:
        owner = PLACE_FORMS[owner][0]
    return {" ".join(words), words[-1]}, ({owner} if owner else set())


def _body_of(tokens: list[str]) -> Body | None:
    """A body, event or document named by a chain of capitalised tokens, else None."""
    name = " ".join(tokens)
    name = POSSESSIVE_END.sub("", name)
    if name in PLACE_FORMS or name in DEMONYMS:
        return None
    keys = [word_key(t) for t in tokens]
    if any(k in EVENT_WORDS for k in keys[-1:]) or re.fullmatch(r"(?:COP|G)\d+", name):
        return Body(name, "event", False)
    if any(k in ORGANIZATION_WORDS for k in keys):
        return Body(name, "organization", any(k in COMPANY_WORDS for k in keys))
    if len(tokens) == 1 and _ACRONYM.fullmatch(name):
        return Body(name, "organization", False)
    return None


def _place_pattern() -> re.Pattern[str]:
    forms = sorted({*PLACE_FORMS, *DEMONYMS, *CAPITALS, "The West"}, key=len, reverse=True)
    alternation = "|".join(re.escape(f) for f in forms)
    return re.compile(r"(?<![\w.])(?:" + alternation + r")(?:['’]s)?(?![\w])")


_PLACES = _place_pattern()


def _places(view: str) -> list[PlaceMention]:
    found: list[PlaceMention] = []
    for m in _PLACES.finditer(view):
        surface = POSSESSIVE_END.sub("", m.group())
        if surface == "The West":
            surface = "the West"
        if surface in PLACE_FORMS:
            name, kind = PLACE_FORMS[surface]
            found.append(PlaceMention(m.start(), m.end(), name, kind, False))
        elif surface in DEMONYMS:
            found.append(PlaceMention(m.start(), m.end(), DEMONYMS[surface], "country", True))
        elif surface in CAPITALS:
            country = CAPITALS[surface]  # "Moscow has not been constructive"
            kind = PLACE_FORMS[country][1] if country in PLACE_FORMS else "country"
            where = LOCATIVE.search(view, max(0, m.start() - 20), m.start()) is not None
            found.append(PlaceMention(m.start(), m.end(), country, kind, False, where))
    return found
