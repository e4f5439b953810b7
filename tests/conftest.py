"""Shared fixtures: a clean environment for every test, and the scripted OpenAI server."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.fakeserver import FakeOpenAIServer


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
