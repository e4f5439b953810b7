"""Contradictions about one subject, ranked and grouped: the real dispute on top.

A pair is two claims by speakers on different sides (one supports the subject overall, the
other opposes it; a speaker with no side of their own is placed by the claim) that take
opposite stances on the same thing: the subject itself, or another target both name
("not against Veldoria" / "against Veldoria"). Pairs are ranked by strength:

3. one denies what the other asserts: opposite stances and one claim says "not"/"no" (or is
   a denial) about the same target, their words overlapping;
2. opposite stances on the subject itself;
1. opposite stances on another shared target.

Within a strength, a clash on the subject itself comes first, then the pair whose quotes
share more words. Pairs between the same two speakers are
one group: its strongest pair stands for it, with the number of pairs. The work is bounded
per pair of speakers (`MAX_PER_SPEAKER` claims each), never over all pairs of claims.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from stance.core.models import StoredClaim
from stance.resolve.relations import OPPOSITE

MAX_PER_SPEAKER = 30  # a speaker's claims read per pair of speakers, at most
MAX_GROUPS = 60  # groups listed, at most
MAX_SPEAKERS_PER_SIDE = 40  # the speakers with most claims on each side are paired
_NEGATION = re.compile(r"\b(?:not|no|never|nor|neither|nothing|n't|deny|denies|denied|reject\w*)\b")
_EVENT_WORDS = frozenset(
    """meeting meetings conference summit talks call visit session forum gathering january
    february march april june july august september october november december monday
    tuesday wednesday thursday friday saturday sunday today tomorrow yesterday""".split()
)
_WORD = re.compile(r"[^\W\d_]{4,}")
_STOP = frozenset(
    """that this with from have been were will would said says they their there about which
    other into than then them what when also only more most such over some very just""".split()
)


@dataclass(frozen=True)
class RankedPair:
    """One contradiction group: its strongest pair, why, how strong, how many pairs."""

    a: int
    b: int
    reason: str
    kind: str  # "stance" (on the subject) | "content" (on another target)
    strength: int
    overlap: float
    count: int = 1
    pairs: list[tuple[int, int]] = field(default_factory=list)


@lru_cache(maxsize=16384)
def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _STOP)


def _negated(claim: StoredClaim) -> bool:
    return claim.claim_type == "denial" or bool(_NEGATION.search(claim.quote.lower()))


def sides(claims: Sequence[StoredClaim], stances: dict[int, str]) -> dict[str | None, str]:
    """Each speaker's side toward the subject: support or oppose by their claims' majority."""
    tally: dict[str | None, dict[str, int]] = defaultdict(lambda: {"support": 0, "oppose": 0})
    for claim in claims:
        stance = stances.get(claim.id, "neutral")
        if stance in OPPOSITE:
            tally[claim.speaker][stance] += 1
    found = {}
    for speaker, counts in tally.items():
        if counts["support"] != counts["oppose"]:
            found[speaker] = "support" if counts["support"] > counts["oppose"] else "oppose"
    return found


def _opposite_targets(a: StoredClaim, b: StoredClaim, subject: str) -> list[str]:
    theirs = {t.name: t.stance for t in b.targets}
    return [
        t.name
        for t in a.targets
        if t.name != subject and t.name in theirs and {t.stance, theirs[t.name]} == OPPOSITE
    ]


def rank_pair(
    a: StoredClaim, b: StoredClaim, stance_a: str, stance_b: str, subject: str, label: str
) -> RankedPair | None:
    """The contradiction two claims make, or None."""
    on_subject = {stance_a, stance_b} == OPPOSITE
    shared = _opposite_targets(a, b, subject)
    if not on_subject and not shared:
        return None
    # Words the two share beyond the subject's own name ("meeting"): what they clash on.
    common = _words(label) | _EVENT_WORDS
    words_a, words_b = _words(a.quote) - common, _words(b.quote) - common
    overlap = len(words_a & words_b) / max(1, min(len(words_a), len(words_b)))
    # A target both name with opposite stances, when that is all they clash on.
    overlap += 1.0 if shared and not on_subject else 0.0
    # One names what the other's target is ("not against Azerbaijan" / "anti-Azerbaijan").
    overlap += 0.5 * any(
        _words(t.name) & _words(other.quote) - common
        for one, other in ((a, b), (b, a))
        for t in one.targets
        if t.name != subject
    )
    denies = _negated(a) != _negated(b) and (shared or overlap > 0)
    if denies:
        strength = 3
        what = label if on_subject else ", ".join(shared)
        reason = f"{a.speaker} and {b.speaker}: one denies what the other asserts about {what}"
    elif on_subject:
        strength = 2
        reason = f"{a.speaker} {_verb(stance_a)} {label}; {b.speaker} {_verb(stance_b)} it"
    else:
        strength = 1
        reason = f"{a.speaker} and {b.speaker}: opposite stances on {', '.join(shared)}"
    kind = "stance" if on_subject else "content"
    return RankedPair(a.id, b.id, reason, kind, strength, round(overlap, 3), 1, [(a.id, b.id)])


def _verb(stance: str) -> str:
    return {"support": "supports", "oppose": "opposes"}.get(stance, f"is {stance} on")


def _weight(pair: RankedPair) -> tuple[float, float, float]:
    """Strength, then a clash on the subject itself before one on another target, then the
    words the two share."""
    return (pair.strength, float(pair.kind == "stance"), pair.overlap)


def ranked_groups(
    claims: Sequence[StoredClaim], stances: dict[int, str], subject: str, label: str
) -> tuple[list[RankedPair], int]:
    """(the contradiction groups, strongest first, at most MAX_GROUPS; how many in all)."""
    side = sides(claims, stances)
    by_speaker: dict[str | None, list[StoredClaim]] = defaultdict(list)
    for claim in claims:
        by_speaker[claim.speaker].append(claim)

    def side_of(claim: StoredClaim) -> str | None:
        return side.get(claim.speaker) or (
            stances.get(claim.id) if stances.get(claim.id) in OPPOSITE else None
        )

    # Speakers who take a side, or make a claim with one, the busiest first on each side.
    taking: dict[str, list[str]] = {"support": [], "oppose": []}
    for speaker, said in sorted(by_speaker.items(), key=lambda s: (-len(s[1]), s[0] or "")):
        if speaker is None:
            continue
        for stance in {side_of(c) for c in said} - {None}:
            if len(taking[str(stance)]) < MAX_SPEAKERS_PER_SIDE:
                taking[str(stance)].append(speaker)
    pairs_of_speakers = sorted(
        {tuple(sorted((x, y))) for x in taking["support"] for y in taking["oppose"] if x != y}
    )
    groups: list[RankedPair] = []
    for first, second in pairs_of_speakers:
        best: RankedPair | None = None
        pairs: list[tuple[int, int]] = []
        for a in by_speaker[first][:MAX_PER_SPEAKER]:
            for b in by_speaker[second][:MAX_PER_SPEAKER]:
                sa, sb = side_of(a), side_of(b)
                if sa is None or sb is None or sa == sb:
                    continue
                # Support first in each pair, as the view shows the sides.
                x, y = (a, b) if sa == "support" else (b, a)
                found = rank_pair(
                    x,
                    y,
                    stances.get(x.id, "neutral"),
                    stances.get(y.id, "neutral"),
                    subject,
                    label,
                )
                if found is None:
                    continue
                pairs.append((x.id, y.id))
                if best is None or _weight(found) > _weight(best):
                    best = found
        if best is not None:
            groups.append(
                RankedPair(
                    best.a,
                    best.b,
                    best.reason,
                    best.kind,
                    best.strength,
                    best.overlap,
                    len(pairs),
                    pairs,
                )
            )
    groups.sort(key=lambda g: (tuple(-w for w in _weight(g)), -g.count, g.a, g.b))
    return groups[:MAX_GROUPS], len(groups)
