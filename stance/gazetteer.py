"""Countries and bodies that news text names in many ways, and their canonical names.

"the U.S.", "United States", "America" and "Washington" (as a government) are one country;
"the Azerbaijani side", "Baku" and "Azerbaijan" another. A place is listed with its names,
abbreviations, demonyms and capital; a demonym or name followed by a word such as "side" or
"government" means the country too. The list covers the actors of the news stance is used
on first (the South Caucasus and the powers around it) and the larger powers; a name not
listed is resolved by its words alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Place:
    """A country or union, its short label for event names, and how texts name it."""

    name: str
    kind: str  # "country" or "organization"
    short: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()


PLACES: tuple[Place, ...] = (
    Place(
        "United States",
        "country",
        "US",
        ("united states", "united states of america", "us", "usa", "america", "u s a"),
        ("american", "us"),
        ("washington",),
    ),
    Place(
        "European Union",
        "organization",
        "EU",
        ("european union", "eu"),
        ("european",),
        ("brussels",),
    ),
    Place(
        "Azerbaijan",
        "country",
        "Azerbaijan",
        ("azerbaijan", "republic of azerbaijan", "azerbaijan republic"),
        ("azerbaijani", "azeri"),
        ("baku",),
    ),
    Place(
        "Armenia",
        "country",
        "Armenia",
        ("armenia", "republic of armenia"),
        ("armenian",),
        ("yerevan",),
    ),
    Place(
        "Russia",
        "country",
        "Russia",
        ("russia", "russian federation"),
        ("russian",),
        ("moscow", "kremlin"),
    ),
    Place(
        "Turkey",
        "country",
        "Turkey",
        ("turkey", "turkiye", "türkiye", "republic of turkey"),
        ("turkish",),
        ("ankara",),
    ),
    Place(
        "Iran", "country", "Iran", ("iran", "islamic republic of iran"), ("iranian",), ("tehran",)
    ),
    Place("Georgia", "country", "Georgia", ("georgia",), ("georgian",), ("tbilisi",)),
    Place(
        "France",
        "country",
        "France",
        ("france", "french republic"),
        ("french",),
        ("paris", "elysee"),
    ),
    Place(
        "Germany",
        "country",
        "Germany",
        ("germany", "federal republic of germany"),
        ("german",),
        ("berlin",),
    ),
    Place(
        "United Kingdom",
        "country",
        "UK",
        ("united kingdom", "uk", "britain", "great britain"),
        ("british",),
        ("london",),
    ),
    Place(
        "China",
        "country",
        "China",
        ("china", "peoples republic of china", "prc"),
        ("chinese",),
        ("beijing",),
    ),
    Place("Ukraine", "country", "Ukraine", ("ukraine",), ("ukrainian",), ("kyiv", "kiev")),
    Place("Israel", "country", "Israel", ("israel",), ("israeli",), ()),
    Place("Kazakhstan", "country", "Kazakhstan", ("kazakhstan",), ("kazakh",), ("astana",)),
    Place("India", "country", "India", ("india",), ("indian",), ("new delhi",)),
    Place("Pakistan", "country", "Pakistan", ("pakistan",), ("pakistani",), ("islamabad",)),
    Place("Italy", "country", "Italy", ("italy",), ("italian",), ("rome",)),
    Place("Poland", "country", "Poland", ("poland",), ("polish",), ("warsaw",)),
    Place("Japan", "country", "Japan", ("japan",), ("japanese",), ("tokyo",)),
    Place("Canada", "country", "Canada", ("canada",), ("canadian",), ("ottawa",)),
    Place("Hungary", "country", "Hungary", ("hungary",), ("hungarian",), ("budapest",)),
    Place("United Nations", "organization", "UN", ("united nations", "un"), (), ()),
    Place(
        "NATO",
        "organization",
        "NATO",
        ("nato", "north atlantic treaty organization", "north atlantic alliance"),
        (),
        (),
    ),
    Place(
        "OSCE",
        "organization",
        "OSCE",
        ("osce", "organization for security and cooperation in europe"),
        (),
        (),
    ),
)

# Words after a country's name or demonym that still mean the country as an actor.
ACTOR_WORDS = frozenset(
    "side government authorities leadership administration state republic".split()
)
# Words before a capital that mean its government ("official Baku").
_OFFICIAL = frozenset({"official", "officials"})
_LEADING = frozenset({"the"})
_WORD = re.compile(r"[^\W_]+")


def phrase_words(name: str) -> tuple[str, ...]:
    """Lower-case words with possessive 's, dots and apostrophes dropped ("U.S.'s" → "us")."""
    lowered = re.sub(r"['’]s\b", "", name.lower()).replace(".", "").replace("'", "")
    return tuple(_WORD.findall(lowered.replace("’", "")))


@lru_cache(maxsize=1)
def _tables() -> tuple[
    dict[tuple[str, ...], Place], dict[tuple[str, ...], Place], dict[tuple[str, ...], Place]
]:
    names: dict[tuple[str, ...], Place] = {}
    demonyms: dict[tuple[str, ...], Place] = {}
    capitals: dict[tuple[str, ...], Place] = {}
    for place in PLACES:
        for name in place.names:
            names[phrase_words(name)] = place
        for demonym in place.demonyms:
            demonyms[phrase_words(demonym)] = place
        for capital in place.capitals:
            capitals[phrase_words(capital)] = place
    return names, demonyms, capitals


def place_named(name: str) -> Place | None:
    """The country or union a whole phrase names as an actor, or None.

    "the U.S.", "United States", "Washington", "official Baku", "the Azerbaijani side",
    "Armenian government" name a place; "Washington Post" or "French Minister" do not.
    """
    words = phrase_words(name)
    while words and words[0] in _LEADING:
        words = words[1:]
    if not words:
        return None
    names, demonyms, capitals = _tables()
    if words in names:
        return names[words]
    if words[0] in _OFFICIAL and words[1:] in capitals:
        return capitals[words[1:]]
    if words in capitals:
        return capitals[words]
    if len(words) >= 2 and words[-1] in ACTOR_WORDS:
        head = words[:-1]
        return names.get(head) or demonyms.get(head)
    return None


def places_in(words: tuple[str, ...]) -> list[tuple[int, int, Place]]:
    """Every place named inside a run of words (by name or demonym, not by capital).

    Returns (start, end, place) spans, longest names first at each position. Capitals are
    left out on purpose: in "a meeting in Brussels" the capital is where, not who.
    """
    names, demonyms, _ = _tables()
    found: list[tuple[int, int, Place]] = []
    i = 0
    while i < len(words):
        for size in (4, 3, 2, 1):
            piece = words[i : i + size]
            if len(piece) < size:
                continue
            place = names.get(piece) or demonyms.get(piece)
            if place is not None:
                found.append((i, i + size, place))
                i += size
                break
        else:
            i += 1
    return found


def is_place_word(word: str) -> bool:
    """A single word that names a place by name or demonym ("azerbaijani", "us")."""
    names, demonyms, _ = _tables()
    return (word,) in names or (word,) in demonyms
