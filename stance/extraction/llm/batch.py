"""Batch as a provider of its own: the LLM extractor's requests written as an OpenAI Batch API
file, and the results read back.

The same file serves every batch engine that reads OpenAI's format: the Batch API itself
(`BatchClient`: upload to /v1/files, create at /v1/batches, poll, download), `vllm run-batch`,
or another provider's batch tool (`stance batch export` / `stance batch import`).

- `request_lines(extractor, document_id, text, published)`: one request line per chunk,
  `{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body"}`, the body exactly
  the first request the live path sends for that chunk (`LLMExtractor.chat_request`), so
  the run key (model, prompt hash, schema hash) and the cache are the live path's.
- `request_line(chunk, body)`: one such line, for any request (a re-ask's, in a follow-up
  batch: `LLMExtractor.check_answers(..., reasks="batch")` gives the bodies).
- `parse_result_line(line)`: one line of an output or error file, as a `BatchAnswer`: which
  document and chunk it answers, and the chat completion or the error. Anything else is a
  `ValueError` saying what is wrong with the line.

Checking the answers (cleaning, bounding, schema, grounding) is the extractor's own
(`LLMExtractor.check_answers`); storing them is the ingestion layer's (`stance.ingestion.batch`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

import openai
from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from stance.core.errors import ModelError
from stance.extraction.chunk import split_text
from stance.extraction.llm.extractor import LLMExtractor

ENDPOINT: Final = "/v1/chat/completions"
COMPLETION_WINDOW: Final = "24h"
# "doc-<sha256 of the text>-chunk-<index>-of-<count>": readable, and all a result needs to
# find its document and its place in it; a re-ask (in a follow-up batch) adds
# "-attempt-<n>", n from 2.
_CUSTOM_ID = re.compile(r"^doc-([0-9a-f]{64})-chunk-(\d+)-of-(\d+)(?:-attempt-(\d+))?$")
# Batch states after which nothing more will happen (OpenAI's names).
FINAL_STATES = frozenset({"completed", "failed", "expired", "cancelled"})


@dataclass(frozen=True)
class ChunkId:
    """Which chunk of which document a request asks about."""

    document_id: str
    index: int
    count: int
    attempt: int = 1  # 2 and on: a re-ask, in a follow-up batch

    @property
    def custom_id(self) -> str:
        first = f"doc-{self.document_id}-chunk-{self.index}-of-{self.count}"
        return first if self.attempt == 1 else f"{first}-attempt-{self.attempt}"

    @classmethod
    def parse(cls, custom_id: object) -> ChunkId:
        match = _CUSTOM_ID.match(custom_id) if isinstance(custom_id, str) else None
        if match is None:
            raise ValueError(
                f"custom_id {str(custom_id)[:80]!r} is not one stance wrote "
                "(doc-<sha256>-chunk-<i>-of-<n>)"
            )
        index, count = int(match.group(2)), int(match.group(3))
        if not 0 <= index < count:
            raise ValueError(f"custom_id {custom_id!r} names chunk {index} of {count}")
        attempt = int(match.group(4) or 1)
        if attempt < 1:
            raise ValueError(f"custom_id {custom_id!r} names attempt {attempt}")
        return cls(match.group(1), index, count, attempt)


def request_lines(
    extractor: LLMExtractor, document_id: str, text: str, published: str | None = None
) -> list[dict[str, Any]]:
    """The batch request lines for one document, one per chunk."""
    chunks = split_text(text, extractor.chunk_chars)
    return [
        request_line(
            ChunkId(document_id, index, len(chunks)),
            extractor.chat_request(chunk.text, published=published),
        )
        for index, chunk in enumerate(chunks)
    ]


def request_line(chunk: ChunkId, body: dict[str, Any]) -> dict[str, Any]:
    """One line of a request file: the chat-completions request `body` about `chunk`."""
    return {"custom_id": chunk.custom_id, "method": "POST", "url": ENDPOINT, "body": body}


@dataclass(frozen=True)
class BatchAnswer:
    """One result line: the chunk it answers, and the completion or why there is none."""

    chunk: ChunkId
    completion: ChatCompletion | None
    error: str | None = None


def _error_text(error: object) -> str:
    if isinstance(error, dict):
        inner = error.get("error") if isinstance(error.get("error"), dict) else error
        message = inner.get("message") if isinstance(inner, dict) else None
        code = inner.get("code") if isinstance(inner, dict) else None
        if message or code:
            return " ".join(str(part) for part in (code and f"[{code}]", message) if part)
    return " ".join(str(error).split())[:200]


def parse_result_line(line: str) -> BatchAnswer:
    """One line of a batch output or error file; ValueError says what is wrong with it."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON (column {error.colno}: {error.msg})") from None
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    chunk = ChunkId.parse(record.get("custom_id"))
    if record.get("error"):
        return BatchAnswer(chunk, None, _error_text(record["error"]))
    response = record.get("response")
    if not isinstance(response, dict):
        raise ValueError("no response and no error")
    status = response.get("status_code", 200)
    body = response.get("body")
    if status != 200:
        return BatchAnswer(chunk, None, f"HTTP {status}: {_error_text(body)}")
    if isinstance(body, str):  # some tools store the body as a JSON string
        try:
            body = json.loads(body)
        except ValueError:
            raise ValueError("the response body is not JSON") from None
    try:
        completion = ChatCompletion.model_validate(body)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ValueError(
            f"the response body is not a chat completion ({where}: {first['msg']})"
        ) from None
    return BatchAnswer(chunk, completion)


