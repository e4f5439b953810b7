"""Publication dates: read as written, never completed with made-up parts.

- A numeric date follows the date order given (`DMY`, `MDY`, `YMD`); without one, it is read
  when only one order makes sense (25.04.2024, 2024-04-05) and left unknown, with a note,
  when two do (05.04.2024).
- A year or a month alone stays so: "2024", "2024-03".
- Relative words ("yesterday", "2 days ago") count from the article's own date; without one
  they are left unknown, never counted from the time of ingest.
- A date that cannot be read is a note, not a lost document.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

import dateparser
from dateparser.date import DateDataParser

from stance.core.errors import InputError

DateOrder = Literal["DMY", "MDY", "YMD"]
DATE_ORDERS: tuple[str, ...] = ("DMY", "MDY", "YMD")

_NUMERIC = re.compile(
    r"^\s*(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})(?:[ T,]+(\d{1,2}:\d{2}(?::\d{2})?))?\s*$"
)
_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\s*$")
_YEAR_MONTH = re.compile(r"^\s*((?:19|20)\d{2})[-/.](\d{1,2})\s*$")
# Two far-apart reference days: a date that reads differently from each is relative.
_BASES = (dt.datetime(2001, 2, 3, 4, 5, 6), dt.datetime(2013, 8, 19, 16, 27, 38))


@dataclass(frozen=True)
class ReadDate:
    """A date as read: ISO text at the precision the input gives, or None with a note."""

    value: str | None
    note: str | None = None


def _iso(day: dt.date, time: str | None = None) -> str:
    if time:
        hour, minute, *seconds = (int(p) for p in time.split(":"))
        stamp = dt.datetime(
            day.year, day.month, day.day, hour, minute, seconds[0] if seconds else 0
        )
        return stamp.isoformat(timespec="seconds")
    return day.isoformat()


def _numeric(match: re.Match[str], order: DateOrder | None, raw: str) -> ReadDate:
    a, b, c, time = match.group(1), match.group(2), match.group(3), match.group(4)
    candidates: list[tuple[int, int, int]] = []
    if len(a) == 4:  # 2024-04-05, 2024/4/5: year first is the only reading in use
        candidates = [(int(a), int(b), int(c))]
    elif len(c) == 4:
        first, second, year = int(a), int(b), int(c)
        if order == "DMY":
            candidates = [(year, second, first)]
        elif order == "MDY":
            candidates = [(year, first, second)]
        else:
            candidates = [(year, second, first), (year, first, second)]
    else:
        return ReadDate(None, f"cannot read '{raw}' as a date (no four-digit year)")
    valid = []
    for year, month, day in dict.fromkeys(candidates):
        try:
            valid.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not valid:
        return ReadDate(None, f"cannot read '{raw}' as a date")
    if len(valid) > 1:
        return ReadDate(
            None,
            f"'{raw}' is ambiguous (day-month or month-day); stored as unknown: "
            "give --date-order DMY or MDY",
        )
    return ReadDate(_iso(valid[0], time))


def read_date(
    value: str | None, *, order: DateOrder | None = None, base: str | None = None
) -> ReadDate:
    """Read a publication date; `base` is the article's own date, for relative words."""
    if value is None or not value.strip():
        return ReadDate(None)
    raw = value.strip()
    if match := _YEAR.match(raw):
        return ReadDate(match.group(1))
    if match := _YEAR_MONTH.match(raw):
        month = int(match.group(2))
        if 1 <= month <= 12:
            return ReadDate(f"{match.group(1)}-{month:02d}")
    if match := _NUMERIC.match(raw):
        return _numeric(match, order, raw)
    settings: dict[str, object] = {"RETURN_AS_TIMEZONE_AWARE": False}
    if order:
        settings["DATE_ORDER"] = order
    readings = []
    for reference in _BASES:
        data = DateDataParser(settings={**settings, "RELATIVE_BASE": reference}).get_date_data(raw)
        readings.append(data)
    first, second = readings
    if first.date_obj is None:
        return ReadDate(None, f"cannot read '{raw}' as a date; stored as unknown")
    period = first.period or "day"
    if period == "year":
        return ReadDate(str(first.date_obj.year))
    if period == "month":
        if first.date_obj.year != second.date_obj.year:
            return ReadDate(None, f"'{raw}' gives no year; stored as unknown")
        return ReadDate(f"{first.date_obj.year}-{first.date_obj.month:02d}")
    if first.date_obj != second.date_obj:
        # Relative ("yesterday") or missing the year: it depends on the reference day.
        if base is None:
            return ReadDate(
                None, f"'{raw}' is relative or has no year, and the article has no date; unknown"
            )
        anchor = _anchor(base)
        if anchor is None:
            return ReadDate(None, f"'{raw}': cannot anchor on the article's date '{base}'")
        data = DateDataParser(settings={**settings, "RELATIVE_BASE": anchor}).get_date_data(raw)
        if data.date_obj is None:
            return ReadDate(None, f"cannot read '{raw}' as a date; stored as unknown")
        return ReadDate(data.date_obj.date().isoformat())
    stamp = first.date_obj
    if stamp.time() == dt.time.min:
        return ReadDate(stamp.date().isoformat())
    return ReadDate(stamp.isoformat(timespec="seconds"))


