"""Parquet out, read back with DuckDB."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.core.errors import StanceError
from stance.extraction.config import ExtractorConfig
from stance.extraction.llm.extractor import LLMExtractor
from stance.ingestion.pipeline import ingest
from stance.output.parquet import COLUMNS, export_parquet
from stance.store.db import Store
from testkit.corpus import all_claims, synthetic_articles, write_articles
from testkit.fakeserver import echo_claims


@pytest.fixture
def db(fake_server, tmp_path: Path) -> Path:
    articles = synthetic_articles(3)
    paths = [str(p) for p in write_articles(articles, tmp_path / "in")]
    fake_server.responder = echo_claims(all_claims(articles))
    config = ExtractorConfig(backend="llm", model="scripted-model", base_url=fake_server.url)
    with Store(tmp_path / "s.db") as store:
        ingest(store, paths, LLMExtractor(config))
    return tmp_path / "s.db"


def sqlite_count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql).fetchone()[0])


def test_parquet_files_read_back_in_duckdb_with_the_same_counts(db, tmp_path):
    out = tmp_path / "parquet"
    result = CliRunner().invoke(cli, ["export", "--parquet", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    con = duckdb.connect()

    def count(name: str) -> int:
        return int(con.execute(f"select count(*) from '{out / name}.parquet'").fetchone()[0])

    claims = sqlite_count(db, "select count(*) from claims")  # one run per document here
    assert count("documents") == 3 == sqlite_count(db, "select count(*) from documents")
    assert count("appearances") == 3
    assert count("claims") == claims > 0
    assert count("targets") == sqlite_count(db, "select count(*) from claim_targets") > 0
    assert count("entities") == sqlite_count(db, "select count(*) from entities")
    for name, columns in COLUMNS.items():
        described = con.execute(f"describe select * from '{out / name}.parquet'").fetchall()
        assert [row[0] for row in described] == [column for column, _ in columns]
    # Joins work across the files, and aliases are a list.
    joined = con.execute(
        f"select count(*) from '{out}/targets.parquet' t join '{out}/claims.parquet' c "
        f"on c.id = t.claim_id join '{out}/documents.parquet' d on d.id = c.document_id"
    ).fetchone()[0]
    assert joined == count("targets")
    aliases = con.execute(f"select sum(len(aliases)) from '{out}/entities.parquet'").fetchone()[0]
    assert aliases == sqlite_count(db, "select count(*) from aliases")
    assert result.output.splitlines()[0] == f"{out / 'documents.parquet'}: 3 rows"


def test_without_pyarrow_the_error_says_what_to_install(db, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with Store(db) as store, pytest.raises(StanceError, match=r"pip install 'stance\[parquet\]'"):
        export_parquet(store, tmp_path / "out")
    assert not (tmp_path / "out").exists()
