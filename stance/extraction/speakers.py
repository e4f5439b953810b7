"""Speaker resolution within one document: is a speaker a name the document gives, and is
it the one the text gives this quote to?

A claim's speaker must be a named person or body found in the text ("Ilham Aliyev"), not a
role or pronoun ("the head of state", "He"). Anonymous groups that news text cites as
sources ("officials", "diplomats") are accepted as they are, and so are bodies the text
names ("State Department", "the hospitals"). A title with a country ("President of
Azerbaijan") resolves to the person the text names with that title (`titled_person`).

`attribution_problem` checks the speaker against the place of the quote: the speaker's name
or its mention must be in the quote's paragraph (a transcript label included), or its name
in the paragraph before when the quote's own paragraph names nobody else before the quote,
or, in a statement that speaks as "we", the author its heading names (`document_author`,
found as the rules extractor finds it).
"""

from __future__ import annotations

import re
from functools import lru_cache

from stance.core.gazetteer import is_place_word, place_named
from stance.core.names import ROLE_WORDS, TITLE_WORDS, initials, name_words
from stance.extraction.ground import NormalizedText, normalized_chars
from stance.extraction.rules.cues import OWN_VOICE, statement_author

PRONOUNS = frozenset({"he", "she", "they", "him", "her", "it", "we", "i", "you", "his", "their"})
ANONYMOUS_SOURCES = frozenset(
    """officials sources source analysts experts diplomats observers residents witnesses critics
    police authorities investigators prosecutors lawyers doctors researchers scientists
    economists insiders people aides""".split()
)
# Collective bodies a text may name as the source of a statement ("the hospitals said").
BODY_WORDS = frozenset(
    """department ministry ministries office government governments administration council
    commission parliament committee agency agencies embassy embassies hospital hospitals
    court courts army military police service services bank banks company companies union
    party parties organization organizations organisation university universities
    school schools secretariat presidency cabinet assembly senate congress""".split()
)
_CAPITALISED = re.compile(r"\b[A-Z][\w.'’-]*")
_FULL_NAME = re.compile(r"[A-Z][\w'’.-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'’-]+){1,2}")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def is_anonymous_source(speaker: str) -> bool:
    words = re.findall(r"[a-z]+", speaker.lower())
    return bool(words) and words[-1] in ANONYMOUS_SOURCES


def is_body(speaker: str) -> bool:
    """A body by its common noun ("State Department", "the hospitals", "the Foreign
    Ministry"): the last word names an institution."""
    words = re.findall(r"[a-z]+", speaker.lower())
    return bool(words) and words[-1] in BODY_WORDS


def is_role_mention(speaker: str) -> bool:
    """True for a role or pronoun ("the head of state", "The Secretary", "He")."""
    stripped = speaker.strip()
    lowered = stripped.lower()
    if lowered in PRONOUNS:
        return True
    if is_anonymous_source(stripped) or is_body(stripped):
        return False
    words = name_words(stripped)
    if not words or all(w in ROLE_WORDS or w in TITLE_WORDS for w in words):
        return True
    capitalised = [
        w for w in _CAPITALISED.findall(stripped) if w.lower().strip(".") not in TITLE_WORDS
    ]
    return not capitalised and lowered.startswith(("the ", "a ", "an ", "his ", "her "))


def name_in_text(name: str, normalized: NormalizedText) -> bool:
    """Every word of the name occurs in the text, run-together words included."""
    words = [w for w in name_words(name) if len(w) >= 3] or name_words(name)
    return bool(words) and all(w in normalized.chars for w in words)


def titled_person(speaker: str, text: str) -> str | None:
    """The person a title with a country names in the text ("President of Azerbaijan" ->
    "Ilham Aliyev" when the text says "President of Azerbaijan Ilham Aliyev"), else None."""
    words = re.findall(r"[\w'’]+", speaker)
    lowered = [w.lower() for w in words]
    if not any(w in TITLE_WORDS for w in lowered):
        return None
    rest = [w for w in words if w.lower() not in TITLE_WORDS]
    if not rest or not all(place_named(w) or is_place_word(w.lower()) for w in rest):
        return None
    # The title as the text writes it, perhaps with "the Republic of" inside, then a name.
    title = r"\W+(?:the\W+)?(?:Republic\W+of\W+)?".join(re.escape(w) for w in words)
    found = re.search(rf"{title}\s+({_FULL_NAME.pattern})", text, re.I)
    return found.group(1) if found else None


# A model's claim is checked twice against the same text (when its answer is read, and when
# it is grounded for storing): the second check is a lookup.
CHECKS_CACHED = 4096


@lru_cache(maxsize=CHECKS_CACHED)
def speaker_problem(
    speaker: str, text: str, normalized: NormalizedText | None = None
) -> str | None:
    """Why a speaker cannot stand as resolved, or None when it can."""
    if not speaker.strip():
        return "the speaker is empty"
    if titled_person(speaker, text):
        return f"the speaker '{speaker}' is a title; give the name: {titled_person(speaker, text)}"
    if is_role_mention(speaker):
        return (
            f"the speaker '{speaker}' is a role or pronoun; give the full name of the person "
            "or body as the text names it"
        )
    if not name_in_text(speaker, normalized or NormalizedText.of(text)):
        return f"the speaker '{speaker}' is not named in the text"
    return None


