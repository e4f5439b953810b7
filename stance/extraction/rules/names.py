"""How the text writes names, for the rules extractor: a person's name with the title before
it ("U.S. Trade Representative Helen Marsh") and the appositive after it ("Rosa Klein, a
fund manager at Meridian Capital Partners"), a company's name with an appositive that
says it is one ("Andes Lithium, the country's second-largest producer"), and the places a
text names (a country, its demonym, a capital standing for its government, but not a
capital that is someone's first name: "Santiago Pérez").

Used by stance.extraction.rules.mentions, which keeps the record of who and what a document names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stance.core.models import TargetKind
from stance.extraction.rules.lexicon import (
    CAPITALS,
    DEMONYMS,
    LOCATIVE,
    PLACE_FORMS,
    ROLE_EQUIVALENTS,
    ROLE_NOUNS,
    TITLE_TOKENS,
    words,
)
from stance.extraction.rules.phrases import (
    CAPITAL_TOKEN,
    CONNECTORS,
    POSSESSIVE_END,
    is_name_token,
    word_key,
)

# Country names that are first names too ("Jordan Mensah").
FIRST_NAME_PLACES = words("places", "first-name places")
_NAME_PARTICLES = frozenset({"de", "da", "del", "der", "van", "von", "bin", "al", "la", "le", "du"})
CORPORATE_ROLES = words("roles", "corporate roles")

# An appositive that makes a name a body: "Andes Lithium, the country's largest producer,".
BODY_APPOSITIVE = re.compile(
    r",\s+(?:the|a|an)\s+(?:[\w'’-]+\s+){0,4}?(?:company|firm|producer|maker|manufacturer"
    r"|group|lender|bank|carrier|airline|operator|retailer|insurer|developer|utility|club"
    r"|charity|startup|organi[sz]ation|agency|union|party|association|federation|broadcaster"
    r"|publisher|brewer|miner|shipper|chain|supplier|exporter|importer|conglomerate"
    r"|subsidiary|unit|owner|fund|trust|foundation|institute|university|newspaper)s?(?=[\s,.;])"
)
KNOWN_ROLES = (
    ROLE_NOUNS
    | (TITLE_TOKENS - {"of", "the", "for", "and", "affairs", "republic", "former", "senior"})
    | set(ROLE_EQUIVALENTS)
    | {role for roles in ROLE_EQUIVALENTS.values() for role in roles}
)


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    name: str  # canonical ("United States")
    kind: TargetKind  # "country", "organization", "other"
    demonym: bool  # named through an adjective ("Moldovan side")
    locative: bool = False  # a capital named as a place ("talks in Washington")


FEMALE_NAMES = words("names", "female")
MALE_NAMES = words("names", "male")
FEMALE_ROLES = frozenset("spokeswoman chairwoman congresswoman ms mrs madam queen".split())
MALE_ROLES = frozenset("spokesman chairman congressman mr sir king".split())


def is_first_name(token: str) -> bool:
    """A common first name ("Ana", "Karl")."""
    return token in FEMALE_NAMES or token in MALE_NAMES


def split_title(tokens: list[str]) -> tuple[list[str], list[str]]:
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
    if cut == 1 and len(tokens) > 1 and tokens[0] in FIRST_NAME_PLACES:
        cut = 0  # "Jordan Mensah"
    name = tokens[cut:]
    if len(name) == 1 and cut > 0 and word_key(tokens[cut - 1]) in {"of", "for"}:
        return tokens, []  # "Minister for Trade": all title, no name
    if len(name) > 2 and not is_first_name(name[0]):
        # "Industry Policy Ana Lenz" after "Spokesperson for Trade and": the name starts at
        # its first name.
        first = next((i for i, t in enumerate(name[1:-1], 1) if is_first_name(t)), None)
        if first is not None:
            cut += first
            name = tokens[cut:]
    if len(name) > 3 and not any(t in _NAME_PARTICLES for t in name):
        cut += len(name) - (3 if re.fullmatch(r"[A-Z]\.", name[-2]) else 2)  # a title's tail
        name = tokens[cut:]
    if len(name) > 2 and cut > 0 and word_key(tokens[cut - 1]) in {"of", "for"}:
        # "Assistant Secretary for Energy Resources Geoffrey Pyatt": the words after "for"
        # complete the title; the name is the last two words (three with an initial).
        keep = 3 if re.fullmatch(r"[A-Z]\.", name[-2]) else 2
        cut += len(name) - keep
    return tokens[:cut], tokens[cut:]


def role_keys(title_words: list[str]) -> tuple[set[str], set[str]]:
    """Role keys ("secretary of state", "secretary") and affiliations (a place or an owner:
    "U.S.", "Moldovan", "Daugava Solar's") from the words of a title."""
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


_OWNER = (
    r"\s+(?:of|at|for)\s+(?:the\s+)?(?P<owner>"
    + CAPITAL_TOKEN
    + r"(?:\s+(?:of\s+|and\s+)?"
    + CAPITAL_TOKEN
    + r"){0,4})"
)
_ROLE_WORDS = r",\s+(?:the\s+|a\s+|an\s+)?((?:[\w'’.-]+\s+){0,3}?[\w'’.-]+)"
# "Jane Doe, chief executive of Acme," first; else "Jane Doe, a spokeswoman,".
# Last, the whole aside up to its comma: "Ann Judge, the insurer's chief economist,".
_APPOSITIVES = (
    re.compile(_ROLE_WORDS + _OWNER + r"(?=[\s,.;])"),
    re.compile(_ROLE_WORDS + r"(?=[\s,.;])"),
    re.compile(_ROLE_WORDS.replace("{0,3}?", "{0,3}") + r"(?=,)"),
)


def appositive(view: str, end: int) -> tuple[set[str], set[str]]:
    """Roles and affiliation from an appositive after a name: "Jane Doe, chief executive of
    Acme,", "Rosa Klein, a fund manager at Meridian Capital Partners,"."""
    for pattern in _APPOSITIVES:
        m = pattern.match(view, end, min(len(view), end + 140))
        if m and [word_key(w) for w in m.group(1).split()][-1] in ROLE_NOUNS | TITLE_TOKENS:
            break
    else:
        return set(), set()
    words = [word_key(w) for w in m.group(1).split()]
    if words[-1] in CONNECTORS:
        return set(), set()
    owner = POSSESSIVE_END.sub("", m.groupdict().get("owner") or "")
    if owner in PLACE_FORMS:
        owner = PLACE_FORMS[owner][0]
    return {" ".join(words), words[-1]}, ({owner} if owner else set())


def _place_pattern() -> re.Pattern[str]:
    forms = sorted({*PLACE_FORMS, *DEMONYMS, *CAPITALS, "The West"}, key=len, reverse=True)
    alternation = "|".join(re.escape(f) for f in forms)
    return re.compile(r"(?<![\w.])(?:" + alternation + r")(?:['’]s)?(?![\w])")


_PLACES = _place_pattern()


_NEXT_WORD = re.compile(r"[ \t]+([A-Z][\w'’-]+)")


def places(view: str) -> list[PlaceMention]:
    found: list[PlaceMention] = []
    for m in _PLACES.finditer(view):
        surface = POSSESSIVE_END.sub("", m.group())
        if surface in FIRST_NAME_PLACES or (surface in CAPITALS and " " not in surface):
            after = _NEXT_WORD.match(view, m.end())
            if after and is_name_token(after.group(1)) and after.group(1) not in CAPITALS:
                continue  # "Santiago Pérez", "Jordan Mensah": a first name, not the place
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
