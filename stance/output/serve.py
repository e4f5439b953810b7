"""Browse a stance database with Datasette (`pip install 'stance[web]'`).

Datasette runs as a child process. Ctrl-C, SIGTERM or SIGHUP to `stance serve` stops it and
removes the temporary metadata file: nothing is left listening on the port.

`datasette stance.db` is useful as it is (foreign keys, label columns); `stance serve` adds
descriptions, facets and canned queries for the questions users ask most.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from stance.core.errors import UsageError
from stance.store import queries

# The canned queries are written with the store's other reads (the current-claims rule once).
CLAIMS_ABOUT_SQL = queries.CLAIMS_ABOUT_SQL
CONTRADICTIONS_SQL = queries.CONTRADICTIONS_SQL
SPEAKER_OVER_TIME_SQL = queries.SPEAKER_OVER_TIME_SQL


def metadata(database_name: str) -> dict[str, Any]:
    """Datasette metadata: descriptions, facets, label columns and canned queries."""
    return {
        "title": "stance",
        "description": "Claims and stances extracted from news text, checked against the text.",
        "databases": {
            database_name: {
                "tables": {
                    "claim_view": {
                        "description": "One row per claim and target, current runs only: "
                        "who said what about whom, with what stance.",
                        "facets": ["speaker", "stance", "source", "published"],
                    },
                    "documents": {
                        "description": "Ingested texts; id is the sha256 of the text.",
                        "label_column": "title",
                        "facets": ["source", "published"],
                        "columns": {"published": "ISO 8601 publication date"},
                    },
                    "claims": {
                        "description": "Claims; start/end are offsets of the quote in the "
                        "document text. Rejected claims keep their reason.",
                        "facets": ["grounding", "claim_type", "attribution"],
                        "columns": {
                            "speaker_id": "The entity that asserts the claim",
                            "quote": "The evidence: documents.text[start:end]",
                            "grounding": "exact, normalized, fuzzy or rejected",
                            "reason": "Why a claim was rejected",
                        },
                    },
                    "claim_targets": {
                        "description": "Who or what each claim is about, with the stance.",
                        "facets": ["stance"],
                    },
                    "entities": {
                        "description": "People, bodies, countries and events.",
                        "label_column": "name",
                        "facets": ["kind"],
                    },
                    "aliases": {"description": "Names under which an entity appears."},
                    "runs": {
                        "description": "Extraction runs: backend, model, prompt and schema "
                        "hashes, status, tokens.",
                        "facets": ["backend", "model", "status"],
                    },
                },
                "queries": {
                    "claims_about_an_event": {
                        "title": "Claims about an event or entity",
                        "sql": CLAIMS_ABOUT_SQL,
                    },
                    "contradictions": {
                        "title": "Contradictions: opposite stances on one target",
                        "description": "Leave 'about' empty for every target.",
                        "sql": CONTRADICTIONS_SQL,
                    },
                    "speaker_over_time": {
                        "title": "A speaker's stances over time",
                        "sql": SPEAKER_OVER_TIME_SQL,
                    },
                },
            }
        },
    }


STOP_GRACE = 5.0  # seconds Datasette gets to stop before it is killed


def package_root() -> Path:
    """The folder of the `stance` package."""
    return Path(__file__).resolve().parent.parent


def install_hint() -> str:
    """How to install the web extra: editable in a source checkout, from PyPI otherwise."""
    checkout = package_root().parent
    pyproject = checkout / "pyproject.toml"
    if pyproject.is_file() and 'name = "stance"' in pyproject.read_text(encoding="utf-8"):
        return f"pip install -e '.[web]' (in {checkout})"
    return "pip install 'stance[web]'"


class _Stopped(Exception):
    """SIGTERM or SIGHUP arrived while Datasette ran."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_stopped(signum: int, frame: FrameType | None) -> None:
    raise _Stopped(signum)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_GRACE)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def serve(
    db_path: str, *, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False
) -> int:
    """Run Datasette on the database with stance's metadata; returns its exit status."""
    try:
        import datasette  # noqa: F401
    except ImportError as exc:
        raise UsageError(f"stance serve needs Datasette: {install_hint()}") from exc
    if not Path(db_path).exists():
        raise UsageError(f"{db_path}: no such database; ingest something first")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(metadata(Path(db_path).stem), handle)
    command = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        db_path,
        "--metadata",
        handle.name,
        "--host",
        host,
        "--port",
        str(port),
    ]
    if open_browser:
        command.append("--open")
    # A signal must reach the `finally` below, so that the child and the file go too.
    handlers: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGHUP):
            handlers[signum] = signal.signal(signum, _raise_stopped)
    process: subprocess.Popen[bytes] | None = None
    try:
        process = subprocess.Popen(command)
        return process.wait()
    except KeyboardInterrupt:
        return 130
    except _Stopped as stopped:
        return 128 + stopped.signum
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        if process is not None:
            _stop(process)
        Path(handle.name).unlink(missing_ok=True)
