"""Query time of `stance claims --about`, `stance compare` and `stance timeline` on a
synthetic database of one million claims.

The database is made in two steps. First `stance ingest` stores 100 synthetic articles
(testkit/corpus.py) through the LLM path against the scripted loopback server, so that
entities, aliases, events and claims are made by stance itself. Then SQL copies those
documents, runs, claims and targets until there are a million claims: each copy of a
document gets its own text (a copy marker appended), hence its own sha256 id, a later
publication date and one of 20 sources. Entities are shared by all copies, so a query on
a frequent entity meets tens of thousands of claims.

Each query runs as a child process (`--json`, output to a file), three times; the table
shows the fastest and the query plan's use of indexes is checked with EXPLAIN.

    python -m benchmarks.queries [--claims 1000000] [--db PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks.common import (
    MODEL,
    checked,
    clean_env,
    heading,
    run,
    scripted_server,
    stance,
    table,
)
from testkit.corpus import synthetic_articles

BASE_ARTICLES = 100
QUERIES: list[tuple[str, list[str]]] = [
    ("claims --about Armenia", ["claims", "--about", "Armenia", "--json"]),
    ("claims --about 'Almaty Declaration'", ["claims", "--about", "Almaty Declaration", "--json"]),
    ("claims --speaker 'Ilham Aliyev' --since 2025-03-01",
     ["claims", "--speaker", "Ilham Aliyev", "--since", "2025-03-01", "--json"]),
    ("compare 'Almaty Declaration'", ["compare", "Almaty Declaration", "--json"]),
    ("compare Armenia", ["compare", "Armenia", "--json"]),
    ("timeline 'Ilham Aliyev'", ["timeline", "Ilham Aliyev", "--json"]),
    ("timeline 'Ilham Aliyev' --about 'European Union'",
     ["timeline", "Ilham Aliyev", "--about", "European Union", "--json"]),
]  # fmt: skip


def build_base(db: Path, scratch: Path) -> None:
    articles = synthetic_articles(BASE_ARTICLES)
    folder = scratch / "base"
    folder.mkdir()
    for number, article in enumerate(articles):
        published = f"2024-{number % 12 + 1:02}-{number % 28 + 1:02}"
        header = f"source: Wire {number % 20}\npublished: {published}\ntitle: {article.name}\n\n"
        (folder / article.name).write_text(header + article.text, encoding="utf-8")
    with scripted_server(articles, latency=0.0) as server:
        checked(
            run(
                stance("ingest", str(folder), "--db", str(db), "--model", MODEL,
                       "--base-url", server.url, "--concurrency", "4", "--quiet"),
                env=clean_env(),
            ),
            "base ingest",
        )  # fmt: skip


def replicate(db: Path, claims_wanted: int) -> tuple[int, float]:
    """Copy the base documents and their claims until there are `claims_wanted` claims."""
    began = time.monotonic()
    conn = sqlite3.connect(db)
    conn.execute("pragma synchronous = off")
    base_claims = conn.execute("select count(*) from claims").fetchone()[0]
    copies = max(0, -(-claims_wanted // base_claims) - 1)
    run_offset = conn.execute("select max(id) from runs").fetchone()[0]
    claim_offset = conn.execute("select max(id) from claims").fetchone()[0]
    documents = conn.execute("select id, text from documents").fetchall()
    conn.execute("create temp table doc_map (base_id text, copy int, new_id text, new_text text)")
    conn.executemany(
        "insert into doc_map values (?, ?, ?, ?)",
        [
            (doc_id, copy, hashlib.sha256(new_text.encode()).hexdigest(), new_text)
            for copy in range(1, copies + 1)
            for doc_id, text in documents
            for new_text in [f"{text}\n[copy {copy}]"]
        ],
    )
    conn.execute("create index temp.doc_map_key on doc_map (base_id, copy)")
    with conn:
        conn.execute(
            "insert into documents (id, source, url, title, published, ingested_at, text) "
            "select m.new_id, 'Wire ' || ((m.copy + cast(substr(d.source, 6) as int)) % 20), "
            "d.url, d.title, date(d.published, '+' || (m.copy * 3 % 700) || ' days'), "
            "d.ingested_at, m.new_text from doc_map m join documents d on d.id = m.base_id"
        )
        conn.execute(
            "insert into runs (id, document_id, backend, model, prompt_sha, schema_sha, status, "
            "error, started_at, finished_at, input_tokens, output_tokens, requests) "
            "select r.id + m.copy * ?, m.new_id, r.backend, r.model, r.prompt_sha, r.schema_sha, "
            "r.status, r.error, r.started_at, r.finished_at, r.input_tokens, r.output_tokens, "
            "r.requests from runs r join doc_map m on m.base_id = r.document_id",
            [run_offset],
        )
        conn.execute(
            "insert into claims (id, document_id, run_id, speaker_id, speaker, speaker_mention, "
            "cue, quote, content, start, end, attribution, claim_type, grounding, reason) "
            "select c.id + m.copy * ?, m.new_id, c.run_id + m.copy * ?, c.speaker_id, c.speaker, "
            "c.speaker_mention, c.cue, c.quote, c.content, c.start, c.end, c.attribution, "
            "c.claim_type, c.grounding, c.reason "
            "from claims c join doc_map m on m.base_id = c.document_id "
            "where c.id <= ? and c.id + m.copy * ? <= ? + ?",
            [claim_offset, run_offset, claim_offset, claim_offset, claim_offset, claims_wanted],
        )
        conn.execute(
            "insert into claim_targets (claim_id, entity_id, name, stance, date) "
            "select t.claim_id + m.copy * ?, t.entity_id, t.name, t.stance, t.date "
            "from claim_targets t join claims c on c.id = t.claim_id "
            "join doc_map m on m.base_id = c.document_id "
            "where c.id <= ? and t.claim_id + m.copy * ? in (select id from claims)",
            [claim_offset, claim_offset, claim_offset],
        )
    total = conn.execute("select count(*) from claims").fetchone()[0]
    conn.execute("analyze")
    conn.close()
    return total, time.monotonic() - began


def plan_notes(db: Path) -> list[str]:
    """Tables the main queries scan whole instead of through an index."""
    conn = sqlite3.connect(db)
    probes = {
        "claims about an entity": "select c.id from claims c where c.run_id in (select run_id "
        "from current_runs) and c.id in (select claim_id from claim_targets where entity_id "
        "in (1, 2))",
        "claims by a speaker": "select c.id from claims c where c.speaker_id = 1",
        "documents since a date": "select id from documents where published >= '2025-01-01'",
    }
    notes = []
    for what, sql in probes.items():
        steps = [row[3] for row in conn.execute("explain query plan " + sql)]
        scans = [s for s in steps if s.startswith("SCAN") and "USING" not in s]
        notes.append(f"{what}: " + ("; ".join(steps)) + (" (full scan)" if scans else ""))
    conn.close()
    return notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--db", help="keep the database here (default: a temporary file)")
    options = parser.parse_args()
    heading(
        f"Query time on {options.claims:,} claims",
        f"python -m benchmarks.queries --claims {options.claims}",
    )
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        db = Path(options.db) if options.db else scratch / "million.db"
        if not db.exists():
            build_base(db, scratch)
            total, seconds = replicate(db, options.claims)
            print(f"built {total:,} claims in {seconds:.0f} s "
                  f"({db.stat().st_size / 1e6:,.0f} MB)\n")  # fmt: skip
        rows = []
        for label, args in QUERIES:
            runs = [
                checked(run(stance(*args, "--db", str(db)), env=clean_env()), label)
                for _ in range(3)
            ]
            fastest = min(runs, key=lambda r: r.wall)
            rows.append(
                [f"`stance {label}`", f"{fastest.wall:.2f}", f"{len(fastest.stdout) / 1e6:.1f}",
                 f"{fastest.peak_rss_mb:.0f}"]
            )  # fmt: skip
            print(f"  {label}: {fastest.wall:.2f} s", flush=True)
        print()
        print(table(["command", "wall (s)", "output (MB)", "peak RSS (MB)"], rows))
        print()
        for note in plan_notes(db):
            print(f"- {note}")


if __name__ == "__main__":
    main()
