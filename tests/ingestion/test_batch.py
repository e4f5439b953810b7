"""Batch files and the Batch API: requests as the live path sends them, answers stored as it
stores them, against the scripted loopback server (no model involved)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.core.models import Document
from stance.extraction.config import ExtractorConfig
from stance.extraction.llm.batch import BatchClient, ChunkId, parse_result_line, request_lines
from stance.extraction.llm.extractor import LLMExtractor
from stance.ingestion.batch import export_batch, import_results
from stance.ingestion.pipeline import ingest
from stance.store.db import Store
from testkit.corpus import Article, all_claims, synthetic_articles, write_articles
from testkit.fakeserver import BatchPlan, FakeOpenAIServer, echo_claims, run_batch


def llm(server: FakeOpenAIServer, **options: Any) -> LLMExtractor:
    config = ExtractorConfig(backend="llm", model="scripted-model", base_url=server.url)
    return LLMExtractor(config, **options)


def claim_rows(db: Path) -> list[tuple[Any, ...]]:
    """Every stored claim of the current runs, without ids: what two databases compare on."""
    with Store(db) as store:
        return sorted(
            (c.document_id, c.speaker, c.quote, c.start, c.end, c.grounding, c.backend, c.model)
            for c in store.claims()
        )


def run_keys(db: Path) -> list[tuple[Any, ...]]:
    with Store(db) as store:
        return sorted(
            (r["document_id"], r["status"], r["model"], r["prompt_sha"], r["schema_sha"])
            for r in store.runs()
        )


@pytest.fixture
def articles(tmp_path: Path) -> tuple[list[Article], Path]:
    found = synthetic_articles(4)
    write_articles(found, tmp_path / "in")
    return found, tmp_path / "in"


@pytest.mark.parametrize("mode", ["tools", "json", "md_json"])
def test_request_lines_are_the_requests_the_live_path_sends(fake_server, articles, tmp_path, mode):
    found, folder = articles
    fake_server.responder = echo_claims(all_claims(found), mode=mode)
    config = ExtractorConfig(
        backend="llm", model="scripted-model", base_url=fake_server.url, mode=mode
    )
    paths = [str(folder / a.name) for a in found[:2]]
    with Store(tmp_path / "live.db") as store:
        ingest(store, paths, LLMExtractor(config))
    sent = [r.body for r in fake_server.chat_requests()]
    with Store(tmp_path / "batch.db") as store:
        summary = export_batch(store, paths, LLMExtractor(config), tmp_path / "r.jsonl")
    lines = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    ids = [Document.id_for(a.text) for a in found[:2]]
    assert (summary.documents, summary.requests) == (2, 2)
    assert lines == [
        {
            "custom_id": f"doc-{doc_id}-chunk-0-of-1",
            "method": "POST",
            "url": "/v1/chat/completions",
            "body": body,
        }
        for doc_id, body in zip(ids, sent, strict=True)
    ]


def test_import_stores_what_the_live_path_stores_and_twice_nothing_more(
    fake_server, articles, tmp_path
):
    found, folder = articles
    fake_server.responder = echo_claims(all_claims(found))
    extractor = llm(fake_server)
    with Store(tmp_path / "live.db") as store:
        ingest(store, [str(folder)], extractor)
    with Store(tmp_path / "batch.db") as store:
        export_batch(store, [str(folder)], extractor, tmp_path / "requests.jsonl")
        requests = (tmp_path / "requests.jsonl").read_text().splitlines()
        results = run_batch(requests, echo_claims(all_claims(found)))
        first = import_results(store, results)
        again = import_results(store, results)
    assert [r.status for r in first.results] == ["new"] * 4
    assert [r.status for r in again.results] == ["cached"] * 4
    assert first.input_tokens == 4 * 100 and first.output_tokens == 4 * 20
    assert claim_rows(tmp_path / "batch.db") == claim_rows(tmp_path / "live.db")
    assert len(claim_rows(tmp_path / "batch.db")) == first.claims > 0
    assert run_keys(tmp_path / "batch.db") == run_keys(tmp_path / "live.db")


def test_export_leaves_out_documents_already_extracted_with_the_same_key(
    fake_server, articles, tmp_path
):
    found, folder = articles
    fake_server.responder = echo_claims(all_claims(found))
    extractor = llm(fake_server)
    with Store(tmp_path / "one.db") as store:
        ingest(store, [str(folder / found[0].name)], extractor)
        summary = export_batch(store, [str(folder), str(folder)], extractor, tmp_path / "r.jsonl")
    assert (summary.documents, summary.count("cached")) == (3, 5)  # one stored, four repeats
    written = (tmp_path / "r.jsonl").read_text().splitlines()
    assert len(written) == 3


def test_a_malformed_line_is_reported_with_its_number_and_the_rest_stored(
    fake_server, articles, tmp_path
):
    found, folder = articles
    extractor = llm(fake_server)
    with Store(tmp_path / "b.db") as store:
        export_batch(store, [str(folder)], extractor, tmp_path / "r.jsonl")
        requests = (tmp_path / "r.jsonl").read_text().splitlines()
        results = run_batch(requests, echo_claims(all_claims(found)))
        results[1] = results[1][:40]
        results.insert(3, '{"custom_id": "someone-else", "response": {}}')
        summary = import_results(store, results, label="out.jsonl")
        stored = store.db.execute("select count(*) from runs where status = 'ok'").fetchone()[0]
    assert summary.malformed == [
        "out.jsonl:2: not JSON (column 36: Unterminated string starting at)",
        "out.jsonl:4: custom_id 'someone-else' is not one stance wrote "
        "(doc-<sha256>-chunk-<i>-of-<n>)",
    ]
    assert (summary.count("new"), stored) == (3, 3)
    assert not summary.ok


def test_an_error_answer_is_a_failed_run_recorded_once(fake_server, articles, tmp_path):
    found, folder = articles
    extractor = llm(fake_server)
    with Store(tmp_path / "b.db") as store:
        export_batch(store, [str(folder / found[0].name)], extractor, tmp_path / "r.jsonl")
        custom_id = json.loads((tmp_path / "r.jsonl").read_text())["custom_id"]
        line = json.dumps(
            {
                "id": "batch_req_1",
                "custom_id": custom_id,
                "response": {
                    "status_code": 400,
                    "body": {"error": {"message": "context too long", "code": "bad"}},
                },
                "error": None,
            }
        )
        first = import_results(store, [line])
        again = import_results(store, [line])
        runs = [(r["status"], r["error"]) for r in store.runs()]
    error = f"{found[0].name}: the batch answered with an error: HTTP 400: [bad] context too long"
    assert [(r.status, r.error) for r in first.results] == [("failed", str(folder / error))]
    assert [r.status for r in again.results] == ["failed"]
    assert runs == [
        ("failed", "the batch answered with an error: HTTP 400: [bad] context too long")
    ]


def test_a_long_document_is_stored_once_all_its_chunks_are_back_in_any_order(
    fake_server, articles, tmp_path
):
    found, folder = articles
    claims = all_claims(found)
    extractor = llm(fake_server, chunk_chars=1500)
    with Store(tmp_path / "live.db") as store:
        fake_server.responder = echo_claims(claims)
        ingest(store, [str(folder / found[1].name)], extractor)
    with Store(tmp_path / "b.db") as store:
        export_batch(store, [str(folder / found[1].name)], extractor, tmp_path / "r.jsonl")
        requests = (tmp_path / "r.jsonl").read_text().splitlines()
        results = list(reversed(run_batch(requests, echo_claims(claims))))
        partial = import_results(store, results[:-1])
        whole = import_results(store, results)
    assert len(requests) > 2
    assert partial.results == [] and len(partial.incomplete) == 1
    assert [r.status for r in whole.results] == ["new"]
    assert claim_rows(tmp_path / "b.db") == claim_rows(tmp_path / "live.db")


def test_custom_ids_name_document_and_chunk():
    chunk = ChunkId("a" * 64, 2, 3)
    assert chunk.custom_id == "doc-" + "a" * 64 + "-chunk-2-of-3"
    assert ChunkId.parse(chunk.custom_id) == chunk
    with pytest.raises(ValueError, match="names chunk 3 of 3"):
        ChunkId.parse("doc-" + "a" * 64 + "-chunk-3-of-3")
    with pytest.raises(ValueError, match="no response and no error"):
        parse_result_line(json.dumps({"custom_id": chunk.custom_id}))


# --- The CLI, through the Batch API of the scripted server -------------------------------------


def stance(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_ingest_batch_then_status_then_collect(fake_server, articles, tmp_path):
    found, folder = articles
    fake_server.responder = echo_claims(all_claims(found))
    fake_server.batch_plan = BatchPlan(polls=2)
    db = str(tmp_path / "b.db")
    model = ["--model", "scripted-model", "--base-url", fake_server.url, "--db", db]
    sent = stance("ingest", "--batch", str(folder), *model)
    batch_id = next(iter(fake_server.batches))
    assert sent.exit_code == 0, sent.output
    assert sent.output == (
        f"sent batch {batch_id}: 4 requests for 4 documents (0 cached, 0 failed); results "
        f"within 24 h: `stance batch status {batch_id}`, then `stance batch collect {batch_id}`\n"
    )
    assert fake_server.chat_requests() == []
    early = stance("batch", "collect", batch_id, "--base-url", fake_server.url, "--db", db)
    assert early.output == f"batch {batch_id}: in_progress, not done yet; collect it later\n"
    status = stance("batch", "status", batch_id, "--base-url", fake_server.url, "--db", db)
    assert status.output == (
        f"batch {batch_id}: completed: 4 of 4 requests done\n"
        f"collect it with `stance batch collect {batch_id}`\n"
    )
    collected = stance("batch", "collect", "--base-url", fake_server.url, "--db", db, "--json")
    again = stance("batch", "collect", batch_id, "--base-url", fake_server.url, "--db", db)
    report = json.loads(collected.stdout)
    assert (report["status"], report["new"], report["by_status"]) == (
        "collected",
        4,
        {"stored": 4},
    )
    assert again.output.startswith(f"batch {batch_id}: collected; documents: 0 new, 4 cached")
    with Store(db) as store:
        row = store.db.execute(
            "select kind, status, documents, requests, input_tokens, output_tokens from batches"
        ).fetchone()
    assert row == ("openai", "collected", 4, 4, 400, 80)


def test_an_expired_batch_stores_what_came_back_and_says_what_did_not(
    fake_server, articles, tmp_path
):
    found, folder = articles
    fake_server.responder = echo_claims(all_claims(found))
    ids = [f"doc-{Document.id_for(a.text)}-chunk-0-of-1" for a in found]
    fake_server.batch_plan = BatchPlan(
        status="expired", answered=3, errors=frozenset(ids[:1]), malformed=frozenset(ids[1:2])
    )
    db = str(tmp_path / "b.db")
    model = ["--model", "scripted-model", "--base-url", fake_server.url, "--db", db]
    assert stance("ingest", "--batch", str(folder), *model).exit_code == 0
    collected = stance("batch", "collect", "--base-url", fake_server.url, "--db", db, "--json")
    report = json.loads(collected.stdout)
    assert collected.exit_code == 1
    assert (report["status"], report["new"], report["failed"]) == ("expired", 1, 1)
    assert report["by_status"] == {"failed": 1, "pending": 2, "stored": 1}
    assert len(report["malformed"]) == 1
    # Sent again, only what was not stored goes out (the failed one is retried).
    fake_server.batch_plan = BatchPlan()
    resent = stance("ingest", "--batch", str(folder), *model, "--json")
    assert json.loads(resent.stdout)["documents"] == 3


def test_batch_export_and_import_on_the_command_line(fake_server, articles, tmp_path):
    found, folder = articles
    db = str(tmp_path / "b.db")
    out = tmp_path / "requests.jsonl"
    model = ["--model", "scripted-model", "--base-url", fake_server.url, "--db", db]
    exported = stance("batch", "export", str(out), str(folder), *model)
    assert exported.exit_code == 0
    assert exported.output.startswith(f"wrote {out}: 4 requests for 4 documents")
    results = tmp_path / "results.jsonl"
    lines = run_batch(out.read_text().splitlines(), echo_claims(all_claims(found)))
    results.write_text("\n".join(lines) + "\n")
    imported = stance("batch", "import", str(results), "--db", db)
    assert imported.exit_code == 0, imported.output
    assert imported.output.startswith("documents: 4 new, 0 cached, 0 failed")
    nothing = stance("batch", "export", str(tmp_path / "again.jsonl"), str(folder), *model)
    assert (
        nothing.output
        == f"nothing to send (4 cached, 0 failed); {tmp_path / 'again.jsonl'} not written\n"
    )
    assert not (tmp_path / "again.jsonl").exists()


def test_the_batch_client_uploads_creates_polls_cancels_and_downloads(fake_server, articles):
    found, _ = articles
    fake_server.responder = echo_claims(all_claims(found))
    fake_server.batch_plan = BatchPlan(polls=3)
    client = BatchClient(llm(fake_server))
    lines = request_lines(client.extractor, Document.id_for(found[0].text), found[0].text)
    file_id = client.upload("r.jsonl", "".join(json.dumps(line) + "\n" for line in lines).encode())
    created = client.create(file_id, {"stance_batch": "x"})
    cancelled = client.cancel(created.id)
    done = client.create(file_id, {})
    while not done.final:
        done = client.retrieve(done.id)
    [answer] = [parse_result_line(line) for line in client.lines(str(done.output_file_id))]
    assert (created.status, created.total, cancelled.status) == ("in_progress", 1, "cancelled")
    assert (done.status, done.completed, done.failed, done.error_file_id) == (
        "completed",
        1,
        0,
        None,
    )
    assert answer.chunk == ChunkId(Document.id_for(found[0].text), 0, 1)
    assert answer.completion is not None and answer.error is None
    uploads = [r for r in fake_server.requests if r.path == "/v1/files"]
    assert [r.body for r in uploads] == [{"purpose": "batch"}]
