"""The LLM extractor: any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp).

For each chunk of a text (see `stance.extraction.chunk`):

1. One request asks for the claims (`_request`: the prompt, the article delimited as data,
   the JSON schema in the form the mode needs; temperature, seed and max_tokens set). It goes
   out through `_send`, which retries transport failures (429 honouring Retry-After, 5xx,
   timeouts, connection errors) with tenacity, bounded per request and for the whole run
   (`RateGate`); other refusals are a `ModelError` at once. Every request and answer is kept
   for the run's log (`Extraction.calls`), the API key never among them.
2. The answer's shape is read first (`answer.read_answer`): no `claims` list (a wrong key, an
   echoed schema, no JSON) is re-asked, and if it persists the extraction fails (not cached:
   the next ingest retries it). An empty list is a valid answer, noted.
3. Each claim is then repaired where unambiguous and checked on its own
   (`answer.repair_claim`, then grounding and speaker checks against the text). Claims that
   pass are kept; only the others are re-asked, in a short correction that names each claim
   and field in plain words (the conversation is not resent: the article, the last answer and
   the correction). The model is asked for the complete list again and the answers merge:
   a claim that passed once is never lost to a later answer.
4. When the re-asks run out, the claims that still fail are kept as `rejected` with their
   reason (`check_claims`); nothing is dropped, and no document fails for one bad claim.

Instructor (over the openai client) still serves small single-object questions through
`_instructor` (the resolution pass's judge). Extraction reads answers itself because it
needs what instructor's retry loop hides: the raw answer, per-claim validation, and merging
across re-asks.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit, urlunsplit

import instructor
import openai
from instructor.core import InstructorRetryException
from openai.types.chat import ChatCompletion
from pydantic import BaseModel
from tenacity import Retrying, retry_if_exception

from stance.core.clock import now
from stance.core.errors import ModelError, UsageError
from stance.core.models import (
    Claim,
    ExtractedClaim,
    Extraction,
    ExtractionResult,
    ModelCall,
    schema_sha,
)
from stance.extraction.check import Excess, bound_answer, check_claims, quote_too_long
from stance.extraction.chunk import DEFAULT_CHUNK_CHARS, Chunk, merge_edge_duplicates, split_text
from stance.extraction.config import MODES, NO_API_KEY, ExtractorConfig, redact_key
from stance.extraction.ground import NormalizedText, align
from stance.extraction.llm.answer import (
    RepairedClaim,
    ShapeProblem,
    attribution_from_text,
    read_answer,
    repair_claim,
)
from stance.extraction.llm.prompts import PromptSet, load_prompts
from stance.extraction.llm.transport import (
    GatePaused,
    RateGate,
    TransportBudget,
    TransportStats,
    is_transient,
    log_retry,
)
from stance.extraction.speakers import attribution_problem, speaker_problem, titled_person

logger = logging.getLogger(__name__)
# instructor logs at ERROR level every failure it hands back to us. Without a handler of its
# own, Python's last-resort handler would print those lines to stderr.
logging.getLogger("instructor").addHandler(logging.NullHandler())

DEFAULT_BASE_URL = "https://api.openai.com/v1"
OLLAMA_PORT = 11434
# For the resolution pass's judge, which asks through instructor.
INSTRUCTOR_MODES: dict[str, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
    "json_schema": instructor.Mode.JSON,
}
TOOL_NAME = "ExtractionResult"
MAX_PROBLEMS_SHOWN = 20  # problems listed in one re-ask; the rest are counted
ANSWER_SHOWN_CHARS = 300  # of an answer of the wrong shape, sent back with the correction
# Answer tokens for a chunk: quotes copy much of the text, contents restate it, and each
# claim carries some 40 tokens of keys and labels: about 0.6 token a character of text.
ANSWER_TOKENS_BASE = 512
ANSWER_TOKENS_PER_CHAR = 0.6
ANSWER_TOKENS_MAX = 16_384
CHARS_PER_TOKEN = 3.0  # a cautious estimate for sizing Ollama's context (English is ~4)


# --- What an answer is checked against -------------------------------------------------------


@dataclass(frozen=True)
class SourceText:
    """What an answer is checked against: the chunk the model saw, and the whole document."""

    chunk: str
    document: str
    chunk_normalized: NormalizedText
    document_normalized: NormalizedText
    offset: int = 0  # where the chunk starts in the document

    @classmethod
    def of(cls, document: str) -> SourceText:
        """The whole document as what the model saw."""
        normalized = NormalizedText.of(document)
        return cls(document, document, normalized, normalized)

    def narrowed_to(self, chunk: str, offset: int = 0) -> SourceText:
        """A chunk of this document (starting at `offset`) as what the model saw."""
        return SourceText(
            chunk, self.document, NormalizedText.of(chunk), self.document_normalized, offset
        )


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def claim_problems(claim: ExtractedClaim, source: SourceText) -> list[tuple[str, str]]:
    """What is wrong with one claim against the source: (field, reason) pairs."""
    if too_long := quote_too_long(claim.quote):
        return [("quote", too_long)]
    problems = []
    found = align(claim.quote, source.chunk, normalized=source.chunk_normalized)
    if found.status == "rejected" and found.reason:
        problems.append(("quote", found.reason))
    # Speakers are checked against the whole document: a chunk may name someone only by
    # role when the name came in an earlier chunk.
    problem = speaker_problem(claim.speaker, source.document, source.document_normalized)
    if problem:
        problems.append(("speaker", problem))
    elif found.start is not None and found.end is not None:
        # In the whole document: the speaker may be named just before the chunk began.
        misattributed = attribution_problem(
            claim.speaker,
            claim.speaker_mention,
            source.document,
            source.offset + found.start,
            source.offset + found.end,
        )
        if misattributed:
            problems.append(("speaker", misattributed))
    return problems


ADVICE = {"quote": "copy the quote character for character from the text"}


def _correction(problems: list[str]) -> str:
    """The re-ask: what was wrong, in plain words, and what to send back."""
    if len(problems) > MAX_PROBLEMS_SHOWN:
        more = len(problems) - MAX_PROBLEMS_SHOWN
        problems = [*problems[:MAX_PROBLEMS_SHOWN], f"... and {more} more problems"]
    return (
        "Some claims of your answer cannot be used:\n"
        + "\n".join(f"- {p}" for p in problems)
        + "\nSend the complete list of claims again: the good ones unchanged, these corrected "
        "(or left out if the text does not support them)."
    )


def _rejected(item: RepairedClaim, reason: str) -> Claim:
    """A claim that could not be read as a claim, kept as rejected with its reason."""
    raw = item.raw

    def text(name: str) -> str:
        value = raw.get(name)
        return value.strip() if isinstance(value, str) else ""

    return Claim(
        speaker=text("speaker"),
        speaker_mention=text("speaker_mention"),
        cue=text("cue"),
        quote=text("quote")[:2_000],
        content=text("content"),
        attribution="indirect",
        grounding="rejected",
        reason=reason,
    )


# --- Cleaning answers ----------------------------------------------------------------------------

_REASONING_BLOCK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.S | re.I)
# Some servers drop the opening tag and send "reasoning...</think>answer".
_REASONING_PREFIX = re.compile(r"^.*</(?:think|thinking|reasoning)>", re.S | re.I)
_FENCE = re.compile(r"```[a-zA-Z]*\s*(.*?)\s*```", re.S)


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
        if mode == "json" and (fenced := _FENCE.fullmatch(content.strip())):
            content = fenced.group(1)
        choice.message.content = content


def answer_text(completion: ChatCompletion) -> str:
    """The raw answer: the tool call's arguments, else the content (out of a code fence)."""
    if not completion.choices:
        return ""
    message = completion.choices[0].message
    for call in message.tool_calls or []:
        function = getattr(call, "function", None)
        if function is not None and function.arguments:
            return str(function.arguments)
    content = strip_reasoning(message.content or "")
    fenced = _FENCE.search(content)
    return fenced.group(1) if fenced else content


