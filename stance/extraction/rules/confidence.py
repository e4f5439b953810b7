"""How sure the rules are of a claim, when they should abstain, and whether they can read a text.

A wrong speaker misleads a reader; a missing claim does not. So every claim gets a confidence
from how its speaker was found (a name the text gives is surer than a role or a pronoun
resolved to it), and a claim whose speaker could not be resolved to anyone the text names
("the airline said" with no airline named before) is kept as rejected, with that reason,
instead of being given to whoever is nearest.

The rules read English. A text in another language would give no claims in silence; the run
says why instead (`NOT_ENGLISH` in its notes). The check is cheap: the share of letters
outside the Latin script, and of the commonest English function words among the words.
"""

from __future__ import annotations

import re

from stance.extraction.rules.lexicon import DOCUMENT_BODY_NOUNS, PERSON_PRONOUNS, words
from stance.extraction.rules.speakers import Speaker

NOT_ENGLISH = "the offline extractor reads English; use a model"

_ENGLISH_FUNCTION_WORDS = words("words", "english function words")
_WORD = re.compile(r"[^\W\d_]+")
_BEYOND_LATIN = re.compile("[^\x00-\u024f]")
_SAMPLE = 20_000  # characters read to decide; a text does not change language midway
_MIN_WORDS = 12  # fewer words than this: too little to tell, read as English

# Confidence by how the speaker was found.
NAMED = 0.9  # a person or body named at the claim ("Ana Ruiz said", "the Treasury said")
ANONYMOUS = 0.8  # as the text names them ("officials said")
RESOLVED = 0.75  # a role, pronoun or short name resolved to someone named earlier
GUESSED = 0.6  # resolved by a weaker rule: "she" for someone whose gender the text never
# told, a document's author taken from the sentence that mentioned it
UNSURE = 0.5  # a name the rules could not place (kept, visible with the rest)


def reads_as_english(text: str) -> bool:
    """Whether a text is (mostly) English: Latin letters, and English function words among
    its words."""
    sample = text[:_SAMPLE]
    # Counted in C: every letter, then the few beyond Latin (curly quotes and dashes are not
    # letters, so an English text has next to none).
    letters = sum(map(str.isalpha, sample))
    if not letters:
        return True
    latin = letters - sum(map(str.isalpha, _BEYOND_LATIN.findall(sample)))
    if latin / letters < 0.7:
        return False
    tokens = [w.lower() for w in _WORD.findall(sample)]
    if len(tokens) < _MIN_WORDS:
        return True
    function = sum(1 for w in tokens if w in _ENGLISH_FUNCTION_WORDS)
    return function / len(tokens) >= 0.12


def judge(speaker: Speaker) -> tuple[float, str | None]:
    """(confidence, reason to abstain or None) for a claim of this speaker."""
    mention = speaker.mention.strip()
    bare = mention.lower().removeprefix("the ").strip()
    if speaker.kind == "unresolved":
        if bare.split()[-1:] and bare.split()[-1] in DOCUMENT_BODY_NOUNS:
            return UNSURE, (
                f"the speaker '{mention}' is a document whose author the text does not name"
            )
        if (
            mention[:1].islower()
            or mention.lower().startswith("the ")
            or (bare in PERSON_PRONOUNS | {"it", "they", "we", "i"})
        ):
            return UNSURE, (
                f"the speaker '{mention}' is a role or pronoun the rules could not resolve "
                "to anyone the text names"
            )
        return UNSURE, None
    if speaker.guessed:
        return GUESSED, None
    if speaker.kind == "anonymous":
        return ANONYMOUS, None
    if mention.lower() == speaker.name.lower() or speaker.name.lower() in mention.lower():
        return NAMED, None
    return RESOLVED, None
