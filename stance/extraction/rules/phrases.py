"""Words and phrases of names, for the rules extractor.

A capitalised token ("U.S.", "J.", "O'Brien", "COP29"), a chain of them ("President of the
Republic of Estonia Tomas Ravel", "Securities and Exchange Commission"), and the noun
phrases that can name a speaker: a pronoun ("He"), a proper name, a role ("the head of
state", "China's delegation") or an anonymous source ("two senior officials", "people
familiar with the matter").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from stance.extraction.rules.lexicon import (
    ANONYMOUS_MODIFIERS,
    ANONYMOUS_NOUNS,
    BODY_NOUNS,
    DEMONYMS,
    DOCUMENT_SOURCES,
    DOCUMENT_WORDS,
    EVENT_WORDS,
    MONTHS,
    NOT_NAME_WORDS,
    ORGANIZATION_WORDS,
    PLACE_FORMS,
    PLACE_WORDS,
    ROLE_NOUNS,
    TITLE_TOKENS,
    UPPER,
    WEEKDAYS,
    words,
)

# One capitalised token: "U.S.", "J.", "Mr.", "O'Brien", "al-Assad", "COP29".
CAPITAL_TOKEN = (
    r"(?:(?:[A-Z]\.){2,}|[A-Z]\.(?=\s)|(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Prof|St"
    r"|Jr|Sr)\.|(?:al|el|bin|ibn|de|van|von)-[" + UPPER + r"][\w'’-]*|[" + UPPER + r"][\w'’&-]*)"
)
# Lower-case words inside a name ("Ministry of Foreign Affairs", "Lotte van Beek").
CONNECTORS = frozenset(
    {"of", "the", "for", "de", "da", "del", "der", "van", "von", "bin", "al", "la", "le", "du", "&"}
)
# A chain also runs over "and", which joins the words of a body's name ("Securities and
# Exchange Commission"); chain_parts splits it again between two names ("Latvia and Moldova").
_CONNECTOR = r"(?:of|the|for|de|da|del|der|van|von|bin|al|la|le|du|&|and)"
CHAIN = re.compile(
    CAPITAL_TOKEN + r"(?:[ \t]+(?:" + _CONNECTOR + r"[ \t]+)*" + CAPITAL_TOKEN + r")*"
)
CAPITAL_TOKEN_FULL = re.compile(CAPITAL_TOKEN)
CALENDAR = frozenset(MONTHS + WEEKDAYS)
POSSESSIVE_END = re.compile(r"['’]s$")
_NOT_WORD = re.compile(r"[^\w]")


@dataclass(frozen=True)
class NounPhrase:
    """A candidate speaker: how the text names someone at one place."""

    kind: Literal["pronoun", "proper", "role", "anonymous"]
    text: str


def chain_parts(m: re.Match[str]) -> list[tuple[int, list[str]]]:
    """(offset, tokens) of the names in one chain: leading function words dropped ("During",
    "The") and split after a possessive ("the EU's European Peace Facility")."""
    parts: list[tuple[int, list[str]]] = []
    current: list[str] = []
    offset = m.start()
    tokens = list(re.finditer(r"\S+", m.group()))
    body_name = word_key(tokens[-1].group()) in ORGANIZATION_WORDS
    skip_until = 0
    for index, token in enumerate(tokens):
        word = token.group()
        if word == "and" and not body_name:  # "Latvia and Moldova": two names
            if current:
                parts.append((offset, current))
            current = []
            continue
        if not current and word_key(word) in NOT_NAME_WORDS:
            continue
        if not current and index + 1 < len(tokens) and tokens[index + 1].group() == "of":
            if word.lower() in ANONYMOUS_NOUNS:  # "Members of the Nordic Cabin Crew Union"
                skip_until = index + 2
                continue
        if index < skip_until or (index == skip_until and word == "the" and not current):
            continue
        if not current:
            offset = m.start() + token.start()
        current.append(word)
        rest = [t.group() for t in tokens[index + 1 :]]
        if POSSESSIVE_END.search(word) and _stands_alone(rest):
            parts.append((offset, current))
            current = []
    if current:
        while current and word_key(current[-1]) in CONNECTORS:
            current.pop()
        if current:
            parts.append((offset, current))
    return parts


def _stands_alone(tokens: list[str]) -> bool:
    """After a possessive, is the rest a name of its own ("the EU's European Peace Facility")
    rather than the owner's office ("Russia's Foreign Ministry", "Acme's Chief Executive")?"""
    if not tokens or word_key(tokens[0]) in TITLE_TOKENS:
        return False
    keys = [word_key(t) for t in tokens]
    return not (len(keys) <= 2 and keys[-1] in ORGANIZATION_WORDS | BODY_NOUNS)


@lru_cache(maxsize=65536)
def word_key(token: str) -> str:
    """Lower-case letters and digits of a token, possessive dropped ("O'Brien's" -> "obrien")."""
    return _NOT_WORD.sub("", POSSESSIVE_END.sub("", token).lower())


@lru_cache(maxsize=65536)
def is_name_token(token: str) -> bool:
    """Could this capitalised token be part of a person's name?"""
    bare = POSSESSIVE_END.sub("", token)
    key = word_key(bare)
    if re.fullmatch(r"[A-Z]\.", bare):  # a middle initial
        return True
    return (
        bool(key)
        and bare[0].isupper()
        and any(c.islower() for c in bare)
        and key not in TITLE_TOKENS
        and key not in NOT_NAME_WORDS
        and bare not in PLACE_FORMS
        and bare not in DEMONYMS
        and bare not in CALENDAR
        and key not in ORGANIZATION_WORDS
        and key not in EVENT_WORDS
        and key not in DOCUMENT_WORDS
        and key not in PLACE_WORDS
        and not any(c.isdigit() for c in bare)
    )


