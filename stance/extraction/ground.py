"""Grounding: find a claim's quote in the text at exact character offsets.

Offsets are never taken from a model. A quote is looked up exactly; else with case,
whitespace and punctuation ignored (so a model's "trilateral meeting" finds the source's
"trilateralmeeting"); else fuzzily, accepted only when the match covers enough of the quote
and keeps its meaning: a fuzzy match that adds or drops a negation ("is against" for the
text's "is not against") or changes a number is rejected with that reason.

A quote with an ellipsis ("A … B", "A ... B", "A [...] B") grounds when its fragments are
found, in order, within one sentence or paragraph: the span runs from the first fragment to
the last (so the evidence includes the words left out), labelled `fuzzy`, and the words left
out may not hold a negation.
"""

from __future__ import annotations

import math
import re
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from stance.core.text import in_word

FUZZY_MIN_SCORE = 90.0  # rapidfuzz partial-ratio percentage over normalised text
FUZZY_MIN_COVERAGE = 0.9  # share of the quote's normalised characters inside the match
FUZZY_MIN_CHARS = 12  # shorter quotes must match exactly or after normalisation
MIN_BLOCK = 3  # matching runs shorter than this are chance, not evidence
MIN_FRAGMENT_CHARS = 8  # an ellipsis fragment needs this many letters or digits to count
MAX_FRAGMENT_TRIES = 50  # occurrences of an ellipsis's first fragment tried

NEGATIONS = frozenset({"not", "no", "never", "neither", "nor", "without", "cannot"})
_ALNUM_RUN = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\.\.|…)\s*\]|\(\s*(?:\.\.\.|…)\s*\)|\.\.\.+|…)\s*")
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Alignment:
    start: int | None
    end: int | None
    status: Literal["exact", "normalized", "fuzzy", "rejected"]
    reason: str | None = None