@dataclass
class _Tally:
    """What one extraction spent: HTTP requests and tokens, re-asks and retries included, and
    the log of each request."""

    requests: int = 0
    input_tokens: int | None = None
    output_tokens: int | None = None
    excess: Excess = field(default_factory=Excess)  # cut from the answers kept
    calls: list[ModelCall] = field(default_factory=list)
    chunk: int = 0  # where the next requests belong, for the log
    attempt: int = 1

    def add_usage(self, completion: ChatCompletion) -> None:
        usage = completion.usage
        if usage is None:
            return
        self.input_tokens = (self.input_tokens or 0) + (usage.prompt_tokens or 0)
        self.output_tokens = (self.output_tokens or 0) + (usage.completion_tokens or 0)

    def spent(self, extractor: LLMExtractor, notes: str | None = None) -> Extraction:
        """An Extraction without claims that records what was spent (for a failed run)."""
        return self.extraction(extractor, [], notes)

    def extraction(
        self, extractor: LLMExtractor, claims: list[Claim], notes: str | None = None
    ) -> Extraction:
        """The claims with what was spent getting them."""
        return Extraction(
            claims=claims,
            backend=extractor.backend,
            model=extractor.model,
            prompt_sha=extractor.prompt_sha,
            schema_sha=schema_sha(),
            input_tokens=self.input_tokens,
            output_tokens=self.output_tokens,
            requests=self.requests,
            notes=notes,
            calls=self.calls,
        )


