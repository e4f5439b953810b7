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
    DISMISSAL,
    ELLIPTICAL_NEGATION,
    FIRST_PERSON_SUBJECT,
    HARM_VERBS,
    LESSEN_VERBS,
    NEGATIVE_WORDS,
    NEGATORS,
    OTHERS_WORDS,
    POSITIVE_WORDS,
    REPORTED_CLAIM,
    VERDICT,
    VICTIM_MARKERS,
)
from stance.extraction.rules.targets import Claimant, Found

_HARM = re.compile(r"\b(?:" + HARM_VERBS + r")\b", re.IGNORECASE)
_LESSEN = re.compile(r"\b(?:" + LESSEN_VERBS + r")\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:]|\s(?:but|despite|although|though|while|whereas|yet)\s")


# After a target that opens a claim, what makes it the one pressed or accused: "called on
# [Moldova to ...]", "urged [the council to ...]", "accused [Acme of ...]".
_ADDRESSED = {
    "demand": re.compile(r"^(?:['’]s)?\s+(?:\w+\s+)?to\s"),
    "accusation": re.compile(r"^(?:['’]s)?\s+of\s"),
}
_NEVER = re.compile(r"(?!)")
# Words that defend what they are about: "assurances that the plan is safe".
_DEFENSIVE = re.compile(r"(?:assurance|guarantee|promise|pledge|denial|explanation)", re.I)
_REVERSED: dict[Stance, Stance] = {"support": "oppose", "oppose": "support", "neutral": "neutral"}


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
    dismissed = [m.end() for m in DISMISSAL.finditer(view, start, end)]
    for pattern, sign in ((POSITIVE_WORDS, 1), (NEGATIVE_WORDS, -1)):
        for m in pattern.finditer(view, start, end):
            if m.group()[0].isupper() and m.start() > start:
                continue  # part of a name ("European Peace Facility"), not an evaluation
            flipped = _within_words(view, NEGATORS, m.start())
            if sign > 0 and _within_words(view, _HARM, m.start()):
                flipped = True
            if sign < 0 and _within_words(view, _LESSEN, m.start(), 4):
                flipped = not flipped
            if any(at <= m.start() and "." not in view[at : m.start()] for at in dismissed):
                flipped = not flipped  # "hard to see how the drill is a threat"
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
        if found.at - start <= 4 and _ADDRESSED.get(claim_type, _NEVER).match(after):
            return "oppose"  # "called on [Moldova to ...]", "accused [Acme of ...]"
        marker = VICTIM_MARKERS.search(before)
        if marker:  # "not against Moldova", "anti-Moldova", "undermines the process"
            at = found.at - len(marker.group())
            if _within_words(view, NEGATORS, at):
                # "We are not against X" speaks for X; "the plan is not against X" defends
                # the plan and leaves X as it was.
                negated = view[max(start, at - 40) : at]
                lead = re.sub(r"\s*(?:not|never|n['’]t)\s+(?:[\w-]+\s+)?$", " ", negated)
                return "support" if FIRST_PERSON_SUBJECT.search(lead) else "neutral"
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
    judged = _judged_words(view, start, end)
    reported = None if judged else REPORTED_CLAIM.search(view, start, end)
    targets = []
    for f in found:
        stance = stance_of(view, f, start, end, hits, score, claimant, claim_type)
        own = f.name in claimant.own or (claimant.person and f.name == claimant.name)
        if judged is not None and not own and 0 <= f.at < judged[2]:
            owner_end, content_start, verdict_at, defensive = judged
            if f.at < owner_end:  # whose words they were
                stance = "oppose"
            elif f.at >= content_start:  # what those words said, turned round
                inner = _hits(view, content_start, verdict_at)
                inner_score = _score(view, inner, content_start, verdict_at, verdict_at)
                said = stance_of(
                    view, f, content_start, verdict_at, inner, inner_score, claimant, "statement"
                )
                # An assurance or a denial defends what it is about, whatever its words.
                stance = "oppose" if said == "neutral" and defensive else _REVERSED[said]
        elif reported is not None and not own and f.at >= reported.end():
            stance = "neutral"  # "They claim it is ...": reported, not endorsed
        targets.append(Target(name=f.name, kind=f.kind, stance=stance, date=f.date))
    return targets


def _judged_words(view: str, start: int, end: int) -> tuple[int, int, int, bool] | None:
    """Someone else's words judged in the claim ("the ministry's assurances that the plan is
    safe are not convincing"): where the mention of whose words they were ends, where their
    content starts, where the verdict starts, and whether the words defended what they were
    about (an assurance, a denial); None when the claim judges no one's words."""
    verdict = VERDICT.search(view, start, end)
    if verdict is None:
        return None
    noun = OTHERS_WORDS.search(view, max(start, verdict.start() - 250), verdict.start())
    if noun is None:
        return None
    that = re.compile(r"\bthat\b").search(view, noun.end(), verdict.start())
    content_start = that.end() if that is not None else verdict.start()
    owner_end = content_start if that is None else that.start()
    defensive = _DEFENSIVE.match(noun.group()) is not None
    return owner_end, content_start, verdict.start(), defensive
