import functools
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.extraction.config import ExtractorConfig
from testkit.fakeserver import error_reply, free_port

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
AZERNEWS = str(FIXTURES / "azernews-2024-04-03-blinken-aliyev.txt")
READOUT = str(FIXTURES / "us-state-dept-2024-04-03-blinken-aliyev-readout.txt")


@pytest.fixture
def run(tmp_path):
    db = str(tmp_path / "cli.db")

    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, [*args, "--db", db], input=input, catch_exceptions=False)

    return invoke


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert re.search(rf"`stance {name}\b", readme), f"README does not document stance {name}"


def test_ingest_then_query_with_the_offline_extractor(run):
    result = run("ingest", AZERNEWS, READOUT)
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        r"documents: 2 new, 0 cached, 0 failed; claims stored: \d+, rejected: 0\n", result.stdout
    )
    assert "offline rules extractor" in result.stderr
    claims = json.loads(run("claims", "--json").stdout)
    assert {c["source"] for c in claims} == {
        "AzerNews",  # from the feed's dateline: "date 2024-04-03 (MENAFN- AzerNews)"
        "U.S. Department of State, Office of the Spokesperson (readout republished by "
        "norlynews.com)",
    }
    assert set(claims[0]) == {
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
    }
    again = run("ingest", AZERNEWS, READOUT)
    assert again.stdout.startswith("documents: 0 new, 2 cached, 0 failed")


def test_claims_filters_and_csv(run):
    run("ingest", AZERNEWS)
    by_aliyev = json.loads(run("claims", "--speaker", "Aliyev", "--json").stdout)
    assert by_aliyev and {c["speaker"] for c in by_aliyev} == {"Ilham Aliyev"}
    csv_out = run("claims", "--csv").stdout.splitlines()
    assert csv_out[0].startswith("id,document_id,source,url,published,speaker")
    assert run("claims", "--json", "--csv").exit_code == 2


def test_documents_runs_and_entities_list_what_was_stored(run):
    run("ingest", "--published", "2024-04-03", "--source", "AzerNews", AZERNEWS)
    (doc,) = json.loads(run("documents", "--json").stdout)
    assert (doc["source"], doc["published"], doc["last_run"]) == ("AzerNews", "2024-04-03", "ok")
    (stored_run,) = json.loads(run("runs", "--json").stdout)
    assert (stored_run["backend"], stored_run["status"], stored_run["error"]) == (
        "rules",
        "ok",
        None,
    )
    names = {e["name"] for e in json.loads(run("entities", "--json").stdout)}
    assert {"Ilham Aliyev", "Antony Blinken"} <= names


def test_bad_inputs_get_one_line_each_and_exit_1(run, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = run("ingest", str(empty), str(tmp_path / "nope.txt"), AZERNEWS)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("stance: error:")]
    assert errors == [
        f"stance: error: {empty}: the file is empty; give a file with the article's text",
        f"stance: error: {tmp_path / 'nope.txt'}: no such file, folder or URL; check the path",
    ]
    assert result.stdout.startswith("documents: 1 new, 0 cached, 2 failed")
    assert "Traceback" not in result.output


def test_usage_errors_exit_2(run):
    assert run("ingest", AZERNEWS, "--backend", "magic").exit_code == 2
    assert run("ingest", AZERNEWS, "--concurrency", "0").exit_code == 2
    result = run("ingest", AZERNEWS, "--backend", "llm")
    assert (result.exit_code, result.stderr) == (
        2,
        "stance: error: the llm backend needs a model: pass --model NAME or set STANCE_MODEL\n",
    )
    bad_date = run("ingest", AZERNEWS, "--published", "someday")
    assert (bad_date.exit_code, bad_date.stderr) == (
        2,
        "stance: error: --published: cannot read 'someday' as a date; use YYYY-MM-DD\n",
    )


def test_stdin_is_read_with_a_dash(run):
    text = Path(AZERNEWS).read_text(encoding="utf-8")
    result = run("ingest", "-", "--source", "AzerNews", input=text)
    assert result.exit_code == 0
    assert result.stdout.startswith("documents: 1 new")


def test_a_file_that_is_not_a_database_is_one_line(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("not a database " * 200)
    result = CliRunner().invoke(cli, ["claims", "--db", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"stance: error: {bad}: cannot open as a stance database")


def test_a_model_the_server_refuses_fails_each_input_in_one_line(run, fake_server):
    fake_server.script(
        *[error_reply(404, "The model `nope` does not exist.", code="model_not_found")] * 2
    )
    result = run("ingest", AZERNEWS, READOUT, "--model", "nope", "--base-url", fake_server.url)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("stance: error:")]
    advice = (
        f"the server at {fake_server.url} does not know model 'nope': check --model "
        f"(GET {fake_server.url}/models lists the models it serves)"
    )
    assert errors == [f"stance: error: {AZERNEWS}: {advice}", f"stance: error: {READOUT}: {advice}"]
    assert result.stdout.startswith("documents: 0 new, 0 cached, 2 failed")
    documents = json.loads(run("documents", "--json").stdout)
    assert [d["last_run"] for d in documents] == ["failed", "failed"]


def test_an_unreachable_server_is_one_line_and_the_documents_are_kept(run, monkeypatch):
    # Keep the transport retries short: the refusal is the same on every attempt.
    monkeypatch.setattr(
        "stance.cli.ExtractorConfig", functools.partial(ExtractorConfig, max_wait=0.05)
    )
    url = f"http://127.0.0.1:{free_port()}/v1"
    result = run("ingest", AZERNEWS, "--model", "m", "--base-url", url)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        1,
        f"stance: error: {AZERNEWS}: cannot reach the model server at {url}: is it running? "
        "check --base-url/OPENAI_BASE_URL (no OPENAI_API_KEY is set either), or use the "
        "offline extractor: --backend rules",
    )
    assert [d["last_run"] for d in json.loads(run("documents", "--json").stdout)] == ["failed"]
