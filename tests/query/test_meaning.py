"""Matching a query to events by meaning, through `/v1/embeddings` of the scripted server on
loopback. The vectors are scripted by this test (they only say which texts are near); no
model is involved, and nothing here measures how well a real embedding model matches.

Off by default: without --embedding-model no request is made and queries match offline.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.core.errors import ModelError, NotFoundError
from stance.core.models import ExtractedClaim
from stance.extraction.embeddings import Embedder, EmbeddingConfig, cosine, make_embedder
from stance.ingestion.pipeline import ingest
from stance.query.compare import compare
from stance.query.pick import pick
from stance.store.db import Store
from testkit.fake_extractor import FakeExtractor
from testkit.fakeserver import FakeOpenAIServer

SUMMIT = """source: Harbor Daily (invented)
published: 2025-03-02
title: Leaders meet at the lake

Foreign Minister Tova Lind said the Corran summit would bring nothing but empty promises.
"""
TALKS = """source: Harbor Daily (invented)
published: 2025-06-20
title: Talks at the harbor

Senator Ivo Ranta said the Harbor talks were a chance the region should take.
"""
QUERY = "the leaders' get-together by the lake"
KEY = "sk-test-secret-embedding-key"


def _claim(speaker: str, quote: str, target: str, stance: str) -> ExtractedClaim:
    return ExtractedClaim.model_validate(
        {
            "speaker": speaker,
            "speaker_mention": speaker,
            "cue": "said",
            "quote": quote,
            "content": f"{speaker} said {quote}.",
            "attribution": "indirect",
            "claim_type": "statement",
            "targets": [{"name": target, "kind": "event", "stance": stance}],
        }
    )


def scripted(text: str) -> list[ExtractedClaim]:
    if "Tova Lind" in text:
        quote = "the Corran summit would bring nothing but empty promises"
        return [_claim("Tova Lind", quote, "Corran summit", "oppose")]
    quote = "the Harbor talks were a chance the region should take"
    return [_claim("Ivo Ranta", quote, "Harbor talks", "support")]


def scripted_vector(text: str) -> list[float]:
    """Scripted: the query and the summit's names point one way, everything else another."""
    if text == QUERY:
        return [1.0, 0.0, 0.0]
    if "corran" in text.lower():
        return [0.9, 0.1, 0.0]
    return [0.0, 1.0, 0.0]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text(SUMMIT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TALKS, encoding="utf-8")
    path = tmp_path / "lake.db"
    with Store(path) as store:
        files = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
        assert ingest(store, files, FakeExtractor(scripted)).count("new") == 2
    return path


@pytest.fixture
def server():
    with FakeOpenAIServer() as running:
        running.vector_for = scripted_vector
        yield running


def test_cosine():
    assert (cosine([1, 0], [1, 0]), cosine([1, 0], [0, 2]), cosine([0, 0], [1, 1])) == (
        1.0,
        0.0,
        0.0,
    )
    assert round(cosine([1, 0, 0], [0.9, 0.1, 0]), 4) == 0.9939


def test_a_query_is_matched_to_the_event_it_means(db, server):
    embedder = Embedder(EmbeddingConfig(model="scripted-embeddings", base_url=server.url))
    with Store(db) as store:
        with pytest.raises(NotFoundError):
            pick(store.db, QUERY)  # offline: the words name nothing
        picked = pick(store.db, QUERY, embedder=embedder)
        names = {r["name"]: r["id"] for r in store.entities()}
        summit = next(n for n in names if "Corran" in n)
        assert (picked.ref.name, picked.others, picked.why) == (
            summit,
            [],
            "matched by meaning: similarity 0.99 to 'Corran summit' "
            "(embeddings of scripted-embeddings)",
        )
        result = compare(store, QUERY, embedder=embedder)
    assert [(s.name, s.stance) for s in result.speakers] == [("Tova Lind", "oppose")]
    # One request per query (pick, then compare): the query and every event name, the model
    # named as configured.
    first, again = server.embedding_requests()
    request = first
    assert request.body is not None and again.body == request.body
    assert request.body["model"] == "scripted-embeddings"
    assert request.body["input"][0] == QUERY
    assert set(request.body["input"][1:]) == {summit, "Corran summit", "Harbor talks"} | {
        n for n in names if "Harbor" in n
    }


def test_the_cli_takes_the_model_and_server_and_never_shows_the_key(db, server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("STANCE_EMBEDDING_MODEL", raising=False)
    args = ["compare", QUERY, "--json", "--db", str(db)]
    offline = CliRunner().invoke(cli, args)
    assert offline.exit_code == 1 and server.requests == []  # off by default
    assert offline.stderr.startswith(f"stance: error: no entity or event matches '{QUERY}'")
    found = CliRunner().invoke(
        cli, [*args, "--embedding-model", "scripted-embeddings", "--base-url", server.url]
    )
    assert found.exit_code == 0, found.output
    assert found.stderr.startswith(f"'{QUERY}': picked ")
    assert "matched by meaning: similarity 0.99 to 'Corran summit'" in found.stderr
    assert KEY not in found.stdout + found.stderr
    (request,) = server.embedding_requests()
    assert request.headers["authorization"] == f"Bearer {KEY}"  # in the header, only there
    # The environment names the model and server as it does for the extraction model.
    monkeypatch.setenv("STANCE_EMBEDDING_MODEL", "scripted-embeddings")
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    assert CliRunner().invoke(cli, args).exit_code == 0


def test_a_refused_key_or_a_missing_server_is_one_line_without_the_key(db, server):
    server.vector_for = None  # no vector for any text: the server answers 400
    embedder = Embedder(
        EmbeddingConfig(model="scripted-embeddings", base_url=server.url, api_key=KEY)
    )
    with Store(db) as store, pytest.raises(ModelError) as failed:
        pick(store.db, QUERY, embedder=embedder)
    assert str(failed.value) == (
        f"the embedding server at {server.url} failed with HTTP 400 for model "
        "'scripted-embeddings': check --embedding-model and --base-url"
    )
    down = CliRunner().invoke(
        cli,
        ["compare", QUERY, "--db", str(db), "--embedding-model", "m", "--base-url",
         "http://127.0.0.1:9/v1"],
        env={"OPENAI_API_KEY": KEY},
    )  # fmt: skip
    assert down.exit_code == 1
    assert down.stderr == (
        "stance: error: cannot reach the embedding server at http://127.0.0.1:9/v1: is it "
        "running? check --base-url/OPENAI_BASE_URL, or leave out --embedding-model to match "
        "offline\n"
    )


def test_without_a_model_nothing_is_made_and_a_lone_base_url_is_a_usage_error(db, monkeypatch):
    monkeypatch.delenv("STANCE_EMBEDDING_MODEL", raising=False)
    assert make_embedder(EmbeddingConfig()) is None
    lone = CliRunner().invoke(cli, ["compare", QUERY, "--db", str(db), "--base-url", "http://x"])
    assert lone.exit_code == 2
    assert lone.stderr == (
        "stance: error: --base-url needs --embedding-model (or STANCE_EMBEDDING_MODEL)\n"
    )


def test_words_that_name_an_event_are_not_sent_for_embedding(db, server):
    embedder = Embedder(EmbeddingConfig(model="scripted-embeddings", base_url=server.url))
    with Store(db) as store:
        assert pick(store.db, "Corran summit", embedder=embedder).ref.kind == "event"
        assert pick(store.db, "Tova Lind", embedder=embedder).ref.name == "Tova Lind"
    assert server.requests == []
