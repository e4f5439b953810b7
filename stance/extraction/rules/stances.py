"""How the speaker stands toward each target of a claim, and what kind of claim it is, for
the rules extractor.

Stance is read from the wording: the balance of negative and positive words in the clause
around the target, then in the whole claim (a negator just before a word turns it round:
"found no wrongdoing" is good news for whoever was investigated; a good word right after a
harming verb, "undermines the peace process", counts as bad). A target on the receiving end
of criticism ("anti-Moldova", "threat to Latvia") is defended, one pressed to act ("the
need for Moldova to ...") is criticised, and the speaker's own side (its body, its
country) is supported, the more so when the speaker insists, maintains or denies.
"""

from __future__ import annotations

import re

from stance.core.models import ClaimType, Stance, Target
from stance.extraction.rules.lexicon import cue_claim_type
from stance.extraction.rules.lexicon_stance import (
    ADDRESSEE_AFTER,
    ADDRESSEE_BEFORE,
    CLAIM_TYPE_WORDS,
    ELLIPTICAL_NEGATION,
    HARM_VERBS,
    LESSEN_VERBS,
    NEGATIVE_WORDS,
    NEGATORS,
    POSITIVE_WORDS,
    VICTIM_MARKERS,
)
from stance.extraction.rules.targets import Claimant, Found

_HARM = re.compile(r"\b(?:" + HARM_VERBS + r")\b", re.IGNORECASE)
_LESSEN = re.compile(r"\b(?:" + LESSEN_VERBS + r")\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:]|\s(?:but|despite|although|though|while|whereas|yet)\s")


def _within_words(view: str, pattern: re.Pattern[str], at: int, words: int = 3) -> bool:
    """A match of `pattern` ends within `words` words before offset `at`."""
    window = view[max(0, at - 40) : at]
    hits = list(pattern.finditer(window))
    return bool(hits) and len(window[hits[-1].end() :].split()) <= words


def _hits(view: str, start: int, end: int) -> list[tuple[int, int]]:
    """(offset, +1 or -1) of each evaluative word of view[start:end]. A negated word counts
    reversed, a good word right after a harming verb ("undermines the peace process") counts
    as bad, and a bad one right after a lessening verb ("reduced the incidents") as good."""
    hits: list[tuple[int, int]] = []
    for pattern, sign in ((POSITIVE_WORDS, 1), (NEGATIVE_WORDS, -1)):
        for m in pattern.finditer(view, start, end):
            if m.group()[0].isupper() and m.start() > start:
                continue  # part of a name ("European Peace Facility"), not an evaluation
            flipped = _within_words(view, NEGATORS, m.start())
            if sign > 0 and _within_words(view, _HARM, m.start()):
                flipped = True
            if sign < 0 and _within_words(view, _LESSEN, m.start(), 4):
                flipped = not flipped
            hits.append((m.start(), -sign if flipped else sign))
    return hits


def _score(view: str, hits: list[tuple[int, int]], low: int, high: int, end: int) -> int:
    """Polarity of view[low:high] of a claim ending at `end`: the sum of its words, turned
    negative when the claim ends by denying what it set up ("... and did not")."""
    score = sum(value for at, value in hits if low <= at < high)
    if high == end and ELLIPTICAL_NEGATION.search(view, low, end):
        score = -abs(score)
    return score


def _clause_polarity(view: str, hits: list[tuple[int, int]], start: int, end: int, at: int) -> int:
    """Polarity of the clause of view[start:end] around offset `at`."""
    low, high = start, end
    for m in _CLAUSE_BREAK.finditer(view, start, end):
        if m.end() <= at:
            low = m.end()
        elif m.start() >= at:
            high = m.start()
            break
    return _score(view, hits, low, high, end)


def stance_of(
    view: str,
    found: Found,
    start: int,
    end: int,
    hits: list[tuple[int, int]],
    score: int,
    claimant: Claimant,
    claim_type: str,
) -> Stance:
    """The speaker's stance toward one target of the claim at view[start:end], whose
    evaluative words are `hits` and score `score` overall."""
    if found.name in claimant.own or (claimant.person and found.name == claimant.name):
        return "support"  # a speaker takes its own side
    if found.at >= 0:
        before = view[max(start, found.at - 60) : found.at]
        after = view[found.end : found.end + 30] if found.end > 0 else ""
        if ADDRESSEE_BEFORE.search(before) or ADDRESSEE_AFTER.match(after):
            return "oppose"  # "the need for Moldova to ...", "China should also ..."
        marker = VICTIM_MARKERS.search(before)
        if marker:  # "not against Moldova", "anti-Moldova", "undermines the process"
            if _within_words(view, NEGATORS, found.at - len(marker.group())):
                return "support"
            return "support" if score < 0 else "neutral"
        score = _clause_polarity(view, hits, start, end, found.at) or score
    if claim_type == "accusation":
        score = min(score, -1)
    if claim_type in {"demand", "commitment"} and found.kind == "event" and score >= 0:
        return "support"  # what a speaker urges or undertakes, it is for
    if score > 0:
        return "support"
    if score < 0:
        return "oppose"
    return "neutral"


def claim_type_of(lemma: str, quote: str) -> ClaimType:
    """The speech act: from the cue ("denied", "warned"), else from the wording ("baseless",
    "will lead to", "the need to"), else a statement."""
    by_cue = cue_claim_type(lemma)
    if by_cue != "statement":
        return by_cue
    for kind, pattern in CLAIM_TYPE_WORDS:
        if pattern.search(quote):
            return kind
    return "statement"


def targets_with_stance(
    view: str,
    start: int,
    end: int,
    found: list[Found],
    claimant: Claimant,
    claim_type: str,
    cue_bias: int = 0,
) -> list[Target]:
    """Targets with the speaker's stance; `cue_bias` is +1 for "welcomed", -1 for
    "condemned" and the like, 0 for a neutral cue."""
    hits = _hits(view, start, end)
    score = _score(view, hits, start, end, end) + cue_bias
    return [
        Target(
            name=f.name,
            kind=f.kind,
            stance=stance_of(view, f, start, end, hits, score, claimant, claim_type),
            date=f.date,
        )
        for f in found
    ]
