"""Re-asks of a batch's failing answers, and cancelling a batch, against the scripted
loopback server. Every answer here is SCRIPTED (written by the test), not a model's.

A batch answer that fails the checks is re-asked as the live path re-asks it (same limit,
same correction, built by the same code): in a follow-up batch by default, or live with
`--live-retries`; the fixed claims are stored with the good ones of the first answer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.core.errors import ModelError
from stance.core.models import Document
from stance.extraction.config import ExtractorConfig
from stance.extraction.llm.batch import BatchClient
from stance.extraction.llm.extractor import LLMExtractor
from stance.ingestion.batch import export_batch, import_results
from stance.ingestion.pipeline import ingest
from stance.store.db import Store
from stance.store.queries import ClaimFilter
from testkit.corpus import Article, all_claims, synthetic_articles, write_articles
from testkit.fakeserver import (
    BatchPlan,
    FakeOpenAIServer,
    Reply,
    echo_claims,
    run_batch,
    tool_reply,
)

NOT_IN_TEXT = "words that this article never says anywhere at all"


def llm(server: FakeOpenAIServer, **options: Any) -> LLMExtractor:
    config = ExtractorConfig(backend="llm", model="scripted-model", base_url=server.url, **options)
    return LLMExtractor(config)


def stance(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def claim_rows(db: Path) -> list[tuple[Any, ...]]:
    with Store(db) as store:
        return sorted(
            (c.document_id, c.speaker, c.quote, c.start, c.end, c.grounding, c.reason)
            for c in store.claims(ClaimFilter(include_rejected=True))
        )


def run_rows(db: Path) -> list[tuple[Any, ...]]:
    with Store(db) as store:
        return sorted(
            (r["document_id"], r["status"], r["requests"], r["input_tokens"], r["notes"])
            for r in store.runs()
        )


def flawed(article: Article) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The article's claims with the second one's quote made up; and that claim as it is."""
    claims = [dict(c) for c in article.claims]
    good = dict(claims[1])
    claims[1]["quote"] = NOT_IN_TEXT
    return claims, good


@pytest.fixture
def article(tmp_path: Path) -> tuple[Article, Path]:
    [found] = synthetic_articles(1)
    write_articles([found], tmp_path / "in")
    return found, tmp_path / "in" / found.name


def test_an_import_re_asks_in_a_follow_up_file_what_the_live_path_re_asks(
    fake_server, article, tmp_path
):
    found, path = article
    first, fixed = flawed(found)
    # Live: the same two scripted answers (the re-ask answered with the fixed claim alone).
    fake_server.script(tool_reply({"claims": first}), tool_reply({"claims": [fixed]}))
    with Store(tmp_path / "live.db") as store:
        ingest(store, [str(path)], llm(fake_server))
    live_requests = [r.body for r in fake_server.chat_requests()]
    assert len(live_requests) == 2

    with Store(tmp_path / "batch.db") as store:
        export_batch(store, [str(path)], llm(fake_server), tmp_path / "requests.jsonl")
        requests = (tmp_path / "requests.jsonl").read_text().splitlines()
        results = run_batch(requests, lambda body: tool_reply({"claims": first}))
        followup_file = tmp_path / "reasks.jsonl"
        first_import = import_results(store, results, reask_file=lambda batch: followup_file)
        reasked = [json.loads(line) for line in followup_file.read_text().splitlines()]
        doc_id = Document.id_for(found.text)
        assert first_import.results == [] and first_import.reasked == [str(path)]
        assert [f.requests for f in first_import.followups] == [1]
        # The follow-up's request is the live path's re-ask, byte for byte.
        assert reasked == [
            {
                "custom_id": f"doc-{doc_id}-chunk-0-of-1-attempt-2",
                "method": "POST",
                "url": "/v1/chat/completions",
                "body": live_requests[1],
            }
        ]
        correction = live_requests[1]["messages"][-1]["content"]
        assert correction.startswith("Some claims of your answer cannot be used:\n- claims[1]")
        again = import_results(store, results, reask_file=lambda batch: tmp_path / "x.jsonl")
        assert again.results == [] and again.reasked == [str(path)]  # not re-asked twice
        assert not (tmp_path / "x.jsonl").exists()

        answers = run_batch(reasked, lambda body: tool_reply({"claims": [fixed]}))
        second = import_results(store, answers, reask_file=lambda batch: tmp_path / "y.jsonl")
        statuses = dict(
            store.db.execute(
                "select coalesce(b.attempt, 1), d.status from batch_documents d "
                "join batches b on b.id = d.batch_id"
            ).fetchall()
        )
    # The made-up quote, left out of the re-ask's answer, stays visible as rejected (as live).
    assert [(r.status, r.claims, r.rejected) for r in second.results] == [
        ("new", len(found.claims), 1)
    ]
    assert statuses == {1: "reasked", 2: "stored"}
    assert claim_rows(tmp_path / "batch.db") == claim_rows(tmp_path / "live.db")
    assert run_rows(tmp_path / "batch.db") == run_rows(tmp_path / "live.db")
    [(_, _, requests, tokens, notes)] = run_rows(tmp_path / "batch.db")
    assert (requests, tokens) == (2, 200)
    assert notes == (
        f"1 re-ask, {len(found.claims) - 1} claims kept from an earlier answer, 1 claim still "
        "failing (stored as rejected)"
    )