def _anchor(base: str) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(base[:10])
    except ValueError:
        return None
    return dt.datetime(day.year, day.month, day.day, 12)


def normalize_date(
    value: str | None, label: str = "published", order: DateOrder | None = None
) -> str | None:
    """An ISO date for a date given on the command line: unreadable is a usage error there."""
    read = read_date(value, order=order)
    if value and value.strip() and read.value is None:
        reason = (read.note or "").split("; stored as unknown")[0]
        raise InputError(f"{label}: {reason}; use YYYY-MM-DD")
    return read.value


def parse_loose(value: str) -> dt.datetime | None:
    """A datetime for a date written any common way, or None (feeds, page metadata)."""
    return dateparser.parse(value, settings={"RETURN_AS_TIMEZONE_AWARE": False})


# --- Dates from the text: a dateline or the first sentence -----------------------------------

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# "BAKU, Azerbaijan, March 27" / "WASHINGTON (AP) — March 27, 2024" at the very top.
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z .'\-]{1,40}(?:,\s*[A-Z][A-Za-z .'\-]{1,40})?\s*(?:\([^)\n]{1,40}\))?"
    rf"\s*[,/\-—–]\s*(?P<date>(?:{_MONTHS})\.?\s+\d{{1,2}}(?:,?\s+(?:19|20)\d{{2}})?"
    rf"|\d{{1,2}}\s+(?:{_MONTHS})\.?(?:\s+(?:19|20)\d{{2}})?)\b"
)
_FULL_DATE = re.compile(
    rf"\b(?:(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+(?:19|20)\d{{2}}"
    rf"|\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+(?:19|20)\d{{2}})\b"
)
_MONTH_DAY = re.compile(
    rf"\b(?:On|on)\s+(?:(?:{_MONTHS})\.?\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_MONTHS}))\b(?!,?\s*\d{{4}})"
)
_ANY_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")


@dataclass(frozen=True)
class TextDate:
    value: str
    origin: Literal["dateline", "text"]


def date_from_text(text: str) -> TextDate | None:
    """The day a text gives at its top: its dateline, else a date in its first sentence.

    A day without a year takes the year the text names; none named, no date.
    """
    head = text.lstrip()[:400]
    first_sentence = re.split(r"(?<=[.!?])\s+", head, maxsplit=1)[0]
    match = _DATELINE.match(head)
    origin: Literal["dateline", "text"] = "dateline"
    found = match.group("date") if match else None
    if found is None:
        origin = "text"
        full = _FULL_DATE.search(first_sentence)
        if full:
            found = full.group(0)
        else:
            partial = _MONTH_DAY.search(first_sentence)
            found = partial.group(0)[3:] if partial else None
    if found is None:
        return None
    if not _ANY_YEAR.search(found):
        year = _ANY_YEAR.search(text[:3000])
        if year is None:
            return None
        found = f"{found} {year.group(1)}"
    parsed = dateparser.parse(found.replace(",", " "), settings={"RETURN_AS_TIMEZONE_AWARE": False})
    if parsed is None:
        return None
    return TextDate(parsed.date().isoformat(), origin)
