"""The vocabulary of the offline rules extractor, read from the data files beside this module.

One file per concern, each general English news usage (nothing fitted to one text):

- cues.txt: reporting verbs and their forms, what they take, the adverbs between speaker and cue;
- roles.txt: titles and roles of people ("the head of state", "spokeswoman");
- sources.txt: anonymous and documentary sources ("officials", "court records");
- bodies.txt: words of organisations, companies, institutions and outlets;
- events.txt: event nouns and the words of event and document names;
- places.txt: words of places and regions (countries and capitals: stance.core.gazetteer);
- words.txt: non-names, abbreviations, transcript labels;
- stance.txt: stance words as regular-expression stems (read by lexicon_stance).

Format: `[section]` headers, one entry a line, `#` comments, `key = value` for mappings. Each
file is read once (functools.cache); the files are part of the rules hash, so a change to any
list re-extracts cached runs. This module builds the derived tables (cue forms, places).
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import cast

from stance.core.gazetteer import PLACES
from stance.core.models import ClaimType, TargetKind

_SECTION = re.compile(r"^\[([a-z][a-z -]*)\]$")
_CLAIM_TYPES = ("statement", "accusation", "denial", "warning", "demand", "commitment")


@cache
def sections(name: str) -> dict[str, tuple[str, ...]]:
    """The sections of one data file (`name`.txt), each a tuple of its entries in order."""
    text = files(__name__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = _SECTION.match(line)
        if header:
            current = found.setdefault(header.group(1), [])
        elif current is None:
            raise ValueError(f"lexicon {name}.txt: entry {line!r} before any [section]")
        else:
            current.append(line)
    return {key: tuple(values) for key, values in found.items()}


def entries(name: str, section: str) -> tuple[str, ...]:
    """The entries of one section, in file order."""
    return sections(name)[section]


def words(name: str, section: str) -> frozenset[str]:
    """The entries of one section as a set."""
    return frozenset(entries(name, section))


def mapping(name: str, section: str) -> dict[str, str]:
    """A section of `key = value` lines."""
    pairs = (line.partition(" = ") for line in entries(name, section))
    return {key.strip(): value.strip() for key, _, value in pairs}


def data_files() -> list[Path]:
    """The data files, in a fixed order (for the rules hash)."""
    return sorted(Path(__file__).parent.glob("*.txt"))


def _claim_type(word: str) -> ClaimType:
    if word not in _CLAIM_TYPES:
        raise ValueError(f"lexicon cues.txt: unknown claim type {word!r}")
    return cast(ClaimType, word)


# --- Reporting cues ----------------------------------------------------------------------------

# Lemma -> claim type the cue implies ("statement" when the cue says nothing of the act).
# Irregular or phrasal forms are listed in CUE_FORMS_EXTRA below.
CUE_LEMMAS: dict[str, ClaimType] = {
    lemma: claim_type
    for claim_type in ("statement", "denial", "accusation", "warning", "demand", "commitment")
    for lemma in entries("cues", f"lemmas {claim_type}")
}
CUE_FORMS_EXTRA: dict[str, str] = mapping("cues", "forms")
CUE_LEMMAS_EXTRA: dict[str, ClaimType] = {
    lemma: _claim_type(kind) for lemma, kind in mapping("cues", "phrasal lemmas").items()
}
PLURAL_PRESENT_LEMMAS = words("cues", "plural present")
# Cues that may name whom they address before "that": "told lawmakers that", "informed
# Minister Dahl that", "assured her that", "reminded reporters that".
LISTENER_LEMMAS = words("cues", "listener")

# Third-person present forms that are far more often nouns ("the company's claims that").
NOUN_LIKE_PRESENT = words("cues", "noun-like present")

# Cues that need a "that" clause to report anything ("found that", not "found the body").
THAT_ONLY_LEMMAS = words("cues", "that only") | {
    lemma for lemma in CUE_LEMMAS_EXTRA if lemma.startswith(("plead ", "voice "))
}
# Cues whose object without "that" is a report only when it has a verb of its own:
# "announced the plant would close" reports, "announced its new season" does not.
CLAUSE_ONLY_LEMMAS = words("cues", "clause only")
# Cues of approval or blame whose bare object ("welcomed the plan") is a claim only when
# no participle goes on to say what was meant ("welcomed the plan, saying it would ...").
EVALUATIVE_LEMMAS = words("cues", "evaluative")


def _inflect(lemma: str) -> tuple[str, str, str]:
    """Past, third-person present and -ing forms of a regular English verb."""
    if lemma.endswith("e"):
        return lemma + "d", lemma + "s", lemma[:-1] + "ing"
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return lemma[:-1] + "ied", lemma[:-1] + "ies", lemma + "ing"
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        return lemma + "ed", lemma + "es", lemma + "ing"
    return lemma + "ed", lemma + "s", lemma + "ing"


def _cue_forms() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(finite form -> lemma, present form -> lemma, -ing form -> lemma)."""
    finite: dict[str, str] = {}
    present: dict[str, str] = {}
    participle: dict[str, str] = {}
    for lemma in CUE_LEMMAS:
        past, third, ing = _inflect(lemma)
        finite[past] = lemma
        present[third] = lemma
        participle[ing] = lemma
    for form, lemma in CUE_FORMS_EXTRA.items():
        if form.split()[0].endswith("ing"):
            participle[form] = lemma
        elif form.split()[0].endswith("s"):
            present[form] = lemma
        else:
            finite[form] = lemma
    return finite, present, participle