def test_re_asks_are_bounded_as_live_then_the_claim_is_stored_rejected(
    fake_server, article, tmp_path
):
    found, path = article
    first, _ = flawed(found)
    files = iter(tmp_path / f"reasks-{n}.jsonl" for n in range(5))
    with Store(tmp_path / "b.db") as store:
        export_batch(store, [str(path)], llm(fake_server), tmp_path / "requests.jsonl")
        lines = (tmp_path / "requests.jsonl").read_text().splitlines()
        attempts = 0
        while True:
            attempts += 1
            results = run_batch(lines, lambda body: tool_reply({"claims": first}))
            done = import_results(store, results, reask_file=lambda batch: next(files))
            if not done.followups:
                break
            lines = done.followups[0].path.read_text().splitlines()
        rows = claim_rows(tmp_path / "b.db")
    assert attempts == 3  # the first answer and max_reasks = 2 re-asks, as live
    assert [(r.status, r.claims, r.rejected) for r in done.results] == [
        ("new", len(found.claims) - 1, 1)
    ]
    rejected = [row for row in rows if row[5] == "rejected"]
    assert [(q, reason) for _, _, q, _, _, _, reason in rejected] == [
        (NOT_IN_TEXT, "the quote is not in the text (closest match 50% similar, 90% needed)")
    ]


# --- Through the Batch API of the scripted server ---------------------------------------------


@pytest.fixture
def sent(fake_server, tmp_path) -> tuple[list[Article], str, list[str], list[str]]:
    """Four articles sent as a batch; the first one's answer has a made-up quote."""
    found = synthetic_articles(4)
    write_articles(found, tmp_path / "in")
    first, fixed = flawed(found[0])
    echo = echo_claims(all_claims(found))

    def responder(body: dict[str, Any]) -> Reply:
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        if found[0].text[:200] in user and len(body["messages"]) == 2:
            return tool_reply({"claims": first})  # the first request about article 0
        return echo(body)  # every other request, the re-ask too: the article's claims

    fake_server.responder = responder
    db = str(tmp_path / "b.db")
    model = ["--model", "scripted-model", "--base-url", fake_server.url, "--db", db]
    assert stance("ingest", "--batch", str(tmp_path / "in"), *model).exit_code == 0
    where = ["--base-url", fake_server.url, "--db", db]
    return found, db, where, [fixed["quote"]]


