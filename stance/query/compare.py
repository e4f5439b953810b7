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
from stance.query.contradictions import rank_pair, ranked_groups
from stance.query.coverage import Appearance, Outlet, appearances_of, outlets
from stance.query.meaning import Embeds
from stance.query.pick import pick
from stance.resolve.relations import MAX_CLAIMS, load_claims
from stance.resolve.statements import group_statements
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
    """A group of contradicting pairs between two speakers; `a`/`b` is its strongest pair."""

    a: int
    b: int
    reason: str
    kind: Literal["stance", "content"]
    strength: int = Field(
        default=2,
        description="3: one denies what the other asserts; 2: opposite stances on the "
        "subject; 1: opposite stances on another shared target.",
    )
    count: int = Field(default=1, description="Pairs of claims between these two speakers.")
    pairs: list[tuple[int, int]] = Field(default_factory=list)


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
    note: str | None = Field(
        default=None, description="What the query picked when it matched several (for stderr)."
    )
    also_matched: list[Subject] = Field(
        default_factory=list, description="What else the query matched, best first."
    )
    min_confidence: float | None = Field(
        default=None, description="Claims the extractor was less sure of than this are hidden."
    )
    unsure_hidden: int = Field(default=0, description="How many claims that hid.")


# --- Statements ----------------------------------------------------------------------------------


def group_copies(
    claims: list[StoredClaim], stances: dict[int, str] | None = None
) -> list[list[StoredClaim]]:
    """Claims that are one statement reported several times, grouped (earliest first); see
    `stance.resolve.statements`."""
    return group_statements(claims, stances)


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
    store: Store, entity_id: int, limit: int = MAX_CLAIMS, min_confidence: float | None = None
) -> tuple[list[StoredClaim], dict[int, str], dict[int, int | None], int]:
    """(latest claims about an entity, their stance toward it, their speaker's entity id,
    how many claims there are in all), claims less sure than `min_confidence` left out."""
    stances, speakers, total = queries.claims_about(store.db, entity_id, limit, min_confidence)
    return load_claims(store, list(stances)), stances, speakers, total


def compare(
    store: Store,
    query: str,
    *,
    by: Literal["speaker", "source"] = "speaker",
    limit: int = MAX_CLAIMS,
    min_confidence: float | None = None,
    embedder: Embeds | None = None,
) -> Comparison:
    """The claims about QUERY (an event or entity) by speaker and source, with contradictions.

    At most `limit` claims are compared, the latest ones (`total_claims` says how many there
    are in all): a subject with more is better narrowed to an event. Claims the extractor
    was less sure of than `min_confidence` (0-1) are left out; those without a confidence
    (a model's) are kept. With an `embedder` (`stance.extraction.embeddings`), a query whose
    words name no event is matched to events by meaning.
    """
    picked = pick(store.db, query, role="entity or event", embedder=embedder)
    ref = picked.ref
    aliases = queries.aliases_of(store.db, ref.id)
    known = queries.stored_features(store.db, ref.id) if ref.kind == "event" else None
    subject = Subject(
        id=ref.id,
        name=ref.name,
        kind=ref.kind,
        aliases=aliases,
        label=event_label(known, ref.name) if known else None,
    )
    claims, stances, speaker_ids, total = claims_about(store, ref.id, limit, min_confidence)
    groups = group_copies(claims, stances)
    carried = outlets(store.db, [c.document_id for c in claims])
    compared = [compared_claim(group, stances, carried) for group in groups]
    speakers = _speakers(compared, speaker_ids)
    sources, other_claims = _coverage(store, compared, speaker_ids, min_confidence)
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
        note=picked.note(query),
        also_matched=[Subject(id=r.id, name=r.name, kind=r.kind) for r in picked.others],
        min_confidence=min_confidence or None,
        unsure_hidden=(
            queries.unsure_about(store.db, ref.id, min_confidence) if min_confidence else 0
        ),
    )


