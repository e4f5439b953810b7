"""`stance compare`: the claims about one subject side by side, by speaker and by source.

For a subject (an event or any entity, named by its names and aliases):

- the claims about it, one per asserted proposition: the same claim republished by several
  outlets (a readout, a syndicated wire story) is one claim with several appearances;
- per speaker, their stance toward the subject overall and the claims behind it;
- per source, which claims it reports, which claims about the subject other sources report
  and it leaves out, and what it reports instead (claims by the same speakers, in the same
  days, about something else);
- the contradictions: claims by different speakers with opposite stances toward the subject,
  and claims whose contents conflict (the model's relation labels when one is configured,
  else opposite stances on another shared target).

Every query is indexed SQL on the subject's claims; nothing loads the whole database.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Literal

from pydantic import BaseModel, Field

from stance.core.models import StoredClaim
from stance.query.contradictions import rank_pair, ranked_groups
from stance.query.coverage import Appearance, Outlet, appearances_of, outlets
from stance.query.pick import pick
from stance.query.statements import group_statements
from stance.resolve.event_features import label as event_label
from stance.resolve.events import link_pending, stored_features
from stance.resolve.judge import Judge, RuleJudge
from stance.store.db import Store

MAX_CLAIMS = 2000  # claims about a subject compared at most (the latest)
MAX_RELATION_PAIRS = 24  # claim pairs sent to the model for a relation label, at most
MAX_OTHER_CLAIMS = 5  # claims a source reports instead, per source
MAX_FUZZY_GROUP = 400  # claims per speaker compared pairwise for near-copies
COPY_RATIO = 90  # quotes at least this similar (0..100) are one claim republished
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


# --- Statements ----------------------------------------------------------------------------------


def group_copies(
    claims: list[StoredClaim], stances: dict[int, str] | None = None
) -> list[list[StoredClaim]]:
    """Claims that are one statement reported several times, grouped (earliest first); see
    `stance.query.statements`."""
    return group_statements(claims, stances)


def _when(claim: StoredClaim) -> tuple[bool, str, int]:
    return (claim.published is None, claim.published or "", claim.id)


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


def _current(alias: str = "c") -> str:
    return (
        f"{alias}.run_id in (select run_id from current_runs) and {alias}.grounding != 'rejected'"
    )


def claims_about(
    store: Store, entity_id: int, limit: int = MAX_CLAIMS
) -> tuple[list[StoredClaim], dict[int, str], dict[int, int | None], int]:
    """(latest claims about an entity, their stance toward it, their speaker's entity id,
    how many claims there are in all)."""
    where = f"t.entity_id = ? and {_current()}"
    total = store.db.execute(
        f"select count(*) from claim_targets t join claims c on c.id = t.claim_id where {where}",
        [entity_id],
    ).fetchone()[0]
    rows = store.db.execute(
        f"select c.id, t.stance, c.speaker_id from claim_targets t join claims c "
        f"on c.id = t.claim_id join documents d on d.id = c.document_id where {where} "
        f"order by d.published desc, c.id desc limit ?",
        [entity_id, limit],
    ).fetchall()
    stances = {int(r[0]): str(r[1]) for r in rows}
    speakers = {int(r[0]): (int(r[2]) if r[2] is not None else None) for r in rows}
    return load_claims(store, list(stances)), stances, speakers, int(total)


def load_claims(store: Store, ids: list[int]) -> list[StoredClaim]:
    found: list[StoredClaim] = []
    for start in range(0, len(ids), 500):
        found += store.claims_by_id(ids[start : start + 500])
    return sorted(found, key=_when)


def compare(
    store: Store,
    query: str,
    *,
    by: Literal["speaker", "source"] = "speaker",
    judge: Judge | None = None,
    limit: int = MAX_CLAIMS,
) -> Comparison:
    """The claims about QUERY (an event or entity) by speaker and source, with contradictions.

    At most `limit` claims are compared, the latest ones (`total_claims` says how many there
    are in all): a subject with more is better narrowed to an event.
    """
    judge = judge or RuleJudge()
    link_pending(store.db, judge)
    picked = pick(store.db, query, role="entity or event")
    ref = picked.ref
    aliases = [
        str(r[0])
        for r in store.db.execute(
            "select alias from aliases where entity_id = ? order by alias limit 50", [ref.id]
        )
    ]
    known = stored_features(store.db, ref.id) if ref.kind == "event" else None
    subject = Subject(
        id=ref.id,
        name=ref.name,
        kind=ref.kind,
        aliases=aliases,
        label=event_label(known, ref.name) if known else None,
    )
    claims, stances, speaker_ids, total = claims_about(store, ref.id, limit)
    groups = group_copies(claims, stances)
    carried = outlets(store.db, [c.document_id for c in claims])
    compared = [_compared(group, stances, carried) for group in groups]
    speakers = _speakers(compared, speaker_ids)
    sources, other_claims = _coverage(store, compared, speaker_ids)
    contradictions = _contradictions(subject, compared, judge)
    return Comparison(
        subject=subject,
        speakers=speakers,
        sources=sources,
        contradictions=contradictions,
        other_claims=other_claims,
        by=by,
        judge=judge.name,
        total_claims=total,
        note=picked.note(query),
        also_matched=[Subject(id=r.id, name=r.name, kind=r.kind) for r in picked.others],
    )


def _compared(
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
    store: Store, compared: list[ComparedClaim], speaker_ids: dict[int, int | None]
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
    others = _reported_instead(store, compared, statement_ids, speaker_ids)
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
) -> dict[str, tuple[set[str], list[int]]]:
    """Per source: claims by the subject's speakers, in the subject's days, on other things."""
    speakers = {s for s in speaker_ids.values() if s is not None}
    dates = sorted(a.published[:10] for c in compared for a in c.appearances if a.published)
    if not dates or not speakers:
        return {}
    marks = ", ".join("?" for _ in speakers)
    rows = store.db.execute(
        f"select c.id, c.document_id, d.source from claims c join documents d "
        f"on d.id = c.document_id where c.speaker_id in ({marks}) and d.published >= ? "
        f"and d.published <= ? and {_current()} order by d.published, c.id limit ?",
        [*sorted(speakers), dates[0], dates[-1] + "\uffff", RELATED_ROWS],
    ).fetchall()
    found: dict[str, tuple[set[str], list[int]]] = {}
    for claim_id, document_id, source in rows:
        if int(claim_id) in subject_ids:
            continue
        docs, ids = found.setdefault(source_label(source, document_id), (set(), []))
        docs.add(str(document_id))
        ids.append(int(claim_id))
    return found


# --- Contradictions -------------------------------------------------------------------------------

Pair = tuple[ComparedClaim, ComparedClaim]


def _other_pairs(claims: list[ComparedClaim], limit: int) -> list[Pair]:
    pairs: list[Pair] = []
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            if a.speaker != b.speaker:
                pairs.append((a, b))
                if len(pairs) >= limit:
                    return pairs
    return pairs


def _contradictions(
    subject: Subject, claims: list[ComparedClaim], judge: Judge
) -> list[Contradiction]:
    """Ranked groups (`stance.query.contradictions`); with a model, its relation labels on
    the strongest pairs add content clashes the stances do not show."""
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
    if isinstance(judge, RuleJudge):
        return found
    by_id = {c.id: c for c in claims}
    # The pairs of the strongest groups go to the model first, then any other pairs.
    candidates: dict[frozenset[int], Pair] = {}
    for item in found:
        for a_id, b_id in [(item.a, item.b), *item.pairs]:
            candidates.setdefault(frozenset((a_id, b_id)), (by_id[a_id], by_id[b_id]))
    for a, b in _other_pairs(claims, MAX_RELATION_PAIRS):
        candidates.setdefault(frozenset((a.id, b.id)), (a, b))
    group_of = {frozenset(p): i for i, item in enumerate(found) for p in item.pairs}
    for key, (a, b) in list(candidates.items())[:MAX_RELATION_PAIRS]:
        relation = judge.relation(subject.name, a, b, a.stance, b.stance)
        if relation is None or relation.label != "contradicts":
            continue
        reason = relation.reason or "the contents conflict"
        if key in group_of:
            # The clash the model confirms stands for its group.
            earlier = found[group_of[key]]
            if earlier.strength == 3 and earlier.kind == "content":
                continue
            ranked = rank_pair(a, b, a.stance, b.stance, subject.name, label)
            stance_reason = ranked.reason if ranked else earlier.reason
            found[group_of[key]] = earlier.model_copy(
                update={
                    "a": a.id,
                    "b": b.id,
                    "kind": "content",
                    "reason": f"{reason}; {stance_reason}",
                    "strength": 3,
                }
            )
        else:
            found.append(
                Contradiction(
                    a=a.id, b=b.id, kind="content", reason=reason, strength=3, pairs=[(a.id, b.id)]
                )
            )
    return sorted(found, key=lambda c: -c.strength)