# --- Noun phrases that can be speakers ---------------------------------------------------------

DETERMINERS = frozenset({"the", "a", "an", "his", "her", "its", "their", "our"})
_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr"})
ROLE_MODIFIERS = words("roles", "role modifiers")
# Lower-case words of a role before a name: "government spokeswoman Mirela Costa".
_ROLE_BEFORE_NAME = (ROLE_NOUNS | BODY_NOUNS | TITLE_TOKENS | ROLE_MODIFIERS) - CONNECTORS
POSTMODIFIER = re.compile(
    r"\s+(?:familiar|close|briefed|involved)\s+(?:with|to|on|in)\s+.*$"
    r"|\s+(?:who|with|for|at|from|of|in|on|representing)\s.*$"
)


# "One of them", "two of those": part of a group just named, which stands in for it.
PARTITIVE = re.compile(
    r"^(?:one|two|three|some|several|many|most|all|both|each|none|neither|another)\s+of\s+"
    r"(?:(?P<pronoun>them|those|these)|(?:the|those|these|their)\s+(?P<noun>.+))$",
    re.IGNORECASE,
)


# Cached: the same runs of tokens are classified again and again (every prefix or suffix of
# every clause, in the walk and in subject tracking); the answer depends on the text alone
# and a NounPhrase is frozen.
@lru_cache(maxsize=65_536)
def classify(text: str) -> NounPhrase | None:
    """What kind of speaker mention `text` is, or None when it cannot be a speaker."""
    text = text.strip()
    tokens = text.split()
    if not tokens or len(tokens) > 10:
        return None
    lowered = [t.lower() for t in tokens]
    if len(tokens) == 1 and lowered[0] in {"he", "she", "they", "it", "we", "i"}:
        return NounPhrase("pronoun", text)
    part = PARTITIVE.match(text)
    if part is not None:  # resolved to the group just named, else to the noun's group
        noun = part.group("noun")
        return NounPhrase("pronoun", text) if noun is None or classify(noun) else None
    lead = 0
    while lead < len(tokens) - 1 and tokens[lead].islower() and lowered[lead] in _ROLE_BEFORE_NAME:
        lead += 1
    if 0 < lead and tokens[lead][:1].isupper() and _is_proper(tokens[lead:]):
        return classify(" ".join(tokens[lead:]))  # "prosecutor Lotte van Beek"
    core = POSTMODIFIER.sub("", text).split()
    if core and word_key(core[-1]) in DOCUMENT_SOURCES and len(core) <= 3:
        return NounPhrase("anonymous", text)  # "court documents"
    if (
        core
        and word_key(core[-1]) in ANONYMOUS_NOUNS
        and all(
            w.lower() in ANONYMOUS_MODIFIERS or CAPITAL_TOKEN_FULL.fullmatch(w) or w.isdigit()
            for w in core[:-1]
        )
    ):
        return NounPhrase("anonymous", text)
    if _is_proper(tokens):
        meaningful = [t for t in tokens if word_key(t) not in CONNECTORS]
        if all(
            word_key(t) in TITLE_TOKENS or POSSESSIVE_END.sub("", t) in PLACE_FORMS or t in DEMONYMS
            for t in meaningful
        ):
            return NounPhrase("role", text)
        return NounPhrase("proper", text)
    if _is_role(tokens):
        return NounPhrase("role", text)
    return None


def _is_proper(tokens: list[str]) -> bool:
    """A name: capitalised tokens joined by connectors ("The Kremlin", "Dr. Amara Diallo")."""
    first = word_key(tokens[0])
    acronym = len(tokens[0]) > 1 and tokens[0].isupper()  # "WHO", not "who"
    if first in NOT_NAME_WORDS and tokens[0] != "The" and first not in _HONORIFICS and not acronym:
        return False
    if tokens[0] == "The" and len(tokens) == 1:
        return False
    body = tokens[1:] if tokens[0] == "The" else tokens
    if not body or not CAPITAL_TOKEN_FULL.fullmatch(body[-1]):
        return False
    if body[0] in CALENDAR or (
        word_key(body[0]) in NOT_NAME_WORDS
        and word_key(body[0]) not in _HONORIFICS
        and not (len(body[0]) > 1 and body[0].isupper())  # "WHO" is a name, "Who" is not
    ):
        return False
    joins = CONNECTORS | ({"and"} if word_key(body[-1]) in ORGANIZATION_WORDS else set())
    return all(CAPITAL_TOKEN_FULL.fullmatch(t) or t in joins for t in body)


def _is_role(tokens: list[str]) -> bool:
    """ "the head of state", "the country's foreign minister", "China's foreign ministry"."""
    first = tokens[0]
    if not (
        first.lower() in DETERMINERS
        or re.fullmatch(CAPITAL_TOKEN + r"['’]s", first)
        or first in DEMONYMS
    ):
        return False
    rest = [word_key(t) for t in tokens[1:]]
    if "of" in rest:  # "head of state", "the head of the ministry"
        of = rest.index("of")
        tail = rest[of + 1 :]
        if not tail or len(tail) > 4:
            return False
        rest = rest[:of]
    if not rest or len(rest) > 4:
        return False
    head = rest[-1]
    return head in ROLE_NOUNS or head in BODY_NOUNS or head in TITLE_TOKENS - CONNECTORS


def longest_phrase(tokens: list[str], *, from_end: bool) -> NounPhrase | None:
    """The longest run of tokens at one end of a clause that can name a speaker."""
    limit = min(len(tokens), 10)
    for size in range(limit, 0, -1):
        chosen = tokens[-size:] if from_end else tokens[:size]
        phrase = classify(" ".join(chosen))
        if phrase is not None:
            return phrase
    return None
