"""Merging shard databases: content-addressed documents, runs copied once, idempotent."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.core.errors import InputError
from stance.extraction.config import ExtractorConfig
from stance.extraction.llm.extractor import LLMExtractor
from stance.ingestion.pipeline import ingest
from stance.ingestion.shards import merge_databases
from stance.store.db import Store
from testkit.corpus import all_claims, synthetic_articles, write_articles
from testkit.fakeserver import FakeOpenAIServer, echo_claims

TABLES = ("documents", "runs", "claims", "claim_targets", "entities", "aliases", "evals")


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}


def claim_rows(db: Path) -> list[tuple[Any, ...]]:
    with Store(db) as store:
        return sorted(
            (c.document_id, c.speaker, c.quote, c.start, c.end, c.grounding, c.model,
             tuple((t.name, t.kind, t.stance) for t in c.targets))
            for c in store.claims(None)
        )  # fmt: skip


@pytest.fixture
def shards(tmp_path: Path) -> dict[str, Path]:
    """Shard a: articles 0-2, shard b: articles 1-3 (two shared), and all four in one."""
    articles = synthetic_articles(4)
    folder = tmp_path / "in"
    paths = [str(p) for p in write_articles(articles, folder)]
    made = {}
    with FakeOpenAIServer() as server:
        server.responder = echo_claims(all_claims(articles))
        config = ExtractorConfig(backend="llm", model="scripted-model", base_url=server.url)
        for name, chosen in (("a", paths[:3]), ("b", paths[1:]), ("all", paths)):
            made[name] = tmp_path / f"{name}.db"
            with Store(made[name]) as store:
                ingest(store, chosen, LLMExtractor(config))
    with Store(made["a"]) as store:
        store.save_eval({"gold": "g.jsonl", "gold_sha": "abc", "backend": "llm", "documents": 1})
    return made


def test_shards_merge_into_what_one_database_would_hold(shards, tmp_path):
    into = tmp_path / "merged.db"
    with Store(into) as store:
        summary = merge_databases(store, [str(shards["a"]), str(shards["b"])])
    assert summary.documents == 4
    assert [(s.documents, s.new_documents, s.runs, s.skipped_runs) for s in summary.shards] == [
        (3, 3, 3, 0),
        (3, 1, 1, 2),
    ]
    assert claim_rows(into) == claim_rows(shards["all"])
    assert len(claim_rows(into)) > 0
    merged = counts(into)
    assert merged | {"evals": 0} == counts(shards["all"])
    assert merged["evals"] == 1


def test_merging_twice_changes_nothing(shards, tmp_path):
    into = tmp_path / "merged.db"
    with Store(into) as store:
        merge_databases(store, [str(shards["a"]), str(shards["b"])])
    before = counts(into)
    with Store(into) as store:
        again = merge_databases(store, [str(shards["b"]), str(shards["a"])])
    assert counts(into) == before
    assert [(s.runs, s.claims, s.evals) for s in again.shards] == [(0, 0, 0), (0, 0, 0)]


def test_shards_are_only_read(shards, tmp_path):
    before = shards["a"].read_bytes()
    with Store(tmp_path / "m.db") as store:
        merge_databases(store, [str(shards["a"])])
    assert shards["a"].read_bytes() == before


def test_merge_db_on_the_command_line(shards, tmp_path):
    into = tmp_path / "m.db"
    result = CliRunner().invoke(
        cli, ["merge-db", str(shards["a"]), str(shards["b"]), "--into", str(into), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["documents"] == 4
    missing = CliRunner().invoke(cli, ["merge-db", str(tmp_path / "nope.db"), "--into", str(into)])
    assert missing.exit_code == 1
    assert (
        missing.stderr
        == f"stance: error: {tmp_path / 'nope.db'}: no such database; check the path\n"
    )


def test_a_file_that_is_not_a_stance_database_is_refused(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table t (x)")
    with (
        Store(tmp_path / "m.db") as store,
        pytest.raises(InputError, match="not a stance database"),
    ):
        merge_databases(store, [str(other)])