def test_collect_sends_a_follow_up_batch_and_collecting_it_stores_the_fixed_claims(
    fake_server, sent
):
    found, db, where, [fixed_quote] = sent
    [first_id] = list(fake_server.batches)
    collected = stance("batch", "collect", first_id, *where)
    followup_id = [b for b in fake_server.batches if b != first_id][0]
    assert collected.exit_code == 0, collected.output
    assert collected.output.splitlines()[1:] == [
        "re-asked 1 requests of 1 documents whose answers failed the checks (attempt 2) in "
        f"batch {followup_id}, which follows {first_id}: `stance batch collect {followup_id}` "
        "when it is done"
    ]
    assert collected.output.startswith(f"batch {first_id}: collected; documents: 3 new")
    listing = json.loads(stance("batch", "status", "--db", db, "--json").stdout)
    assert [
        (b["id"], b["parent_id"], b["attempt"], b["pending"], b["reasked"]) for b in listing
    ] == [
        (followup_id, first_id, 2, 1, 0),
        (first_id, None, None, 0, 1),
    ]
    second = stance("batch", "collect", followup_id, *where, "--json")
    report = json.loads(second.stdout)
    assert (report["status"], report["new"], report["by_status"]) == ("collected", 1, {"stored": 1})
    doc_id = Document.id_for(found[0].text)
    with Store(db) as store:
        quotes = sorted(c.quote for c in store.claims() if c.document_id == doc_id)
        [run] = [r for r in store.runs() if r["document_id"] == doc_id]
    assert quotes == sorted(c["quote"] for c in found[0].claims)
    assert fixed_quote in quotes
    assert (run["requests"], run["input_tokens"], run["output_tokens"]) == (2, 200, 40)
    again = stance("batch", "collect", first_id, *where)
    assert "documents: 0 new, 4 cached" in again.output
    assert len(fake_server.batches) == 2  # collecting again sends no second follow-up


def test_collect_with_live_retries_re_asks_through_chat_completions(fake_server, sent):
    found, db, where, [fixed_quote] = sent
    collected = stance("batch", "collect", *where, "--live-retries", "--json")
    report = json.loads(collected.stdout)
    assert (report["new"], report["reasked"], report["followups"]) == (4, 0, [])
    [reask] = fake_server.chat_requests()
    assert reask.messages[-1]["content"].startswith("Some claims of your answer cannot be used")
    assert len(fake_server.batches) == 1
    with Store(db) as store:
        quotes = {c.quote for c in store.claims()}
        [calls] = [
            r["requests"]
            for r in store.runs()
            if r["document_id"] == Document.id_for(found[0].text)
        ]
    assert fixed_quote in quotes and calls == 2


def test_a_follow_up_that_cannot_be_sent_is_undone(fake_server, sent, monkeypatch):
    found, db, where, _ = sent

    def refuse(self: BatchClient, name: str, content: bytes) -> str:
        raise ModelError("the server at X could not take the request file (/v1/files) (HTTP 500)")

    monkeypatch.setattr(BatchClient, "upload", refuse)
    failed = stance("batch", "collect", *where)
    assert failed.exit_code == 1
    assert "could not take the request file" in failed.output
    with Store(db) as store:
        rows = store.db.execute("select id, status from batches").fetchall()
        pending = store.db.execute(
            "select count(*) from batch_documents where status = 'pending'"
        ).fetchone()[0]
    assert [status for _, status in rows] == ["completed"] and pending == 1
    monkeypatch.undo()
    retried = stance("batch", "collect", rows[0][0], *where)
    assert "re-asked 1 requests of 1 documents" in retried.output