def compared_claim(
    group: list[StoredClaim], stances: dict[int, str], carried: dict[str, list[Outlet]]
) -> ComparedClaim:
    first = group[0]
    appearances = appearances_of(group, carried)
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
    store: Store,
    compared: list[ComparedClaim],
    speaker_ids: dict[int, int | None],
    min_confidence: float | None = None,
) -> tuple[list[SourceCoverage], list[StoredClaim]]:
    """Per outlet: the statements it carries (by their appearances, the same count as the
    timeline's), those it leaves out, and what it reports instead."""
    reported: dict[str, list[int]] = defaultdict(list)
    documents: dict[str, set[str]] = defaultdict(set)
    present: dict[str, set[int]] = defaultdict(set)  # source → statements (by first claim id)
    for claim in compared:
        for appearance in claim.appearances:
            label = source_label(appearance.source, appearance.document_id)
            if appearance.claim_id not in reported[label]:
                reported[label].append(appearance.claim_id)
            documents[label].add(appearance.document_id)
            present[label].add(claim.id)
    statement_ids = {a.claim_id for c in compared for a in c.appearances}
    others = _reported_instead(store, compared, statement_ids, speaker_ids, min_confidence)
    for label, (document_ids, _) in others.items():
        documents[label] |= document_ids
    all_statements = [c.id for c in compared]
    coverage = []
    for label in sorted(documents, key=lambda s: (-len(present[s]), s)):
        other_ids = others.get(label, (set(), []))[1]
        coverage.append(
            SourceCoverage(
                source=label,
                document_ids=sorted(documents[label]),
                claim_ids=sorted(reported[label]),
                missing_claim_ids=[g for g in all_statements if g not in present[label]],
                other_claim_ids=other_ids[:MAX_OTHER_CLAIMS],
            )
        )
    shown = sorted({i for c in coverage for i in c.other_claim_ids})
    return coverage, load_claims(store, shown)


def _reported_instead(
    store: Store,
    compared: list[ComparedClaim],
    subject_ids: set[int],
    speaker_ids: dict[int, int | None],
    min_confidence: float | None = None,
) -> dict[str, tuple[set[str], list[int]]]:
    """Per source: claims by the subject's speakers, in the subject's days, on other things."""
    speakers = {s for s in speaker_ids.values() if s is not None}
    dates = sorted(a.published[:10] for c in compared for a in c.appearances if a.published)
    if not dates or not speakers:
        return {}
    rows = queries.claims_by_speakers_between(
        store.db, speakers, dates[0], dates[-1], RELATED_ROWS, min_confidence
    )
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
    """Ranked groups (`stance.query.contradictions`); the model's relation labels, stored
    by the resolution pass (`relations`), make a confirmed clash stand for its group."""
    label = subject.label or subject.name
    stances = {c.id: c.stance for c in claims}
    groups, _ = ranked_groups(claims, stances, subject.name, label)
    found = [
        Contradiction(
            a=g.a,
            b=g.b,
            reason=g.reason,
            kind=g.kind,  # type: ignore[arg-type]
            strength=g.strength,
            count=g.count,
            pairs=g.pairs,
        )
        for g in groups
    ]
    by_id = {c.id: c for c in claims}
    group_of = {frozenset(p): i for i, item in enumerate(found) for p in item.pairs}
    for a_id, b_id, relation, why, _ in relations:
        if relation != "contradicts" or a_id not in by_id or b_id not in by_id:
            continue
        a, b = by_id[a_id], by_id[b_id]
        reason = why or "the contents conflict"
        key = frozenset((a_id, b_id))
        if key in group_of:
            earlier = found[group_of[key]]
            if earlier.strength == 3 and earlier.kind == "content":
                continue
            x, y = (
                (a, b)
                if (earlier.a, earlier.b) == (a_id, b_id) or (a_id, b_id) in earlier.pairs
                else (b, a)
            )
            ranked = rank_pair(x, y, x.stance, y.stance, subject.name, label)
            stance_reason = ranked.reason if ranked else earlier.reason
            found[group_of[key]] = earlier.model_copy(
                update={
                    "a": x.id,
                    "b": y.id,
                    "kind": "content",
                    "reason": f"{reason}; {stance_reason}",
                    "strength": 3,
                }
            )
        else:
            found.append(
                Contradiction(
                    a=a_id, b=b_id, kind="content", reason=reason, strength=3, pairs=[(a_id, b_id)]
                )
            )
    return sorted(found, key=lambda c: -c.strength)
