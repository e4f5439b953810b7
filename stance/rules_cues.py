"""Patterns of the rules extractor: reporting cues and the words around them.

What a reporting cue looks like ("said", "pointed out", "according to"), what may stand
between a cue and what it reports ("said in a statement on Tuesday that"), where a second
proposition starts ("..., and emphasized", "... and that ..."), what a speaker label or a
"Statement by X" heading looks like, and small tests on sentences (does it assert anything?).
The word lists themselves live in stance.lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from stance.lexicon import (
    CUE_ADVERBS,
    CUE_PARTICIPLE,
    CUE_PAST,
    CUE_PRESENT,
    LISTENER_WORDS,
    MONTHS,
    NOT_A_CLAIM,
    NOT_SPEAKER_LABELS,
    NOUN_LIKE_PRESENT,
    SOURCE_MEDIA,
    SPEECH_OCCASIONS,
    UPPER,
    WEEKDAYS,
)
from stance.rules_phrases import CAPITAL_TOKEN, classify
from stance.rules_text import Paragraph, Quotation, quotation_at

MIN_WORDS = 3  # a claim's quote has at least this many words

# --- Cues ------------------------------------------------------------------------------

FINITE = {
    **CUE_PAST,
    **{f: lemma for f, lemma in CUE_PRESENT.items() if f not in NOUN_LIKE_PRESENT},
}
ALL_CUES = {
    **FINITE,
    **CUE_PARTICIPLE,
    "according to": "according to",
    "According to": "according to",
}


def alternation(forms: Iterable[str]) -> str:
    """A regular-expression alternation of phrases, longest first, spaces matching any."""
    ordered = sorted(forms, key=len, reverse=True)
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in ordered)


CUE = re.compile(r"\b(?:" + alternation(ALL_CUES) + r")\b")
# After a quotation a statement may also "read": '"...," the statement read.'
QUOTE_TAIL_CUE = re.compile(r"\b(?:" + alternation({**FINITE, "read": "", "reads": ""}) + r")\b")
WEEKDAY = "|".join(WEEKDAYS)
TIME = (
    r"(?:(?:late|early)\s+)?(?:on\s+)?(?:" + WEEKDAY + r")(?:\s+(?:morning|afternoon|evening|"
    r"night))?|(?:last|this|next|earlier\s+this|later\s+this)\s+(?:week|month|year|weekend|"
    r"morning|evening)|yesterday|today|tonight|overnight|in\s+(?:" + "|".join(MONTHS) + r")"
    r"(?:\s+\d{4})?"
)
ADJUNCT = re.compile(
    r"\s*,\s*(?:however|though|too|in turn)\s*(?=,)|\s*,?\s+(?:"
    + TIME
    + r"|(?:in|at|during|on|via|through|after|before)\s+(?:a|an|the|his"
    r"|her|its|their)\s+(?:[\w'’-]+\s+){0,3}(?:" + SPEECH_OCCASIONS + r")s?"
    r"|on\s+(?:X|Twitter|Facebook|Telegram|Instagram|social\s+media|television|TV|radio)"
    r"|(?:with|to)\s+" + CAPITAL_TOKEN + r"(?:\s+" + CAPITAL_TOKEN + r"){0,3}"
    r"|also|again|repeatedly|previously|publicly|privately|recently|earlier|later|separately"
    r"|(?:in|from)\s+" + CAPITAL_TOKEN + r"(?:\s+" + CAPITAL_TOKEN + r"){0,2}(?=\s+that\b|\s*,)"
    r"|(?:to\s+)?(?:the\s+)?(?:charges?|allegations?|accusations?|claims?|reports?"
    r"|suggestions?)(?=\s+that\b)"
    r")\b"
)
THAT = re.compile(r"\s*,?\s*that\b")
AND_THAT = re.compile(r"(?:,\s*)?\s(?:and|but)\s+(?:also\s+)?that\b")
# The source named after "according to": up to a comma or the end of the sentence.
SOURCE = re.compile(r"\s+([^,;:!?\"“”]{1,100}?)(?=\s*(?:[,;:!?]|\.(?:\s|$)|$))")
APPOSITIVE_AFTER = re.compile(r"\s*,\s*((?:a|an|the)\s+[^,;:\"“”]{1,60}),\s*")
BY_AUTHOR = re.compile(
    r"(?:(?:an?|the)\s+)?(?:[\w-]+\s+){0,2}?(?:" + "|".join(sorted(SOURCE_MEDIA)) + r")\s+"
    r"(?:by|from|of)\s+(.+)$"
)
OWN_DOCUMENT = re.compile(
    r"\b(?:its|their|his|her)\s+(?:[\w-]+\s+)?(" + "|".join(sorted(SOURCE_MEDIA)) + r")\b",
    re.IGNORECASE,
)
POSSESSIVE_PRONOUNS = {"its": "it", "their": "they", "his": "he", "her": "she"}
# "told the Sports Hour podcast that": whoever was told, up to "that".
LISTENER_THAT = re.compile(r"\s+(?:[^\s,.;:\"“”]+\s+){1,6}?(?=that\b)")
PARENTHETICAL = re.compile(r"\s*,\s*[^,;:\"“”]{1,100},")
LISTENER = re.compile(
    r"\s+(?:(?:the\s+)?"
    + CAPITAL_TOKEN
    + r"(?:\s+"
    + CAPITAL_TOKEN
    + r"){0,3}|(?:"
    + "|".join(sorted(LISTENER_WORDS, key=len, reverse=True))
    + r")(?:\s+[a-z]+){0,2}?(?=\s+that\b|\s*[,:]|\s+(?:on|in|at)\s))"
)
CONTINUATION = re.compile(
    r"(?:,\s*|\s+)(?:and|but|while|as\s+well\s+as)\s+(?:(?:also|further|then|later|again"
    r"|he|she|they)\s+)*$|,\s*(?:(?:also|further|while|thereby)\s+)?$"
)
ADVERB_TAIL = re.compile(
    r"(?:\s+|^)(?:"
    + "|".join(CUE_ADVERBS)
    + r"|on\s+(?:"
    + WEEKDAY
    + r")|"
    + WEEKDAY
    + r"|yesterday|today)\s*$",
    re.IGNORECASE,
)
LEADING_ADVERBIAL = re.compile(
    r"(?:(?:In|On|At|During|After|Before|Following|Speaking|Meanwhile|However|Also|Earlier"
    r"|Later|Separately|Yesterday|Today|Last|This|Since|As|When|While|In addition)\b[^,]{0,80}"
    r",\s*)+"
)
LABEL = re.compile(
    r"(?P<label>(?:Mr|Ms|Mrs|Dr)\.?\s+[A-Z][\w'’-]+|["
    + UPPER
    + r"][\w.'’-]*(?:\s+["
    + UPPER
    + r"][\w.'’-]*)"
    r"{0,5})\s*:(?:\s+|$)"
)
STATEMENT = re.compile(
    r"^(?:title:\s*)?(?:joint\s+)?(?:press\s+)?statement\s+(?:by|from|of)\s+(?P<who>[^\n]{3,120})$",
    re.IGNORECASE | re.MULTILINE,
)
SENTENCE_TAIL = re.compile(
    r",\s+(?P<np>[^,;:\"“”]{1,80}?)\s+(?P<cue>said|says|added|told\s+\S+(?:\s+\S+)?|wrote"
    r"|noted|explained|warned|argued|insisted|stressed|reported)(?P<rest>[^,;:\"“”]{0,60})$"
    r"|,\s+(?P<icue>said|says|added|wrote|noted|explained)\s+(?P<inp>[^;:\"“”]{1,120})$"
)
# Cues that take a side whatever the words: "welcomed", "condemned".
POSITIVE_CUES = frozenset("welcome praise commend pledge promise affirm reaffirm reinforce".split())
NEGATIVE_CUES = frozenset(
    "condemn criticize criticise accuse blame reject complain warn caution threaten".split()
)


# --- Small tests ---------------------------------------------------------------------------------


def inside(at: int, quotations: tuple[Quotation, ...]) -> bool:
    """Is offset `at` inside one of a paragraph's quotations?"""
    return quotation_at(quotations, at) is not None


