"""Decisions that are doubtful by rule: do two event mentions name one event, and how do two
claims relate (same / contradicts / unrelated)?

`RuleJudge` decides offline with fixed rules. `LLMJudge` asks the configured model with the
prompts `prompts/event_match.md` and `prompts/relation.md`, through
`stance.extraction.llm.extractor.LLMExtractor.ask` (retries, error messages, no key in
messages), and caches every answer in the `llm_cache` table by task, model, prompt hash and
input, so a question is asked once.

No model request may run while the database's write lock is held. So the resolution pass
runs its transaction with `judge.cache_only()`: a question not answered yet gets the rule's
answer provisionally and is noted; the pass then rolls back, `judge.ask(questions)` asks them
outside any transaction, and the pass runs again with the answers cached.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import BaseModel, Field
from sqlite_utils import Database

from stance.core.clock import now
from stance.core.event_features import EventFeatures
from stance.core.models import StoredClaim
from stance.extraction.config import ExtractorConfig
from stance.extraction.llm.prompts import read_prompt

if TYPE_CHECKING:
    from stance.extraction.llm.extractor import LLMExtractor

RULE_EVENT_THRESHOLD = 0.65  # a doubtful event score at or above this is a match by rule
Label = Literal["same", "contradicts", "unrelated"]


class EventMatch(BaseModel):
    """Whether an event mention names a known event."""

    same_event: bool = Field(description="True when both name one real-world event.")
    reason: str = Field(default="", description="One sentence: what decided it.")


class ClaimRelation(BaseModel):
    """How two claims about one subject relate."""

    label: Label = Field(description="same, contradicts or unrelated.")
    reason: str = Field(default="", description="One sentence: what clashes or agrees.")


@dataclass(frozen=True)
class Question:
    """One question for the model: its task, prompt, answer type and input."""

    task: str
    prompt_file: str
    answer_type: type[BaseModel]
    payload: dict[str, Any] = field(hash=False)

    def user_text(self) -> str:
        return json.dumps(self.payload, ensure_ascii=False, indent=1, sort_keys=True)


class Judge(Protocol):
    name: str
    # True when `relation` gives answers of its own (a model), not the compare rule.
    decides_relations: bool

    def same_event(
        self,
        mention: str,
        features: EventFeatures,
        published: str | None,
        event: str,
        aliases: list[str],
        known: EventFeatures,
        score: float,
    ) -> bool: ...

    def relation(
        self, subject: str, a: StoredClaim, b: StoredClaim, stance_a: str, stance_b: str
    ) -> ClaimRelation | None: ...

    def cache_only(self) -> Any:
        """A context manager: inside it, no request is made; it yields the list of the
        questions left unanswered."""
        ...

    def ask(self, questions: list[Question]) -> None:
        """Ask these questions now (outside any transaction) and cache the answers."""
        ...


class RuleJudge:
    """The deterministic rules: a score threshold for events; no content relations."""

    name = "rules"
    decides_relations = False

    def same_event(
        self,
        mention: str,
        features: EventFeatures,
        published: str | None,
        event: str,
        aliases: list[str],
        known: EventFeatures,
        score: float,
    ) -> bool:
        return score >= RULE_EVENT_THRESHOLD

    def relation(
        self, subject: str, a: StoredClaim, b: StoredClaim, stance_a: str, stance_b: str
    ) -> ClaimRelation | None:
        return None  # compare falls back to: opposite stance on a shared target

    @contextmanager
    def cache_only(self) -> Iterator[list[Question]]:
        yield []

    def ask(self, questions: list[Question]) -> None:
        return None


class Deferred(Exception):
    """A doubtful match left for later (`DeferToResolve`)."""


class DeferToResolve(RuleJudge):
    """The judge of an ingest with a model: doubtful event matches stay pending, for
    `stance resolve` to put to the model, so that the writer never waits for the model
    while other documents wait for the writer."""

    name = "deferred"

    def same_event(
        self,
        mention: str,
        features: EventFeatures,
        published: str | None,
        event: str,
        aliases: list[str],
        known: EventFeatures,
        score: float,
    ) -> bool:
        raise Deferred(mention)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _claim_view(claim: StoredClaim, stance: str) -> dict[str, Any]:
    return {
        "speaker": claim.speaker,
        "quote": claim.quote,
        "content": claim.content,
        "stance_toward_subject": stance,
        "source": claim.source,
        "published": claim.published,
    }


class LLMJudge:
    """The configured model decides; answers are cached in `llm_cache`."""

    decides_relations = True

    def __init__(self, config: ExtractorConfig, db: Database) -> None:
        # Late: openai and instructor are slow to import, and only a model judge needs them.
        from stance.extraction.llm.extractor import LLMExtractor

        self._llm: LLMExtractor = LLMExtractor(config)
        self.model = self._llm.model
        self.name = f"model {self.model}"
        self.db = db
        self._unanswered: list[Question] | None = None  # set inside `cache_only`

    def same_event(
        self,
        mention: str,
        features: EventFeatures,
        published: str | None,
        event: str,
        aliases: list[str],
        known: EventFeatures,
        score: float,
    ) -> bool:
        question = Question(
            "event_match",
            "event_match.md",
            EventMatch,
            {
                "mention": mention,
                "document_published": published,
                "mention_reading": features.describe(),
                "known_event": event,
                "known_event_other_names": aliases,
                "known_event_reading": known.describe(),
            },
        )
        answer = self._answer(question)
        if not isinstance(answer, EventMatch):  # not answered yet: the rule, provisionally
            return score >= RULE_EVENT_THRESHOLD
        return answer.same_event

    def relation(
        self, subject: str, a: StoredClaim, b: StoredClaim, stance_a: str, stance_b: str
    ) -> ClaimRelation | None:
        question = Question(
            "relation",
            "relation.md",
            ClaimRelation,
            {
                "subject": subject,
                "claim_a": _claim_view(a, stance_a),
                "claim_b": _claim_view(b, stance_b),
            },
        )
        answer = self._answer(question)
        return answer if isinstance(answer, ClaimRelation) else None

    @contextmanager
    def cache_only(self) -> Iterator[list[Question]]:
        self._unanswered = []
        try:
            yield self._unanswered
        finally:
            self._unanswered = None

    def ask(self, questions: list[Question]) -> None:
        for question in questions:
            if self._cached(question) is None:
                self._request(question)

    # -- the cache and the model --

    def _keys(self, question: Question) -> tuple[str, str, str, str]:
        prompt = read_prompt(question.prompt_file)
        prompt_sha = _sha(prompt + f"\0mode={self._llm.mode}")
        return question.task, self.model, prompt_sha, _sha(question.user_text())

    def _cached(self, question: Question) -> BaseModel | None:
        row = self.db.execute(
            "select answer from llm_cache where task = ? and model = ? and prompt_sha = ? "
            "and input_sha = ?",
            list(self._keys(question)),
        ).fetchone()
        return None if row is None else question.answer_type.model_validate_json(row[0])

    def _answer(self, question: Question) -> BaseModel | None:
        cached = self._cached(question)
        if cached is not None:
            return cached
        if self._unanswered is not None:
            self._unanswered.append(question)
            return None
        return self._request(question)

    def _request(self, question: Question) -> BaseModel:
        if self.db.conn.in_transaction:
            raise RuntimeError("a model request inside a write transaction")
        messages = [
            {"role": "system", "content": read_prompt(question.prompt_file)},
            {"role": "user", "content": question.user_text()},
        ]
        answer, _ = self._llm.ask(question.answer_type, messages)
        with self.db.atomic():
            self.db.execute(
                "insert or replace into llm_cache (task, model, prompt_sha, input_sha, answer, "
                "created_at) values (?, ?, ?, ?, ?, ?)",
                [*self._keys(question), answer.model_dump_json(), now()],
            )
        return answer


def make_judge(config: ExtractorConfig | None, db: Database) -> Judge:
    """The model's judgement when a model is configured (flags, then environment), else rules.

    `None` means rules, without reading the environment (the library default).
    """
    if config is None:
        return RuleJudge()
    config = config.with_env()
    if config.chosen_backend == "llm" and config.model:
        return LLMJudge(config, db)
    return RuleJudge()
