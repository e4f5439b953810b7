"""Name normalisation and agreement, as the metric of docs/metric.md defines them.

The same word rules decide whether two speakers agree in `stance eval` (`metric_names_agree`,
`targets_agree`) and whether a name looked up by a user can name a stored entity
(`names_agree`), so they live here once. The two differ in one point: the metric limits
subset agreement to names at most MAX_EXTRA_WORDS words apart, while a lookup ("Brussels
meeting") may find a long description that contains every word asked for.
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
# Subset agreement holds only while the longer name has at most this many words more than
# the shorter: "Aliyev" names "Ilham Aliyev", but a company's name alone does not name a long
# description that merely starts with it ("X's outside legal counsel at Y").
MAX_EXTRA_WORDS = 2
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


def _agree(wa: list[str], wb: list[str], a: str, b: str, max_extra_words: int | None) -> bool:
    if not wa or not wb:
        return False
    if "".join(wa) == "".join(wb):
        return True
    close = max_extra_words is None or abs(len(wa) - len(wb)) <= max_extra_words
    if close and (_covered(wa, wb) or _covered(wb, wa)):
        return True
    # "SEC" / "U.S.": a one-word name equal to the initials of the other (of two words or more).
    for short, long_name, long_words in ((wa, b, wb), (wb, a, wa)):
        if len(short) == 1 and len(long_words) >= 2 and short[0] == initials(long_name):
            return True
    return False


def metric_names_agree(a: str, b: str) -> bool:
    """True when two speaker names agree under the rules of docs/metric.md.

    Equal when joined; or every word of one is among the other's (with the 5-letter prefix
    rule) while the longer has at most MAX_EXTRA_WORDS words more; or one is the other's
    initials.
    """
    return _agree(name_words(a), name_words(b), a, b, MAX_EXTRA_WORDS)


def names_agree(a: str, b: str) -> bool:
    """True when two names may name the same entity: the metric's rules without a word limit.

    Used to look names up ("Aliyev", "Brussels meeting") among stored names and aliases.
    """
    return _agree(name_words(a), name_words(b), a, b, None)


def targets_agree(a: str, b: str) -> bool:
    """Target names agree by the metric's name rules or by a 0.85 ratio between word sets."""
    if metric_names_agree(a, b):
        return True
    sa = " ".join(sorted(set(name_words(a))))
    sb = " ".join(sorted(set(name_words(b))))
    return bool(sa and sb) and fuzz.ratio(sa, sb) >= 85