CUE_PAST, CUE_PRESENT, CUE_PARTICIPLE = _cue_forms()


def cue_claim_type(lemma: str) -> ClaimType:
    """The speech act a cue names ("denied" -> denial), "statement" when it names none."""
    return CUE_LEMMAS.get(lemma) or CUE_LEMMAS_EXTRA.get(lemma, "statement")


_PAST_OF: dict[str, str] = {}
for _form, _lemma in CUE_PAST.items():
    _PAST_OF.setdefault(_lemma, _form)


def cue_past(lemma: str) -> str:
    """The past form used when a claim's content is written out ("noting" -> "noted")."""
    return _PAST_OF.get(lemma, "said")


# Words that may stand between a speaker and the cue ("He also mentioned", "has repeatedly
# denied").
CUE_ADVERBS = words("cues", "adverbs")

# Who a speaker tells ("told reporters that").
LISTENER_WORDS = words("cues", "listeners")

# Media in which a statement was made: "said in a statement that".
SPEECH_OCCASIONS = "|".join(entries("cues", "occasions"))

WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = (
    "January February March April May June July August September October November December"
).split()
MONTH_ABBREVIATIONS = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"Sept": 9}
MONTH_NUMBERS = {m: i + 1 for i, m in enumerate(MONTHS)} | MONTH_ABBREVIATIONS

# --- Speakers: pronouns, roles, anonymous sources ----------------------------------------------

PERSON_PRONOUNS = frozenset({"he", "she"})
GROUP_PRONOUNS = frozenset({"they", "we", "i", "it"})

# Words of titles that precede a name ("U.S. Trade Representative Helen Marsh").
TITLE_TOKENS = words("roles", "titles")

# Role nouns: a role mention ("the head of state") names someone through one of these keys.
# Each key lists the role keys it may stand for among the titles the text gave earlier.
ROLE_EQUIVALENTS: dict[str, tuple[str, ...]] = {
    role: tuple(t.strip() for t in titles.split(","))
    for role, titles in mapping("roles", "role equivalents").items()
}

ROLE_NOUNS = words("roles", "roles")
# Role nouns that name a body, not a person ("the ministry said").
BODY_NOUNS = words("bodies", "body nouns")
# Body nouns for the part of a body that speaks for it: "the museum's management said",
# "the board said", "a spokeswoman for the council said" are the body's words.
BODY_PART_NOUNS = words("bodies", "body parts")
# Body nouns that stand for the writer of a document ("the statement read").
DOCUMENT_BODY_NOUNS = words("bodies", "document bodies")
# Documents a lawsuit files ("X sued Y": "the complaint" is X's).
FILED_DOCUMENTS = words("bodies", "filed documents")
# Documents a text may itself be ("the statement reads" in a "Statement by X").
OWN_DOCUMENT_NOUNS = words("bodies", "own documents")

# Plural (and singular) anonymous sources: "officials said", "a senior official said".
ANONYMOUS_NOUNS = words("sources", "anonymous")
# Anonymous sources that are documents: "according to court documents".
DOCUMENT_SOURCES = words("sources", "documents")
# What a source's words come in: "according to WHO figures", "according to its website".
SOURCE_MEDIA = words("sources", "media")
ANONYMOUS_MODIFIERS = words("sources", "anonymous modifiers")

# Words that begin a sentence or phrase and are capitalised without being names.
NOT_NAME_WORDS = words("words", "not names")

