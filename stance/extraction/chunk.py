"""Splitting a long text into chunks that each fit one request, and merging their claims.

A chunk is a contiguous slice of the document, so a position in a chunk plus the chunk's
`start` is a position in the document. Texts are cut at paragraph boundaries, else at
sentence boundaries, else at whitespace. Each chunk after the first begins with the last
sentence of the one before, so that a claim cut in two at an edge is whole in one of them;
the same claim found in both chunks is merged afterwards.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from stance.core.models import Claim
from stance.core.names import names_agree

DEFAULT_CHUNK_CHARS = 12_000  # about 3,000 tokens of English: room left for prompt and answer
MAX_OVERLAP_SHARE = 4  # the repeated sentence may take at most 1/4 of a chunk

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# End of a sentence: . ! or ? (with closing quotes or brackets), space, then what can begin
# a sentence.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
# "U.S. Secretary", "Mr. Blinken", "J. Blinken": a full stop that does not end a sentence.
_ABBREVIATION = re.compile(
    r"(?:[A-Za-z]\.)*[A-Za-z]|Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sen|Rep|Gov|Jr|Sr|No|vs|etc"
    r"|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec"
)
_WORD_BEFORE = re.compile(r"[^\s\"'“‘(\[]*$")


@dataclass(frozen=True)
class Chunk:
    """A slice of the document: `text == document[start:end]`."""

    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def paragraph_starts(text: str) -> list[int]:
    """Offsets where a paragraph after the first begins."""
    return [m.end() for m in _PARAGRAPH_BREAK.finditer(text) if m.end() < len(text)]


def sentence_starts(text: str) -> list[int]:
    """Offsets where a sentence after the first begins (paragraph starts included)."""
    starts = set(paragraph_starts(text))
    for match in _SENTENCE_END.finditer(text):
        word = _WORD_BEFORE.search(text, max(0, match.start() - 16), match.start())
        if word is None or not _ABBREVIATION.fullmatch(word.group()):
            starts.add(match.end())
    return sorted(starts)


def _last_between(points: Sequence[int], low: int, high: int) -> int | None:
    """The largest point p with low < p <= high."""
    index = bisect_right(points, high) - 1
    if index >= 0 and points[index] > low:
        return points[index]
    return None


def _last_space(text: str, low: int, high: int) -> int | None:
    """Offset just after the last whitespace in text(low, high], for a cut between words."""
    for pos in range(high - 1, low, -1):
        if text[pos].isspace():
            return pos + 1
    return None


def split_text(text: str, max_chars: int = DEFAULT_CHUNK_CHARS) -> list[Chunk]:
    """Cut a text into chunks of at most `max_chars` characters, overlapping by a sentence."""
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    if len(text) <= max_chars:
        return [Chunk(0, text)]
    paragraphs = paragraph_starts(text)
    sentences = sentence_starts(text)
    chunks: list[Chunk] = []
    start, last_cut = 0, 0
    while len(text) - start > max_chars:
        limit = start + max_chars
        # Cut after everything already sent, so that every chunk brings new text.
        floor = max(start, last_cut)
        cut = (
            _last_between(paragraphs, floor, limit)
            or _last_between(sentences, floor, limit)
            or _last_space(text, floor, limit)
            or limit
        )
        chunks.append(Chunk(start, text[start:cut]))
        last_cut = cut
        overlap = _last_between(sentences, start, cut - 1)
        if overlap is not None and (cut - overlap) * MAX_OVERLAP_SHARE <= max_chars:
            start = overlap
        else:
            start = cut
    chunks.append(Chunk(start, text[start:]))
    return chunks


def _same_speaker(a: Claim, b: Claim) -> bool:
    return a.speaker.casefold() == b.speaker.casefold() or names_agree(a.speaker, b.speaker)


def _duplicates(a: Claim, b: Claim) -> bool:
    """The same claim seen from two chunks: one speaker, overlapping evidence."""
    if not _same_speaker(a, b):
        return False
    if a.start is None or a.end is None or b.start is None or b.end is None:
        # Rejected claims have no span: only the very same quote is a duplicate.
        return a.start is None and b.start is None and a.quote.strip() == b.quote.strip()
    return a.start < b.end and b.start < a.end


def _span_length(claim: Claim) -> int:
    return (claim.end or 0) - (claim.start or 0)


def merge_edge_duplicates(per_chunk: Sequence[Sequence[Claim]]) -> list[Claim]:
    """All claims of all chunks in document order, duplicates across chunks merged.

    Only neighbouring chunks share text (the repeated sentence), so a claim is compared with
    the claims of the chunk before it alone: linear in the chunks, not quadratic in the claims
    of a long document. Of two duplicates the one with the longer evidence is kept: at a chunk
    edge the shorter one is usually the claim cut off by the edge.
    """
    merged: list[Claim | None] = []
    previous: list[int] = []  # indexes in `merged` of the previous chunk's claims
    for claims in per_chunk:
        current: list[int] = []
        for claim in claims:
            twin = next(
                (i for i in previous if (kept := merged[i]) and _duplicates(claim, kept)), None
            )
            if twin is None:
                current.append(len(merged))
                merged.append(claim)
            elif _span_length(claim) > _span_length(merged[twin]):  # type: ignore[arg-type]
                # The longer claim now stands for both, at this chunk's place among neighbours.
                merged[twin] = None
                current.append(len(merged))
                merged.append(claim)
        previous = current
    kept_claims = [claim for claim in merged if claim is not None]
    kept_claims.sort(key=lambda c: (c.start is None, c.start or 0))
    return kept_claims
