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
    return claim.claim_type == "denial" or _says_not(claim.quote)


@lru_cache(maxsize=16384)
def _says_not(quote: str) -> bool:
    return bool(_NEGATION.search(quote.lower()))


@lru_cache(maxsize=256)
def _common(label: str) -> frozenset[str]:
    """Words every claim about the subject may share: its name's, and event words."""
    return _words(label) | _EVENT_WORDS


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


@dataclass(frozen=True)
class _Clash:
    """What two claims clash on, before the words of a reason are written."""

    strength: int
    on_subject: bool
    shared: tuple[str, ...]
    overlap: float


@dataclass(frozen=True)
class _Facts:
    """What a claim brings to each pair it is in, read once per claim."""

    words: frozenset[str]  # its quote's words beyond the subject's name and event words
    target_words: frozenset[str]  # the words of its targets other than the subject
    targets: dict[str, str]  # target (other than the subject) → stance
    negated: bool


def _facts(claim: StoredClaim, subject: str, label: str) -> _Facts:
    others = [t for t in claim.targets if t.name != subject]
    return _Facts(
        words=_words(claim.quote) - _common(label),
        target_words=frozenset().union(*(_words(t.name) for t in others)),
        targets={t.name: t.stance for t in others},
        negated=_negated(claim),
    )


def _clash(a: _Facts, b: _Facts, stance_a: str, stance_b: str) -> _Clash | None:
    on_subject = {stance_a, stance_b} == OPPOSITE
    shared = [
        name
        for name, stance in a.targets.items()
        if name in b.targets and {stance, b.targets[name]} == OPPOSITE
    ]
    if not on_subject and not shared:
        return None
    # Words the two share beyond the subject's own name ("meeting"): what they clash on.
    overlap = len(a.words & b.words) / max(1, min(len(a.words), len(b.words)))
    # A target both name with opposite stances, when that is all they clash on.
    overlap += 1.0 if shared and not on_subject else 0.0
    # One names what the other's target is ("not against Azerbaijan" / "anti-Azerbaijan").
    overlap += 0.5 * bool(a.target_words & b.words or b.target_words & a.words)
    denies = a.negated != b.negated and (bool(shared) or overlap > 0)
    strength = 3 if denies else 2 if on_subject else 1
    return _Clash(strength, on_subject, tuple(shared), round(overlap, 3))


def _ranked(
    a: StoredClaim, b: StoredClaim, stance_a: str, stance_b: str, label: str, clash: _Clash
) -> RankedPair:
    if clash.strength == 3:
        what = label if clash.on_subject else ", ".join(clash.shared)
        reason = f"{a.speaker} and {b.speaker}: one denies what the other asserts about {what}"
    elif clash.on_subject:
        reason = f"{a.speaker} {_verb(stance_a)} {label}; {b.speaker} {_verb(stance_b)} it"
    else:
        reason = f"{a.speaker} and {b.speaker}: opposite stances on {', '.join(clash.shared)}"
    kind = "stance" if clash.on_subject else "content"
    return RankedPair(a.id, b.id, reason, kind, clash.strength, clash.overlap, 1, [(a.id, b.id)])


def rank_pair(
    a: StoredClaim, b: StoredClaim, stance_a: str, stance_b: str, subject: str, label: str
) -> RankedPair | None:
    """The contradiction two claims make, or None."""
    clash = _clash(_facts(a, subject, label), _facts(b, subject, label), stance_a, stance_b)
    return None if clash is None else _ranked(a, b, stance_a, stance_b, label, clash)


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
    facts = {c.id: _facts(c, subject, label) for c in claims}
    groups: list[RankedPair] = []
    for first, second in pairs_of_speakers:
        best: tuple[tuple[float, float, float], StoredClaim, StoredClaim, _Clash] | None = None
        pairs: list[tuple[int, int]] = []
        for a in by_speaker[first][:MAX_PER_SPEAKER]:
            for b in by_speaker[second][:MAX_PER_SPEAKER]:
                sa, sb = side_of(a), side_of(b)
                if sa is None or sb is None or sa == sb:
                    continue
                # Support first in each pair, as the view shows the sides.
                x, y = (a, b) if sa == "support" else (b, a)
                clash = _clash(
                    facts[x.id],
                    facts[y.id],
                    stances.get(x.id, "neutral"),
                    stances.get(y.id, "neutral"),
                )
                if clash is None:
                    continue
                pairs.append((x.id, y.id))
                weight = (float(clash.strength), float(clash.on_subject), clash.overlap)
                if best is None or weight > best[0]:
                    best = (weight, x, y, clash)
        if best is not None:
            _, x, y, clash = best
            found = _ranked(
                x, y, stances.get(x.id, "neutral"), stances.get(y.id, "neutral"), label, clash
            )
            groups.append(
                RankedPair(
                    found.a,
                    found.b,
                    found.reason,
                    found.kind,
                    found.strength,
                    found.overlap,
                    len(pairs),
                    pairs,
                )
            )
    groups.sort(key=lambda g: (tuple(-w for w in _weight(g)), -g.count, g.a, g.b))
    return groups[:MAX_GROUPS], len(groups)