def parenthetical(view: str, start: int, cue: re.Match[str], end: int) -> int | None:
    """Where the claim ends when the cue's clause is set off inside the sentence ("The plan,
    he said, will fail." -> the whole sentence; "The card was wrong, the manager said, adding
    ..." -> up to the speaker), or None when it is not set off."""
    if re.search(r"[\"“”]", view[start:end]):
        return None  # quotations have their own rules
    before = view[start : cue.start()]
    head, comma, _ = before.rpartition(",")
    after = view[cue.end() : end].lstrip()
    if not comma or len(head.split()) < 2 or after[:1] != ",":
        return None
    if CUE.match(after[1:].lstrip()):  # a second cue follows: the first claim is the head
        return start + len(head)
    return end


def describes(phrase: str) -> bool:
    """Is a phrase set off by commas a description ("a research group", "the country's
    largest lender") rather than the start of what is said?"""
    if phrase.split()[0].lower() in {"a", "an"}:
        return True
    described = classify(phrase)
    return described is not None and described.kind in {"role", "anonymous"}


def asserts(sentence: str) -> bool:
    """Does a sentence assert something (not a greeting, thanks, a question or a fragment)?"""
    stripped = sentence.strip()
    if len(stripped.split()) < MIN_WORDS or stripped.endswith("?"):
        return False
    return NOT_A_CLAIM.match(stripped) is None


def speaker_label(view: str, paragraph: Paragraph) -> str | None:
    """The speaker label a paragraph starts with ("MODERATOR:", "Mr. Miller:"), if any."""
    m = LABEL.match(view, paragraph.start, paragraph.end)
    if m is None:
        return None
    label = m.group("label")
    first = label.split()[0].lower().strip(".")
    if first in NOT_SPEAKER_LABELS:
        return None
    if not label.isupper() and len(label.split()) > 3:
        return None  # a capitalised phrase before a colon is a heading, not a speaker
    return label


def title_case(label: str) -> str:
    """ "ASSISTANT SECRETARY O'BRIEN" -> "Assistant Secretary O'Brien" ("U.S." kept)."""
    return " ".join(w if re.fullmatch(r"(?:[A-Z]\.)+", w) else w.title() for w in label.split())


def default_year(published: str | None, text: str) -> int | None:
    """The year that dates without one fall in: the publication's, else the text's first."""
    for source in (published or "", text[:2000]):
        m = re.search(r"\b((?:19|20)\d{2})\b", source)
        if m:
            return int(m.group(1))
    return None
