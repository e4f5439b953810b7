"""A full disk: the document that did not fit fails alone, the others are tried, nothing is
half-written."""

import sqlite3

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.ingestion.pipeline import ingest
from stance.store.db import Store
from testkit.fake_extractor import FakeExtractor, said

SMALL = "Antony Blinken said the meeting is not against Azerbaijan.\n"
# A text of some 400 KB: more pages than the database may grow by.
BIG = "Ilham Aliyev said the meeting has an anti-Azerbaijan nature.\n" + "Filler words. " * 30_000


def script(text: str):
    if text.startswith("Ilham"):
        return [said("Ilham Aliyev", "the meeting has an anti-Azerbaijan nature")]
    return [said("Antony Blinken", "the meeting is not against Azerbaijan")]


def counts(store: Store) -> dict[str, int]:
    return {t: store.db[t].count for t in ("documents", "runs", "claims", "entities")}


@pytest.fixture
def inputs(tmp_path) -> list[str]:
    (tmp_path / "a-big.txt").write_text(BIG, encoding="utf-8")
    (tmp_path / "b-small.txt").write_text(SMALL, encoding="utf-8")
    return [str(tmp_path / "a-big.txt"), str(tmp_path / "b-small.txt")]


def test_the_document_that_does_not_fit_fails_and_the_next_is_stored(tmp_path, inputs):
    with Store(tmp_path / "stance.db") as store:
        pages = store.db.execute("pragma page_count").fetchone()[0]
        # The database may grow by 30 pages (120 KB): the small text fits, the big one not.
        store.db.execute(f"pragma max_page_count = {pages + 30}")
        summary = ingest(store, inputs, FakeExtractor(script))
        assert [(r.label, r.status) for r in summary.results] == [
            (inputs[0], "failed"),
            (inputs[1], "new"),
        ]
        assert summary.results[0].error == (
            f"{inputs[0]}: not stored: {tmp_path / 'stance.db'}: the database or its disk is "
            "full; free some space, then run the same command again"
        )
        assert counts(store) == {"documents": 1, "runs": 1, "claims": 1, "entities": 1}
        assert [d["title"] is None and d["chars"] for d in store.documents()] == [len(SMALL)]
        assert not store.db.conn.in_transaction


def test_a_failure_at_commit_leaves_nothing_half_written(tmp_path, inputs, monkeypatch):
    with Store(tmp_path / "stance.db") as store:
        real_execute = sqlite3.Connection.execute
        commits = []

        class FullAtFirstCommit(sqlite3.Connection):
            def execute(self, sql, *args):  # type: ignore[override]
                if sql == "COMMIT" and not commits:
                    commits.append(sql)
                    raise sqlite3.OperationalError("database or disk is full")
                return real_execute(self, sql, *args)

        conn = sqlite3.connect(store.path, factory=FullAtFirstCommit)
        store.db.conn.close()
        store.db.conn = conn
        summary = ingest(store, inputs, FakeExtractor(script))
        assert [r.status for r in summary.results] == ["failed", "new"]
        assert counts(store) == {"documents": 1, "runs": 1, "claims": 1, "entities": 1}
        assert not conn.in_transaction


def test_the_cli_prints_the_error_and_a_summary_and_exits_1(tmp_path, inputs, monkeypatch):
    db = tmp_path / "cli.db"
    opened = Store.__init__

    def small_disk(self, path="stance.db"):
        opened(self, path)
        pages = self.db.execute("pragma page_count").fetchone()[0]
        self.db.execute(f"pragma max_page_count = {pages + 30}")

    monkeypatch.setattr(Store, "__init__", small_disk)
    result = CliRunner().invoke(cli, ["ingest", *inputs, "--db", str(db)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        f"stance: error: {inputs[0]}: not stored: {db}: the database or its disk is full; "
        "free some space, then run the same command again"
    ]
    assert result.stdout == (
        "documents: 1 new, 0 cached, 1 failed; claims stored: 1, rejected: 0\n"
    )
