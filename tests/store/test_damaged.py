"""A damaged database: one line naming it and what is missing, never a traceback."""

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.core.errors import StoreError
from stance.store.db import Store

ROOT = Path(__file__).resolve().parent.parent.parent
AZERNEWS = str(ROOT / "fixtures" / "azernews-2024-04-03-blinken-aliyev.txt")
TABLES = ["claims", "claim_targets", "entities", "runs", "documents", "aliases", "events"]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("damaged") / "whole.db"
    result = CliRunner().invoke(cli, ["ingest", "-q", AZERNEWS, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def damaged_copy(source: Path, folder: Path, *statements: str) -> Path:
    target = folder / "damaged.db"
    with sqlite3.connect(source) as whole, sqlite3.connect(target) as copy:
        whole.backup(copy)
    conn = sqlite3.connect(target)
    conn.execute("pragma foreign_keys = off")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return target


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize(
    "command", [("claims",), ("compare", "Aliyev"), ("ingest", "--force", AZERNEWS)]
)
def test_a_dropped_table_is_one_line_and_exit_1(ingested, tmp_path, table, command):
    db = damaged_copy(ingested, tmp_path, f"drop table {table}")
    result = CliRunner().invoke(cli, [*command, "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.splitlines()[-1] == (
        f"stance: error: {db}: damaged stance database: the table {table} is missing; "
        "restore the file from a backup, or give another --db path to start anew"
    )
    assert "Traceback" not in result.output


def test_the_library_raises_store_error_naming_every_missing_table(ingested, tmp_path):
    db = damaged_copy(ingested, tmp_path, "drop table claims", "drop table aliases")
    with pytest.raises(StoreError) as caught:
        Store(db)
    assert str(caught.value) == (
        f"{db}: damaged stance database: the tables aliases, claims are missing; "
        "restore the file from a backup, or give another --db path to start anew"
    )


def test_a_missing_column_is_damage_too(ingested, tmp_path):
    db = damaged_copy(
        ingested, tmp_path, "drop view claim_view", "alter table claims drop column quote"
    )
    with pytest.raises(
        StoreError,
        match=r"damaged stance database: the table claims has no "
        r"column quote;",
    ):
        Store(db)


def test_dropped_views_are_made_again(ingested, tmp_path):
    db = damaged_copy(ingested, tmp_path, "drop view claim_view", "drop view current_runs")
    with Store(db) as store:
        assert len(store.claims()) == 16
        assert store.db["claim_view"].count > 0


def test_an_intact_database_opens(ingested):
    with Store(ingested) as store:
        assert len(store.claims()) == 16


def test_any_other_database_error_is_one_line_naming_the_database(ingested, tmp_path):
    db = damaged_copy(
        ingested,
        tmp_path,
        "drop view claim_view",
        "drop view current_runs",
        "create view current_runs as select * from gone",
        "create view claim_view as select * from current_runs",
    )
    result = CliRunner().invoke(cli, ["claims", "--db", str(db)])
    assert (result.exit_code, result.stderr) == (
        1,
        f"stance: error: {db}: database error (no such table: main.gone); "
        "restore the file from a backup, or give another --db path\n",
    )