def _paragraph_starts(text: str, start: int) -> list[int]:
    """Starts of the paragraphs up to the one holding `start`, nearest last."""
    breaks = _PARAGRAPH_BREAK if _PARAGRAPH_BREAK.search(text) else re.compile(r"\n")
    return [0, *(m.end() for m in breaks.finditer(text, 0, start))]


def _paragraph_end(text: str, end: int) -> int:
    breaks = _PARAGRAPH_BREAK if _PARAGRAPH_BREAK.search(text) else re.compile(r"\n")
    after = breaks.search(text, end)
    return after.start() if after else len(text)


def _names(speaker: str, passage: str) -> bool:
    """The passage names the speaker: every long word of its name, its surname, a
    distinctive word of a body's name ("Tidewater"), or its initials ("SEC")."""
    norm = normalized_chars(passage)
    words = [w for w in name_words(speaker) if len(w) >= 3] or name_words(speaker)
    if not words:
        return False
    if all(w in norm for w in words) or words[-1] in norm:
        return True
    if any(len(w) >= 5 and w in norm for w in words if w not in BODY_WORDS):
        return True
    letters = initials(speaker)
    return len(letters) >= 2 and re.search(rf"\b{re.escape(letters)}\b", passage, re.I) is not None


_DATELINE = re.compile(r"\(([^()\n]{2,80})\)")


def outlet_problem(speaker: str, text: str) -> str | None:
    """An outlet is never the speaker of what it reports: a speaker named only in the
    dateline ("(MENAFN- AzerNews)") is the outlet."""
    head = _DATELINE.search(text, 0, 400)
    if head is None or not _names(speaker, head.group(1)):
        return None
    rest = text[: head.start()] + " " + text[head.end() :]
    if _names(speaker, rest):
        return None
    return (
        f"'{speaker}' is the outlet that reports the text, not a speaker in it; give who "
        "the text says made the claim"
    )


_NOT_NAME_START = frozenset(
    """the a an in on at during according but and he she they it this that these those
    after before when while as if his her their its our we i""".split()
)
PRECEDING_PARAGRAPHS = 3  # a quotation may run over several paragraphs after its speaker


def _other_people(speaker: str, passage: str) -> list[str]:
    """Full names in a passage that are not the speaker (roles and places left out)."""
    found = []
    for name in _FULL_NAME.findall(passage):
        words = name.split()
        if words[0].lower() in _NOT_NAME_START or words[0].lower().strip(".") in TITLE_WORDS:
            continue
        if _names(speaker, name) or is_role_mention(name) or is_body(name) or place_named(name):
            continue
        found.append(name)
    return found


HEAD_PARAGRAPHS = 3  # where a statement's heading may be: its title line or first paragraphs
# What follows the author in a readout's heading: "Readout of X's call with Y" is X's.
_AUTHOR_TAIL = re.compile(r"['’]s\b|\s+(?:call|meeting|talks?|conversation)\s+with\b", re.I)


def document_author(text: str) -> str | None:
    """The author a statement, address or readout names in its heading ("Statement by the
    Harbour Board on the strike": the Harbour Board), found as the rules extractor finds it
    (`rules.cues.statement_author`); None for any other text."""
    starts = _paragraph_starts(text, len(text))
    head_end = (
        _paragraph_end(text, starts[HEAD_PARAGRAPHS - 1])
        if len(starts) >= HEAD_PARAGRAPHS
        else len(text)
    )
    found = statement_author(text[:head_end])
    if found is None:
        return None
    author = _AUTHOR_TAIL.split(found[0])[0].strip()
    return author or None


def is_author(speaker: str, text: str) -> bool:
    """The speaker is the author the text's heading names (`document_author`)."""
    author = document_author(text)
    return author is not None and (_names(speaker, author) or _names(author, speaker))


@lru_cache(maxsize=CHECKS_CACHED)
def attribution_problem(speaker: str, mention: str, text: str, start: int, end: int) -> str | None:
    """Why the text does not give the quote at [start, end) to this speaker, or None.

    The speaker (or its mention) named in the quote's paragraph stands. Else the paragraph
    must name no one else, and the speaker must be named in one of the paragraphs before
    (a quotation running on), or be a body or an anonymous source ("officials"), or be the
    author a statement names in its heading when the paragraph speaks as "we" or "I".
    """
    if outlet := outlet_problem(speaker, text):
        return outlet
    starts = _paragraph_starts(text, start)
    para_start, para_end = starts[-1], _paragraph_end(text, end)
    paragraph = text[para_start:start] + " " + text[end:para_end]
    said = mention.strip()
    if _names(speaker, paragraph) or (
        said and said.lower() not in PRONOUNS and said.lower() in paragraph.lower()
    ):
        return None
    others = _other_people(speaker, paragraph)
    if others:
        return (
            f"the text gives this quote to {others[0]}, not to '{speaker}': the speaker must be "
            "named in the quote's paragraph or the ones before"
        )
    earlier = starts[-1 - PRECEDING_PARAGRAPHS] if len(starts) > PRECEDING_PARAGRAPHS else 0
    if _names(speaker, text[earlier:para_start]):
        return None
    if is_body(speaker) or is_anonymous_source(speaker):
        return None
    if OWN_VOICE.search(text, para_start, para_end) and is_author(speaker, text):
        return None  # a statement speaking as "we": its author, named in its heading
    return (
        f"the text does not name '{speaker}' near this quote: the speaker must be named in the "
        "quote's paragraph or the ones before"
    )