# Capitalised words that mark a chain of words as a body, an event, a place or a document.
ORGANIZATION_WORDS = words("bodies", "organisation words")
COMPANY_WORDS = words("bodies", "company words")
EVENT_WORDS = words("events", "event words")
DOCUMENT_WORDS = words("events", "document words")
PLACE_WORDS = words("places", "place words")

# Common nouns that name events when the text talks about them ("the trilateral meeting").
EVENT_NOUNS = words("events", "event nouns")
# Nouns of one family name one event ("the talks", "the negotiations"; "a deal", "the
# acquisition").
EVENT_NOUN_FAMILIES: dict[str, str] = mapping("events", "families")
TOPIC_EVENT_NOUNS = words("events", "topic nouns")
# Modifiers of an event noun that do not tell events apart ("the mentioned meeting").
GENERIC_EVENT_MODIFIERS = words("events", "generic modifiers")
# Anaphora that continue the previous claim's subject ("such steps", "this move").
ANAPHORIC_SUBJECT = re.compile(
    r"^(?:such|these|those|this|that)\s+(?:steps?|actions?|measures?|moves?|decisions?|plans?"
    r"|polic(?:y|ies)|developments?|activities|activity|efforts?|approach|initiatives?|events?"
    r"|meetings?|talks)\b|^(?:it|this|they)\s",
    re.IGNORECASE,
)
# "the two countries" and the like: the last two countries the text named.
PAIR_ANAPHORA = re.compile(
    r"(?:the|both)\s+two\s+(?:countries|nations|states|sides|governments|neighbou?rs)\b"
    r"|\bboth\s+(?:countries|nations|sides)\b",
    re.IGNORECASE,
)

# --- Places and bodies -------------------------------------------------------------------------

# Countries and unions come from the one list of places, stance.core.gazetteer, with their surface
# forms ("US" is a country, "us" is not). These few actors are left out of that list because
# in lower case they are ordinary words ("who", "the west"): only the rules read case.
_CASED_ACTORS: dict[str, tuple[str, TargetKind]] = {
    "World Health Organization": ("World Health Organization", "organization"),
    "WHO": ("World Health Organization", "organization"),
    "the West": ("the West", "other"),
}


def _parse_places() -> tuple[dict[str, tuple[str, TargetKind]], dict[str, str], dict[str, str]]:
    """(surface form -> (canonical name, kind), demonym -> country, capital -> place)."""
    forms: dict[str, tuple[str, TargetKind]] = dict(_CASED_ACTORS)
    demonyms: dict[str, str] = {}
    capitals: dict[str, str] = {}
    for place in PLACES:
        for form in place.names:
            forms[form] = (place.name, place.kind)
        if place.kind == "country":  # "European" describes a continent as often as the EU
            for adjective in place.demonyms:
                demonyms[adjective] = place.name
        for capital in place.capitals:
            capitals[capital] = place.name
    return forms, demonyms, capitals


# Capitals stand for their governments ("Moscow has not been constructive").
PLACE_FORMS, DEMONYMS, CAPITALS = _parse_places()
# The adjective of each country, for bodies named through it ("China's delegation" is the
# Chinese delegation).
COUNTRY_DEMONYMS = {p.name: p.demonyms[0] for p in PLACES if p.kind == "country" and p.demonyms}
# Short forms used when an event is named after its participants ("Canada-EU-Norway").
SHORT_NAMES = {p.name: p.short for p in PLACES if p.short != p.name}
# Regions that are where things happen far more often than who acts ("measles cases across
# Europe"): a target only when the text makes them an actor.
REGIONS = words("places", "regions")
# Adjectives of regions: "Asian battery makers", "Nordic banks" describe, they name no actor.
REGION_ADJECTIVES = words("places", "region adjectives")
# A capital after one of these is a place, not a government ("talks in Washington").
LOCATIVE = re.compile(
    r"\b(?:in|at|from|to|near|outside|around|via|through|across|into|toward|towards|between"
    r"|and|visit(?:ed|ing|s)?|arrived|based)\s+$",
    re.IGNORECASE,
)

# --- Sentences that assert nothing -------------------------------------------------------------