def test_cancel_a_batch_then_collect_what_it_answered(fake_server, tmp_path):
    found = synthetic_articles(2)
    write_articles(found, tmp_path / "in")
    fake_server.responder = echo_claims(all_claims(found))
    fake_server.batch_plan = BatchPlan(polls=5)
    db = str(tmp_path / "b.db")
    model = ["--model", "scripted-model", "--base-url", fake_server.url, "--db", db]
    assert stance("ingest", "--batch", str(tmp_path / "in"), *model).exit_code == 0
    [batch_id] = list(fake_server.batches)
    where = ["--base-url", fake_server.url, "--db", db]
    cancelled = stance("batch", "cancel", *where)
    assert cancelled.exit_code == 0
    assert cancelled.output == (
        f"batch {batch_id}: cancelled (0 of 2 requests done); what it answered can still be "
        f"stored: `stance batch collect {batch_id}`\n"
    )
    cancels = [r for r in fake_server.requests if r.path.endswith("/cancel")]
    assert [r.path for r in cancels] == [f"/v1/batches/{batch_id}/cancel"]
    with Store(db) as store:
        [status] = store.db.execute("select status from batches").fetchone()
    assert status == "cancelled"
    twice = stance("batch", "cancel", batch_id, *where)
    assert (twice.exit_code, twice.output) == (
        2,
        f"stance: error: batch {batch_id} is already cancelled: nothing to cancel; "
        f"`stance batch collect {batch_id}`\n",
    )
    collected = stance("batch", "collect", batch_id, *where)
    assert collected.exit_code == 1
    assert "2 documents were not answered (batch cancelled)" in collected.output


def test_cancel_says_why_not_for_an_exported_batch(fake_server, tmp_path):
    found = synthetic_articles(1)
    write_articles(found, tmp_path / "in")
    db = str(tmp_path / "b.db")
    model = ["--model", "scripted-model", "--base-url", fake_server.url, "--db", db]
    exported = stance("batch", "export", str(tmp_path / "r.jsonl"), str(tmp_path / "in"), *model)
    batch_id = exported.output.split("batch ")[1].split(";")[0]
    refused = stance("batch", "cancel", batch_id, "--base-url", fake_server.url, "--db", db)
    assert (refused.exit_code, refused.output) == (
        2,
        f"stance: error: batch {batch_id} was exported to a file, not sent: there is nothing "
        "to cancel on a server (stop the batch engine that runs it)\n",
    )


def test_an_answer_of_the_wrong_shape_is_re_asked_and_no_reasks_stores_at_once(
    fake_server, article, tmp_path
):
    found, path = article
    wrong_key = tool_reply({"extractions": list(found.claims)})
    db = str(tmp_path / "b.db")
    model = ["--model", "scripted-model", "--base-url", fake_server.url, "--db", db]
    out = tmp_path / "requests.jsonl"
    assert stance("batch", "export", str(out), str(path), *model).exit_code == 0
    results = tmp_path / "results.jsonl"
    results.write_text("\n".join(run_batch(out.read_text().splitlines(), lambda b: wrong_key)))
    imported = stance("batch", "import", str(results), "--db", db, "--json")
    report = json.loads(imported.stdout)
    [followup] = report["followups"]
    reasks = Path(followup["file"]).read_text().splitlines()
    [body] = [json.loads(line)["body"] for line in reasks]
    assert (imported.exit_code, report["new"], report["reasked"]) == (0, 0, 1)
    assert Path(followup["file"]).name == f"results.reask-{followup['follows']}.jsonl"
    assert body["messages"][-1]["content"] == (
        'Your answer could not be used: it has no key "claims" (it has "extractions"). Answer '
        'again with one JSON object whose only key is "claims", a list of claim objects (an '
        "empty list if the text has no claims). Do not repeat the schema."
    )
    # The same answers into another database, without re-asks: no list of claims, a failure.
    other = str(tmp_path / "c.db")
    stance("batch", "export", str(tmp_path / "r2.jsonl"), str(path), *model[:-1], other)
    now = stance("batch", "import", str(results), "--db", other, "--no-reasks")
    assert (now.exit_code, now.output) == (
        1,
        f"stance: error: {path}: model 'scripted-model' answered 1 time without a list of "
        'claims (it has no key "claims" (it has "extractions")): try a larger model or another '
        "--mode\ndocuments: 0 new, 0 cached, 1 failed; claims stored: 0, rejected: 0; tokens: "
        "0 in, 0 out\n",
    )
    with Store(other) as store:
        [run] = store.runs()
    assert (run["status"], run["requests"], run["input_tokens"]) == ("failed", 1, 100)
