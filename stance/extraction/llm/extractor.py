"""The LLM extractor: any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp) through
instructor.

For each chunk of a text (see `stance.extraction.chunk`), one instructor call:

1. The request goes out through `_send`, which retries transport failures (429 honouring
   Retry-After, 5xx, timeouts, connection errors) with tenacity, bounded by
   `max_attempts` per request and `max_wait` seconds of waiting; then a `ModelError`. Other
   refusals (400, 401, 403, 404) are a `ModelError` at once. Every request of one extractor
   passes one `RateGate`: a 429 pauses them all (the whole pool slows down, not just the
   request refused), and retries and waiting are bounded and counted for the whole run too.
   Reasoning (`<think>...</think>`) is cut from the answer's content, and the answer is
   bounded (`stance.extraction.check.bound_answer`: so many claims, so many characters a field),
   before instructor parses it.
2. Instructor parses the answer into `CheckedExtractionResult`, whose validator checks every
   claim against the source: the quote must be in the chunk (`stance.extraction.ground.align`), the
   speaker must be a name the document gives (`stance.extraction.speakers.speaker_problem`). A
   failure goes back to the model as a re-ask, at most `max_reasks` times.
3. When the re-asks run out, the last answer that fits the schema is kept anyway:
   `check_claims` then marks its bad claims `rejected` with the reason. Nothing is dropped.

Token usage and HTTP requests (re-asks and transport retries included) are summed into the
`Extraction`, and what bounding cut into its `notes`. The API key never appears in an error
message.
"""

from __future__ import annotations

import json
import logging
import os
import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, model_validator
from tenacity import Retrying, retry_if_exception

from stance.core.errors import ModelError, UsageError
from stance.core.models import ExtractedClaim, Extraction, ExtractionResult, schema_sha
from stance.extraction.check import Excess, bound_answer, check_claims, quote_too_long
from stance.extraction.chunk import DEFAULT_CHUNK_CHARS, Chunk, merge_edge_duplicates, split_text
from stance.extraction.config import MODES, ExtractorConfig
from stance.extraction.ground import NormalizedText, align
from stance.extraction.llm.prompts import PromptSet, load_prompts
from stance.extraction.llm.transport import (
    GatePaused,
    RateGate,
    TransportBudget,
    TransportStats,
    is_transient,
    log_retry,
)
from stance.extraction.speakers import speaker_problem

logger = logging.getLogger(__name__)
# instructor logs at ERROR level every failure it hands back to us (which we turn into one
# clear ModelError, or recover from). Without a handler of its own, Python's last-resort
# handler would print those lines to stderr; applications that configure logging still get
# them.
logging.getLogger("instructor").addHandler(logging.NullHandler())

DEFAULT_BASE_URL = "https://api.openai.com/v1"
NO_API_KEY = "not-needed"  # local servers (Ollama, vLLM, llama.cpp) take any key
INSTRUCTOR_MODES: dict[str, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}
SOURCE_KEY = "stance_source"  # key of a SourceText in a pydantic validation context
MAX_PROBLEMS_SHOWN = 20  # problems listed in one re-ask; the rest are counted
# A raw answer that is not JSON is useless past this many characters; a re-ask would only
# send it back to the server.
MAX_UNPARSED_ANSWER_CHARS = 20_000


# --- Checking an answer against the source ---------------------------------------------------


@dataclass(frozen=True)
class SourceText:
    """What an answer is checked against: the chunk the model saw, and the whole document."""

    chunk: str
    document: str
    chunk_normalized: NormalizedText
    document_normalized: NormalizedText

    @classmethod
    def of(cls, document: str) -> SourceText:
        """The whole document as what the model saw."""
        normalized = NormalizedText.of(document)
        return cls(document, document, normalized, normalized)

    def narrowed_to(self, chunk: str) -> SourceText:
        """A chunk of this document as what the model saw."""
        return SourceText(chunk, self.document, NormalizedText.of(chunk), self.document_normalized)


