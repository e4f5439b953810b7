"""Claim relations: which pairs of claims about one subject a model is asked about, the
answers, stored in `claim_relations` for `stance compare` to read.

The candidate pairs are those `compare` shows side by side: the subject's latest claims,
a claim republished by several outlets counted once (`group_copies`); claims of different
speakers with opposite stances on the subject, then on another shared target, then any
others, at most MAX_RELATION_PAIRS. Without a model no relation is stored, and compare
falls back to the rule (opposite stances on a shared target).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from stance.core.clock import now
from stance.core.models import StoredClaim, StoredTarget
from stance.resolve.judge import ClaimRelation, Judge
from stance.resolve.statements import group_statements
from stance.store import queries
from stance.store.db import Store

MAX_CLAIMS = 2000  # claims about a subject compared at most (the latest)
MAX_STANCE_PAIRS = 100  # stance contradictions listed at most (the biggest subjects have more)
MAX_RELATION_PAIRS = 24  # claim pairs sent to the model for a relation label, at most
MAX_FUZZY_GROUP = 400  # claims per speaker compared pairwise for near-copies
COPY_RATIO = 90  # quotes at least this similar (0..100) are one claim republished
OPPOSITE = frozenset({"support", "oppose"})


# --- Near-copies ---------------------------------------------------------------------------------

_NOT_WORD = re.compile(r"[\W_]+")


def _norm(text: str) -> str:
    return _NOT_WORD.sub("", text.lower())


def when(claim: StoredClaim) -> tuple[bool, str, int]:
    """Reading order: by publication date (undated last), then id."""
    return (claim.published is None, claim.published or "", claim.id)


def group_copies(claims: list[StoredClaim]) -> list[list[StoredClaim]]:
    """Claims that are one statement reported several times, grouped (earliest first): the
    grouping `compare` shows (`stance.resolve.statements`)."""
    return group_statements(claims)


def load_claims(store: Store, ids: list[int]) -> list[StoredClaim]:
    return sorted(queries.claims_by_id(store.db, ids), key=when)


# --- Candidate pairs ------------------------------------------------------------------------------


class StancedClaim(Protocol):
    """A claim with the speaker's stance toward the subject (compare's `ComparedClaim`)."""

    @property
    def id(self) -> int: ...
    @property
    def speaker(self) -> str | None: ...
    @property
    def stance(self) -> str: ...
    @property
    def targets(self) -> list[StoredTarget]: ...


C = TypeVar("C", bound=StancedClaim)


def stance_pairs(claims: Sequence[C], limit: int) -> list[tuple[C, C]]:
    """(supporting, opposing) claims of different speakers, at most `limit`."""
    support = [c for c in claims if c.stance == "support"]
    oppose = [c for c in claims if c.stance == "oppose"]
    pairs: list[tuple[C, C]] = []
    for a in support:
        for b in oppose:
            if a.speaker != b.speaker:
                pairs.append((a, b))
                if len(pairs) >= limit:
                    return pairs
    return pairs


def target_pairs(claims: Sequence[C], subject: str, limit: int) -> list[tuple[C, C]]:
    """Claims of different speakers with opposite stances on a shared target (not the subject)."""
    by_target: dict[tuple[str, str], list[C]] = defaultdict(list)
    for claim in claims:
        for target in claim.targets:
            if target.name != subject and target.stance in OPPOSITE:
                by_target[(target.name, target.stance)].append(claim)
    pairs: list[tuple[C, C]] = []
    seen: set[tuple[int, int]] = set()
    for (name, stance), group in sorted(by_target.items()):
        if stance != "support":
            continue
        for a in group:
            for b in by_target.get((name, "oppose"), []):
                if a.speaker != b.speaker and (a.id, b.id) not in seen:
                    seen.add((a.id, b.id))
                    pairs.append((a, b))
                    if len(pairs) >= limit:
                        return pairs
    return pairs


def _other_pairs(claims: Sequence[C], limit: int) -> list[tuple[C, C]]:
    pairs: list[tuple[C, C]] = []
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            if a.speaker != b.speaker:
                pairs.append((a, b))
                if len(pairs) >= limit:
                    return pairs
    return pairs


def relation_pairs(claims: Sequence[C], subject: str) -> list[tuple[C, C]]:
    """The pairs a model is asked about, those most likely to clash first."""
    candidates: dict[frozenset[int], tuple[C, C]] = {}
    for a, b in [
        *stance_pairs(claims, MAX_STANCE_PAIRS),
        *target_pairs(claims, subject, MAX_STANCE_PAIRS),
        *_other_pairs(claims, MAX_RELATION_PAIRS),
    ]:
        candidates.setdefault(frozenset((a.id, b.id)), (a, b))
    return list(candidates.values())[:MAX_RELATION_PAIRS]


# --- Deciding and storing ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stanced:
    id: int
    speaker: str | None
    stance: str
    targets: list[StoredTarget]
    claim: StoredClaim


def subject_claims(store: Store, entity_id: int) -> list[_Stanced]:
    """The subject's claims as compare sees them: latest first read, copies counted once."""
    stances, _, _ = queries.claims_about(store.db, entity_id, MAX_CLAIMS)
    claims = load_claims(store, list(stances))
    return [
        _Stanced(g[0].id, g[0].speaker, stances.get(g[0].id, "neutral"), g[0].targets, g[0])
        for g in group_copies(claims)
    ]


def decide_relations(store: Store, judge: Judge, subject_ids: list[int]) -> int:
    """Ask the judge about each subject's candidate pairs and store the answers; returns how
    many relations were stored. Reads, asks (outside any transaction), then writes."""
    stored = 0
    for subject_id in subject_ids:
        refs = queries.entity_refs(store.db, [subject_id])
        answers: list[tuple[int, int, ClaimRelation]] = []
        if refs:
            subject = refs[0].name
            for a, b in relation_pairs(subject_claims(store, subject_id), subject):
                relation = judge.relation(subject, a.claim, b.claim, a.stance, b.stance)
                if relation is not None:
                    answers.append((a.id, b.id, relation))
        with store.write_transaction():
            for a_id, b_id, relation in answers:
                store.db.execute(
                    "insert or replace into claim_relations (subject_id, claim_a, claim_b, "
                    "label, reason, judge, created_at) values (?, ?, ?, ?, ?, ?, ?)",
                    [subject_id, a_id, b_id, relation.label, relation.reason, judge.name, now()],
                )
            store.db.execute("delete from relations_pending where entity_id = ?", [subject_id])
        stored += len(answers)
    return stored
