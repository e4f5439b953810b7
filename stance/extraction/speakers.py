"""Speaker resolution within one document: is a speaker a name the document gives?

A claim's speaker must be a named person or body found in the text ("Ilham Aliyev"), not a
role or pronoun ("the head of state", "He"). Anonymous groups that news text cites as
sources ("officials", "diplomats") are accepted as they are.
"""

from __future__ import annotations

import re

from stance.core.names import ROLE_WORDS, TITLE_WORDS, name_words
from stance.extraction.ground import NormalizedText

PRONOUNS = frozenset({"he", "she", "they", "him", "her", "it", "we", "i", "you", "his", "their"})
ANONYMOUS_SOURCES = frozenset(
    """officials sources source analysts experts diplomats observers residents witnesses critics
    police authorities investigators prosecutors lawyers doctors researchers scientists
    economists insiders people aides""".split()
)
_CAPITALISED = re.compile(r"\b[A-Z][\w.'’-]*")


def is_anonymous_source(speaker: str) -> bool:
    words = re.findall(r"[a-z]+", speaker.lower())
    return bool(words) and words[-1] in ANONYMOUS_SOURCES


def is_role_mention(speaker: str) -> bool:
    """True for a role or pronoun ("the head of state", "The Secretary", "He")."""
    stripped = speaker.strip()
    lowered = stripped.lower()
    if lowered in PRONOUNS:
        return True
    if is_anonymous_source(stripped):
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


def speaker_problem(
    speaker: str, text: str, normalized: NormalizedText | None = None
) -> str | None:
    """Why a speaker cannot stand as resolved, or None when it can."""
    if not speaker.strip():
        return "the speaker is empty"
    if is_role_mention(speaker):
        return (
            f"the speaker '{speaker}' is a role or pronoun; give the full name of the person "
            "or body as the text names it"
        )
    if not name_in_text(speaker, normalized or NormalizedText.of(text)):
        return f"the speaker '{speaker}' is not named in the text"
    return None
