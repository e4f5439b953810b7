"""Text layout for the rules extractor: a de-glued view, paragraphs, sentences, quotations.

News text arrives damaged: "TomasRavel", "ofLatvia", "theimportance", "underlinedthat",
"April5". The rules run on a *view* of the text with a space put back where words were
run together, and every offset found in the view maps back to the original text, so quotes
stay exact substrings of what was received.

Everything here is linear in the length of the text (regular expressions over the text, one
pass per layer); sentences are capped in length so that later per-sentence work is bounded.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from stance.extraction.rules.lexicon import (
    ABBREVIATIONS,
    CUE_PARTICIPLE,
    CUE_PAST,
    CUE_PRESENT,
    MONTHS,
    UPPER,
)

MAX_SENTENCE = 3000  # characters; longer "sentences" (tables, lists) are cut at spaces

# Words beginning with "the" that are words in their own right, not "the" run into a word.
_THE_WORDS = frozenset(
    """theater theaters theatre theatres theatrical theft thefts their theirs them theme themed
    themes themselves then thence theologian theology theorem theoretical theoretically
    theories theorist theory therapeutic therapies therapist therapy there thereafter thereby
    therefore therein thereof thereto thermal thermostat these thesis they theological
    thematic thematically thermometer thereabouts theorize theorized therewith thespian""".split()
)
_THAT_WORDS = frozenset({"thatch", "thatched", "thatcher", "thats"})

_LOWER_BEFORE_CAPITAL = re.compile(r"\b[a-z]{2,}(?=[A-Z])")
_CAPITAL_GLUE = re.compile(r"\b([A-Z][a-z]{2,})([A-Z][a-z]{2,})\b")
_THE_GLUE = re.compile(r"\bthe(?=[a-z]{4,}\b)([a-z]+)")
_THAT_GLUE = re.compile(r"\bthat(?=[a-z]{3,}\b)([a-z]+)")
_CUE_FORMS = sorted({*CUE_PAST, *CUE_PRESENT, *CUE_PARTICIPLE}, key=len, reverse=True)
_CUE_THAT_GLUE = re.compile(r"\b(?:" + "|".join(map(re.escape, _CUE_FORMS)) + r")(?=that\b)")
# Every cue form ends in a letter: without a "that" run into a word, the long alternation
# above cannot match and is not run (it costs more than all the other glue patterns).
_GLUED_THAT = re.compile(r"(?<=\w)that\b")
_POSSESSIVE_GLUE = re.compile(r"(?<=[A-Za-z]['’]s)(?=[a-z]{3,})")  # "Latvia'sarming"
_SENTENCE_GLUE = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
_MONTH_DAY_GLUE = re.compile(r"\b(?:" + "|".join(MONTHS) + r")(?=\d)")
_CAPITALISED_WORD = re.compile(r"\b[A-Z][a-z]+\b")
# "trilateralmeeting": an event noun run into the word before it.
_EVENT_GLUE = re.compile(
    r"\b(?!(?:tele|video|audio|web)(?:conference|summit))[a-z]{4,}"
    r"(?=(?:meetings?|negotiations|summit|conference|talks|elections?|referendum)\b)"
)


@dataclass(frozen=True)
class View:
    """The text with spaces put back between run-together words; offsets map back."""

    text: str
    inserted: tuple[int, ...]  # view offsets of the inserted spaces, ascending

    def to_source(self, pos: int) -> int:
        """Offset in the original text of view offset `pos` (an inserted space maps forward)."""
        return pos - bisect_left(self.inserted, pos)

    @classmethod
    def of(cls, source: str) -> View:
        splits = sorted(_split_points(source))
        pieces: list[str] = []
        inserted: list[int] = []
        previous = 0
        for count, at in enumerate(splits):
            pieces.append(source[previous:at])
            inserted.append(at + count)
            previous = at
        pieces.append(source[previous:])
        return cls(" ".join(pieces), tuple(inserted))


def _split_points(source: str) -> set[int]:
    """Offsets in the source before which a space was evidently lost."""
    points: set[int] = set()
    for m in _LOWER_BEFORE_CAPITAL.finditer(source):  # "ofLatvia", "theUS"
        points.add(m.end())
    standalone = set(_CAPITALISED_WORD.findall(source))
    for m in _CAPITAL_GLUE.finditer(source):  # "TomasRavel" when "Tomas" and "Ravel" occur
        if m.group(1) in standalone and m.group(2) in standalone:
            points.add(m.start(2))
    for m in _THE_GLUE.finditer(source):  # "theimportance"
        if m.group(0) not in _THE_WORDS:
            points.add(m.start(1))
    for m in _THAT_GLUE.finditer(source):  # "thatsuch"
        if m.group(0) not in _THAT_WORDS:
            points.add(m.start(1))
    glue = (_CUE_THAT_GLUE,) if _GLUED_THAT.search(source) else ()
    for pattern in (*glue, _MONTH_DAY_GLUE, _EVENT_GLUE):  # "April5", ...
        for m in pattern.finditer(source):
            points.add(m.end())
    for pattern in (_SENTENCE_GLUE, _POSSESSIVE_GLUE):  # "Ravel.The", "Latvia'sarming"
        for m in pattern.finditer(source):
            points.add(m.start())
    points.discard(0)
    points.discard(len(source))
    return points


# --- Paragraphs, quotations, sentences ---------------------------------------------------------


@dataclass(frozen=True)
class Quotation:
    """A quoted passage: `start`/`end` are inside the marks; `closed` is False when the
    quotation runs on to the next paragraph (the newsroom convention)."""

    open_at: int
    start: int
    end: int
    close_at: int  # offset just after the closing mark (== end when unclosed)
    closed: bool


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    quotations: tuple[Quotation, ...]


_LINE = re.compile(r"[^\n]+")


def paragraphs(text: str) -> list[Paragraph]:
    """Blocks of text: lines, with a line that starts in lower case joined to the previous."""
    blocks: list[tuple[int, int]] = []
    for m in _LINE.finditer(text):
        start, end = m.start(), m.end()
        line = m.group()
        stripped = line.lstrip()
        if not stripped.strip():
            continue
        start += len(line) - len(stripped)
        while end > start and text[end - 1].isspace():
            end -= 1
        joined_to_previous = (
            blocks
            and stripped[0].islower()
            and text.count("\n", blocks[-1][1], start) == 1  # no blank line between
        )
        if joined_to_previous:
            blocks[-1] = (blocks[-1][0], end)
        else:
            blocks.append((start, end))
    return [Paragraph(s, e, tuple(_quotations(text, s, e))) for s, e in blocks]


_QUOTE_MARK = re.compile(r"[\"“”]")
# Single curly marks quote too (‘…’), but ’ is also the apostrophe: an opening ‘ starts a
# word after a space or colon, and the closing ’ follows punctuation or ends the paragraph.
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s:(—–-]))‘(?=\w)")
_SINGLE_CLOSE = re.compile(r"(?<=[.,!?;:—–])’|’(?=\s*$)")


def _opens(text: str, at: int, start: int) -> bool:
    """Whether ” at `at` opens a quotation: some texts open with it, at a paragraph's start
    or after a space or colon, right before a word."""
    before = text[at - 1] if at > start else "\n"
    return before in " \t\n:(" and at + 1 < len(text) and text[at + 1].isalnum()


def _quotations(text: str, start: int, end: int) -> list[Quotation]:
    found: list[Quotation] = []
    open_at: int | None = None
    for m in _QUOTE_MARK.finditer(text, start, end):
        mark, at = m.group(), m.start()
        if open_at is None:
            if mark != "”" or _opens(text, at, start):  # a stray closing mark opens nothing
                open_at = at
            continue
        if mark == "“":
            found.append(Quotation(open_at, open_at + 1, at, at, False))
            open_at = at
            continue
        found.append(Quotation(open_at, open_at + 1, at, at + 1, True))
        open_at = None
    if open_at is not None:
        found.append(Quotation(open_at, open_at + 1, end, end, False))
    return _with_single_quotations(text, start, end, found)


def _with_single_quotations(
    text: str, start: int, end: int, found: list[Quotation]
) -> list[Quotation]:
    """Add the ‘…’ quotations that lie outside the double-quoted ones."""
    if "‘" not in text[start:end]:
        return found
    singles: list[Quotation] = []
    cursor = start
    for m in _SINGLE_OPEN.finditer(text, start, end):
        if m.start() < cursor or any(q.open_at <= m.start() < q.close_at for q in found):
            continue
        close = _SINGLE_CLOSE.search(text, m.end(), end)
        if close is None:
            singles.append(Quotation(m.start(), m.end(), end, end, False))
            break
        singles.append(Quotation(m.start(), m.end(), close.start(), close.end(), True))
        cursor = close.end()
    return sorted([*found, *singles], key=lambda q: q.open_at)


def _opening(quotation: Quotation) -> int:
    return quotation.open_at


def quotation_at(quotations: tuple[Quotation, ...], at: int) -> Quotation | None:
    """The quotation whose words contain offset `at` (quotations are sorted, disjoint)."""
    index = bisect_right(quotations, at, key=_opening) - 1
    if index >= 0 and quotations[index].start <= at < quotations[index].end:
        return quotations[index]
    return None


def quotations_overlapping(
    quotations: tuple[Quotation, ...], start: int, end: int
) -> list[Quotation]:
    """The quotations, marks included, that overlap [start, end)."""
    index = max(0, bisect_right(quotations, start, key=_opening) - 1)
    found: list[Quotation] = []
    while index < len(quotations) and quotations[index].open_at < end:
        if start < max(quotations[index].close_at, quotations[index].end):
            found.append(quotations[index])
        index += 1
    return found


_SENTENCE_END = re.compile(
    r"[.!?…]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[" + UPPER + r"0-9])|[.!?…]+[\"”’)\]]*\s*$"
)
_WORD_BEFORE_DOT = re.compile(r"(?:^|[\s(\"“])([\w.]+)\.$")


def is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at `dot` ends an abbreviation or an initial, not a sentence."""
    m = _WORD_BEFORE_DOT.search(text, max(0, dot - 20), dot + 1)
    if not m:
        return False
    word = m.group(1)
    if len(word) == 1 and word.isupper():  # "Helen R. Marsh"
        return True
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):  # "U.S", "a.m"
        return True
    return word.lower() in ABBREVIATIONS