NOT_A_CLAIM = re.compile(
    r"^\W*(?:thank(?:s| you)|good (?:morning|afternoon|evening|day)|hello|hi\b|hey\b"
    r"|(?:(?:his|her|their|its|our|my)\s+)?(?:appreciation|gratitude|thanks|condolences"
    r"|sympathy|sympathies)\s+(?:for|to|over)\b"
    r"|welcome\b|greetings|congratulations|(?:it['’]?s|it is) (?:a|an|my|our|great) "
    r"(?:pleasure|honou?r|privilege)|(?:it['’]?s|it is) (?:great|good|nice|wonderful|a pleasure)"
    r" to (?:be|see|have|join|speak)|(?:i'?m|we'?re|i am|we are) (?:delighted|pleased|glad"
    r"|happy|honou?red|excited) to (?:be|welcome|join|have|see)|let me (?:begin|start) by"
    r"|i (?:want|would like|'d like) to (?:thank|welcome|start|begin)|good to (?:see|be)"
    r"|nice to (?:see|meet)|(?:sure|okay|ok|yes|no|yeah|right|absolutely|great|please"
    r"|go ahead|next question|over to you|all right|alright)\b\W*$"
    r"|with that,? i'?ll|i'?ll take (?:your|a few) questions|(?:let's|let us) (?:go|move|turn)"
    r" to|(?:i|we) (?:also )?(?:want|would like|'d like) to be (?:clear|very clear|frank) about"
    r"|(?:i['’]?m|i am|we['’]?re|we are) not going to (?:get ahead|comment|speculate|go into"
    r"|preview|characteri[sz]e)"
    # Procedure, not assertion: "I won't comment on rumours", "I'll ask Pavel to say
    # more", "I'd refer you to the ministry".
    r"|(?:i|we)\s*(?:won['’]t|will not|wouldn['’]t|would not|can['’]t|cannot|do not|don['’]t"
    r"|am not able to|['’]m not able to)\s+(?:be able to\s+)?(?:comment|speculate|get into"
    r"|go into|discuss|elaborate|get ahead|characteri[sz]e|preview|prejudge)"
    r"|(?:i|we)\s*(?:['’]ll|will|['’]d like to|would like to|want to)\s+(?:now\s+)?(?:ask|invite"
    r"|let|hand (?:it )?over to|turn (?:it )?over to|pass (?:it )?(?:over )?to|leave it to"
    r"|defer to)\b"
    r"|(?:i|we)\s*(?:['’]d|would|will|['’]ll)\s+refer you to"
    r"|let me (?:hand|turn|pass) (?:it )?(?:over )?to"
    # Running the event: opening and closing lines, handing the floor over, not having
    # seen what a question cites.
    r"|(?:just )?(?:one|a few|a couple of|two) things? (?:at|from) the top|then i['’]?ll take"
    r"|with that,? (?:over to you|i['’]?ll|i will|let me|we['’]?ll)|(?:let us|let['’]s) (?:begin"
    r"|start|get started)\b|(?:i|we)\s*(?:will|['’]ll|would like to|['’]d like to) (?:now )?give"
    r" the floor|i (?:haven['’]t|have not) (?:seen|read) (?:those|these|the|that|his|her|their)"
    r"|so i['’]ll leave it there|i (?:want|would like|['’]d like) to say a (?:few|couple of) words"
    # Acknowledging, not asserting: "We have taken note of ...", "We have noted the remarks".
    r"|(?:i|we) (?:have )?(?:taken|take|took) note of|(?:i|we) have noted the"
    # Thanks in reported form: "expressed appreciation for ...".
    r"|(?:appreciation|gratitude|thanks|condolences|congratulations) (?:for|to|on)\b"
    r"|(?:i|we) (?:(?:also )?(?:want|would like|['’]d like) to )?thank\b)",
    re.IGNORECASE,
)

# Speaker labels that introduce a question or the moderator's running of the event.
QUESTION_LABELS = words("words", "question labels")
PROCEDURAL_LABELS = words("words", "procedural labels")
# What runs a briefing or declines ("I'll take questions", "please ask the ministry").
PROCEDURAL_SENTENCE = re.compile(
    "|".join(f"(?:{p})" for p in entries("words", "procedural sentences")), re.IGNORECASE
)
ANSWER_LABELS = words("words", "answer labels")
# "Key: value" lines that look like labels but are not speakers.
NOT_SPEAKER_LABELS = words("words", "not speaker labels")

# Upper-case letters of the Latin scripts, for names such as "Émile" or "Łukasz".
UPPER = "A-Z" + "".join(chr(c) for c in range(0xC0, 0x250) if chr(c).isupper())

ABBREVIATIONS = words("words", "abbreviations")