# Instructor renders every message as a Jinja template whenever a validation `context` is
# passed: an article containing "{#" or "{{ x }}" would crash or change. So the extractor
# hands the source to the validator through this variable instead (it is per thread and per
# task). Code calling pydantic directly can still pass context={SOURCE_KEY: SourceText}.
_current_source: ContextVar[SourceText | None] = ContextVar("stance_llm_source", default=None)


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def source_problems(claims: list[ExtractedClaim], source: SourceText) -> list[str]:
    """What is wrong with each claim against the source, as feedback for the model."""
    problems = []
    for index, claim in enumerate(claims):
        if too_long := quote_too_long(claim.quote):
            problems.append(f"claims[{index}].quote: {too_long}")
            continue
        found = align(claim.quote, source.chunk, normalized=source.chunk_normalized)
        if found.status == "rejected":
            problems.append(
                f"claims[{index}].quote {_clip(claim.quote)!r}: {found.reason}; copy the quote "
                "character for character from the text"
            )
        # Speakers are checked against the whole document: a chunk may name someone only by
        # role when the name came in an earlier chunk.
        problem = speaker_problem(claim.speaker, source.document, source.document_normalized)
        if problem:
            problems.append(f"claims[{index}].speaker: {problem}")
    return problems


class CheckedExtractionResult(ExtractionResult):
    # Not a docstring: the docstring is the schema's description, and the JSON schema (the
    # tool the model sees) must stay identical to ExtractionResult's. A test holds them equal.
    __doc__ = ExtractionResult.__doc__
    model_config = ConfigDict(title="ExtractionResult")

    @model_validator(mode="after")
    def _check_against_source(self, info: ValidationInfo) -> CheckedExtractionResult:
        source = (info.context or {}).get(SOURCE_KEY) or _current_source.get()
        if source is not None:
            problems = source_problems(self.claims, source)
            if len(problems) > MAX_PROBLEMS_SHOWN:
                more = len(problems) - MAX_PROBLEMS_SHOWN
                problems = [*problems[:MAX_PROBLEMS_SHOWN], f"... and {more} more problems"]
            if problems:
                raise ValueError("the answer does not fit the text:\n" + "\n".join(problems))
        return self


# --- Cleaning answers ----------------------------------------------------------------------------

_REASONING_BLOCK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.S | re.I)
# Some servers drop the opening tag and send "reasoning...</think>answer".
_REASONING_PREFIX = re.compile(r"^.*</(?:think|thinking|reasoning)>", re.S | re.I)
_FENCE = re.compile(r"^```[a-zA-Z]*\s*(.*?)\s*```$", re.S)


def strip_reasoning(content: str) -> str:
    """The content without the reasoning some models write before their answer."""
    if "</" not in content:
        return content
    return _REASONING_PREFIX.sub("", _REASONING_BLOCK.sub("", content)).strip()


def _clean_answer(completion: ChatCompletion, mode: str) -> None:
    """Cut reasoning (and, in json mode, a code fence) from the content, before parsing."""
    for choice in completion.choices:
        content = choice.message.content
        if not content:
            continue
        content = strip_reasoning(content)
        if mode == "json" and (fenced := _FENCE.match(content.strip())):
            content = fenced.group(1)
        choice.message.content = content


def _json_span(raw: str) -> str:
    start, end = raw.find("{"), raw.rfind("}")
    return raw[start : end + 1] if 0 <= start < end else raw


def _claims_without_checks(completion: Any, mode: str) -> list[ExtractedClaim] | None:
    """The claims of an answer that fits the schema, unchecked; None when it does not fit."""
    try:
        message = completion.choices[0].message
        calls = (message.tool_calls or []) if mode == "tools" else []
        raw = calls[0].function.arguments if calls else message.content or ""
        return list(ExtractionResult.model_validate_json(_json_span(raw)).claims)
    except (ValidationError, ValueError, AttributeError, IndexError, TypeError):
        return None


def _bound_answer(completion: ChatCompletion, mode: str, text_chars: int) -> Excess:
    """Bound the answer in place before instructor parses it, so that a re-ask (which sends
    the answer back) and everything after see only the bounded answer."""
    if not completion.choices:
        return Excess()
    message = completion.choices[0].message
    calls = (message.tool_calls or []) if mode == "tools" else []
    call = calls[0] if calls else None
    function = getattr(call, "function", None)
    raw = function.arguments if function is not None else message.content
    if not raw:
        return Excess()
    try:
        answer = json.loads(_json_span(raw))
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        answer = None
    if answer is None:
        if len(raw) <= MAX_UNPARSED_ANSWER_CHARS:
            return Excess()
        bounded, excess = raw[:MAX_UNPARSED_ANSWER_CHARS], Excess(fields=1)
    else:
        excess = bound_answer(answer, text_chars)
        if not excess:
            return excess
        bounded = json.dumps(answer, ensure_ascii=False)
        if mode == "md_json":
            bounded = f"```json\n{bounded}\n```"
    if function is not None:
        function.arguments = bounded
    else:
        message.content = bounded
    return excess


