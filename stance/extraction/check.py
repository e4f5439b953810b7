"""Check extracted claims against their text: ground each quote and resolve each speaker.

Whatever the backend, every claim passes through here. A claim that fails a check is kept,
labelled `rejected` with its reason, never silently dropped.

A model's answer is also bounded before it is believed (`bound_answer`): at most
`max_claims(len(text))` claims, each with at most `MAX_TARGETS` targets and fields of at most
`FIELD_LIMITS` characters. What is cut is counted (`Excess`) and recorded with the run. A
quote longer than its limit is not looked for in the text: the claim is rejected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from stance.core.models import Claim, ExtractedClaim
from stance.extraction.ground import NormalizedText, align
from stance.extraction.speakers import attribution_problem, speaker_problem

# Characters per field. A quote is a sentence or two of evidence, a content one sentence;
# names and cues are a few words. A longer field is a broken or hostile answer.
FIELD_LIMITS: dict[str, int] = {
    "speaker": 200,
    "speaker_mention": 200,
    "cue": 200,
    "quote": 2_000,
    "content": 2_000,
}
OTHER_FIELD_LIMIT = 200  # target names, kinds, and fields the schema does not know
MAX_TARGETS = 20  # per claim
# Claims per text: news prose carries at most one claim per sentence or so, and a claim
# needs a quote of its own; more than one per 100 characters is not an answer about the text.
MIN_CLAIMS_LIMIT = 50
CHARS_PER_CLAIM = 100


def max_claims(text_chars: int) -> int:
    """The most claims an answer about a text of this length may carry."""
    return MIN_CLAIMS_LIMIT + text_chars // CHARS_PER_CLAIM


def quote_too_long(quote: str) -> str | None:
    """Why a quote is too long to be looked for in the text, or None."""
    limit = FIELD_LIMITS["quote"]
    if len(quote) > limit:
        return f"the quote is longer than {limit:,} characters; quote only the words that carry it"
    return None


@dataclass
class Excess:
    """What bounding cut from answers: claims and targets dropped, fields clipped."""

    claims: int = 0
    targets: int = 0
    fields: int = 0

    def __bool__(self) -> bool:
        return bool(self.claims or self.targets or self.fields)

    def add(self, other: Excess) -> None:
        self.claims += other.claims
        self.targets += other.targets
        self.fields += other.fields

    def note(self) -> str | None:
        """One line for the run's record, or None when nothing was cut."""
        if not self:
            return None
        parts = [
            f"{count:,} {what}"
            for count, what in (
                (self.claims, "claims over the limit dropped"),
                (self.targets, "targets over the limit dropped"),
                (self.fields, "over-long fields clipped"),
            )
            if count
        ]
        return "answer bounded: " + ", ".join(parts)


def _clip_strings(item: dict[str, Any], excess: Excess) -> None:
    for key, value in item.items():
        limit = FIELD_LIMITS.get(key, OTHER_FIELD_LIMIT)
        if isinstance(value, str) and len(value) > limit:
            # A quote keeps one character over its limit: enough for the check to see that
            # it was too long and reject the claim, instead of grounding a clipped prefix.
            item[key] = value[: limit + 1] if key == "quote" else value[:limit]
            excess.fields += 1


def bound_answer(answer: object, text_chars: int) -> Excess:
    """Bound a raw answer (`{"claims": [...]}` as parsed JSON) in place; count what was cut.

    Anything not shaped like an answer is left alone for the schema validation to report.
    """
    excess = Excess()
    if not isinstance(answer, dict) or not isinstance(answer.get("claims"), list):
        return excess
    claims: list[Any] = answer["claims"]
    limit = max_claims(text_chars)
    if len(claims) > limit:
        excess.claims += len(claims) - limit
        del claims[limit:]
    for claim in claims:
        if not isinstance(claim, dict):
            continue
        _clip_strings(claim, excess)
        targets = claim.get("targets")
        if isinstance(targets, list):
            if len(targets) > MAX_TARGETS:
                excess.targets += len(targets) - MAX_TARGETS
                del targets[MAX_TARGETS:]
            for target in targets:
                if isinstance(target, dict):
                    _clip_strings(target, excess)
    return excess


def check_claims(
    text: str,
    extracted: Iterable[tuple[ExtractedClaim, int]],
    *,
    normalized: NormalizedText | None = None,
    check_attribution: bool = False,
) -> list[Claim]:
    """Ground and check (claim, offset hint) pairs; duplicates of one span and speaker merge.

    `normalized` is `NormalizedText.of(text)` when the caller has it already (a long text
    checked chunk by chunk is normalised once). With `check_attribution`, the speaker must
    also be named near the quote (`speakers.attribution_problem`): for a model's claims.
    """
    normalized = normalized or NormalizedText.of(text)
    checked: list[Claim] = []
    seen: set[tuple[int | None, int | None, str, str]] = set()
    # Once per speaker, not per claim: the checks search the whole text.
    speaker_problems: dict[str, str | None] = {}

    def problem_of(speaker: str) -> str | None:
        if speaker not in speaker_problems:
            speaker_problems[speaker] = speaker_problem(speaker, text, normalized)
        return speaker_problems[speaker]

    for item, hint in extracted:
        fields = item.model_dump()
        too_long = quote_too_long(item.quote)
        if too_long:
            claim = Claim(
                **{**fields, "quote": item.quote[: FIELD_LIMITS["quote"]]},
                grounding="rejected",
                reason=too_long,
            )
        else:
            alignment = align(item.quote, text, hint=hint, normalized=normalized)
            reason = alignment.reason or problem_of(item.speaker)
            if not reason and check_attribution and alignment.start is not None:
                reason = attribution_problem(
                    item.speaker, item.speaker_mention, text, alignment.start, alignment.end or 0
                )
            if alignment.start is not None and alignment.end is not None:
                fields["quote"] = text[alignment.start : alignment.end]
            claim = Claim(
                **fields,
                start=alignment.start,
                end=alignment.end,
                grounding="rejected" if reason else alignment.status,
                reason=reason,
            )
        key = (claim.start, claim.end, claim.speaker.lower(), claim.quote)
        if key in seen:
            continue
        seen.add(key)
        checked.append(claim)
    checked.sort(key=lambda c: (c.start is None, c.start or 0))
    return checked