@dataclass
class _ChunkAnswer:
    """The merged outcome of asking about one chunk."""

    kept: list[RepairedClaim] = field(default_factory=list)  # passed every check
    failing: dict[str, tuple[RepairedClaim, str]] = field(default_factory=dict)  # latest reason
    reasks: int = 0
    recovered: int = 0  # claims kept from an earlier answer that a later one left out
    empty: bool = False  # the model answered with an empty list
    excess: Excess = field(default_factory=Excess)  # cut from the last answer read


@dataclass
class Asking:
    """Where the asking about one chunk stands: the answers read so far merged, and the
    correction to send next. The live path fills it request by request; a batch fills it
    from the answers that came back, and goes on with a follow-up batch or live requests."""

    outcome: _ChunkAnswer = field(default_factory=_ChunkAnswer)
    kept_keys: set[str] = field(default_factory=set)
    correction: list[dict[str, Any]] = field(default_factory=list)  # after the first messages
    shape: ShapeProblem | None = None  # of the last answer, when it had the wrong shape
    good_shape: bool = False  # some answer had a list of claims
    attempts: int = 0  # answers read
    done: bool = False  # the last answer had no problems


# What becomes of a chunk whose answer failed, with re-asks left: asked again at once
# ("live"), its next request handed back for a follow-up batch ("batch"), or nothing ("none").
Reasks = Literal["live", "batch", "none"]


@dataclass(frozen=True)
class Replayed:
    """What the answers about a text come to: its extraction when every chunk is settled,
    else the next request of each chunk to re-ask (by chunk index)."""

    extraction: Extraction | None
    requests: dict[int, dict[str, Any]]


def _claim_key(item: RepairedClaim) -> str:
    quote = item.claim.quote if item.claim is not None else item.raw.get("quote")
    if isinstance(quote, str) and quote.strip():
        return "".join(ch for ch in quote.lower() if ch.isalnum()) or quote.strip()
    return f"#{item.index}"


