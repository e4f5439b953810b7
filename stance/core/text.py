"""Text from outside, made safe to match on and safe to show.

`printable` escapes what would drive a terminal (ESC sequences, BEL, carriage returns,
direction overrides) so that an article, a file name or a database value is shown, never
obeyed. `CleanText` is the copy of a text that the extractors match on: invisible characters
(zero-width spaces and joiners, BOMs) removed and control characters (NUL, ESC, ...) turned
into spaces, with every offset mapped back to the text as stored.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

# C0 and C1 control characters and DEL, and the Unicode controls of text direction: shown as
# Python escapes. Tabs and newlines are layout, kept in multi-line output.
_DIRECTION = [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]
_ESCAPED = {
    code: (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    for code in [*range(0x00, 0x20), *range(0x7F, 0xA0), *_DIRECTION]
} | {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
_MULTI_LINE = str.maketrans({c: e for c, e in _ESCAPED.items() if chr(c) not in "\n\t"})
_ONE_LINE = str.maketrans({**_ESCAPED, 0x2028: "\\u2028", 0x2029: "\\u2029"})


def printable(text: str, *, one_line: bool = False) -> str:
    """`text` with control characters shown as escapes (`\\x1b`); with `one_line`, newlines
    and tabs too, so that a line cannot be ended or forged."""
    return text.translate(_ONE_LINE if one_line else _MULTI_LINE)


# Characters with no width of their own: zero-width spaces and joiners, word joiner, BOM,
# soft hyphen, invisible operators, direction marks and overrides.
_INVISIBLE = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
# Control characters other than tab, newline and carriage return (layout, kept as they are).
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_ODD_RUN = re.compile(f"[{_INVISIBLE}{_CONTROL}]+")
_INVISIBLE_CHAR = re.compile(f"[{_INVISIBLE}]")


def in_word(char: str) -> bool:
    """A letter or digit, or an invisible character (which may stand inside a word)."""
    return char.isalnum() or _INVISIBLE_CHAR.match(char) is not None


_HAS_CONTROL = re.compile(f"[{_CONTROL}]")


@dataclass(frozen=True, eq=False)
class CleanText:
    """The copy of a stored text that extraction matches on, with offsets mapped back.

    Invisible characters are removed: "Antony\\u200b Blinken" reads "Antony Blinken" and
    "Ali\\u200cyev" reads "Aliyev". A run of control characters (NUL, ESC, BEL, ...) between
    two letters or digits is removed as well ("Anto\\x00ny"); anywhere else it becomes spaces,
    so that it separates what it stands between ("said no.\\x00Aliyev" is two sentences).
    `span()` maps offsets in the copy back to the stored text, so that a quote found in the
    copy is cut from the stored text: `text[start:end]` stays the evidence.
    """

    source: str
    text: str
    # For each removed character, in order: the offset in the copy before which it stood.
    removed_before: Sequence[int]

    @classmethod
    def of(cls, source: str) -> CleanText:
        if _ODD_RUN.search(source) is None:  # the common case: nothing to clean, no copy
            return cls(source, source, ())
        pieces: list[str] = []
        removed_before = array("q")
        previous = 0
        for match in _ODD_RUN.finditer(source):
            start, end = match.span()
            pieces.append(source[previous:start])
            run = match.group()
            between_word_characters = (
                start > 0
                and end < len(source)
                and source[start - 1].isalnum()
                and source[end].isalnum()
            )
            if _HAS_CONTROL.search(run) and not between_word_characters:
                pieces.append(" " * len(run))  # same length: no offset moves
            else:
                at = start - len(removed_before)
                removed_before.extend([at] * len(run))
            previous = end
        pieces.append(source[previous:])
        return cls(source, "".join(pieces), removed_before)

    def to_source(self, pos: int) -> int:
        """Offset in the stored text of the character at `pos` in the copy (past the
        characters removed just before it)."""
        return pos + bisect_right(self.removed_before, pos)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The stored text's offsets of the copy's [start, end): from its first character to
        just after its last, without the removed characters around it."""
        if end <= start:
            at = self.to_source(start)
            return at, at
        return self.to_source(start), self.to_source(end - 1) + 1
