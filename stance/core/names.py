"""Name normalisation and agreement, as DESIGN.md's metric defines them.

The same rules decide whether two speakers agree in `stance eval` and whether two mentions
can name one entity, so they live here once.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

TITLE_WORDS = frozenset(
    """ambassador assistant ceo chair chairman chancellor deputy dr foreign gen general minister
    mp mr mrs ms of pm premier president prime rep representative secretary sen senator sir
    spokesman spokesperson state the vice""".split()
)
# Words of a role rather than a name ("the head of state", "Foreign Ministry spokesman").
ROLE_WORDS = frozenset(
    """head leader spokesman spokeswoman spokesperson official minister president secretary
    side chief envoy ambassador premier chancellor diplomat foreign state government ministry
    department office administration""".split()
)
_INITIALS_SKIP = frozenset({"and", "of", "the", "for"})
_POSSESSIVE = re.compile(r"['’]s\b")
_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=65536)
def _raw_words(name: str) -> tuple[str, ...]:
    lowered = _POSSESSIVE.sub("", name.lower())
    lowered = lowered.replace("'", "").replace("’", "").replace(".", "")
    return tuple(_WORD.findall(lowered))


def name_words(name: str) -> list[str]:
    """Lower-case words of a name with possessives, apostrophes, full stops and titles removed."""
    return [w for w in _raw_words(name) if w not in TITLE_WORDS]


def _word_matches(word: str, other: str) -> bool:
    if word == other:
        return True
    if len(word) >= 5 and len(other) >= 5:
        return other.startswith(word) or word.startswith(other)
    return False


def _covered(words: list[str], others: list[str]) -> bool:
    return all(any(_word_matches(w, o) for o in others) for w in words)


def initials(name: str) -> str:
    return "".join(w[0] for w in _raw_words(name) if w not in _INITIALS_SKIP)


def names_agree(a: str, b: str) -> bool:
    """True when two names may name the same speaker under the metric's rules."""
    wa, wb = name_words(a), name_words(b)
    if not wa or not wb:
        return False
    if "".join(wa) == "".join(wb):
        return True
    if _covered(wa, wb) or _covered(wb, wa):
        return True
    # "SEC" / "U.S.": a one-word name equal to the initials of the other (of two words or more).
    for short, long_name, long_words in ((wa, b, wb), (wb, a, wa)):
        if len(short) == 1 and len(long_words) >= 2 and short[0] == initials(long_name):
            return True
    return False


def targets_agree(a: str, b: str) -> bool:
    """Target names agree by the name rules or by a 0.85 ratio between sorted word sets."""
    if names_agree(a, b):
        return True
    sa = " ".join(sorted(set(name_words(a))))
    sb = " ".join(sorted(set(name_words(b))))
    return bool(sa and sb) and fuzz.ratio(sa, sb) >= 85
