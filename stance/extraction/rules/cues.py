"""Patterns of the rules extractor: reporting cues and the words around them.

What a reporting cue looks like ("said", "pointed out", "according to"), what may stand
between a cue and what it reports ("said in a statement on Tuesday that"), where a second
proposition starts ("..., and emphasized", "... and that ..."), what a speaker label or a
"Statement by X" heading looks like, and small tests on sentences (does it assert anything?).
The word lists themselves live in stance.extraction.rules.lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from stance.extraction.rules.lexicon import (
    ANONYMOUS_NOUNS,
    BODY_NOUNS,
    CUE_ADVERBS,
    CUE_PARTICIPLE,
    CUE_PAST,
    CUE_PRESENT,
    LISTENER_LEMMAS,
    LISTENER_WORDS,
    MONTHS,
    NOT_A_CLAIM,
    NOT_SPEAKER_LABELS,
    NOUN_LIKE_PRESENT,
    PLURAL_PRESENT_LEMMAS,
    ROLE_NOUNS,
    SOURCE_MEDIA,
    SPEECH_OCCASIONS,
    UPPER,
    WEEKDAYS,
    words,
)
from stance.extraction.rules.phrases import CAPITAL_TOKEN, classify
from stance.extraction.rules.text import Paragraph, Quotation, quotation_at

MIN_WORDS = 3  # a claim's quote has at least this many words

# --- Cues ------------------------------------------------------------------------------

FINITE = {
    **CUE_PAST,
    **{f: lemma for f, lemma in CUE_PRESENT.items() if f not in NOUN_LIKE_PRESENT},
    **{lemma: lemma for lemma in PLURAL_PRESENT_LEMMAS},  # "Officials say", "They allege"
}
# Before a bare plural form, words that make it no report ("declined to say", "did not deny").
NOT_REPORTED = re.compile(
    r"(?:\b(?:to|not|never|cannot|did|does|do|declined|refused|would|will|could|might)|n['’]t)"
    r"\s+$",
    re.IGNORECASE,
)
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
    r"morning|evening)|yesterday|today|tonight|overnight|afterwards?|later|earlier"
    r"|in\s+(?:" + "|".join(MONTHS) + r")"
    r"(?:\s+\d{4})?"
)
ADJUNCT = re.compile(
    r"\s*,\s*(?:however|though|too|in turn)\s*(?=,)|\s*,?\s+(?:"
    + TIME
    + r"|(?:in|at|during|on|via|through|after|before)\s+(?:a|an|the|his"
    r"|her|its|their)\s+(?:[\w'’-]+\s+){0,3}(?:" + SPEECH_OCCASIONS + r")s?"
    r"|on\s+(?:X|Twitter|Facebook|Telegram|Instagram|social\s+media|television|TV|radio)"
    r"|by\s+(?:tele)?phone|by\s+video(?:\s*link)?|by\s+e-?mail|in\s+writing|over\s+the\s+phone"
    r"|in\s+(?:court|parliament|a\s+filing)"
    r"|(?:with|to)\s+" + CAPITAL_TOKEN + r"(?:\s+" + CAPITAL_TOKEN + r"){0,3}"
    r"|also|again|repeatedly|previously|publicly|privately|recently|earlier|later|separately"
    r"|(?:in|from)\s+" + CAPITAL_TOKEN + r"(?:\s+" + CAPITAL_TOKEN + r"){0,2}"
    r"(?=\s+that\b|\s*,|\s*[.;]?\s*$)"
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
# "told the Morning Drive podcast that": whoever was told, up to "that".
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
# A heading may run on with the whole occasion ("... in connection with the meeting of ...
# to be held in ... on ..."): STATEMENT_TAIL trims it to the author.
STATEMENT = re.compile(
    r"^(?:title:\s*)?(?:(?:joint\s+)?(?:press\s+)?(?:statement|address|speech|remarks|message"
    r"|declaration|readout)\s+(?:by|from|of)\s+(?P<who>[^\n]{3,400})"
    r"|(?P<owner>[A-Z][^\n:]{1,60}?)(?:['’]s)?\s+(?:[Ss]tatement|STATEMENT)\s+(?:on|regarding|about"
    r"|concerning|in\s+response\s+to|following)\b[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
# Where an author's name ends in a heading: "X on the talks", "X to the Assembly".
STATEMENT_TAIL = re.compile(
    r"\s+(?:on|regarding|about|concerning|in\s+connection\s+with|to\s+the|at\s+the"
    r"|in\s+response\s+to|following|after)\s+",
    re.IGNORECASE,
)
# The first person of a text's own voice.
OWN_VOICE = re.compile(r"\b(?:We|we|I|our|Our|us)\b")


def statement_author(head: str) -> tuple[str, int] | None:
    """X of a text headed "Statement by X", "Address by X to ...", "X statement on ..."
    (`head`: its title line or first paragraphs), trimmed to X; and where the heading starts.
    """
    m = STATEMENT.search(head)
    if m is None:
        return None
    who = (m.group("who") or m.group("owner")).strip().rstrip(".")
    return re.sub(r"['’]s$", "", STATEMENT_TAIL.split(who)[0]), m.start()


# A cue after what it reports: "..., the museum's management said." (the speaker may
# carry an appositive: "..., the captain, Ola Nilsen, said"), or inverted: "..., said the
# museum's director, the historian Ines van Dijk."
_TAIL_CUES = alternation(
    {f for f, lemma in CUE_PAST.items() if lemma not in {"find", "plead not guilty"}}
    | {"says", "adds", "writes", "notes", "warns", "argues", "insists", "told"}
)
SENTENCE_TAIL = re.compile(
    r",\s+(?P<np>[^,;:\"“”]{1,80}?(?:,\s+[^,;:\"“”]{1,80}?)?)\s*,?\s+(?P<cue>"
    + _TAIL_CUES
    + r")(?:\s+(?:him|her|them|us|reporters|journalists))?(?P<rest>(?:\s+(?:in|on|at|to|during"
    r"|after|before|by|from|via|over|last|this|earlier|later|yesterday|today|tonight|when"
    r"|while)\b[^,;:\"“”]{0,60})?)$"
    r"|,\s+(?P<icue>said|says|added|wrote|noted|explained|insisted|argued|warned|countered"
    r"|stressed|maintained|conceded|cautioned)\s+(?P<inp>[^;:\"“”]{1,160})$"
)
# Where a reported clause stops: a trailing participial or appositive comment on it
# ("..., calling the suggestion absurd", "..., a view the minister shared").
TRAILING_CLAUSE = re.compile(
    r",\s+(?:calling|describing|dismissing|branding|labell?ing|terming|citing|echoing|prompting"
    r"|sparking|triggering|fuell?ing|drawing|underscoring|signall?ing|in\s+what|in\s+a\s+(?:move"
    r"|sign|nod|reference|swipe|rebuke)"
    r"|(?:a|an)\s+(?:[a-z]+\s+)?(?:view|position|claim|stance|assessment|point|sentiment"
    r"|conclusion|charge|argument|allegation|accusation|opinion|criticism|message|line"
    r"|suggestion|concern|idea)\s+(?:that\s+|which\s+)?(?:[\w'’.-]+\s+){0,5}?(?:shared|echoed"
    r"|disputed|rejected|denied|contested|backed|supported|endorsed|repeated|dismissed|voiced"
    r"|questioned|challenged|made|took|stressed|raised|noted|emphasi[sz]ed|accepted"
    r"|acknowledged|conceded|share|shares|echoes|rejects|disputes|backs)"
    r"|which\s+(?:was|were|has\s+been|have\s+been)\s+(?:echoed|shared|disputed|rejected|denied)"
    r")\b"
)
# Words that frame what a speaker goes on to say and are no part of it: "What we would say
# is that ...", "I would also say this: ...", "Let me be clear: ...".
FRAMING = re.compile(  # used with match(): anchored where the sentence starts
    r"(?:(?:and|but|so|now|look|well)\s*,?\s+)?(?:"
    r"what\s+(?:i|we)\s+(?:can|could|would|will|do|did)\s+(?:tell\s+you|say)\s+is\s+(?:that\s+)?"
    r"|(?:i|we)\s*(?:would|will|can|must|should|want\s+to|['’]d|['’]ll)\s+(?:also\s+)?(?:say"
    r"|add|stress|tell\s+you|point\s+out|note|emphasi[sz]e|repeat|underline)"
    r"\s+(?:(?:this|the\s+following)\s*:\s*|that\s+)"
    r"|let\s+me\s+(?:also\s+)?(?:say|add|stress|be\s+clear|be\s+very\s+clear|repeat|tell\s+you)"
    r"\s*(?::\s*|that\s+|,\s*)"
    r")",
    re.IGNORECASE,
)
# Cues that take a side whatever the words: "welcomed", "condemned".
POSITIVE_CUES = words("cues", "approving")
NEGATIVE_CUES = words("cues", "disapproving")


# --- Small tests ---------------------------------------------------------------------------------


_LISTENER_FILLERS = words("cues", "listener fillers")


def _listener_word(word: str) -> bool:
    """Can a word be part of whom a cue addresses ("lawmakers", "Minister Hanna Dahl")?"""
    bare = word.rstrip(",")
    if bare[:1].isupper():
        return True
    key = re.sub(r"['’]s$", "", bare.lower())
    return key in _LISTENER_FILLERS | LISTENER_WORDS | ANONYMOUS_NOUNS | ROLE_NOUNS | BODY_NOUNS


def listener_end(view: str, at: int, end: int, lemma: str) -> int | None:
    """Where the words addressed by a cue end ("told lawmakers that" -> before "that"), or
    None when the cue addresses no one or is not a cue that can."""
    if lemma == "tell":
        found = LISTENER_THAT.match(view, at, end) or LISTENER.match(view, at, end)
        return found.end() if found else None
    if lemma not in LISTENER_LEMMAS:
        return None
    found = LISTENER_THAT.match(view, at, end)
    if found is not None and all(_listener_word(w) for w in found.group().split()):
        return found.end()  # "informed Minister Hanna Dahl that", "assured her that"
    found = re.compile(r"\s+(?:him|her|them|us|me|you)\b(?!['’])").match(view, at, end)
    return found.end() if found else None


def trailing_end(view: str, start: int, end: int) -> int:
    """Where a reported clause ends before a trailing comment on it, else `end`."""
    found = TRAILING_CLAUSE.search(view, start, end)
    return found.start() if found else end


def framing_end(view: str, start: int, end: int) -> int:
    """Where what a speaker says begins, past framing words ("What we would say is that")."""
    found = FRAMING.match(view, start, end)
    return found.end() if found and found.end() < end else start


# A finite verb, or what marks one: "would", "had", "isn't", a past tense.
_FINITE_VERB = re.compile(
    r"\b(?:is|are|was|were|will|would|could|can|may|might|must|shall|should|had|has|have|did"
    r"|does|do)\b|n['’]t\b|\b[a-z]{3,}ed\b"
)


# Where a cue's occasion starts ("... in a statement released on Friday"): not its object.
_OCCASION = re.compile(
    r"\b(?:in|at|during|on|via|through)\s+(?:a|an|the|his|her|its|their)\s+(?:[\w'’-]+\s+){0,3}"
    r"(?:" + SPEECH_OCCASIONS + r")s?\b"
)


def has_clause(text: str) -> bool:
    """Does a stretch of text carry a clause of its own, not only a noun phrase?"""
    occasion = _OCCASION.search(text)
    return _FINITE_VERB.search(text, 0, occasion.start() if occasion else len(text)) is not None


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
    if re.match(r",\s*(?:however|though|too|in turn)\s*,", after):
        return None  # "X, the chief executive, conceded, however, that ...": not an aside
    if CUE.match(after[1:].lstrip()):  # a second cue follows: the first claim is the head
        return start + len(head)
    if re.match(r"\s*[a-z]+ing\b", after[1:]):  # ", asking not to be named": the head too
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
