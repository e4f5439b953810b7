"""Embeddings from an OpenAI-compatible server's `/v1/embeddings`: matching by meaning.

Optional and off by default: with no embedding model configured nothing here runs and every
query is matched offline, by names, dates, places and people. With one (`--embedding-model`
or `STANCE_EMBEDDING_MODEL`; the server from `--base-url` or `OPENAI_BASE_URL`, the key from
`OPENAI_API_KEY`, as for the extraction model), a query that names no known event by its
words can still find the event whose names mean the same ("the leaders' gathering by the
lake" / "Lakeside summit"). The key travels in a header and is never written to the
database, a log or an error message.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from stance.core.errors import ModelError
from stance.extraction.config import NO_API_KEY, redact_key

if TYPE_CHECKING:
    import openai

BATCH = 128  # texts per request


@dataclass(frozen=True)
class EmbeddingConfig:
    """What chooses the embedding model and its server. Flags win over the environment."""

    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never printed
    timeout: float = 60.0  # seconds for one request

    def with_env(self) -> EmbeddingConfig:
        """Fill what was not given from STANCE_EMBEDDING_MODEL, OPENAI_BASE_URL and
        OPENAI_API_KEY."""
        return replace(
            self,
            model=self.model or os.environ.get("STANCE_EMBEDDING_MODEL") or None,
            base_url=self.base_url or os.environ.get("OPENAI_BASE_URL") or None,
            api_key=self.api_key or os.environ.get("OPENAI_API_KEY") or None,
        )


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two vectors (0 when either is all zeros)."""
    dot = math.fsum(x * y for x, y in zip(a, b, strict=False))
    norm = math.sqrt(math.fsum(x * x for x in a)) * math.sqrt(math.fsum(y * y for y in b))
    return dot / norm if norm else 0.0


class Embedder:
    """A client of one embedding model on one server."""

    def __init__(self, config: EmbeddingConfig) -> None:
        if not config.model:
            raise ModelError("no embedding model configured: pass --embedding-model")
        self.model = config.model
        self._api_key = config.api_key or NO_API_KEY
        # Late: openai takes about a second to import, and only a query with a model needs it.
        import openai

        self._client = openai.OpenAI(
            base_url=config.base_url, api_key=self._api_key, max_retries=1, timeout=config.timeout
        )
        self.timeout = config.timeout
        parts = urlsplit(str(self._client.base_url))
        self.server_url = (
            f"{parts.scheme}://{parts.hostname}"
            + (f":{parts.port}" if parts.port else "")
            + parts.path.rstrip("/")
        )

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, in order."""
        import openai

        vectors: list[list[float]] = []
        for start in range(0, len(texts), BATCH):
            chunk = list(texts[start : start + BATCH])
            try:
                answer = self._client.embeddings.create(model=self.model, input=chunk)
            except openai.APIError as error:
                raise self._error(error) from None
            data = sorted(answer.data, key=lambda d: d.index)
            if len(data) != len(chunk) or any(not d.embedding for d in data):
                raise ModelError(
                    f"the embedding server at {self.server_url} answered {len(data)} vectors "
                    f"for {len(chunk)} texts: check --embedding-model"
                )
            vectors += [list(d.embedding) for d in data]
        return vectors

    def _error(self, error: openai.APIError) -> ModelError:
        """One line that says what failed and what to do. Never the API key."""
        import openai

        url = self.server_url
        if isinstance(error, openai.APITimeoutError):
            message = f"the embedding server at {url} did not answer within {self.timeout:g} s"
        elif isinstance(error, openai.APIConnectionError):
            message = (
                f"cannot reach the embedding server at {url}: is it running? check "
                "--base-url/OPENAI_BASE_URL, or leave out --embedding-model to match offline"
            )
        elif isinstance(error, openai.APIStatusError) and error.status_code in (401, 403):
            # The server's own message is left out: it may echo part of the key.
            message = (
                f"the embedding server at {url} refused the API key (HTTP {error.status_code}): "
                "check OPENAI_API_KEY"
            )
        elif isinstance(error, openai.APIStatusError):
            message = (
                f"the embedding server at {url} failed with HTTP {error.status_code} for model "
                f"'{self.model}': check --embedding-model and --base-url"
            )
        else:
            message = f"the embedding server at {url} sent an answer that cannot be read"
        return ModelError(redact_key(message, self._api_key))


def make_embedder(config: EmbeddingConfig) -> Embedder | None:
    """The embedder the configuration asks for (flags, then the environment), or None:
    matching by meaning is off unless an embedding model is named."""
    config = config.with_env()
    return Embedder(config) if config.model else None
