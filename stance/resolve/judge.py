"""Decisions that are doubtful by rule: do two event mentions name one event, and how do two
claims relate (same / contradicts / unrelated)?

`RuleJudge` decides offline with fixed rules. `LLMJudge` asks the configured model with the
prompts `prompts/event_match.md` and `prompts/relation.md`, through the transport of
`stance.extraction.llm.extractor` (retries, error messages, no key in messages), and caches every
answer in the `llm_cache` table by task, model, prompt hash and input, so a question is asked once.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field
from sqlite_utils import Database

from stance.core.clock import now
from stance.core.errors import ModelError
from stance.core.models import StoredClaim
from stance.extraction.config import ExtractorConfig
from stance.extraction.llm.prompts import read_prompt
from stance.resolve.events import EventFeatures

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


class Judge(Protocol):
    name: str

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


class RuleJudge:
    """The deterministic rules: a score threshold for events; no content relations."""

    name = "rules"

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

    def __init__(self, config: ExtractorConfig, db: Database) -> None:
        from stance.extraction.llm.extractor import (
            LLMExtractor,  # late: openai and instructor are slow to import
        )

        self._llm = LLMExtractor(config)
        self.config = config
        self.model = self._llm.model
        self.name = f"model {self.model}"
        self.db = db

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
        payload = {
            "mention": mention,
            "document_published": published,
            "mention_reading": features.describe(),
            "known_event": event,
            "known_event_other_names": aliases,
            "known_event_reading": known.describe(),
        }
        answer = self._ask("event_match", "event_match.md", EventMatch, payload)
        return bool(answer.same_event)

    def relation(
        self, subject: str, a: StoredClaim, b: StoredClaim, stance_a: str, stance_b: str
    ) -> ClaimRelation | None:
        payload = {
            "subject": subject,
            "claim_a": _claim_view(a, stance_a),
            "claim_b": _claim_view(b, stance_b),
        }
        return self._ask("relation", "relation.md", ClaimRelation, payload)

    def _ask(
        self, task: str, prompt_file: str, model: type[BaseModel], payload: dict[str, Any]
    ) -> Any:
        prompt = read_prompt(prompt_file)
        prompt_sha = _sha(prompt + f"\0mode={self._llm.mode}")
        user = json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True)
        input_sha = _sha(user)
        row = self.db.execute(
            "select answer from llm_cache where task = ? and model = ? and prompt_sha = ? "
            "and input_sha = ?",
            [task, self.model, prompt_sha, input_sha],
        ).fetchone()
        if row is not None:
            return model.model_validate_json(row[0])
        answer = self._request(
            model, [{"role": "system", "content": prompt}, {"role": "user", "content": user}]
        )
        with self.db.atomic():
            self.db.execute(
                "insert or replace into llm_cache (task, model, prompt_sha, input_sha, answer, "
                "created_at) values (?, ?, ?, ?, ?, ?)",
                [task, self.model, prompt_sha, input_sha, answer.model_dump_json(), now()],
            )
        return answer

    def _request(self, model: type[BaseModel], messages: list[dict[str, str]]) -> BaseModel:
        from instructor.core import InstructorRetryException

        from stance.extraction.llm.extractor import _Tally

        client = self._llm._instructor(_Tally())
        try:
            result: BaseModel = client.create(
                response_model=model,
                messages=messages,  # type: ignore[arg-type]
                max_retries=self.config.max_reasks,
                strict=False,
                model=self.model,
            )
            return result
        except InstructorRetryException as error:
            if isinstance(error.__cause__, ModelError):
                raise error.__cause__ from None
            raise ModelError(
                f"model '{self.model}' at {self._llm.server_url} gave no usable "
                f"{model.__name__} answer in {error.n_attempts} attempts: try a larger model "
                "or another --mode"
            ) from None


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