# --- The Batch API ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchState:
    """What the server says of a batch."""

    id: str
    status: str
    input_file_id: str | None
    output_file_id: str | None
    error_file_id: str | None
    total: int | None
    completed: int | None
    failed: int | None
    errors: str | None  # why the batch itself failed (validation of the input file)

    @property
    def final(self) -> bool:
        return self.status in FINAL_STATES


class BatchClient:
    """The server's /v1/files and /v1/batches, through the extractor's openai client (same base
    URL and key, which never leaves it)."""

    def __init__(self, extractor: LLMExtractor) -> None:
        self.extractor = extractor
        self.client: openai.OpenAI = extractor.client

    def _fail(self, what: str, error: openai.APIError) -> ModelError:
        status = getattr(error, "status_code", None)
        detail = f"HTTP {status}" if status else type(error).__name__
        return ModelError(
            f"the server at {self.extractor.server_url} could not {what} ({detail}): check "
            "--base-url/OPENAI_BASE_URL, and that the server offers the Batch API"
        )

    def upload(self, name: str, content: bytes) -> str:
        """Upload a request file; its file id."""
        try:
            created = self.client.files.create(file=(name, content), purpose="batch")
        except openai.APIError as error:
            failure = self._fail("take the request file (/v1/files)", error)
        else:
            return created.id
        raise failure

    def create(self, input_file_id: str, metadata: dict[str, str]) -> BatchState:
        try:
            batch = self.client.batches.create(
                input_file_id=input_file_id,
                endpoint=ENDPOINT,
                completion_window=COMPLETION_WINDOW,
                metadata=metadata,
            )
        except openai.APIError as error:
            failure = self._fail("create the batch (/v1/batches)", error)
        else:
            return _state(batch)
        raise failure

    def retrieve(self, batch_id: str) -> BatchState:
        try:
            batch = self.client.batches.retrieve(batch_id)
        except openai.APIError as error:
            failure = self._fail(f"say how batch {batch_id} is doing", error)
        else:
            return _state(batch)
        raise failure

    def cancel(self, batch_id: str) -> BatchState:
        try:
            batch = self.client.batches.cancel(batch_id)
        except openai.APIError as error:
            failure = self._fail(f"cancel batch {batch_id}", error)
        else:
            return _state(batch)
        raise failure

    def lines(self, file_id: str) -> Iterator[str]:
        """The lines of an output or error file."""
        try:
            content = self.client.files.content(file_id)
            text = content.text
        except openai.APIError as error:
            failure = self._fail(f"send file {file_id}", error)
        else:
            return iter(text.splitlines())
        raise failure


def _state(batch: Any) -> BatchState:
    counts = getattr(batch, "request_counts", None)
    errors = getattr(batch, "errors", None)
    messages = [
        getattr(item, "message", None) or str(item)
        for item in (getattr(errors, "data", None) or [])
    ]
    return BatchState(
        id=batch.id,
        status=batch.status,
        input_file_id=batch.input_file_id,
        output_file_id=batch.output_file_id,
        error_file_id=batch.error_file_id,
        total=getattr(counts, "total", None),
        completed=getattr(counts, "completed", None),
        failed=getattr(counts, "failed", None),
        errors="; ".join(messages) or None,
    )
