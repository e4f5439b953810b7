"""Canonical names of entities: what a mention names, reduced to a lookup key.

- a place (`stance.core.gazetteer`): "the U.S.", "United States", "Washington" → United States;
  "the Azerbaijani side" → Azerbaijan;
- a body: "Norwegian Foreign Ministry", "MFA of Norway" → Ministry of Foreign Affairs of
  Norway; "State Department" → U.S. Department of State;
- a person: titles, roles and the country before them stripped ("French Minister of Finance
  Claire M. Dubois" → Claire M. Dubois), middle initials and spaces left out of the key
  ("ClaireDubois" and "Claire Dubois" → clairedubois).

Pure functions of the name: the store looks names up by these keys (`aliases.key`) and the
resolver (`stance.resolve`) creates entities under them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from stance.core.gazetteer import ACTOR_WORDS, is_place_word, phrase_words, place_named, places_in
from stance.core.name_variants import LEGAL_FORMS, trim_leading_junk
from stance.core.names import ROLE_WORDS, TITLE_WORDS

EVENT_WORDS = frozenset(
    """meeting meetings conference summit talks call phonecall visit session forum exercises
    exercise drills election elections referendum negotiations round dialogue ceremony
    gathering consultations""".split()
)
# Words a person's name is preceded by and that are not part of it.
_STRIP = (
    TITLE_WORDS
    | ROLE_WORDS
    | ACTOR_WORDS
    | frozenset(
        """high commissioner special envoy aide adviser advisor affairs security policy defense
    defence ministry mfa department office head representative spokeswoman press service
    national top senior former acting first deputy""".split()
    )
)
_BODY_WORDS = frozenset(
    """ministry department office mfa government parliament council commission agency
    committee service administration embassy presidency cabinet union bank court
    organization organisation""".split()
)
_BODIES: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"foreign", "ministry"}), "Ministry of Foreign Affairs"),
    (frozenset({"ministry", "foreign", "affairs"}), "Ministry of Foreign Affairs"),
    (frozenset({"mfa"}), "Ministry of Foreign Affairs"),
    (frozenset({"defense", "ministry"}), "Ministry of Defense"),
    (frozenset({"defence", "ministry"}), "Ministry of Defense"),
    (frozenset({"state", "department"}), "Department of State"),
    (frozenset({"department", "state"}), "Department of State"),
    (frozenset({"presidential", "administration"}), "Presidential Administration"),
)
_FILLER = frozenset({"of", "the", "for", "and", "s"})


@dataclass(frozen=True)
class Canonical:
    """What a mention names: display name, kind, lookup key, and a surname for persons."""

    name: str
    kind: str
    key: str
    surname: str | None = None  # the last word of a full personal name
    short: bool = False  # a one-word personal name ("Aliyev")


def _key(words: tuple[str, ...] | list[str]) -> str:
    return "".join(words)


def entity_key(name: str) -> str:
    """Lookup key of a name as a generic entity: its words joined ("ilhamaliyev")."""
    return canonical(name, "other").key


def _body(words: tuple[str, ...]) -> Canonical | None:
    """A ministry or department, with the country it belongs to when the name gives one."""
    places = places_in(words)
    rest = [w for i, w in enumerate(words) if not any(s <= i < e for s, e, _ in places)]
    content = frozenset(w for w in rest if w not in _FILLER)
    for pattern, body in _BODIES:
        if content == pattern:
            country = (
                places[0][2].name if places else ("United States" if "State" in body else None)
            )
            if country is None:
                return None
            label = "U.S." if country == "United States" else None
            name = f"{label} {body}" if label else f"{body} of {country}"
            return Canonical(name, "organization", _key(phrase_words(name)))
    return None


def _person_tokens(name: str) -> list[str] | None:
    """The tokens of a personal name once the titles and roles before it are stripped.

    None when the mention is a role without a name ("French Minister of Foreign Affairs").
    """
    segments = [s.strip() for s in name.split(",") if s.strip()]
    # "Antony Blinken, U.S. Secretary of State": the name is the segment that is not a role.
    for segment in segments or [name]:
        tokens = segment.split()
        cut = 0
        has_title = False
        for i, token in enumerate(tokens):
            words = phrase_words(token)
            if words and all(w in _STRIP or is_place_word(w) for w in words):
                has_title = has_title or any(w in _STRIP for w in words)
                cut = i + 1
                continue
            break
        rest = tokens[cut:] if has_title else tokens
        # "and Security Policy Peter Stano": what a cut-off role left before the name.
        rest = trim_leading_junk(rest, _STRIP)
        if rest:
            return rest
    return None


@lru_cache(maxsize=65536)
def canonical(name: str, kind: str) -> Canonical:
    """The canonical form of a mention; `kind` is what the extractor said it is."""
    cleaned = " ".join(name.split()).strip(" .,;:\"'“”") or name
    place = place_named(cleaned)
    if place is not None:
        return Canonical(place.name, place.kind, _key(phrase_words(place.name)))
    words = phrase_words(cleaned)
    is_body = any(w in _BODY_WORDS for w in words)
    if kind == "person":
        # "Azerbaijani Foreign Ministry spokesman Aykhan Hajizada" is a person;
        # "Azerbaijani Foreign Ministry" is a body.
        tokens = _person_tokens(cleaned)
        display = " ".join(tokens or []).strip(" .,;:")
        display = display[:-2] if display.endswith(("'s", "’s")) else display
        person_words = [w for w in phrase_words(display) if w not in TITLE_WORDS]
        # "CrowdStrike Inc" speaks as a body, not as a person surnamed "Inc".
        if len(person_words) >= 2 and person_words[-1] in LEGAL_FORMS:
            return Canonical(display, "organization", _key(person_words))
        if person_words and not any(w in _BODY_WORDS for w in person_words):
            full = [w for w in person_words if len(w) > 1] or person_words
            if len(full) >= 2:
                return Canonical(display, "person", _key(full), surname=full[-1])
            return Canonical(display, "person", _key(full), short=True)
    if is_body:
        body = _body(words)
        if body is not None:
            return body
    generic = [w for w in words if w != "the"] or list(words) or [cleaned.lower()]
    resolved_kind = "organization" if kind == "person" and is_body else kind
    return Canonical(cleaned, resolved_kind, _key(generic))


def is_event_mention(name: str, kind: str) -> bool:
    """An event target: kind event, or an 'other' target named like one ("the meeting")."""
    if kind == "event":
        return True
    return kind == "other" and any(w in EVENT_WORDS for w in phrase_words(name))
