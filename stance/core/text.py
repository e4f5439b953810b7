"""Text from outside, made safe to match on and safe to show.

`printable` escapes what would drive a terminal (ESC sequences, BEL, carriage returns,
direction overrides) so that an article, a file name or a database value is shown, never
obeyed. `CleanText` is the copy of a text that the extractors match on: invisible characters
(zero-width spaces and joiners, BOMs) removed and control characters (NUL, ESC, ...) turned
into spaces, with every offset mapped back to the text as stored.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
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
