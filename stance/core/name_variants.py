"""Spelling variants of one name: transliterations, typos, company suffixes, leading junk.

Pure functions of names; `stance.resolve.variants` uses them to fold a new spelling of a
known person or body into its entity, and records why.

- `translit_key("Hajızadə")` → "hajizade": the word through anyascii, lower case, with the
  alternations transliterations disagree on folded ("kh"/"h", "th"/"t", "y"/"i", doubled
  letters, a final vowel): "Pashinyan"/"Pashinian", "Matthew"/"Mathew", "Aykhan"/"Ayhan".
- `words_close(a, b)`: one word spelled two ways: equal keys, or for words of five letters
  or more an edit distance of one (two for ten or more) with the same first letter, or a
  Jaro-Winkler similarity of at least 0.93.
- `person_variant(a, b)`: two full personal names (first name, surname) whose first names
  have one transliteration key (or one consonant apart: "Davit"/"David") and whose
  surnames are close. "Ilham Aliyev" and "Mehriban
  Aliyeva" are not one person (the first names differ), nor "Maria Rossi" and "Mario Rossi"
  (first names one letter apart are different names more often than slips).
- `org_key("CrowdStrike Inc.")` → "crowdstrike": a body's name without its legal form.
- `trim_leading_junk("and Security Policy Peter Stano")` → "Peter Stano".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import JaroWinkler, Levenshtein

from stance.core.gazetteer import phrase_words
from stance.core.names import TITLE_WORDS

# Legal forms and words a company's name may carry or drop ("Delta Air Lines, Inc.").
LEGAL_FORMS = frozenset(
    """inc incorporated corp corporation co company ltd limited llc llp plc ag sa se nv bv
    gmbh holdings holding group""".split()
)
# Words that join a role to a name and are never part of a personal name.
CONNECTORS = frozenset({"and", "of", "for", "the", "to", "on", "at", "in", "&", "-", "–"})
_FOLDS = (
    ("kh", "h"),
    ("th", "t"),
    ("ph", "f"),
    ("ck", "k"),
    ("dzh", "j"),
    ("zh", "j"),
    ("q", "g"),  # Azerbaijani and Turkic Q/G: "Qadirzade"/"Gadirzade"
)
_VOWELS = frozenset("aeiou")
_DOUBLE = re.compile(r"(.)\1+")
_WORD = re.compile(r"[^\W_]+")
JARO_WINKLER_MIN = 0.93


@lru_cache(maxsize=65536)
def translit_key(word: str) -> str:
    """A spelling-insensitive key of one word (see the module's docstring)."""
    text = anyascii(word).lower()
    text = "".join(_WORD.findall(text))
    for a, b in _FOLDS:
        text = text.replace(a, b)
    text = text.replace("y", "i").replace("w", "v")
    text = _DOUBLE.sub(r"\1", text)
    # A final a/e: "Hajizada"/"Hajizade"; kept for short words, and o/i/u always
    # ("Maria"/"Mario" are two names).
    if len(text) >= 6 and text[-1] in "ae":
        text = text[:-1]
    return text


def words_close(a: str, b: str) -> bool:
    """One word spelled two ways (case, transliteration or one slip apart)."""
    if a.lower() == b.lower():
        return True
    ka, kb = translit_key(a), translit_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    if ka[0] != kb[0] or min(len(ka), len(kb)) < 5:
        return False
    allowed = 2 if min(len(ka), len(kb)) >= 10 else 1
    if Levenshtein.distance(ka, kb) <= allowed:
        return True
    return JaroWinkler.similarity(ka, kb) >= JARO_WINKLER_MIN


@dataclass(frozen=True)
class VariantMatch:
    """Why two names were taken for one: the rule and a sentence for the record."""

    rule: str
    reason: str


def given_names_agree(a: str, b: str) -> bool:
    """First names of one person: one transliteration key, or one consonant for another in
    a name of four letters or more ("Davit"/"David"); a vowel changed is another name
    ("Maria"/"Mario")."""
    ka, kb = translit_key(a), translit_key(b)
    if ka == kb:
        return True
    if len(ka) != len(kb) or len(ka) < 4 or ka[0] != kb[0]:
        return False
    diff = [(x, y) for x, y in zip(ka, kb, strict=True) if x != y]
    return len(diff) == 1 and not (set(diff[0]) & _VOWELS)


def _given_and_surname(words: list[str]) -> tuple[str, str] | None:
    """The first and the last word of a personal name of two words or more (middle initials
    are left out before: "Antony J. Blinken" → ("antony", "blinken"))."""
    full = [w for w in words if len(w) > 1]
    if len(full) < 2:
        return None
    return full[0], full[-1]


def person_variant(a: list[str], b: list[str]) -> VariantMatch | None:
    """Two personal names (as lower-case words, titles removed) that spell one person."""
    pa, pb = _given_and_surname(a), _given_and_surname(b)
    if pa is None or pb is None:
        return None
    if pa == pb:
        return VariantMatch("same_name", f"same first name and surname as {' '.join(b)}")
    (ga, sa), (gb, sb) = pa, pb
    if not (given_names_agree(ga, gb) and words_close(sa, sb)):
        return None
    parts = []
    for mine, theirs, what in ((ga, gb, "first name"), (sa, sb, "surname")):
        if mine != theirs:
            how = (
                "the same transliteration"
                if translit_key(mine) == translit_key(theirs)
                else "one letter apart"
            )
            parts.append(f"{what} {mine!r}/{theirs!r}: {how}")
    return VariantMatch("spelling", "; ".join(parts))


def org_words(words: list[str] | tuple[str, ...]) -> list[str]:
    """A body's name words without its legal form ("crowdstrike inc" → ["crowdstrike"])."""
    kept = list(words)
    while len(kept) > 1 and kept[-1] in LEGAL_FORMS:
        kept.pop()
    return kept


def org_key(name: str) -> str:
    return "".join(org_words(_WORD.findall(name.lower().replace(".", "").replace("'", ""))))


def org_short_form(short: list[str], full: list[str]) -> bool:
    """A one-word name that begins a longer name of a body ("delta", "delta air lines")."""
    short, full = org_words(short), org_words(full)
    return (
        len(short) == 1
        and len(full) >= 2
        and len(short[0]) >= 4
        and short[0] == full[0]
        and short[0] not in CONNECTORS
    )


def trim_leading_junk(tokens: list[str], strip: frozenset[str]) -> list[str]:
    """Tokens of a personal name with what the extractor left before it cut off.

    A run of connectors ("and", "of") and role words (`strip`) before the name goes:
    "and Security Policy Peter Stano" → "Peter Stano". The last two tokens always stay.
    """
    cut = 0
    for i, token in enumerate(tokens[:-2] if len(tokens) > 2 else []):
        words = _WORD.findall(token.lower().replace(".", ""))
        if words and all(w in CONNECTORS or w in strip for w in words):
            cut = i + 1
            continue
        if token[:1].islower() or token.lower().endswith(("-based", "-born")):
            cut = i + 1  # a lower-case word, or "Atlanta-based", is not part of a name
            continue
        break
    return tokens[cut:]


def name_words(name: str) -> list[str]:
    """Lower-case words of a name, titles left out."""
    return [w for w in phrase_words(name) if w not in TITLE_WORDS]


def name_key_row(kind: str, name: str, roles: frozenset[str]) -> dict[str, object] | None:
    """The `name_keys` row of a person's or body's name (None for other kinds)."""
    if kind not in ("person", "organization"):
        return None
    words = name_words(name)
    if not words:
        return None
    full = [w for w in words if len(w) > 1] or words
    return {
        "kind": kind,
        "first_word": full[0],
        "first_key": translit_key(full[0]),
        "last_key": translit_key(full[-1]),
        "org_key": org_key(name),
        "words": len(full),
        "roles": " ".join(sorted(roles)),
    }