@dataclass
class _Tally:
    """What one extraction spent: HTTP requests and tokens, re-asks and retries included."""

    requests: int = 0
    input_tokens: int | None = None
    output_tokens: int | None = None
    excess: Excess = field(default_factory=Excess)  # cut from the answers kept
    last_excess: Excess = field(default_factory=Excess)  # cut from the latest answer

    def keep_last_answer(self) -> None:
        """The latest answer is the one kept for its chunk: count what was cut from it."""
        self.excess.add(self.last_excess)
        self.last_excess = Excess()

    def add_usage(self, completion: ChatCompletion) -> None:
        usage = completion.usage
        if usage is None:
            return
        self.input_tokens = (self.input_tokens or 0) + (usage.prompt_tokens or 0)
        self.output_tokens = (self.output_tokens or 0) + (usage.completion_tokens or 0)


@dataclass(frozen=True)
class Usage:
    """What one question to the model cost."""

    requests: int
    input_tokens: int | None
    output_tokens: int | None


AnswerT = TypeVar("AnswerT", bound=BaseModel)


def ask(
    config: ExtractorConfig, response_model: type[AnswerT], messages: list[dict[str, str]]
) -> tuple[AnswerT, Usage]:
    """Ask the configured model one structured question: (the answer, what it cost)."""
    return LLMExtractor(config).ask(response_model, messages)


