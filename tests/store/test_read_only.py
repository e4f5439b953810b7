"""Query commands never write: the database file and its folder are left as they were."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.core.errors import StoreError
from stance.store.db import Store, migrations

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = [
    str(ROOT / "fixtures/azernews-2024-04-03-blinken-aliyev.txt"),
    str(ROOT / "fixtures/us-state-dept-2024-04-03-blinken-aliyev-readout.txt"),
]
QUERIES = [
    ["claims", "--json"],
    ["claims", "--speaker", "Aliyev", "--about", "April 5 meeting", "--csv"],
    ["documents", "--json"],
    ["runs", "--json"],
    ["entities", "--json"],
    ["compare", "April 5 meeting", "--json"],
    ["timeline", "Ilham Aliyev", "--json"],
    ["report", "April 5 meeting", "-o", "-"],
]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of the folder with the sha256 of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ro") / "data"
    db = folder / "stance.db"
    result = CliRunner().invoke(
        cli, ["ingest", "-q", "--backend", "rules", "--db", str(db), *FIXTURES]
    )
    assert result.exit_code == 0, result.output
    return db


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q[0])
def test_a_query_leaves_the_file_and_its_folder_unchanged(ingested: Path, query: list[str]):
    before = snapshot(ingested.parent)
    assert list(before) == ["stance.db"]  # the ingest left no -wal or -shm beside it
    result = run(*query, "--db", str(ingested))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    assert snapshot(ingested.parent) == before


@pytest.mark.parametrize("query", QUERIES[:6], ids=lambda q: q[0])
def test_a_query_through_a_read_only_uri(ingested: Path, query: list[str], tmp_path: Path):
    before = snapshot(ingested.parent)
    os.chdir(tmp_path)  # a folder named "file:" would appear here if the URI were a path
    expected = run(*query, "--db", str(ingested)).stdout
    result = run(*query, "--db", f"file:{ingested}?mode=ro")
    assert (result.exit_code, result.stdout) == (0, expected)
    assert list(tmp_path.iterdir()) == []
    assert snapshot(ingested.parent) == before


def test_a_query_on_a_read_only_file_in_a_read_only_folder(ingested: Path, tmp_path: Path):
    folder = tmp_path / "locked"
    folder.mkdir()
    copy = folder / "stance.db"
    copy.write_bytes(ingested.read_bytes())
    expected = run("claims", "--json", "--db", str(ingested)).stdout
    copy.chmod(0o444)
    folder.chmod(0o555)
    try:
        result = run("claims", "--json", "--db", str(copy))
        assert (result.exit_code, result.stdout) == (0, expected)
        assert [p.name for p in folder.iterdir()] == ["stance.db"]
    finally:
        folder.chmod(0o755)


def test_a_wal_database_whose_shared_memory_cannot_be_made_is_read_as_it_is(
    ingested: Path, tmp_path: Path
):
    # As root, chmod does not stop SQLite: the -shm file is made unwritable by making it a
    # folder, which is what a read-only file system amounts to for SQLite.
    copy = tmp_path / "wal.db"
    copy.write_bytes(ingested.read_bytes())
    with sqlite3.connect(copy) as conn:
        conn.execute("pragma journal_mode = wal")
    (tmp_path / "wal.db-shm").mkdir()
    expected = run("claims", "--json", "--db", str(ingested)).stdout
    result = run("claims", "--json", "--db", str(copy))
    assert (result.exit_code, result.stdout) == (0, expected)


def test_a_missing_database_is_one_clear_error_and_creates_nothing(tmp_path: Path):
    missing = tmp_path / "nowhere" / "stance.db"
    for query in QUERIES:
        result = CliRunner().invoke(cli, [*query, "--db", str(missing)])
        assert (result.exit_code, result.stdout) == (1, ""), query
        assert result.stderr == (
            f"stance: error: {missing}: no such database; ingest something first (--db)\n"
        )
    assert list(tmp_path.iterdir()) == []


def test_a_database_that_needs_migrating_says_what_to_run(tmp_path: Path):
    path = tmp_path / "old.db"
    with Store(path) as store:
        # As a database of an earlier version: its latest migration not recorded yet.
        (record,) = store.db.query(
            "select * from _sqlite_migrations where name = 'm100_resolution_pass'"
        )
        store.db.execute("delete from _sqlite_migrations where name = 'm100_resolution_pass'")
        store.db.conn.commit()
    before = snapshot(tmp_path)
    with pytest.raises(StoreError) as error:
        Store(path, read_only=True)
    assert str(error.value) == (
        f"{path}: made by an older stance and needs upgrading; run `stance resolve --db "
        f"{path}` (or an ingest) once, then query"
    )
    assert snapshot(tmp_path) == before
    with sqlite3.connect(path) as conn:  # recorded again, for the checks after each test
        columns = ", ".join(record)
        conn.execute(
            f"insert into _sqlite_migrations ({columns}) values ({', '.join('?' * len(record))})",
            list(record.values()),
        )
    assert not migrations.pending(Store(path, read_only=True).db)


def test_nothing_can_be_written_through_a_read_only_store(ingested: Path):
    store = Store(ingested, read_only=True)
    with pytest.raises(StoreError, match="opened read-only"):
        store.save_eval({})
    store.close()
