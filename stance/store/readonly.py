"""`stance query`: SQL on a database opened read-only; a statement that writes is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from stance.core.errors import NotFoundError, UsageError


def run_query(path: str, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    if not Path(path).is_file():
        raise NotFoundError(f"{path}: no such database; give --db or set STANCE_DB")
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise UsageError(f"{path}: cannot open read-only ({exc})") from exc
    try:
        conn.execute("pragma query_only = on")
        cursor = conn.execute(sql, params or [])
        names = [d[0] for d in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    except sqlite3.Error as exc:
        message = str(exc)
        if "readonly" in message or "read-only" in message or "query_only" in message:
            raise UsageError(
                f"stance query only reads: {message}; change data with stance's own commands"
            ) from exc
        raise UsageError(f"SQL error: {message}") from exc
    finally:
        conn.close()
