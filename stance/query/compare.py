"""`stance compare`: the claims about one subject side by side, by speaker and by source.

For a subject (an event or any entity, named by its names and aliases):

- the claims about it, one per asserted proposition: the same claim republished by several
  outlets (a readout, a syndicated wire story) is one claim with several appearances;
- per speaker, their stance toward the subject overall and the claims behind it;
- per source, which claims it reports, which claims about the subject other sources report
  and it leaves out, and what it reports instead (claims by the same speakers, in the same
  days, about something else);
- the contradictions: claims by different speakers with opposite stances toward the subject,
  and claims whose contents conflict (the relation labels a model gave while ingesting or in
  `stance resolve --model`, stored; else opposite stances on another shared target).

Only reads: every query is indexed SQL on the subject's claims (`stance.store.queries`);
nothing loads the whole database, nothing is written and no model is asked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Literal

from pydantic import BaseModel, Field

from stance.core.event_features import label as event_label
from stance.core.models import StoredClaim
from stance.resolve.overrides import find_entity
from stance.resolve.relations import (
    MAX_CLAIMS,
    MAX_STANCE_PAIRS,
    group_copies,
    load_claims,
    shared_opposite,
    stance_pairs,
    target_pairs,
)
from stance.store import queries
from stance.store.db import Store

MAX_OTHER_CLAIMS = 5  # claims a source reports instead, per source
RELATED_ROWS = 5000  # claims read at most when looking for what sources report instead
SIDE_ORDER = {"support": 0, "oppose": 1, "mixed": 2, "neutral": 3}
OverallStance = Literal["support", "oppose", "neutral", "mixed"]


class Subject(BaseModel):
    id: int
    name: str
    kind: str
    label: str | None = Field(
        default=None,
        description="A readable name for an event: 'US-EU-Armenia meeting (2024-04-05)'.",
    )
    aliases: list[str] = Field(default_factory=list)


class Appearance(BaseModel):
    """One place where a claim was published."""

    claim_id: int
    document_id: str
    source: str | None
    published: str | None


class ComparedClaim(StoredClaim):
    """A claim about the subject: the speaker's stance toward it, and every appearance."""

    stance: str = Field(description="The speaker's stance toward the subject in this claim.")
    appearances: list[Appearance] = Field(default_factory=list)


class SpeakerSide(BaseModel):
    name: str
    entity_id: int | None
    stance: OverallStance
    counts: dict[str, int]
    claims: list[ComparedClaim]


class SourceCoverage(BaseModel):
    source: str
    document_ids: list[str]
    claim_ids: list[int]
    missing_claim_ids: list[int] = Field(
        description="Claims about the subject that other sources report and this one does not."
    )
    other_claim_ids: list[int] = Field(
        description="What it reports instead: claims by the same speakers on other things."
    )


class Contradiction(BaseModel):
    a: int
    b: int
    reason: str
    kind: Literal["stance", "content"]


class Comparison(BaseModel):
    subject: Subject
    speakers: list[SpeakerSide]
    sources: list[SourceCoverage]
    contradictions: list[Contradiction]
    other_claims: list[StoredClaim] = Field(
        default_factory=list, description="The claims named by the sources' other_claim_ids."
    )
    by: Literal["speaker", "source"] = "speaker"
    judge: str = "rules"
    total_claims: int = Field(
        default=0,
        description="Claims about the subject in all; only "
        "the latest `limit` of them are compared.",
    )


def source_label(source: str | None, document_id: str) -> str:
    return source or f"unknown source (document {document_id[:12]})"


def overall_stance(stances: list[str]) -> OverallStance:
    counts = Counter(stances)
    if counts["support"] > counts["oppose"]:
        return "support"
    if counts["oppose"] > counts["support"]:
        return "oppose"
    return "mixed" if counts["support"] else "neutral"


# --- Compare ------------------------------------------------------------------------------------


def claims_about(
    store: Store, entity_id: int, limit: int = MAX_CLAIMS
) -> tuple[list[StoredClaim], dict[int, str], dict[int, int | None], int]:
    """(latest claims about an entity, their stance toward it, their speaker's entity id,
    how many claims there are in all)."""
    stances, speakers, total = queries.claims_about(store.db, entity_id, limit)
    return load_claims(store, list(stances)), stances, speakers, total


def compare(
    store: Store,
    query: str,
    *,
    by: Literal["speaker", "source"] = "speaker",
    limit: int = MAX_CLAIMS,
) -> Comparison:
    """The claims about QUERY (an event or entity) by speaker and source, with contradictions.

    At most `limit` claims are compared, the latest ones (`total_claims` says how many there
    are in all): a subject with more is better narrowed to an event.
    """
    ref = find_entity(store.db, query, role="entity or event")
    aliases = queries.aliases_of(store.db, ref.id)
    known = queries.stored_features(store.db, ref.id) if ref.kind == "event" else None
    subject = Subject(
        id=ref.id,
        name=ref.name,
        kind=ref.kind,
        aliases=aliases,
        label=event_label(known, ref.name) if known else None,
    )
    claims, stances, speaker_ids, total = claims_about(store, ref.id, limit)
    groups = group_copies(claims)
    compared = [compared_claim(group, stances) for group in groups]
    speakers = _speakers(compared, speaker_ids)
    sources, other_claims = _coverage(store, groups, speaker_ids)
    relations = queries.stored_relations(store.db, ref.id, [c.id for c in compared])
    contradictions = _contradictions(subject, compared, relations)
    return Comparison(
        subject=subject,
        speakers=speakers,
        sources=sources,
        contradictions=contradictions,
        other_claims=other_claims,
        by=by,
        judge=relations[0][4] if relations else "rules",
        total_claims=total,
    )


