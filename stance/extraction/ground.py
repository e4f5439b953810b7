"""Grounding: find a claim's quote in the text at exact character offsets.

Offsets are never taken from a model. A quote is looked up exactly; else with case,
whitespace and punctuation ignored (so a model's "trilateral meeting" finds the source's
"trilateralmeeting"); else fuzzily, accepted only when the match covers enough of the quote.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from stance.core.text import in_word

FUZZY_MIN_SCORE = 90.0  # rapidfuzz partial-ratio percentage over normalised text
FUZZY_MIN_COVERAGE = 0.9  # share of the quote's normalised characters inside the match
FUZZY_MIN_CHARS = 12  # shorter quotes must match exactly or after normalisation
MIN_BLOCK = 3  # matching runs shorter than this are chance, not evidence


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
    # An array, not a tuple of ints: 8 bytes an offset instead of about 36, which is what
    # keeps a 5 MB text in bounded memory.
    offsets: Sequence[int]

    @classmethod
    def of(cls, text: str) -> NormalizedText:
        chars: list[str] = []
        offsets = array("q")
        for i, ch in enumerate(text):
            if ch.isalnum():
                for low in ch.lower():  # lower() may give two characters for one
                    chars.append(low)
                    offsets.append(i)
        return cls("".join(chars), offsets)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of normalised characters [start, end)."""
        return self.offsets[start], self.offsets[end - 1] + 1


def _nearest(haystack: str, needle: str, hint: int) -> int:
    """Offset of the occurrence of needle nearest to hint, or -1.

    Searches outward from the hint, so grounding every claim of a long text stays linear.
    """
    after = haystack.find(needle, hint)
    before = haystack.rfind(needle, 0, hint + len(needle) - 1)
    if before == -1 or (after != -1 and after - hint <= hint - before):
        return after
    return before


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
    norm_quote = NormalizedText.of(stripped).chars
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
            return Alignment(start, end, "fuzzy")
        return Alignment(
            None,
            None,
            "rejected",
            f"only {coverage:.0%} of the quote is in the text ({FUZZY_MIN_COVERAGE:.0%} needed)",
        )
    score = found.score if found is not None else 0.0
    return Alignment(
        None,
        None,
        "rejected",
        f"the quote is not in the text (closest match {score:.0f}% similar, "
        f"{FUZZY_MIN_SCORE:.0f}% needed)",
    )


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
