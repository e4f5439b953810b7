"""Who and what the text names, for the rules extractor.

One pass over a document's view collects its people (a name with the titles the text gave
it: "U.S. Trade Representative Helen Marsh" is Helen Marsh, secretary of state, of the
United States), its bodies ("the European Peace Facility", "Acme Corp", "Andes Lithium, the
country's second-largest producer"), its ships ("the tanker Sea Lark") and its places
(stance.extraction.rules.names reads how each is written). Lookups answer what a later mention
points back to: a surname or run-together name ("TomasRavel") the full name, a role ("the head of
state") the person last named with it, a common noun ("the coast guard", "the company") the body
last named that fits. Speakers are resolved against this record in stance.extraction.rules.speakers.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from typing import Literal

from stance.extraction.rules.layout import is_furniture, is_headline
from stance.extraction.rules.lexicon import (
    COMPANY_WORDS,
    DEMONYMS,
    EVENT_WORDS,
    ORGANIZATION_WORDS,
    PLACE_FORMS,
    ROLE_EQUIVALENTS,
    ROLE_NOUNS,
    TITLE_TOKENS,
    mapping,
    words,
)
from stance.extraction.rules.names import (
    BODY_APPOSITIVE,
    CORPORATE_ROLES,
    FEMALE_NAMES,
    FEMALE_ROLES,
    KNOWN_ROLES,
    MALE_NAMES,
    MALE_ROLES,
    PlaceMention,
    appositive,
    is_first_name,
    places,
    role_keys,
    split_title,
)
from stance.extraction.rules.phrases import (
    CAPITAL_TOKEN,
    CHAIN,
    POSSESSIVE_END,
    ROLE_MODIFIERS,
    chain_parts,
    is_name_token,
    word_key,
)

# Capitalised words (and the connectors of a title) running up to a name: a title.
_TITLE_RUN = re.compile(r"(?:(?:[A-Z][\w'’.-]*|for|of|and|the)\s+)+\s*$")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,6}")
LOOKBACK = 400  # mentions searched backward for "the head of state", "the ministry", ...
# "BAKU, Nov 14 —", "WASHINGTON (Reuters) -", "YEREVAN/BAKU, April 19 (Wire) –"
DATELINE = re.compile(
    r"[A-Z][A-Z/ .'’-]{2,40}(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?)?"
    r"(?:\s+\([^)]{1,30}\))?\s*[—–-]{1,2}\s*|[A-Z][A-Z/ .'’-]{2,40},\s+(?=[A-Z][a-z]{2,8}\.?\s+\d)"
)
# A preposition of place right before a word: "in Ashford", "near Solvik".
_AT_PLACE = re.compile(r"\b(?:in|at|near|outside|around|across|into|from|to)\s+$")
# A year right after a name: the edition of an event ("Iron Gate 2025").
_EDITION = re.compile(r"\s+(?:19|20)\d{2}\b(?![-–/.]\d)")
_DESCRIBED_BODY = re.compile(
    r"\bthe\s+((?:[a-z][a-z-]+\s+){1,3}(?:agency|ministry|authority|department|commission"
    r"|council|committee|regulator|watchdog|court|government|administration|delegation))\b"
)
_GENERIC_BODY_MODIFIERS = frozenset(
    "same new old first second whole entire other previous current said above".split()
)
# Words of the names of public institutions, which "the company" never means.
_INSTITUTION_WORDS = words("bodies", "institution words")
# Last words of a news outlet's name ("the Evening Post").
_MEDIA_WORDS = words("bodies", "media words")
# What a business is called and the words its name may carry ("airline": Airways, Air).
_NOUN_EQUIVALENTS = {
    noun: tuple(w.strip() for w in names.split(","))
    for noun, names in mapping("bodies", "name words of a kind").items()
}
_NAMED_BODY_NOUNS = frozenset({"ministry", "department", "court", "embassy", "parliament"})
_BUSINESS_NOUNS = words("bodies", "business nouns")
# A ship named with what it is: "the tanker Sea Lark", "MV Northern Star".
_VESSEL = re.compile(
    r"\b(?:vessel|ship|trawler|tanker|ferry|freighter|boat|yacht|frigate|icebreaker|carrier"
    r"|MV|MS|MT|SS|HMS|USS|RV|FV|crew\s+of)\s+(?:the\s+)?("
    + CAPITAL_TOKEN
    + r"(?:[ \t]+"
    + CAPITAL_TOKEN
    + r"){0,2})"
)
# --- What the document names -------------------------------------------------------------------


@dataclass(eq=False)
class Person:
    """Someone the document names, with what its titles say of them."""

    key: str  # surname key
    name: str  # the full name as the text gives it
    roles: set[str] = field(default_factory=set)  # "secretary of state", "secretary"
    affiliations: set[str] = field(default_factory=set)  # "United States", "Acme Corp"
    first_at: int = 0
    gender: str | None = None  # "female", "male", or None when the text does not tell
    gender_guessed: bool = False  # set from a pronoun the rules gave them, not told


def gender_of(person: Person) -> str | None:
    """A person's gender as the text tells it (Ms./Mr., spokeswoman/spokesman), else as
    their first name usually carries it; None when neither says."""
    if person.gender is None:
        words = {word for role in person.roles for word in role.split()}
        first = person.name.split()[0] if " " in person.name else ""
        if words & FEMALE_ROLES or first in FEMALE_NAMES:
            person.gender = "female"
        elif words & MALE_ROLES or first in MALE_NAMES:
            person.gender = "male"
    return person.gender


@dataclass(frozen=True)
class Body:
    """An organisation, event or other named thing that is not a person or a place."""

    name: str
    kind: Literal["organization", "event", "other"]
    company: bool


class Mentions:
    """People, bodies and places of one document's view, with where each is mentioned."""

    def __init__(self, view: str) -> None:
        self.view = view
        self.people: dict[str, Person] = {}
        self.person_mentions: list[tuple[int, str]] = []  # (offset, person key), ascending
        self.bodies: list[Body] = []
        self.body_mentions: list[tuple[int, int]] = []  # (offset, index into bodies)
        self.places: list[PlaceMention] = places(view)
        self.vessels: list[tuple[int, str]] = [
            (m.start(1), m.group(1)) for m in _VESSEL.finditer(view)
        ]
        self._vessel_names = {name for _, name in self.vessels}
        self._place_starts = [p.start for p in self.places]
        self._glued_names: dict[str, Person] = {}
        self._by_first_word: dict[str, Body] = {}
        self._only_holder: dict[str, Person | None] = {}  # role -> its only holder
        self._body_names: dict[str, int] = {}
        self._tails: dict[str, list[tuple[int, int]]] = {}  # last words -> (offset, body)
        self._first_names: dict[str, Person] | None = None
        self._described_bodies: set[str] = set()  # names an appositive calls a company
        self._editions: set[str] = set()  # names a year follows: events ("Iron Gate 2025")
        self.capitalised: set[str] = set()  # every capitalised word of the text
        self._collect()

    # Building ---------------------------------------------------------------------------

    def _collect(self) -> None:
        parts = [
            part
            for m in CHAIN.finditer(self.view)
            if not self._in_page_furniture(m)
            for part in chain_parts(m)
        ]
        self.capitalised = {POSSESSIVE_END.sub("", t) for _, tokens in parts for t in tokens}
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
            if body is None and " ".join(tokens) in self._editions:
                body = Body(" ".join(tokens), "event", False)  # "Iron Gate 2025"
            if body is None and " ".join(tokens) in self._described_bodies:
                body = Body(" ".join(tokens), "organization", True)
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
        for offset, word in unnamed:  # "Ashford" for Ashford United, "Solvik" for Solvik Power
            if _AT_PLACE.search(self.view, max(0, offset - 12), offset):
                continue  # "a depot in Ashford": the place, not a body named after it
            if word in self._by_first_word and word not in PLACE_FORMS:
                index = body_index[self._by_first_word[word].name]
                self.body_mentions.append((offset, index))
        self.person_mentions.sort()
        self.body_mentions.sort()
        for offset, index in self.body_mentions:
            self._index_tails(offset, index)
        self._body_names = {body.name: i for i, body in enumerate(self.bodies)}
        for person in self.people.values():  # "chief executive Ruth Abara" of the firm just named
            if person.roles & CORPORATE_ROLES and not person.affiliations:
                body = self.latest_body("", person.first_at)
                if body is not None:
                    person.affiliations.add(body.name)

    def name_ending_in(self, noun: str, before: int) -> str | None:
        """The capitalised name last written before an offset that ends in a noun ("the
        garden's board": the Harlow Botanic Garden named earlier)."""
        pattern = re.compile(
            r"\b((?:[A-Z][\w'’-]+\s+){1,4}" + re.escape(noun.capitalize()) + r")\b"
        )
        found = [m.group(1) for m in pattern.finditer(self.view, max(0, before - 2000), before)]
        if not found:
            return None
        words = found[-1].split()
        return " ".join(words[1:] if words[0] in {"The", "A", "An"} else words)

    def body_of_kind(self, noun: str, before: int) -> Body | None:
        """The body last named before an offset whose name says it is what the noun says
        ("the US airline" -> Nordic Airways), if any."""
        kinds = {noun, *_NOUN_EQUIVALENTS.get(noun, ())}
        index = bisect_left(self.body_mentions, (before, -1))
        for i in range(index - 1, max(-1, index - 1 - LOOKBACK), -1):
            body = self.bodies[self.body_mentions[i][1]]
            if kinds & set(body.name.lower().replace("’", "'").split()):
                return body
        return None

    def _in_page_furniture(self, chain: re.Match[str]) -> bool:
        """A chain in a headline ("Mayor Slams New Bus Plan") or a tag or credit
        line ("Newsroom | Company News") names no one."""
        start = self.view.rfind("\n", 0, chain.start()) + 1
        end = self.view.find("\n", chain.end())
        line = self.view[start : end if end != -1 else len(self.view)]
        if " | " in line or is_furniture(line):
            return True
        return len(chain.group().split()) >= 4 and is_headline(line)

    def body_named(self, word: str) -> Body | None:
        """The body a short name stands for ("Ashford" -> Ashford United), if any."""
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

    def register_label(self, label: str, offset: int) -> None:
        """A transcript's speaker label ("Director Lindqvist", from "DIRECTOR LINDQVIST:")
        names a person even though the text writes it in capitals."""
        self._register_person(offset, label.split())  # "Director Per Lund" after "Director Lund"
        self._first_names = None

    def _register_person(self, offset: int, tokens: list[str]) -> None:
        title, name = split_title(tokens)
        if (
            not name
            and len(tokens) == 2
            and is_name_token(tokens[0])
            and appositive(self.view, offset + len(" ".join(tokens)))[0] & KNOWN_ROLES
        ):
            title, name = [], tokens  # "Ann Judge, the bank's chief economist,": a surname
        if not name or re.fullmatch(r"[A-Z]\.", name[-1]):
            return
        if len(name) > 2 and not title and self._title_before_chain(offset):
            title, name = name[:-2], name[-2:]  # "... and Energy Policy Ruben Osei"
        if len(name) == 1 and any(word_key(t) in ORGANIZATION_WORDS for t in title):
            return  # "Port of Carrick": a body, not a person
        before = self.view[max(0, offset - 40) : offset]
        lower_title = re.search(r"((?:\b[a-z][\w-]*\s+){1,3})$", before)
        title_words = list(title)
        if lower_title and lower_title.group(1).split()[-1] in ROLE_NOUNS:
            lowered = lower_title.group(1).split()
            while lowered and lowered[0] not in ROLE_NOUNS | ROLE_MODIFIERS | TITLE_TOKENS:
                lowered = lowered[1:]  # "told the" is not part of a title
            title_words = lowered + title_words
        roles, affiliations = role_keys(title_words)
        if len(name) >= 2 and not roles & KNOWN_ROLES:
            roles |= self._title_before_chain(offset)
        if len(name) < 2 and not roles & KNOWN_ROLES:
            return  # one capitalised word is a name only after a title ("President Ravel")
        if (
            not title
            and len(name) == 2
            and not is_first_name(name[0])
            and (name[-1].endswith(("ies", "ings")) or word_key(name[-1]) in ORGANIZATION_WORDS)
        ):
            return  # "Marlow Bakeries", "Norvik Water": a business, not a person
        if word_key(name[-1]) in _MEDIA_WORDS:
            return  # "the Valley Times reports": an outlet, not a person
        if _EDITION.match(self.view, offset + len(" ".join(tokens))):
            self._editions.add(" ".join(tokens))
        if " ".join(tokens) in self._editions:
            return  # "Iron Gate 2025" (and a later "Iron Gate"): an event, not a person
        if " ".join(name) in self._described_bodies or " ".join(name) in self._vessel_names:
            return  # a company or a ship, not a person
        if not title and BODY_APPOSITIVE.match(self.view, offset + len(" ".join(tokens))):
            self._described_bodies.add(" ".join(tokens))  # "Andes Lithium, the producer,"
            return
        key = word_key(name[-1])
        person = self.people.get(key)
        full = POSSESSIVE_END.sub("", " ".join(name))
        while len(name) > 2 and word_key(name[0]) in ROLE_NOUNS:
            name = name[1:]  # "Councillor Ana Reyes"
            full = " ".join(name)
        if person is not None and _another_first_name(person.name, name):
            key = _full_key(name)  # "Tom Reyes" after "Ana Reyes": someone else
            person = self.people.get(key)
        if person is None:
            person = self.people[key] = Person(key, full, first_at=offset)
        elif len(name) >= 2 and len(person.name.split()) < 2:
            person.name = full  # "President Ravel" first, "Tomas Ravel" later
        person.roles |= roles
        person.affiliations |= affiliations
        roles, owners = appositive(self.view, offset + len(" ".join(tokens)))
        person.roles |= roles
        person.affiliations |= owners

    def _title_before_chain(self, offset: int) -> set[str]:
        """Role keys of a long title split off a name by "and": "Spokesperson for Trade and
        Industry Policy Ana Lenz" is a spokesperson."""
        line_start = self.view.rfind("\n", max(0, offset - 120), offset) + 1
        run = _TITLE_RUN.search(self.view, max(line_start, offset - 120), offset)
        if run is None:
            return set()
        tokens = run.group(0).split()
        while tokens and word_key(tokens[0]) not in TITLE_TOKENS:
            tokens = tokens[1:]
        if not tokens or not any(word_key(t) in ROLE_NOUNS for t in tokens):
            return set()
        roles, _ = role_keys([t for t in tokens if t[:1].isupper() or t in {"of", "for"}])
        return roles & KNOWN_ROLES

    # Lookup ---------------------------------------------------------------------------------

    def person_of(self, name: str) -> Person | None:
        """The person a name refers to: by surname, or by a run-together full name."""
        tokens = [t for t in name.split() if is_name_token(t)]
        words = name.split()
        whole = self.people.get(word_key(POSSESSIVE_END.sub("", words[-1]))) if words else None
        if whole is not None and whole.name == POSSESSIVE_END.sub("", " ".join(words)):
            return whole  # "Ann Judge": a surname that is also a title word
        if not tokens:
            return None
        for full in (tokens, tokens[-2:]):  # one of two people of the same surname
            if len(full) > 1 and _full_key(full) in self.people:
                return self.people[_full_key(full)]
        person = self.people.get(word_key(tokens[-1]))
        if person is not None or len(tokens) > 1:
            return person
        return self._glued().get(word_key(tokens[0]))  # "TomasRavel"

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

    def body_called_by(self, words: str, before: int) -> Body | None:
        """The body last named before an offset whose name ends in the common words that
        point back to it: "the coast guard" -> Icelandic Coast Guard, "the philharmonic"."""
        named = self._tails.get(words.lower(), [])
        index = bisect_left(named, (before, -1))
        return self.bodies[named[index - 1][1]] if index > 0 else None

    def _index_tails(self, offset: int, index: int) -> None:
        """Index a body mention under the last words of its name ("coast guard", "guard")."""
        body = self.bodies[index]
        if body.kind != "organization":
            return
        words = body.name.lower().replace("’", "'").split()
        for size in range(1, min(3, len(words) - 1) + 1):
            insort(self._tails.setdefault(" ".join(words[-size:]), []), (offset, index))

    def latest_vessel(self, before: int) -> str | None:
        """The ship last named before an offset ("the tanker Sea Lark"), for "the crew"."""
        index = bisect_left(self.vessels, (before, ""))
        return self.vessels[index - 1][1] if index > 0 else None

    def latest_body(self, noun: str, before: int) -> Body | None:
        """The body most recently named before `before` that a noun ("the ministry") fits:
        one with the noun in its name, else for a business noun the latest company, else for
        a generic noun ("the league") the latest body of any kind."""
        index = bisect_left(self.body_mentions, (before, -1))
        company: Body | None = None
        latest: Body | None = None
        kinds = {noun, *_NOUN_EQUIVALENTS.get(noun, ())}
        companies: set[str] = set()
        for i in range(index - 1, max(-1, index - 1 - LOOKBACK), -1):
            body = self.bodies[self.body_mentions[i][1]]
            if body.kind != "organization":
                continue
            if kinds & set(body.name.lower().replace("’", "'").split()):
                return body
            if body.company:
                companies.add(body.name)
            if body.name.split()[-1].lower() in _MEDIA_WORDS:
                continue  # "told the Evening Post": the outlet is not "the board" or "the club"
            if company is None and body.company:
                company = body
            latest = latest or body
        if noun in _NAMED_BODY_NOUNS:
            return None  # "the ministry" is a ministry, not the latest company
        if noun not in _BUSINESS_NOUNS:
            return latest
        if noun in _NOUN_EQUIVALENTS and len(companies) != 1:
            return None  # "the airline" among several firms, none of them named as one
        if (
            company is None
            and latest is not None
            and _INSTITUTION_WORDS & set(latest.name.lower().split())
        ):
            return None  # "the company" is no senate or ministry
        return company or latest

    def note_body(self, name: str, at: int) -> None:
        """A body that a speaker mention named ("Moldova's foreign ministry"), so that a
        later "the ministry" can refer to it."""
        body = Body(name, "organization", False)
        self.bodies.append(body)
        insort(self.body_mentions, (at, len(self.bodies) - 1))
        self._index_tails(at, len(self.bodies) - 1)

    def add_title(self, person: Person, title: list[str], at: int) -> None:
        """Roles and affiliations a title gives a person at offset `at` ("Daugava Solar's chief
        executive"; "its chief executive": of the body last named)."""
        roles, affiliations = role_keys(title)
        person.roles |= roles
        if "counterpart" in roles:  # "his Chilean counterpart, X": X holds the same office
            other = self.last_person_before(at, person)
            if other is not None:
                person.roles |= other.roles - {"counterpart"}
        for owner in affiliations:  # "Marsh's lawyer": Celia Marsh, named in full earlier
            named = self.person_of(owner)
            person.affiliations.add(named.name if named and named is not person else owner)
        if roles & CORPORATE_ROLES and not person.affiliations - set(PLACE_FORMS):
            body = self.latest_body("", at)
            if body is not None and title[:1] and title[0].lower() in {"its", "their", "the"}:
                person.affiliations.add(body.name)
        self._only_holder.clear()

    def person_by_first_name(self, word: str) -> Person | None:
        """The one person the text named in full with this first name, if only one."""
        if self._first_names is None:
            counts: dict[str, list[Person]] = {}
            for person in self.people.values():
                words = person.name.split()
                if len(words) >= 2:
                    counts.setdefault(words[0], []).append(person)
            self._first_names = {k: v[0] for k, v in counts.items() if len(v) == 1}
        return self._first_names.get(word)

    def last_person_before(self, before: int, other_than: Person | None) -> Person | None:
        """The person named last before an offset, other than `other_than`."""
        index = bisect_left(self.person_mentions, (before, ""))
        for i in range(index - 1, max(-1, index - 1 - LOOKBACK), -1):
            person = self.people[self.person_mentions[i][1]]
            if person is not other_than:
                return person
        return None

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


def _full_key(name: list[str]) -> str:
    """The key of a person who shares a surname with someone named before: first and last
    name."""
    return f"{word_key(name[0])} {word_key(name[-1])}"


def _another_first_name(known: str, name: list[str]) -> bool:
    """Whether a full name gives a first name other than the one a person was named with
    ("Tom Reyes" is not "Ana Reyes"; "Reyes" and "A. Reyes" may be)."""
    first = known.split()[0]
    return (
        len(name) >= 2
        and len(known.split()) >= 2
        and len(name[0]) > 2
        and len(first) > 2
        and not name[0].endswith(".")
        and word_key(name[0]) != word_key(first)
        and word_key(name[0]) not in TITLE_TOKENS
    )


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