def _display_url(url: str) -> str:
    """The server URL for messages: no user:password@ part, no query, no trailing slash."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host  # IPv6
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


# --- The extractor -------------------------------------------------------------------------------


_PLACEHOLDER = "\x00stance: the chunk's user message\x00"


class _Captured(Exception):
    """A request built for a batch file, not sent."""


class LLMExtractor:
    """Claims from a model behind an OpenAI-compatible chat-completions server."""

    backend = "llm"

    def __init__(
        self,
        config: ExtractorConfig,
        *,
        chunk_chars: int = DEFAULT_CHUNK_CHARS,
        prompts: PromptSet | None = None,
        gate: RateGate | None = None,
    ) -> None:
        if not config.model:
            raise UsageError("the llm backend needs a model: pass --model NAME or set STANCE_MODEL")
        mode = config.mode or "tools"
        if mode not in MODES:
            raise UsageError(f"unknown mode '{mode}': use one of {', '.join(MODES)}")
        self.model: str = config.model
        self.mode: str = mode
        self.chunk_chars = chunk_chars
        self.timeout = config.timeout
        self.max_attempts = config.max_attempts
        self.max_wait = config.max_wait
        self.max_reasks = config.max_reasks
        self.gate = gate or RateGate()
        self._prompts = prompts or load_prompts()
        base_url = config.base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
        self._api_key = config.api_key or os.environ.get("OPENAI_API_KEY") or NO_API_KEY
        # Retries are ours (tenacity, bounded in time): the client must not add its own.
        self._client = openai.OpenAI(
            base_url=base_url, api_key=self._api_key, max_retries=0, timeout=config.timeout
        )
        self.server_url = _display_url(str(self._client.base_url))
        # The client imports its chat resources on first use, under a lock: done here once,
        # not by every worker thread queueing at the first request.
        _ = self._client.chat.completions

    @property
    def prompt_sha(self) -> str:
        return self._prompts.sha(self.mode)

    @property
    def transport_stats(self) -> TransportStats:
        """Requests, retries, 429s and waiting of every extraction so far."""
        return self.gate.stats()

    def extract(self, text: str, *, published: str | None = None) -> Extraction:
        """Extract and check the claims of one text (chunked when it is long)."""
        tally = _Tally()
        claims = []
        if text.strip():
            client = self._instructor(tally)
            chunks = split_text(text, self.chunk_chars)
            whole = SourceText.of(text)
            per_chunk = []
            for chunk in chunks:
                source = whole if len(chunks) == 1 else whole.narrowed_to(chunk.text)
                answer = self._ask(client, source, published)
                tally.keep_last_answer()
                pairs = [(claim, self._hint(claim, chunk, source)) for claim in answer]
                # The document is normalised once, not once per chunk.
                per_chunk.append(check_claims(text, pairs, normalized=whole.document_normalized))
            claims = merge_edge_duplicates(per_chunk)
        return Extraction(
            claims=claims,
            backend=self.backend,
            model=self.model,
            prompt_sha=self.prompt_sha,
            schema_sha=schema_sha(),
            input_tokens=tally.input_tokens,
            output_tokens=tally.output_tokens,
            requests=tally.requests,
            notes=tally.excess.note(),
        )

    # -- one structured question --

    def ask(
        self, response_model: type[AnswerT], messages: list[dict[str, str]]
    ) -> tuple[AnswerT, Usage]:
        """Ask the model one question whose answer is `response_model`; with what it cost.

        Same transport as extraction (retries, rate limits, messages without the key); a
        model that gives no valid answer within the re-asks raises `ModelError`.
        """
        tally = _Tally()
        client = self._instructor(tally)
        failure: InstructorRetryException | None = None
        try:
            answer = client.create(
                response_model=response_model,
                messages=messages,  # type: ignore[arg-type]
                max_retries=self.max_reasks,
                strict=False,
                model=self.model,
            )
        except InstructorRetryException as error:
            failure = error
        usage = Usage(tally.requests, tally.input_tokens, tally.output_tokens)
        if failure is None:
            return answer, usage
        if isinstance(failure.__cause__, ModelError):
            raise failure.__cause__
        raise ModelError(
            f"model '{self.model}' at {self.server_url} gave no usable "
            f"{response_model.__name__} answer in {failure.n_attempts} attempts: try a larger "
            "model or another --mode"
        )

    # -- one chunk --

    def _instructor(self, tally: _Tally) -> instructor.Instructor:
        """An instructor client whose requests go through `_send`, counted in `tally`."""

        def send(**request: Any) -> ChatCompletion:
            return self._send(tally, request)

        mode = INSTRUCTOR_MODES[self.mode]
        return instructor.Instructor(
            client=self._client, create=instructor.patch(create=send, mode=mode), mode=mode
        )

    def _ask(
        self, client: instructor.Instructor, source: SourceText, published: str | None
    ) -> list[ExtractedClaim]:
        messages = self._prompts.messages(source.chunk, published=published)
        failed: InstructorRetryException | IncompleteOutputException
        token = _current_source.set(source)
        try:
            result = client.create(
                response_model=CheckedExtractionResult,
                messages=messages,  # type: ignore[arg-type]
                max_retries=self.max_reasks,
                strict=False,  # JSON types as pydantic coerces them: local models vary
                model=self.model,
            )
            return list(result.claims)
        except (InstructorRetryException, IncompleteOutputException) as error:
            failed = error
        finally:
            _current_source.reset(token)
        # Errors are raised out here, not in the except block, so that no exception holding
        # the server's or the model's text (which might quote a key) is chained to them.
        if isinstance(failed, IncompleteOutputException):
            raise ModelError(
                f"the answer of model '{self.model}' at {self.server_url} was cut off at its "
                f"output limit on a {len(source.chunk):,}-character text: use a model with a "
                "larger output limit"
            )
        if isinstance(failed.__cause__, ModelError):
            raise failed.__cause__
        return self._last_answer(failed)

    def _last_answer(self, error: InstructorRetryException) -> list[ExtractedClaim]:
        """After the re-asks ran out: the claims of the latest answer that fits the schema."""
        for failed in reversed(error.failed_attempts or []):
            claims = _claims_without_checks(failed.completion, self.mode)
            if claims is not None:
                logger.info("re-asks ran out: keeping the last answer, bad claims are rejected")
                return claims
        last = error.failed_attempts[-1].exception if error.failed_attempts else error.__cause__
        problem = _clip(str(last).strip().splitlines()[0] if str(last).strip() else repr(last))
        raise ModelError(
            self._redact(
                f"model '{self.model}' at {self.server_url} gave no answer that fits the "
                f"extraction schema in {error.n_attempts} attempts ({problem}): try a larger "
                "model or another --mode"
            )
        )

    @staticmethod
    def _hint(claim: ExtractedClaim, chunk: Chunk, source: SourceText) -> int:
        """Where in the document to look for the quote first: where it is in its chunk."""
        if quote_too_long(claim.quote):
            return chunk.start
        found = align(claim.quote, source.chunk, normalized=source.chunk_normalized)
        return chunk.start + (found.start or 0)

    # -- answers that came back another way (batch files): same request, same checks --

    @property
    def client(self) -> openai.OpenAI:
        """The openai client (for the Batch API's files and batches): the key stays in it."""
        return self._client

    def chat_request(self, chunk: str, *, published: str | None = None) -> dict[str, Any]:
        """The body of the first request the live path sends for one chunk, exactly: built by
        instructor as `_ask` builds it, captured instead of sent.

        Instructor takes some 50 ms a request to build the schema, so the body is captured
        once around a placeholder user message, and each chunk's own message put in its
        place; when instructor changed the user message, every request is built in full.
        """
        messages = self._prompts.messages(chunk, published=published)
        frame = self.__dict__.get("_request_frame")
        if frame is None:
            frame = self._capture_request([messages[0], {"role": "user", "content": _PLACEHOLDER}])
            sent = frame.get("messages", [])
            usable = len(sent) == 2 and sent[1] == {"role": "user", "content": _PLACEHOLDER}
            self.__dict__["_request_frame"] = frame = frame if usable else {}
        if not frame or frame["messages"][0]["content"] is None:
            return self._capture_request(messages)
        system = frame["messages"][0]
        if not system["content"].startswith(messages[0]["content"]):
            return self._capture_request(messages)
        return {**frame, "messages": [dict(system), dict(messages[1])]}

    def _capture_request(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        captured: dict[str, Any] = {}

        def capture(**request: Any) -> ChatCompletion:
            captured.update(request)
            raise _Captured

        mode = INSTRUCTOR_MODES[self.mode]
        client = instructor.Instructor(
            client=self._client, create=instructor.patch(create=capture, mode=mode), mode=mode
        )
        try:
            client.create(
                response_model=CheckedExtractionResult,
                messages=messages,  # type: ignore[arg-type]
                max_retries=0,
                strict=False,
                model=self.model,
            )
        except (InstructorRetryException, _Captured):
            pass
        if not captured:
            raise ModelError("instructor built no request for the extraction schema")
        return captured

    def check_answers(self, text: str, answers: list[ChatCompletion]) -> Extraction:
        """Claims from one answer per chunk of `text` (in `split_text` order), through the
        cleaning, bounding, schema validation and grounding of the live path. No re-asks:
        claims that fail the source checks are kept as rejected, as when re-asks run out; an
        answer that does not fit the schema, or was cut off, is a `ModelError`."""
        chunks = split_text(text, self.chunk_chars) if text.strip() else []
        if len(answers) != len(chunks):
            raise ModelError(f"{len(answers)} answers for a text of {len(chunks)} chunks")
        tally = _Tally()
        whole = SourceText.of(text)
        per_chunk = []
        for chunk, completion in zip(chunks, answers, strict=True):
            tally.requests += 1
            tally.add_usage(completion)
            if completion.choices and completion.choices[0].finish_reason == "length":
                raise ModelError(
                    f"the answer of model '{self.model}' was cut off at its output limit on a "
                    f"{len(chunk.text):,}-character text: use a model with a larger output limit"
                )
            _clean_answer(completion, self.mode)
            tally.excess.add(_bound_answer(completion, self.mode, len(chunk.text)))
            answer = _claims_without_checks(completion, self.mode)
            if answer is None:
                raise ModelError(
                    f"the answer of model '{self.model}' does not fit the extraction schema"
                )
            source = whole if len(chunks) == 1 else whole.narrowed_to(chunk.text)
            pairs = [(claim, self._hint(claim, chunk, source)) for claim in answer]
            per_chunk.append(check_claims(text, pairs, normalized=whole.document_normalized))
        return Extraction(
            claims=merge_edge_duplicates(per_chunk),
            backend=self.backend,
            model=self.model,
            prompt_sha=self.prompt_sha,
            schema_sha=schema_sha(),
            input_tokens=tally.input_tokens,
            output_tokens=tally.output_tokens,
            requests=tally.requests,
            notes=tally.excess.note(),
        )

    # -- one HTTP request --

    def _send(self, tally: _Tally, request: dict[str, Any]) -> ChatCompletion:
        """POST one chat completion through the gate, retrying transport failures within the
        request's budget and the run's."""
        budget = TransportBudget(self.max_attempts, self.max_wait, self.gate)

        def post() -> ChatCompletion:
            budget.before_attempt()
            budget.attempts += 1
            tally.requests += 1
            self.gate.count_request()
            try:
                return self._client.chat.completions.create(**request)
            except openai.APIStatusError as error:
                if error.status_code == 429:
                    self.gate.count_rate_limited()
                raise

        retrying = Retrying(
            retry=retry_if_exception(is_transient),
            wait=budget.wait,
            stop=budget.stop,
            sleep=budget.sleep,
            before_sleep=log_retry,
            reraise=True,
        )
        failure: ModelError
        try:
            completion: ChatCompletion = retrying(post)
        except openai.APIError as error:
            failure = self._transport_error(error, budget)
        except GatePaused as paused:
            failure = ModelError(
                f"the model server at {self.server_url} is rate limiting: every request waits "
                f"{paused.seconds:.0f} s more, beyond the {budget.max_wait:g} s allowed: "
                "retry later, or lower --concurrency"
            )
        else:
            tally.add_usage(completion)
            _clean_answer(completion, self.mode)
            source = _current_source.get()
            text_chars = len(source.chunk) if source is not None else self.chunk_chars
            tally.last_excess = _bound_answer(completion, self.mode, text_chars)
            return completion
        # Raised outside the except block: the openai error quotes the server's answer, which
        # must not travel along as the context of ours.
        raise failure

    def _transport_error(self, error: openai.APIError, budget: TransportBudget) -> ModelError:
        """One line that says what failed and what to do. Never the API key."""
        url, attempts = self.server_url, budget.attempts
        tries = f"{attempts} attempt" + ("s" if attempts != 1 else "")
        if isinstance(error, openai.APITimeoutError):
            message = (
                f"the model server at {url} did not answer within {self.timeout:g} s "
                f"({tries}): is it overloaded or still loading the model? retry later"
            )
        elif isinstance(error, openai.APIConnectionError):
            message = (
                f"cannot reach the model server at {url}: is it running? "
                "check --base-url/OPENAI_BASE_URL"
            )
        elif isinstance(error, openai.APIStatusError):
            message = self._status_message(error, budget, tries)
        else:
            message = f"the model server at {url} sent an answer that cannot be read"
        return ModelError(self._redact(message))

    def _status_message(
        self, error: openai.APIStatusError, budget: TransportBudget, tries: str
    ) -> str:
        url, status = self.server_url, error.status_code
        detail = _server_detail(error)
        if budget.run_budget_spent and is_transient(error):
            spent = self.gate.stats()
            return (
                f"the model server at {url} failed with HTTP {status} and this run's retry "
                f"budget is spent ({spent.retries} retries, {spent.waited:.0f} s waited): "
                "retry later, or lower --concurrency"
            )
        if budget.refused_wait is not None:
            return (
                f"the model server at {url} answered HTTP {status} and asks to wait "
                f"{budget.refused_wait:g} s, more than the {budget.max_wait:g} s allowed: "
                "retry later"
            )
        if status == 429:
            return (
                f"the model server at {url} is still rate limiting (HTTP 429) after {tries}: "
                "retry later, or lower --concurrency"
            )
        if is_transient(error):
            return (
                f"the model server at {url} failed with HTTP {status} ({tries}"
                f"{': ' + detail if detail else ''}): check the server, then retry"
            )
        if status == 404:
            if "model" in detail.lower() or error.code == "model_not_found":
                return (
                    f"the server at {url} does not know model '{self.model}': check --model "
                    f"(GET {url}/models lists the models it serves)"
                )
            return (
                f"the server at {url} has no chat completions endpoint (HTTP 404): check "
                "--base-url/OPENAI_BASE_URL (it usually ends in /v1)"
            )
        if status in (401, 403):
            # The server's own message is left out: it may echo part of the key.
            return f"the server at {url} refused the API key (HTTP {status}): check OPENAI_API_KEY"
        advice = (
            "if the model cannot call tools, try --mode json or --mode md_json"
            if self.mode == "tools"
            else "check --model and --mode"
        )
        return (
            f"the server at {url} rejected the request for model '{self.model}' "
            f"(HTTP {status}{': ' + detail if detail else ''}): {advice}"
        )

    def _redact(self, message: str) -> str:
        if self._api_key and self._api_key != NO_API_KEY and len(self._api_key) >= 4:
            message = message.replace(self._api_key, "***")
        return message


def _server_detail(error: openai.APIStatusError) -> str:
    """The server's own error message, short and on one line."""
    body = error.body
    text = body.get("message") if isinstance(body, dict) else body
    if not isinstance(text, str):
        return ""
    return _clip(" ".join(text.split()), 160)
