"""Check extracted claims against their text: ground each quote and resolve each speaker.

Whatever the backend, every claim passes through here. A claim that fails a check is kept,
labelled `rejected` with its reason, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

from stance.ground import NormalizedText, align
from stance.models import Claim, ExtractedClaim
from stance.resolve import speaker_problem


def check_claims(text: str, extracted: Iterable[tuple[ExtractedClaim, int]]) -> list[Claim]:
    """Ground and check (claim, offset hint) pairs; duplicates of one span and speaker merge."""
    normalized = NormalizedText.of(text)
    checked: list[Claim] = []
    seen: set[tuple[int | None, int | None, str, str]] = set()
    for item, hint in extracted:
        alignment = align(item.quote, text, hint=hint, normalized=normalized)
        reason = alignment.reason or speaker_problem(item.speaker, text, normalized)
        fields = item.model_dump()
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
