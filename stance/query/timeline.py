"""`stance timeline SPEAKER [--about NAME]`: a speaker's stance over time, with its shifts.

One point per date and subject: the speaker's stance toward that subject in the claims of
the documents published that day (a claim republished by several outlets counts once, at
its first appearance). A shift is flagged where the stance toward one subject turns from
support to oppose, or back, between two dated points (neutral points in between are
passed over).
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, Field

from stance.query.compare import (
    ComparedClaim,
    OverallStance,
    Subject,
    compared_claim,
    group_copies,
    overall_stance,
)
from stance.query.coverage import outlets
from stance.query.meaning import Embeds
from stance.query.pick import pick
from stance.resolve.relations import load_claims
from stance.store import queries
from stance.store.db import Store

MAX_CLAIMS = 5_000  # a timeline reads at most this many of the speaker's latest claims


class TimelinePoint(BaseModel):
    date: str | None = Field(description="Publication date (YYYY-MM-DD); null when unknown.")
    subject: str
    subject_id: int
    stance: OverallStance
    claims: list[ComparedClaim]


class Shift(BaseModel):
    subject: str
    subject_id: int
    from_date: str
    to_date: str
    from_stance: str
    to_stance: str
    before_claim_ids: list[int]
    after_claim_ids: list[int]


class Timeline(BaseModel):
    speaker: Subject
    about: Subject | None
    points: list[TimelinePoint]
    shifts: list[Shift]
    notes: list[str] = Field(
        default_factory=list, description="What a query picked when it matched several."
    )


def timeline(
    store: Store,
    speaker: str,
    *,
    about: str | None = None,
    min_confidence: float | None = None,
    embedder: Embeds | None = None,
) -> Timeline:
    """SPEAKER's stance per date toward ABOUT (or toward everything they speak of), claims
    less sure than `min_confidence` left out. Only reads."""
    picked_who = pick(store.db, speaker, role="speaker")
    who = picked_who.ref
    picked_about = (
        pick(store.db, about, role="entity or event", embedder=embedder) if about else None
    )
    subject = picked_about.ref if picked_about else None
    notes = [picked_who.note(speaker), picked_about.note(about or "") if picked_about else None]
    rows = queries.speaker_stances(
        store.db, who.id, subject.id if subject is not None else None, MAX_CLAIMS, min_confidence
    )
    targets: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for claim_id, entity_id, name, stance in rows:
        targets[int(claim_id)].append((int(entity_id), str(name), str(stance)))
    claims = load_claims(store, sorted(targets))
    points: dict[tuple[str | None, int], list[ComparedClaim]] = defaultdict(list)
    names: dict[int, str] = {}
    carried = outlets(store.db, [c.document_id for c in claims])
    for group in group_copies(claims):
        for entity_id, name, stance in targets[group[0].id]:
            names[entity_id] = name
            date = group[0].published[:10] if group[0].published else None
            points[(date, entity_id)].append(compared_claim(group, {group[0].id: stance}, carried))
    ordered = [
        TimelinePoint(
            date=date,
            subject=names[entity_id],
            subject_id=entity_id,
            stance=overall_stance([c.stance for c in found]),
            claims=found,
        )
        for (date, entity_id), found in sorted(
            points.items(), key=lambda p: (p[0][0] is None, p[0][0] or "", names[p[0][1]])
        )
    ]
    return Timeline(
        speaker=_subject(store, who.id, who.name, who.kind),
        about=_subject(store, subject.id, subject.name, subject.kind) if subject else None,
        points=ordered,
        shifts=shifts(ordered),
        notes=[n for n in notes if n],
    )


def _subject(store: Store, entity_id: int, name: str, kind: str) -> Subject:
    return Subject(
        id=entity_id, name=name, kind=kind, aliases=queries.aliases_of(store.db, entity_id)
    )


def shifts(points: list[TimelinePoint]) -> list[Shift]:
    """Turns from support to oppose (or back) toward one subject between dated points."""
    last: dict[int, TimelinePoint] = {}
    found = []
    for point in points:
        if point.date is None or point.stance not in ("support", "oppose"):
            continue
        before = last.get(point.subject_id)
        if before is not None and before.stance != point.stance:
            found.append(
                Shift(
                    subject=point.subject,
                    subject_id=point.subject_id,
                    from_date=before.date or "",
                    to_date=point.date,
                    from_stance=before.stance,
                    to_stance=point.stance,
                    before_claim_ids=[c.id for c in before.claims],
                    after_claim_ids=[c.id for c in point.claims],
                )
            )
        last[point.subject_id] = point
    return found