def schema_for_request() -> dict[str, Any]:
    """The extraction schema as sent: no titles, descriptions or defaults (the prompt says
    what each field means), every field required, no other keys: what strict structured
    outputs accept, and short."""

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            cleaned = {
                k: strip(v) for k, v in node.items() if k not in ("title", "description", "default")
            }
            if cleaned.get("type") == "object" and "properties" in cleaned:
                cleaned["required"] = list(cleaned["properties"])
                cleaned["additionalProperties"] = False
            return cleaned
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return dict(strip(ExtractionResult.model_json_schema()))


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
        self.model: str = config.model
        self.chunk_chars = chunk_chars
        self.timeout = config.timeout
        self.max_attempts = config.max_attempts
        self.max_wait = config.max_wait
        self.max_reasks = config.max_reasks
        self.temperature = config.temperature
        self.seed = config.seed
        self.max_tokens = config.max_tokens
        self.num_ctx = config.num_ctx
        self.gate = gate or RateGate()
        self._prompts = prompts or load_prompts()
        base_url = config.base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
        self._api_key = config.api_key or os.environ.get("OPENAI_API_KEY") or NO_API_KEY
        # Retries are ours (tenacity, bounded in time): the client must not add its own.
        self._client = openai.OpenAI(
            base_url=base_url, api_key=self._api_key, max_retries=0, timeout=config.timeout
        )
        self.server_url = _display_url(str(self._client.base_url))
        server = urlsplit(str(self._client.base_url))
        self.ollama = config.ollama if config.ollama is not None else server.port == OLLAMA_PORT
        enforces_schema = self.ollama or server.hostname == "api.openai.com"
        mode = config.mode or ("json_schema" if enforces_schema else "tools")
        if mode not in MODES:
            raise UsageError(f"unknown mode '{mode}': use one of {', '.join(MODES)}")
        self.mode: str = mode
        self._schema = schema_for_request()
        self._schema_note = self._mode_instructions()
        # The client imports its chat resources on first use, under a lock: done here once,
        # not by every worker thread queueing at the first request.
        _ = self._client.chat.completions

    @property
    def prompt_sha(self) -> str:
        return self._prompts.sha(self.mode, extra=self._schema_note)

    @property
    def transport_stats(self) -> TransportStats:
        """Requests, retries, 429s and waiting of every extraction so far."""
        return self.gate.stats()

    def extract(self, text: str, *, published: str | None = None) -> Extraction:
        """Extract and check the claims of one text (chunked when it is long).

        A `ModelError` carries what the failed extraction spent (`spent`).
        """
        replayed = self._run(text, None, published, "live")
        assert replayed.extraction is not None  # live: every chunk is settled
        return replayed.extraction

    def _run(
        self,
        text: str,
        answers: Sequence[Sequence[ChatCompletion]] | None,
        published: str | None,
        reasks: Reasks,
    ) -> Replayed:
        """Each chunk's answers read (`answers`, one list per chunk, in `split_text` order;
        None: none yet), then, for a chunk that needs another answer, a live request
        ("live"), its request handed back ("batch"), or nothing more ("none")."""
        tally = _Tally()
        chunks = split_text(text, self.chunk_chars) if text.strip() else []
        if answers is not None and len(answers) != len(chunks):
            raise ModelError(f"{len(answers)} answers for a text of {len(chunks)} chunks")
        whole = SourceText.of(text)
        asked: list[tuple[Chunk, SourceText, Asking]] = []
        next_requests: dict[int, dict[str, Any]] = {}
        try:
            for number, chunk in enumerate(chunks):
                tally.chunk = number
                source = whole if len(chunks) == 1 else whole.narrowed_to(chunk.text, chunk.start)
                asking = Asking()
                for completion in answers[number] if answers is not None else ():
                    tally.requests += 1
                    tally.add_usage(completion)
                    _clean_answer(completion, self.mode)
                    self.take_answer(asking, completion, source, published)
                if reasks == "live":
                    while self.should_reask(asking):
                        tally.attempt = asking.attempts + 1
                        request = self.reask_request(asking, chunk.text, published)
                        self.take_answer(asking, self._send(tally, request), source, published)
                elif reasks == "batch" and self.should_reask(asking):
                    next_requests[number] = self.reask_request(asking, chunk.text, published)
                    continue
                self._settle(asking, live=reasks == "live")
                asked.append((chunk, source, asking))
        except ModelError as error:
            error.spent = tally.spent(self)  # a failed run records what it cost
            raise
        if next_requests:
            return Replayed(None, next_requests)
        return Replayed(self._finished(text, asked, whole, tally), {})

    def _finished(
        self,
        text: str,
        asked: list[tuple[Chunk, SourceText, Asking]],
        whole: SourceText,
        tally: _Tally,
    ) -> Extraction:
        """The checked claims of every chunk, with notes on re-asks and what was spent."""
        notes: list[str] = []
        per_chunk = []
        empty = 0
        for number, (chunk, source, asking) in enumerate(asked):
            answer = asking.outcome
            empty += answer.empty
            tally.excess.add(answer.excess)
            if answer.reasks:
                notes.append(self._reask_note(number, len(asked), answer))
            per_chunk.append(self._checked(text, chunk, source, answer, whole))
        claims = merge_edge_duplicates(per_chunk) if asked else []
        if asked and empty == len(asked):
            notes.append("the model found no claims in the text")
        if bounded := tally.excess.note():
            notes.append(bounded)
        return tally.extraction(self, claims, "; ".join(notes) or None)

    @staticmethod
    def _reask_note(number: int, chunks: int, answer: _ChunkAnswer) -> str:
        where = f"chunk {number + 1}: " if chunks > 1 else ""
        note = where + _count(answer.reasks, "re-ask")
        if answer.recovered:
            note += f", {_count(answer.recovered, 'claim')} kept from an earlier answer"
        if answer.failing:
            note += f", {_count(len(answer.failing), 'claim')} still failing (stored as rejected)"
        return note

    def _checked(
        self, text: str, chunk: Chunk, source: SourceText, answer: _ChunkAnswer, whole: SourceText
    ) -> list[Claim]:
        """Ground the chunk's claims in the whole text; those that failed stay rejected."""
        usable = list(answer.kept)
        unusable: list[Claim] = []
        for item, reason in answer.failing.values():
            if item.claim is not None:
                usable.append(item)
            else:
                unusable.append(_rejected(item, reason))
        pairs = [
            (item.claim, self._hint(item.claim, chunk, source))
            for item in usable
            if item.claim is not None
        ]
        checked = check_claims(
            text, pairs, normalized=whole.document_normalized, check_attribution=True
        )
        # An attribution the model left out is read from the text's quotation marks.
        unknown = {
            (i.claim.speaker, i.claim.content)
            for i in usable
            if i.claim is not None and not i.attribution_given
        }
        for claim in checked:
            if claim.start is not None and claim.end is not None:
                if (claim.speaker, claim.content) in unknown:
                    claim.attribution = attribution_from_text(  # type: ignore[assignment]
                        text, claim.start, claim.end
                    )
        return sorted([*checked, *unusable], key=lambda c: (c.start is None, c.start or 0))

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

    def _mode_instructions(self) -> str:
        """What the json modes add to the system message (the schema travels in the request
        itself in the tools and json_schema modes)."""
        if self.mode not in ("json", "md_json"):
            return ""
        schema = json.dumps(self._schema, separators=(",", ":"), ensure_ascii=False)
        where = " in a ```json code block" if self.mode == "md_json" else ""
        return f"\nAnswer with one JSON object{where} that fits this JSON schema:\n{schema}\n"

    def answer_tokens(self, chunk_chars: int) -> int:
        """max_tokens for a chunk: the configured value, else sized to the chunk."""
        if self.max_tokens is not None:
            return self.max_tokens
        estimate = ANSWER_TOKENS_BASE + int(chunk_chars * ANSWER_TOKENS_PER_CHAR)
        return min(ANSWER_TOKENS_MAX, estimate)

    def context_tokens(self, request_chars: int, answer_tokens: int) -> int:
        """Ollama's num_ctx: the prompt and the answer, rounded up to 1,024 tokens."""
        if self.num_ctx is not None:
            return self.num_ctx
        needed = math.ceil(request_chars / CHARS_PER_TOKEN) + answer_tokens
        return 1024 * math.ceil(needed / 1024)

    def _request(self, messages: list[dict[str, Any]], chunk_chars: int) -> dict[str, Any]:
        """The body of one chat-completions request for the mode."""
        request: dict[str, Any] = {"model": self.model, "messages": messages}
        if self.temperature is not None:
            request["temperature"] = self.temperature
        if self.seed is not None:
            request["seed"] = self.seed
        request["max_tokens"] = self.answer_tokens(chunk_chars)
        if self.mode == "tools":
            request["tools"] = [
                {"type": "function", "function": {"name": TOOL_NAME, "parameters": self._schema}}
            ]
            request["tool_choice"] = {"type": "function", "function": {"name": TOOL_NAME}}
        elif self.mode == "json":
            request["response_format"] = {"type": "json_object"}
        elif self.mode == "json_schema":
            request["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": TOOL_NAME, "schema": self._schema, "strict": True},
            }
        if self.ollama:
            # Ollama's own options (its default context of 2,048 or 4,096 tokens would silently
            # cut the article); see the README.
            chars = len(json.dumps(request, ensure_ascii=False))
            request["options"] = {"num_ctx": self.context_tokens(chars, request["max_tokens"])}
        return request

    def _messages(self, chunk: str, published: str | None) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = list(self._prompts.messages(chunk, published=published))
        if self._schema_note:
            messages[0] = {**messages[0], "content": messages[0]["content"] + self._schema_note}
        return messages

    def _ask(self, tally: _Tally, source: SourceText, published: str | None) -> _ChunkAnswer:
        """Ask about one chunk, re-asking what failed; the merged outcome."""
        base = self._messages(source.chunk, published)
        asking = Asking()
        while self.should_reask(asking):
            tally.attempt = asking.attempts + 1
            request = self._request(base + asking.correction, len(source.chunk))
            self.take_answer(asking, self._send(tally, request), source, published)
        return self._settle(asking)

    def should_reask(self, asking: Asking) -> bool:
        """Whether a chunk gets another request: not answered yet, or answered with problems
        and re-asks left (`max_reasks`)."""
        return not asking.done and asking.attempts <= self.max_reasks

    def reask_request(self, asking: Asking, chunk: str, published: str | None) -> dict[str, Any]:
        """The body of the next request about a chunk: the first request's messages, the last
        answer and the correction (what the live path sends, and a follow-up batch too)."""
        return self._request(self._messages(chunk, published) + asking.correction, len(chunk))

    def take_answer(
        self,
        asking: Asking,
        completion: ChatCompletion,
        source: SourceText,
        published: str | None,
    ) -> None:
        """Read one answer about a chunk into `asking`: its claims repaired and checked,
        merged with those of earlier answers, and the correction to send if some failed."""
        asking.attempts += 1
        outcome = asking.outcome
        outcome.reasks = asking.attempts - 1
        if completion.choices and completion.choices[0].finish_reason == "length":
            raise ModelError(
                f"the answer of model '{self.model}' at {self.server_url} was cut off at its "
                f"output limit on a {len(source.chunk):,}-character text: raise --max-tokens "
                "or use a model with a larger output limit"
            )
        raw = answer_text(completion)
        items = read_answer(raw)
        if isinstance(items, ShapeProblem):
            asking.shape = items
            asking.correction = [
                {"role": "assistant", "content": _clip(raw.strip(), ANSWER_SHOWN_CHARS)},
                {"role": "user", "content": items.correction()},
            ]
            return
        asking.good_shape = True
        answer = {"claims": items}
        outcome.excess = bound_answer(answer, len(source.chunk))
        problems, last_seen = self._sort_claims(
            items, source, published, outcome, asking.kept_keys
        )
        outcome.recovered = len(asking.kept_keys - last_seen) if asking.attempts > 1 else 0
        if not problems:
            asking.done = True
            return
        asking.correction = [
            {"role": "assistant", "content": json.dumps(answer, ensure_ascii=False)},
            {"role": "user", "content": _correction(problems)},
        ]

    def _settle(self, asking: Asking, *, live: bool = True) -> _ChunkAnswer:
        """The outcome once the asking is over; a ModelError when no answer had a list of
        claims (naming the server when the answers came from it, not from a file)."""
        outcome = asking.outcome
        at = f" at {self.server_url}" if live else ""
        outcome.empty = not outcome.kept and not outcome.failing
        if not asking.good_shape:
            shape = asking.shape.what if asking.shape else "no answer"
            raise ModelError(
                self._redact(
                    f"model '{self.model}'{at} answered {asking.attempts} time"
                    f"{'s' if asking.attempts != 1 else ''} without a list of claims ({shape}): "
                    "try a larger model or another --mode"
                )
            )
        return outcome

    @staticmethod
    def _sort_claims(
        items: list[Any],
        source: SourceText,
        published: str | None,
        outcome: _ChunkAnswer,
        kept_keys: set[str],
    ) -> tuple[list[str], set[str]]:
        """Repair and check each claim of one answer into `outcome` (kept, or failing with its
        reason); the problems to say in a re-ask, and the keys of the claims seen."""
        problems: list[str] = []
        seen: set[str] = set()
        for item in (repair_claim(i, raw, published) for i, raw in enumerate(items)):
            key = _claim_key(item)
            seen.add(key)
            if key in kept_keys:
                continue  # passed on an earlier answer: that version stays
            if item.claim is not None and (
                person := titled_person(item.claim.speaker, source.document)
            ):
                # "President of Azerbaijan" is the person the text names with that title.
                item.claim.speaker = person
            if item.claim is None:
                field_name, why = item.problem or ("claim", "cannot be read")
                reasons = [(field_name, why)]
            else:
                reasons = claim_problems(item.claim, source)
            if reasons:
                stored = "; ".join(f"{name}: {why}" for name, why in reasons)
                outcome.failing[key] = (item, stored)
                for name, why in reasons:
                    advice = f"; {ADVICE[name]}" if name in ADVICE else ""
                    problems.append(f"{item.label()}.{name}: {why}{advice}")
            else:
                outcome.kept.append(item)
                kept_keys.add(key)
                outcome.failing.pop(key, None)
        return problems, seen

    @staticmethod
    def _hint(claim: ExtractedClaim, chunk: Chunk, source: SourceText) -> int:
        """Where in the document to look for the quote first: where it is in its chunk."""
        if quote_too_long(claim.quote):
            return chunk.start
        found = align(claim.quote, source.chunk, normalized=source.chunk_normalized)
        return chunk.start + (found.start or 0)

    # -- the resolution pass's small questions --

    def _instructor(self, tally: _Tally) -> instructor.Instructor:
        """An instructor client whose requests go through `_send`, counted in `tally`."""

        def send(**request: Any) -> ChatCompletion:
            return self._send(tally, request)

        mode = INSTRUCTOR_MODES[self.mode]
        return instructor.Instructor(
            client=self._client, create=instructor.patch(create=send, mode=mode), mode=mode
        )

    # -- answers that came back another way (batch files): same request, same checks --

    @property
    def client(self) -> openai.OpenAI:
        """The openai client (for the Batch API's files and batches): the key stays in it."""
        return self._client

    def chat_request(self, chunk: str, *, published: str | None = None) -> dict[str, Any]:
        """The body of the first request the live path sends for one chunk, exactly."""
        return self._request(self._messages(chunk, published), len(chunk))

    def check_answers(
        self,
        text: str,
        answers: Sequence[ChatCompletion | Sequence[ChatCompletion]],
        *,
        published: str | None = None,
        reasks: Reasks = "none",
    ) -> Replayed:
        """Claims from the answers a batch gave for `text`: for each chunk (in `split_text`
        order) its answer, or the answers of its attempts in order, read through the cleaning,
        bounding, repair, checks, re-ask merging and grounding of the live path.

        A chunk whose last answer failed, with re-asks left (`max_reasks`, the live path's
        limit), gets its next request: sent at once with `reasks="live"`, handed back in
        `Replayed.requests` with "batch" (for a follow-up batch; then no extraction yet), or
        none with "none" (its failing claims kept as rejected, as when re-asks run out). An
        answer cut off, or without a list of claims when no re-ask is left, is a `ModelError`.
        """
        per_chunk = [
            [answer] if isinstance(answer, ChatCompletion) else list(answer) for answer in answers
        ]
        return self._run(text, per_chunk, published, reasks)

    # -- one HTTP request --

    def _send(self, tally: _Tally, request: dict[str, Any]) -> ChatCompletion:
        """POST one chat completion through the gate, retrying transport failures within the
        request's budget and the run's. Each attempt goes into the tally's log."""
        budget = TransportBudget(self.max_attempts, self.max_wait, self.gate)
        body = self._redact(json.dumps(request, ensure_ascii=False, default=str))
        extra = {k: request.pop(k) for k in ("options",) if k in request}

        def post() -> ChatCompletion:
            budget.before_attempt()
            budget.attempts += 1
            tally.requests += 1
            self.gate.count_request()
            call = ModelCall(
                chunk=tally.chunk, attempt=tally.attempt, request=body, started_at=now()
            )
            tally.calls.append(call)
            began = time.monotonic()
            try:
                completion: ChatCompletion = self._client.chat.completions.create(
                    **request, extra_body=extra or None
                )
            except openai.APIError as error:
                if isinstance(error, openai.APIStatusError) and error.status_code == 429:
                    self.gate.count_rate_limited()
                call.error = self._redact(_error_line(error))
                call.seconds = round(time.monotonic() - began, 3)
                raise
            call.seconds = round(time.monotonic() - began, 3)
            call.response = self._redact(completion.model_dump_json(exclude_unset=True))
            if completion.usage is not None:
                call.input_tokens = completion.usage.prompt_tokens
                call.output_tokens = completion.usage.completion_tokens
            return completion

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
            no_key = " (no OPENAI_API_KEY is set either)" if self._api_key == NO_API_KEY else ""
            message = (
                f"cannot reach the model server at {url}: is it running? "
                f"check --base-url/OPENAI_BASE_URL{no_key}, or use the offline extractor: "
                "--backend rules"
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
        advice = {
            "tools": "if the model cannot call tools, try --mode json or --mode md_json",
            "json_schema": "if the server cannot enforce a JSON schema, try --mode tools or "
            "--mode json",
        }.get(self.mode, "check --model and --mode")
        return (
            f"the server at {url} rejected the request for model '{self.model}' "
            f"(HTTP {status}{': ' + detail if detail else ''}): {advice}"
        )

    def _redact(self, message: str) -> str:
        return redact_key(message, self._api_key)


def _count(number: int, what: str) -> str:
    return f"{number} {what}" + ("s" if number != 1 else "")


def _error_line(error: openai.APIError) -> str:
    """A failed request for the log: the HTTP status and the server's message, or the kind."""
    if isinstance(error, openai.APIStatusError):
        detail = _server_detail(error)
        return f"HTTP {error.status_code}" + (f": {detail}" if detail else "")
    if isinstance(error, openai.APITimeoutError):
        return "no answer within the timeout"
    if isinstance(error, openai.APIConnectionError):
        return "cannot connect"
    return type(error).__name__


def _server_detail(error: openai.APIStatusError) -> str:
    """The server's own error message, short and on one line."""
    body = error.body
    text = body.get("message") if isinstance(body, dict) else body
    if not isinstance(text, str):
        return ""
    return _clip(" ".join(text.split()), 160)