def compared_claim(group: list[StoredClaim], stances: dict[int, str]) -> ComparedClaim:
    first = group[0]
    appearances = [
        Appearance(claim_id=c.id, document_id=c.document_id, source=c.source, published=c.published)
        for c in group
    ]
    return ComparedClaim(
        **first.model_dump(), stance=stances.get(first.id, "neutral"), appearances=appearances
    )


def _speakers(
    compared: list[ComparedClaim], speaker_ids: dict[int, int | None]
) -> list[SpeakerSide]:
    by_name: dict[str, list[ComparedClaim]] = defaultdict(list)
    for claim in compared:
        by_name[claim.speaker or "unknown speaker"].append(claim)
    sides = []
    for name, claims in by_name.items():
        stances = [c.stance for c in claims]
        sides.append(
            SpeakerSide(
                name=name,
                entity_id=speaker_ids.get(claims[0].id),
                stance=overall_stance(stances),
                counts={s: stances.count(s) for s in ("support", "oppose", "neutral")},
                claims=claims,
            )
        )
    return sorted(sides, key=lambda s: (SIDE_ORDER[s.stance], -len(s.claims), s.name))


def _coverage(
    store: Store, groups: list[list[StoredClaim]], speaker_ids: dict[int, int | None]
) -> tuple[list[SourceCoverage], list[StoredClaim]]:
    reported: dict[str, list[int]] = defaultdict(list)
    documents: dict[str, set[str]] = defaultdict(set)
    present: dict[str, set[int]] = defaultdict(set)  # source → groups (by first claim id)
    for group in groups:
        for claim in group:
            label = source_label(claim.source, claim.document_id)
            reported[label].append(claim.id)
            documents[label].add(claim.document_id)
            present[label].add(group[0].id)
    others = _reported_instead(store, groups, {s for s in speaker_ids.values() if s is not None})
    for label, (document_ids, _) in others.items():
        documents[label] |= document_ids
    all_groups = [g[0].id for g in groups]
    coverage = []
    for label in sorted(documents, key=lambda s: (-len(present[s]), s)):
        other_ids = others.get(label, (set(), []))[1]
        coverage.append(
            SourceCoverage(
                source=label,
                document_ids=sorted(documents[label]),
                claim_ids=sorted(reported[label]),
                missing_claim_ids=[g for g in all_groups if g not in present[label]],
                other_claim_ids=other_ids[:MAX_OTHER_CLAIMS],
            )
        )
    shown = sorted({i for c in coverage for i in c.other_claim_ids})
    return coverage, load_claims(store, shown)


def _reported_instead(
    store: Store, groups: list[list[StoredClaim]], speakers: set[int]
) -> dict[str, tuple[set[str], list[int]]]:
    """Per source: claims by the subject's speakers, in the subject's days, on other things."""
    dates = sorted(c.published[:10] for g in groups for c in g if c.published)
    if not dates or not speakers:
        return {}
    subject_ids = {c.id for g in groups for c in g}
    rows = queries.claims_by_speakers_between(store.db, speakers, dates[0], dates[-1], RELATED_ROWS)
    found: dict[str, tuple[set[str], list[int]]] = {}
    for claim_id, document_id, source in rows:
        if int(claim_id) in subject_ids:
            continue
        docs, ids = found.setdefault(source_label(source, document_id), (set(), []))
        docs.add(str(document_id))
        ids.append(int(claim_id))
    return found


# --- Contradictions -------------------------------------------------------------------------------


def _contradictions(
    subject: Subject, claims: list[ComparedClaim], relations: list[tuple[int, int, str, str, str]]
) -> list[Contradiction]:
    """Opposite stances on the subject; conflicting contents, as a model labelled them
    (`relations`, stored by the resolution pass), else opposite stances on a shared target."""
    found: dict[frozenset[int], Contradiction] = {}
    for a, b in stance_pairs(claims, MAX_STANCE_PAIRS):
        found[frozenset((a.id, b.id))] = Contradiction(
            a=a.id,
            b=b.id,
            kind="stance",
            reason=f"{a.speaker} supports {subject.label or subject.name}; {b.speaker} opposes it",
        )
    content: list[tuple[tuple[int, int], str]]
    if relations:
        content = [
            ((a, b), reason or "the contents conflict")
            for a, b, label, reason, _ in relations
            if label == "contradicts"
        ]
    else:
        content = [
            ((a.id, b.id), "opposite stances on " + ", ".join(shared_opposite(a, b, subject.name)))
            for a, b in target_pairs(claims, subject.name, MAX_STANCE_PAIRS)
        ]
    for (a_id, b_id), reason in content:
        key = frozenset((a_id, b_id))
        if key in found:
            earlier = found[key]
            found[key] = Contradiction(
                a=earlier.a, b=earlier.b, kind="content", reason=f"{reason}; {earlier.reason}"
            )
        else:
            found[key] = Contradiction(a=a_id, b=b_id, kind="content", reason=reason)
    return sorted(found.values(), key=lambda c: (c.kind != "content", c.a, c.b))