@dataclass(frozen=True, eq=False)
class NormalizedText:
    """Lower-cased letters and digits of a text, with each one's offset in the original."""

    chars: str
    # An array, not a tuple of ints: 4 bytes an offset (8 beyond 2 GB of text) instead of
    # about 36, which is what keeps a 5 MB text in bounded memory.
    offsets: Sequence[int]

    @classmethod
    def of(cls, text: str) -> NormalizedText:
        # Run by run of letters and digits (`[^\W_]` is exactly `str.isalnum`), not character
        # by character: a plain-ASCII run is lowered and numbered whole. Other runs go
        # character by character, as lowering a whole word may differ ("Σ" at a word's end).
        offsets = array("i" if len(text) < 2**31 else "q")
        # Whole text at once, the loops in C, when lowering keeps one character for one and
        # no final sigma can lower differently in context than alone.
        alnum = bytes(map(str.isalnum, text))
        kept = "".join(compress(text, alnum))
        lowered = kept.lower()
        if len(lowered) == len(kept) and "Σ" not in kept:
            offsets.extend(compress(range(len(text)), alnum))
            return cls(lowered, offsets)
        chars: list[str] = []
        for run in _ALNUM_RUN.finditer(text):
            word, start = run.group(), run.start()
            if word.isascii():
                chars.append(word.lower())
                offsets.extend(range(start, start + len(word)))
                continue
            for i, ch in enumerate(word, start):
                for low in ch.lower():  # lower() may give two characters for one
                    chars.append(low)
                    offsets.append(i)
        return cls("".join(chars), offsets)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of normalised characters [start, end)."""
        return self.offsets[start], self.offsets[end - 1] + 1


def normalized_chars(text: str) -> str:
    """`NormalizedText.of(text).chars` without the offsets: for a search, not a span."""
    return "".join(map(str.lower, compress(text, map(str.isalnum, text))))


def _nearest(haystack: str, needle: str, hint: int) -> int:
    """Offset of the occurrence of needle nearest to hint, or -1.

    Searches outward from the hint, so grounding every claim of a long text stays linear.
    """
    after = haystack.find(needle, hint)
    before = haystack.rfind(needle, 0, hint + len(needle) - 1)
    if before == -1 or (after != -1 and after - hint <= hint - before):
        return after
    return before


def negations(text: str) -> list[str]:
    """The negation words of a text, in order ("n't" counts as "not")."""
    found = []
    for token in _TOKEN.findall(text.lower().replace("’", "'")):
        if token in NEGATIONS:
            found.append(token)
        elif token.endswith("n't"):
            found.append("not")
    return found


def numbers(text: str) -> list[str]:
    return sorted(n.replace(",", "") for n in _NUMBER.findall(text))


def meaning_change(quote: str, evidence: str) -> str | None:
    """Why a quote that matched only approximately says something else than its evidence."""
    said, written = negations(quote), negations(evidence)
    if len(said) > len(written):
        extra = next((w for w in said if said.count(w) > written.count(w)), "not")
        return f"the quote adds the negation '{extra}', which the text does not have there"
    if len(said) < len(written):
        dropped = next((w for w in written if written.count(w) > said.count(w)), "not")
        return f"the quote drops the negation '{dropped}' that the text has there"
    if numbers(quote) != numbers(evidence):
        return "the quote changes a number of the text"
    return None


def align(
    quote: str,
    text: str,
    *,
    hint: int = 0,
    normalized: NormalizedText | None = None,
) -> Alignment:
    """Find `quote` in `text`; `hint` prefers the occurrence nearest to an offset."""
    stripped = quote.strip().strip("\"'“”‘’").strip()
    if not stripped:
        return Alignment(None, None, "rejected", "the quote is empty")
    pos = _nearest(text, stripped, hint)
    if pos != -1:
        return Alignment(pos, pos + len(stripped), "exact")

    norm_text = normalized or NormalizedText.of(text)
    fragments = [f for f in _ELLIPSIS.split(stripped) if f.strip()]
    if len(fragments) >= 2 or (fragments and _ELLIPSIS.search(stripped)):
        return _align_fragments(fragments, text, hint, norm_text)
    norm_quote = normalized_chars(stripped)
    if not norm_quote:
        return Alignment(None, None, "rejected", "the quote has no letters or digits")
    norm_hint = _normalized_index(norm_text, hint)
    pos = _nearest(norm_text.chars, norm_quote, norm_hint)
    if pos != -1:
        start, end = norm_text.span(pos, pos + len(norm_quote))
        return Alignment(start, end, "normalized")

    if len(norm_quote) < FUZZY_MIN_CHARS or not norm_text.chars:
        return Alignment(None, None, "rejected", "the quote is not in the text")
    found = fuzz.partial_ratio_alignment(norm_quote, norm_text.chars)
    if found is not None and found.score >= FUZZY_MIN_SCORE:
        # Trim the window to the characters that really match, and measure how much of the
        # quote they cover: a window can score well while the quote runs past it.
        window = norm_text.chars[found.dest_start : found.dest_end]
        opcodes = Levenshtein.opcodes(norm_quote, window)
        blocks = [b for b in opcodes.as_matching_blocks() if b.size >= MIN_BLOCK]
        coverage = sum(b.size for b in blocks) / len(norm_quote)
        if blocks and coverage >= FUZZY_MIN_COVERAGE:
            first, last = blocks[0], blocks[-1]
            start, end = norm_text.span(
                found.dest_start + first.b, found.dest_start + last.b + last.size
            )
            start, end = _snap_to_words(text, start, end)
            changed = meaning_change(stripped, text[start:end])
            if changed:
                return Alignment(None, None, "rejected", changed)
            return Alignment(start, end, "fuzzy")
        # Rounded down: 89.6% is not "90%", which would read as enough.
        return Alignment(
            None,
            None,
            "rejected",
            f"only {math.floor(coverage * 100)}% of the quote is in the text "
            f"({FUZZY_MIN_COVERAGE:.0%} needed)",
        )
    score = found.score if found is not None else 0.0
    return Alignment(
        None,
        None,
        "rejected",
        f"the quote is not in the text (closest match {score:.0f}% similar, "
        f"{FUZZY_MIN_SCORE:.0f}% needed)",
    )


def _paragraph_breaks(text: str) -> re.Pattern[str]:
    """Blank lines separate paragraphs; in a text without any, every line break does."""
    return re.compile(r"\n[ \t]*\n") if re.search(r"\n[ \t]*\n", text) else re.compile(r"\n")


def _find_fragment(
    fragment: str, text: str, norm: NormalizedText, start: int
) -> tuple[int, int] | None:
    """The first occurrence at or after `start`: exactly, else after normalisation."""
    pos = text.find(fragment, start)
    if pos != -1:
        return pos, pos + len(fragment)
    norm_fragment = normalized_chars(fragment)
    npos = norm.chars.find(norm_fragment, _normalized_index(norm, start))
    if npos == -1 or not norm_fragment:
        return None
    return norm.span(npos, npos + len(norm_fragment))


def _one_passage(text: str, start: int, end: int, breaks: re.Pattern[str]) -> bool:
    """True when [start, end) lies within one paragraph (one sentence counts as well)."""
    return breaks.search(text, start, end) is None


def _align_fragments(fragments: list[str], text: str, hint: int, norm: NormalizedText) -> Alignment:
    """Ground an ellipsis quote: every fragment, in order, within one paragraph."""
    fragments = [f.strip().strip("\"'“”‘’").strip() for f in fragments]
    short = [f for f in fragments if len(normalized_chars(f)) < MIN_FRAGMENT_CHARS]
    if short or len(fragments) < 2:
        return Alignment(
            None,
            None,
            "rejected",
            "a quote with an ellipsis needs at least two fragments of several words each; "
            "quote the words without the ellipsis",
        )
    breaks = _paragraph_breaks(text)
    first = fragments[0]
    tried, search_from, candidates = 0, 0, []
    while tried < MAX_FRAGMENT_TRIES:
        found = _find_fragment(first, text, norm, search_from)
        if found is None:
            break
        candidates.append(found)
        search_from, tried = found[0] + 1, tried + 1
    if not candidates:
        return Alignment(
            None, None, "rejected", f"the fragment '{_short(first)}' is not in the text"
        )
    candidates.sort(key=lambda span: abs(span[0] - hint))
    problem = "the fragments are not in this order within one sentence or paragraph of the text"
    for start, end in candidates:
        last_end, ok = end, True
        for fragment in fragments[1:]:
            found = _find_fragment(fragment, text, norm, last_end)
            if found is None or not _one_passage(text, start, found[1], breaks):
                ok = False
                break
            last_end = found[1]
        if not ok:
            continue
        changed = meaning_change(" ".join(fragments), text[start:last_end])
        if changed:
            problem = (
                "the words left out at the ellipsis hold a negation, so the quote says "
                "something else than the text"
                if "negation" in changed
                else "the words left out at the ellipsis hold a number the quote lacks"
            )
            continue
        return Alignment(start, last_end, "fuzzy")
    return Alignment(None, None, "rejected", problem)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _normalized_index(norm: NormalizedText, offset: int) -> int:
    """First normalised position at or after an original offset."""
    return bisect_left(norm.offsets, offset)


def _snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a fuzzy span so that it neither starts nor ends inside a word (a zero-width
    character inside a word does not end it)."""
    while start > 0 and in_word(text[start - 1]):
        start -= 1
    while end < len(text) and in_word(text[end]):
        end += 1
    return start, end
