"""The one clock of the package: UTC timestamps as ISO 8601 strings, to the second."""

from __future__ import annotations

import datetime as dt


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
