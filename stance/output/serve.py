"""Browse a stance database with Datasette (`pip install 'stance[web]'`).

`datasette stance.db` is useful as it is (foreign keys, label columns); `stance serve` adds
descriptions, facets and canned queries for the questions users ask most.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
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


def serve(
    db_path: str, *, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False
) -> int:
    """Run Datasette on the database with stance's metadata; returns its exit status."""
    try:
        import datasette  # noqa: F401
    except ImportError as exc:
        raise UsageError("stance serve needs Datasette: pip install 'stance[web]'") from exc
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
    try:
        return subprocess.call(command)
    finally:
        Path(handle.name).unlink(missing_ok=True)
