"""Exit codes and output shapes of the CLI, as the README promises them."""

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.store.db import Store

ROOT = Path(__file__).resolve().parent.parent
AZERNEWS = str(ROOT / "fixtures" / "azernews-2024-04-03-blinken-aliyev.txt")


@pytest.fixture
def run(tmp_path):
    db = str(tmp_path / "cli.db")

    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, [*args, "--db", db], input=input, catch_exceptions=False)

    return invoke


def csv_header(output: str) -> list[str]:
    return next(csv.reader(io.StringIO(output)))


def test_claims_csv_has_the_same_columns_empty_or_not(run, tmp_path):
    Store(tmp_path / "cli.db").close()  # a database with nothing in it yet
    empty = run("claims", "--csv")
    assert empty.exit_code == 0
    assert run("ingest", "-q", AZERNEWS).exit_code == 0
    full = run("claims", "--csv")
    assert (
        csv_header(empty.stdout)
        == csv_header(full.stdout)
        == [
            "id",
            "document_id",
            "source",
            "url",
            "published",
            "speaker",
            "speaker_mention",
            "cue",
            "quote",
            "content",
            "start",
            "end",
            "attribution",
            "claim_type",
            "grounding",
            "reason",
            "targets",
            "run_id",
            "backend",
            "model",
            "confidence",
            "language",
        ]
    )
    assert empty.stdout.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [
        ("claims", "--since", "someday"),
        ("claims", "--until", "the day after"),
        ("ingest", AZERNEWS, "--published", "someday"),
    ],
)
def test_a_bad_date_option_is_a_usage_error(run, args):
    result = run(*args)
    assert result.exit_code == 2
    option = args[-2]
    assert result.stderr == (
        f"stance: error: {option}: cannot read '{args[-1]}' as a date; use YYYY-MM-DD\n"
    )


def test_dev_null_is_read_not_missing(run):
    result = run("ingest", "/dev/null")
    assert result.exit_code == 1
    assert "stance: error: /dev/null: the file is empty" in result.stderr
    assert "no such file" not in result.stderr
