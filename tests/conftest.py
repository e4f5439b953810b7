"""Shared fixtures: a clean environment for every test, and the scripted OpenAI server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from stance.store.db import Store
from testkit.fakeserver import FakeOpenAIServer


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's model settings or API key."""
    for name in list(os.environ):
        if name.startswith("STANCE_") or name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
            monkeypatch.delenv(name)


@pytest.fixture
def fake_server() -> Iterator[FakeOpenAIServer]:
    """A started scripted chat-completions server on 127.0.0.1 (see tests/fakeserver.py)."""
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture(autouse=True)
def stored_claims_keep_their_evidence(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The evidence invariant, over every database a test opened in this process: for every
    claim not rejected, documents.text[start:end] is its quote."""
    opened: list[str] = []
    open_store = Store.__init__

    def tracking_open(self: Store, path: str | Path = "stance.db", **options: bool) -> None:
        open_store(self, path, **options)
        opened.append(self.path)

    monkeypatch.setattr(Store, "__init__", tracking_open)
    yield
    for path in dict.fromkeys(opened):
        if path != ":memory:" and Path(path).is_file():
            with Store(path) as store:
                assert list(store.integrity_problems()) == [], path
