"""A model server that is down: ingest says what to do; queries still answer."""

import functools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.extraction.config import ExtractorConfig
from testkit.fakeserver import free_port

ROOT = Path(__file__).resolve().parent.parent
AZERNEWS = str(ROOT / "fixtures" / "azernews-2024-04-03-blinken-aliyev.txt")
READOUT = str(ROOT / "fixtures" / "us-state-dept-2024-04-03-blinken-aliyev-readout.txt")


@pytest.fixture
def db(tmp_path, monkeypatch):
    # Keep the transport retries short: the refusal is the same on every attempt.
    monkeypatch.setattr(
        "stance.cli.ExtractorConfig", functools.partial(ExtractorConfig, max_wait=0.05)
    )
    path = str(tmp_path / "t.db")
    result = CliRunner().invoke(cli, ["ingest", "-q", AZERNEWS, READOUT, "--db", path])
    assert result.exit_code == 0, result.output
    return path


def test_no_key_and_no_server_names_the_url_and_what_to_do(db):
    url = f"http://127.0.0.1:{free_port()}/v1"
    result = CliRunner().invoke(
        cli,
        ["ingest", AZERNEWS, "--force", "--db", db],
        env={"STANCE_MODEL": "m", "OPENAI_BASE_URL": url},
    )
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        1,
        f"stance: error: {AZERNEWS}: cannot reach the model server at {url}: is it running? "
        "check --base-url/OPENAI_BASE_URL (no OPENAI_API_KEY is set either), "
        "or use the offline extractor: --backend rules",
    )


@pytest.mark.parametrize(
    "command",
    [
        ("compare", "April 5 meeting"),
        ("timeline", "Ilham Aliyev"),
        ("compare", "Armenia", "--json"),
    ],
)
def test_a_query_with_a_model_set_and_the_server_down_still_answers(db, command):
    url = f"http://127.0.0.1:{free_port()}/v1"
    expected = CliRunner().invoke(cli, [*command, "--db", db])
    result = CliRunner().invoke(
        cli, [*command, "--db", db], env={"STANCE_MODEL": "m", "OPENAI_BASE_URL": url}
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == expected.stdout
    assert result.stderr == ""  # queries do not call the model
    if "--json" in command:
        assert json.loads(result.stdout)["subject"]["name"]