def sentences(
    text: str, start: int, end: int, quotations: tuple[Quotation, ...] = ()
) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end], never split inside a closed quotation."""
    spans: list[tuple[int, int]] = []
    current = start
    for m in _SENTENCE_END.finditer(text, start, end):
        dot = m.start()
        if text[dot] == "." and m.end() - dot == 1 and is_abbreviation(text, dot):
            continue
        around = quotation_at(quotations, dot)
        if around is not None and around.closed and m.end() < around.close_at:
            continue  # a full stop inside a quotation that goes on
        stop = m.end()
        while stop > current and text[stop - 1].isspace():
            stop -= 1
        if stop > current:
            spans.append((current, stop))
        current = m.end()
        while current < end and text[current].isspace():
            current += 1
    if current < end and text[current:end].strip():
        spans.append((current, end))
    return [piece for span in spans for piece in _capped(text, *span)]


def _capped(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut an over-long sentence at spaces so that per-sentence work stays bounded."""
    pieces: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        if cut == -1:
            cut = start + MAX_SENTENCE
        pieces.append((start, cut))
        start = cut + 1
    pieces.append((start, end))
    return pieces


def trim(text: str, start: int, end: int, *, strip_marks: bool = False) -> tuple[int, int]:
    """Shrink a span past surrounding spaces and clause punctuation (and quote marks)."""
    edge = " \t\n,;:.-–—" + ("\"“”'‘’" if strip_marks else "")
    while start < end and text[start] in edge:
        start += 1
    while end > start and text[end - 1] in edge:
        end -= 1
    return start, end
