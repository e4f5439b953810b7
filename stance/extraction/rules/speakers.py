"""Speakers for the rules extractor: who is named around a cue, and whom that names.

The walk over a text (stance.extraction.rules.speech) finds a reporting cue; this module finds the
speaker around it and resolves it within the document:

- the subject before a cue ("President Tomas Ravel said", "Sofia Brandt, who ran the
  utility for years, cautioned"), after an inverted cue ("said the museum's director, the
  historian Ines van Dijk"), or of a sentence whose participle reports speech;
- the source of "according to": a body, its report or complaint ("According to the report"
  is the body that published it), a document ("court documents");
- what a mention stands for: a role ("the head of state") for the person who holds it, a
  pronoun ("he", "they", "one of them") for who was just spoken of, the part of a body that
  speaks for it ("the board", "a spokeswoman for the council", "the museum's management")
  for the body, a common noun ("the coast guard") for the body the text named in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from stance.extraction.rules.cues import (
    ADVERB_TAIL,
    BY_AUTHOR,
    LEADING_ADVERBIAL,
    OWN_DOCUMENT,
    POSSESSIVE_PRONOUNS,
)
from stance.extraction.rules.lexicon import (
    BODY_NOUNS,
    BODY_PART_NOUNS,
    CAPITALS,
    COUNTRY_DEMONYMS,
    DOCUMENT_BODY_NOUNS,
    FILED_DOCUMENTS,
    OWN_DOCUMENT_NOUNS,
    PERSON_PRONOUNS,
    PLACE_FORMS,
    ROLE_EQUIVALENTS,
    ROLE_NOUNS,
    SOURCE_MEDIA,
    TITLE_TOKENS,
    words,
)
from stance.extraction.rules.mentions import DATELINE, Mentions, Person, gender_of
from stance.extraction.rules.names import role_keys
from stance.extraction.rules.phrases import (
    CONNECTORS,
    DETERMINERS,
    PARTITIVE,
    POSSESSIVE_END,
    POSTMODIFIER,
    NounPhrase,
    classify,
    longest_phrase,
    word_key,
)
from stance.extraction.rules.text import View, is_abbreviation


@dataclass
class Recent:
    """Who the text was last about: what "he", "it" and "they" refer to."""

    person: Person | None = None
    body: str | None = None
    group: str | None = None
    anonymous: str | None = None  # the last unnamed source heard ("a senior official")
    people: list[Person] = field(default_factory=list)  # the last few people, latest last
    guessed: bool = False  # whether the last "he"/"she" went to someone of untold gender

    def see(self, person: Person) -> None:
        """A person the text is now about."""
        self.person = person
        if person in self.people:
            self.people.remove(person)
        self.people = [*self.people[-5:], person]

    def for_pronoun(self, pronoun: str) -> Person | None:
        """Whom "he" or "she" refers to: the person in focus if the gender fits, else the
        latest person whose gender fits; None when no one fits (the claim abstains)."""
        wanted = "female" if pronoun in {"she", "her"} else "male"
        people = self.people or ([self.person] if self.person else [])
        self.guessed = False
        untold: Person | None = None  # the first one whose gender the text does not tell
        for rank, person in enumerate(list(reversed(people))[:3]):  # the one in focus first
            gender = gender_of(person)
            if gender == wanted:
                self.guessed = person.gender_guessed
                # Someone of untold gender nearer in focus could be meant as well: the rules
                # cannot tell which, so the claim abstains.
                return None if untold is not None else person
            # Someone the text does not show to be a person ("Norvik Water" is two
            # capitalised words) is "he" or "she" only when in focus.
            if gender is None and untold is None and (person.roles or rank == 0):
                untold = person
        if untold is not None:
            untold.gender, untold.gender_guessed = wanted, True  # later pronouns agree
        self.guessed = untold is not None
        return untold


@dataclass(frozen=True)
class Speaker:
    """Who a speaker mention names, as resolved within the document."""

    name: str  # resolved name, or the mention itself when it cannot be resolved
    mention: str
    person: Person | None = None
    kind: Literal["person", "body", "anonymous", "unresolved"] = "unresolved"
    guessed: bool = False  # found by a weaker rule (a pronoun of untold gender, a document's
    # author taken from the sentence around it): kept, with a lower confidence


_SOURCE_DETERMINERS = words("sources", "determiners")
# Why a source is unnamed, which is no part of what it is called.
_ANONYMITY = re.compile(
    r",?\s+(?:who|that)\s+(?:asked|declined|requested|wished|spoke|was\s+not|were\s+not"
    r"|is\s+not|are\s+not)\b.*?(?:named|identified|anonymity|publicly|record)\s*,?$",
    re.IGNORECASE,
)
_SPOKESPEOPLE = words("roles", "spokespeople")
_FOR_BODY = re.compile(r"\s(?:for|of|at|from)\s+(.+)$")
_DEFINITE = re.compile(r"^(?:the|its|their)\s+([a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:()\"“”]")
# ", who ran the city's water utility for two decades," before a cue: a relative clause.
_RELATIVE = re.compile(r",\s+(?:who|which|whose|whom)\b[^;:\"“”]*,?\s*$")
_GROUP_HEADS = ("s", "police", "people", "staff", "personnel", "crew")
# Who put out a document: "a report by the Nordic Council", "Kolberg Shipping's report".
_BY_OWNER = re.compile(
    r"\s+(?:(?:published|issued|released|written|prepared|compiled|sent|filed)\s+"
    r"(?:[\w-]+\s+){0,3}?)?(?:by|from)\s+((?:the\s+)?[A-Z][^,.;:]{1,60})"
)
_OWNER_BEFORE = re.compile(r"(\S+)['’]s\s+(?:[\w-]+\s+){0,3}$")
# A document as a speaker: "the letter", "the complaint", "this statement".
_DOCUMENT_MENTION = re.compile(
    r"(?:the|this|that)\s+(?:[a-z][\w-]*\s+){0,2}?(?P<noun>"
    + "|".join(sorted(DOCUMENT_BODY_NOUNS))
    + r")",
    re.IGNORECASE,
)
# Who filed a lawsuit: "Acme sued Brandt Ltd", "the union filed a complaint".
_FILED = re.compile(
    r"\b(?:sued|filed\s+(?:a\s+|an\s+|its\s+|their\s+)?(?:[\w-]+\s+)?(?:"
    + "|".join(sorted(FILED_DOCUMENTS))
    + r"))\b"
)


def _group_head(name: str) -> str:
    """The noun that heads an anonymous source ("people" of "people familiar with ...")."""
    core = POSTMODIFIER.sub("", name).split()
    return core[-1].lower() if core else ""


def resolve(mentions: Mentions, phrase: NounPhrase, at: int, recent: Recent) -> Speaker:
    """Who a speaker mention names; the mention itself when nothing fits."""
    mention = phrase.text
    if phrase.kind == "pronoun":
        lowered = mention.lower()
        person = recent.for_pronoun(lowered) if lowered in PERSON_PRONOUNS else None
        if person is not None:
            return Speaker(person.name, mention, person, "person", recent.guessed)
        if lowered == "it" and recent.body is not None:
            return Speaker(recent.body, mention, None, "body")
        part = PARTITIVE.match(mention)
        noun = part.group("noun") if part else None
        if noun is not None:  # "two of the people": the people just quoted, else people
            head = _group_head(noun)
            if recent.group is not None and _group_head(recent.group) == head:
                return Speaker(recent.group, mention, None, "anonymous")
            return resolve(mentions, NounPhrase("anonymous", noun), at, recent)
        if (lowered == "they" or part) and (recent.group or recent.body):
            group = recent.group or recent.body or ""
            return Speaker(group, mention, None, "anonymous" if recent.group else "body")
        return Speaker(mention, mention)
    definite_role = re.fullmatch(r"(?:the|its|their)\s+([a-z]+)", mention, re.IGNORECASE)
    if definite_role and word_key(definite_role.group(1)) in ROLE_NOUNS:
        # "the spokesperson", "The Spokesperson": whom the text gave that role earlier
        person = mentions.latest_person_with_role(word_key(definite_role.group(1)), at)
        if person is not None:
            return Speaker(person.name, mention, person, "person")
    if phrase.kind == "anonymous" and recent.anonymous is not None:
        same = re.fullmatch(r"(?:the|that|this)\s+([a-z]+)", mention, re.IGNORECASE)
        if same and same.group(1).lower() == _group_head(recent.anonymous):
            return Speaker(recent.anonymous, mention, None, "anonymous")  # "the official"
    if phrase.kind == "anonymous":  # "two senior officials" -> "senior officials"
        named = _NAME_AT_END.search(mention)
        person = mentions.person_of(named.group()) if named else None
        if person is not None:  # "Spokesperson for Trade Policy Ana Lenz": a person after all
            return Speaker(person.name, mention, person, "person")
        words = _ANONYMITY.sub("", mention).split()  # "who declined to be identified": no name
        while len(words) > 1 and words[0].lower() in _SOURCE_DETERMINERS:
            words = words[1:]
        behind = _FOR_BODY.search(mention)
        if behind and word_key(POSTMODIFIER.sub("", mention).split()[-1]) in _SPOKESPEOPLE:
            body = _body_of_phrase(mentions, behind.group(1), at)  # "a spokesperson for X"
            if body is not None:
                return Speaker(body, mention, None, "body")
        return Speaker(" ".join(words), mention, None, "anonymous")
    tokens = mention.split()
    if phrase.kind == "proper":
        person = mentions.person_of(mention)
        if person is not None:
            return Speaker(person.name, mention, person, "person")
        bare = mention[4:] if mention.startswith("The ") else mention
        if bare in CAPITALS:  # "Santiago has insisted": the government it stands for
            return Speaker(CAPITALS[bare], mention, None, "body")
        name_tokens = [t for t in tokens if t != "The"]
        if any(word_key(t) not in TITLE_TOKENS | CONNECTORS for t in name_tokens):
            # A name the document gives: "Russia's Foreign Ministry", "The Kremlin",
            # "Ashford" for the Ashford United named earlier.
            named_body = mentions.body_named(name_tokens[0]) if len(name_tokens) == 1 else None
            body_name = named_body.name if named_body else _national(name_tokens, mentions)
            return Speaker(body_name, mention, None, "body")
    role_words = [t for t in tokens if word_key(t) not in DETERMINERS]
    roles, affiliations = role_keys(role_words)
    affiliation = next(iter(affiliations), None)
    focus = recent.person
    for role in sorted(roles, key=len, reverse=True):
        wanted = {role, *ROLE_EQUIVALENTS.get(role, ())}
        if focus is not None and focus.roles & wanted and affiliation is None:
            return Speaker(focus.name, mention, focus, "person")  # the one in focus first
        person = mentions.latest_person_with_role(role, at, affiliation)
        if person is not None:
            return Speaker(person.name, mention, person, "person")
    head = word_key(tokens[-1])
    if tokens[0].lower() in {"a", "an"} and len(tokens) > 1:
        # "a former finance director of Arkwright Logistics": someone described, not named.
        return Speaker(" ".join(tokens[1:]), mention, None, "anonymous")
    owner = _lowercase_owner(role_words)
    if owner and head in BODY_PART_NOUNS:  # "the museum's management", "the club's board"
        body = _body_of_phrase(mentions, f"the {owner}", at) or mentions.name_ending_in(owner, at)
        if body is not None:
            return Speaker(body, mention, None, "body")
    if head in BODY_NOUNS and not owner:
        kind_of = mentions.body_of_kind(head, at)  # "the US airline": the airline named
        if kind_of is not None:
            return Speaker(kind_of.name, mention, None, "body")
    if affiliation is not None or any(t[:1].isupper() for t in role_words):
        # "the Latvian government", "China's delegation": named through their owner.
        words = tokens[1:] if tokens[0].lower() in {"the", "a", "an"} else tokens
        return Speaker(_national(words, mentions), mention, None, "body")
    if head in BODY_NOUNS and len(role_words) >= 2 and "of" not in role_words and not owner:
        # "the statistics office", "the central bank": a body named by what it is.
        return Speaker(" ".join(role_words), mention, None, "body")
    if head in BODY_NOUNS | BODY_PART_NOUNS:
        body = _body_of_phrase(mentions, f"the {head}", at)
        if body is not None:
            return Speaker(body, mention, None, "body")
    if owner and head in BODY_NOUNS:
        return Speaker(" ".join(role_words), mention, None, "body")
    return Speaker(mention, mention)


def _long_aside(head: str, aside: str) -> bool:
    """A long aside between a name and its cue ("Ana Ruiz, asked about the strike during a
    visit to the port in May, said"; "Acme, the Oslo-based maker whose software ..., denied"):
    it opens in lower case and a name ends what goes before it."""
    words = aside.split()
    if not words or len(words) > 30 or not words[0][:1].islower():
        return False
    named = longest_phrase(_CLAUSE_BREAK.split(head)[-1].split(), from_end=True)
    return named is not None and named.kind == "proper"


def _national(words: list[str], mentions: Mentions) -> str:
    """A body named through its country, in the adjective form when the text uses it too
    (a speaker's words must be the text's): "Russia's Foreign Ministry" -> "Russian Foreign
    Ministry"."""
    owner = POSSESSIVE_END.sub("", words[0]) if POSSESSIVE_END.search(words[0]) else None
    place = PLACE_FORMS.get(owner or "")
    demonym = COUNTRY_DEMONYMS.get(place[0]) if place else None
    if demonym is None or demonym not in mentions.capitalised or len(words) < 2:
        return " ".join(words)
    return " ".join([demonym, *words[1:]])


def _lowercase_owner(words: list[str]) -> str | None:
    """The common noun that owns a role: "museum" of "museum's management"."""
    for word in words[:-1]:
        if re.fullmatch(r"[a-z][\w-]*['’]s", word):
            return word_key(word)
    return None


def _body_of_phrase(mentions: Mentions, text: str, at: int) -> str | None:
    """The body a phrase names: "the Icelandic Coast Guard", "the agency" (the body last
    named that fits), "the coast guard" (a body named in full earlier)."""
    text = text.strip().rstrip(".")
    name = text[4:] if text.lower().startswith("the ") else text
    if name[:1].isupper():
        body = mentions.body_called(name) or mentions.body_named(name.split()[0])
        return body.name if body is not None else name
    definite = _DEFINITE.match(text)
    if definite is None:
        return None
    words = definite.group(1)
    body = mentions.body_called_by(words, at)
    if body is None and word_key(words.split()[-1]) in BODY_NOUNS | BODY_PART_NOUNS:
        body = mentions.latest_body(word_key(words.split()[-1]), at)
    return body.name if body is not None else None


# Words before a name that are no part of it: "and Trade Policy Ana Lenz" (the tail of a
# title split at "and"), "Oslo-based Nordic Airways".
_NAME_LEAD = re.compile(r"^(?:(?:and|or)\s+|[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?-based\s+)")
# A person named with the body they belong to, before a cue: "Ana Berg of the watchdog Open
# Bids", "Ola Moe from the Fishing Union", "Tomas Keller of Austria".
_PERSON_OF = re.compile(
    r"(?:^|\s)(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})\s+(?:of|from|at)\s+"
    r"(?:the\s+)?(?:[a-z][\w-]*\s+){0,3}[A-Z][^,;:]*$"
)
# Where a body is based, which is no part of what the text calls it: "the Oslo-based firm".
_BASED = re.compile(r"\b[A-Z][\w.'’]*(?:\s+[A-Z][\w.'’]*)?-based\s+")
# A body and where it is posted: "Norland's embassy to the Council", "its mission in Brill".
_POSTED_TO = re.compile(
    r"^(?P<body>.*?\b(?P<noun>[a-z]+))\s+(?:to|in|at)\s+(?:the\s+)?[A-Z][^,;:]*$"
)
# Two groups that speak together: "residents and union representatives".
_TWO_GROUPS = re.compile(r"(?:^|\s)(?P<groups>[a-z]+s\s+and\s+(?:[a-z]+\s+)?[a-z]+s)\s*$")
# Capitalised words that end a mention: the name a long title leads up to.
_NAME_AT_END = re.compile(r"(?<![\w'’.-])[A-Z][\w'’.-]+\s+[A-Z][\w'’.-]+$")
# A speaker named through what they issued: "Berg's statement of Monday" is Berg's.
_OWNED_MEDIUM = re.compile(
    r"^(?P<owner>[A-Z][^,;:]{0,60}?)['’]s\s+(?:latest\s+|own\s+|written\s+)?(?:"
    + "|".join(sorted(words("sources", "media")))
    + r"|remarks|comments|post|interview|speech)\b"
)


def _trimmed_name(phrase: NounPhrase) -> NounPhrase:
    """A proper name without what the chain caught around it."""
    text = _NAME_LEAD.sub("", phrase.text)
    owned = _OWNED_MEDIUM.match(text)
    if owned is not None:
        text = owned.group("owner")
    return phrase if text == phrase.text else NounPhrase("proper", text)


@dataclass
class Speakers:
    """Speaker finding and resolution over one document's view, with what it remembers."""

    view: View
    source: str  # the original text, for the mention's own spelling
    mentions: Mentions
    recent: Recent = field(default_factory=Recent)
    noted_bodies: set[str] = field(default_factory=set)
    documents: dict[str, Speaker] = field(default_factory=dict)  # "complaint" -> who filed it
    own_author: Speaker | None = None  # the text's own author ("Statement by X"), if any
    last_spoke: tuple[int, Speaker] | None = None  # the last body or person heard, and where

    @property
    def v(self) -> str:
        return self.view.text

    def resolve(self, phrase: NounPhrase, at: int) -> Speaker:
        written = phrase.text
        if phrase.kind == "proper":
            phrase = _trimmed_name(phrase)
            written = phrase.text
        elif _BASED.search(phrase.text):  # "the Oslo-based company": the company
            phrase = NounPhrase(phrase.kind, _BASED.sub("", phrase.text))
        posted = _POSTED_TO.match(phrase.text) if phrase.kind == "role" else None
        if posted is not None and word_key(posted.group("noun")) in BODY_NOUNS:
            # "Norland's embassy to the Council": the embassy, not where it is posted
            phrase = NounPhrase(phrase.kind, posted.group("body"))
        document = _DOCUMENT_MENTION.fullmatch(phrase.text) if phrase.kind == "role" else None
        last = self._last_speaker_for(phrase, at) if phrase.kind == "pronoun" else None
        if last is not None:  # '"...," she wrote.' right after her own claim
            speaker = Speaker(last.name, phrase.text, last, "person", self.recent.guessed)
        elif document is not None:  # "the letter reads": whoever the text shows wrote it
            noun = document.group("noun").lower()
            speaker = self.document_author(noun, phrase.text, self._mention_start(noun, at))
        else:
            speaker = resolve(self.mentions, phrase, at, self.recent)
        mention = written if speaker.mention == phrase.text else speaker.mention
        return replace(speaker, mention=self._source_words(mention, at))

    def _last_speaker_for(self, phrase: NounPhrase, at: int) -> Person | None:
        """The person whose claim came last in the same paragraph, when "he" or "she" fits
        them: a pronoun after a speaker's own words goes on with that speaker."""
        pronoun = phrase.text.lower()
        if pronoun not in {"he", "she"} or self.last_spoke is None:
            return None
        spoke_at, speaker = self.last_spoke
        person = speaker.person
        if person is None or spoke_at >= at or "\n" in self.v[spoke_at:at]:
            return None
        wanted = "female" if pronoun == "she" else "male"
        gender = gender_of(person)
        if gender not in {None, wanted}:
            return None
        if gender is None:
            person.gender, person.gender_guessed = wanted, True  # later pronouns agree
        self.recent.guessed = person.gender_guessed
        return person

    def document_author(self, noun: str, mention: str, before: int) -> Speaker:
        """Who speaks through a document the text names ("the letter says", "according to
        the complaint"): the body or person the text showed writing, filing or issuing it
        before `before` ("its complaint", "a letter by X", "X sued Y", the subject of the
        sentence that first mentions it), or the text's own author when the text is that
        document ("the statement reads" in a "Statement by X"). Else the mention itself,
        unresolved: the claim abstains rather than guess the nearest body."""
        found = self._by_owner(noun, before) or self.documents.get(noun)
        guessed = False
        if found is None and self.last_spoke is not None:
            at, speaker = self.last_spoke  # 'X said ... "...," the statement read.'
            if at < before and "\n" not in self.v[at:before]:
                found, guessed = speaker, True
        if found is None:
            found = self._publisher(noun, before)
            guessed = found is not None
        if found is None and noun in FILED_DOCUMENTS:
            found = self._plaintiff(before)
        if found is None and noun in OWN_DOCUMENT_NOUNS:
            found = self.own_author
        if found is None:
            return Speaker(mention, mention, None, "unresolved")
        found = replace(found, guessed=guessed or found.guessed)
        self.documents[noun] = found
        return Speaker(found.name, mention, found.person, found.kind, found.guessed)

    def _by_owner(self, noun: str, at: int) -> Speaker | None:
        """The author a document mention names itself: "a letter from the union", "the
        report published by the Audit Office"."""
        if not self.v.startswith(noun, at):
            return None
        after = _BY_OWNER.match(self.v, at + len(noun), at + len(noun) + 80)
        if after is None:
            return None
        phrase = classify(after.group(1)) or longest_phrase(after.group(1).split(), from_end=False)
        return self.resolve(phrase, at) if phrase is not None else None

    def _mention_start(self, noun: str, at: int) -> int:
        """Where the mention of a document noun nearest `at` starts (before it, else after)."""
        pattern = re.compile(r"\b" + re.escape(noun) + r"\b", re.IGNORECASE)
        found = [m.start() for m in pattern.finditer(self.v, max(0, at - 200), at + 200)]
        before = [f for f in found if f <= at]
        return before[-1] if before else (found[0] if found else at)

    def _plaintiff(self, before: int) -> Speaker | None:
        """Who the text last showed suing ("Acme sued Brandt Ltd on Friday"): the subject of
        that sentence, when it names a body or a person."""
        low = max(0, before - 3000)
        filed = [m.start() for m in _FILED.finditer(self.v, low, before)]
        if not filed:
            return None
        subject = self.of_sentence(self._sentence_start(filed[-1], low), filed[-1])
        return subject if subject is not None and subject.kind in {"body", "person"} else None

    def _sentence_start(self, at: int, low: int) -> int:
        """Where the sentence holding offset `at` starts (not before `low`)."""
        stop = self.v.rfind(". ", low, at)
        return max(low, stop + 2 if stop >= 0 else 0, self.v.rfind("\n", low, at) + 1)

    def before(self, start: int, cue_at: int) -> Speaker | None:
        """The speaker named just before a cue: "President Tomas Ravel said"."""
        left = self.v[max(start, cue_at - 300) : cue_at]
        while (adverb := ADVERB_TAIL.search(left)) is not None and adverb.group().strip():
            left = left[: adverb.start()]
        left = left.rstrip()
        relative = _RELATIVE.search(left)
        if relative is not None and relative.start() > 0:
            left = left[: relative.start()]  # "Sofia Brandt, who ran the utility, cautioned"
        elif left.endswith(","):  # "X, the company's chief executive, said" / "the CEO, X, said"
            head, _, aside = left[:-1].rpartition(",")
            if head and (len(aside.split()) <= 10 or _long_aside(head, aside)):
                named = classify(aside)
                if named is not None and named.kind == "proper":
                    person = self.mentions.person_of(named.text)
                    if person is not None:
                        title = _CLAUSE_BREAK.split(head)[-1].split()
                        self.mentions.add_title(person, title, cue_at)
                        return self.resolve(named, cue_at)
                left = head.rstrip()
        clause = _CLAUSE_BREAK.split(left)[-1]
        member = _PERSON_OF.search(clause)
        if member is not None:  # "Mira Solberg of the watchdog Clean Bids": Mira Solberg
            named = classify(member.group("name"))
            if named is not None and named.kind == "proper":
                person = self.mentions.person_of(named.text)
                if person is not None:
                    return self.resolve(named, cue_at)
        found = self._phrase(clause, cue_at, from_end=True)
        both = _TWO_GROUPS.search(clause)
        if found is not None and found.kind == "anonymous" and both is not None:
            # "tenants and council representatives say": the two groups, as written
            group = both.group("groups")
            if group.lower().endswith(found.name.lower()):
                return Speaker(group, group, None, "anonymous")
        return found

    def _phrase(self, clause: str, at: int, *, from_end: bool) -> Speaker | None:
        """The speaker a clause names at one end; a definite common noun ("the coast guard")
        names a body the text gave in full."""
        tokens = clause.split()
        phrase = longest_phrase(tokens, from_end=from_end)
        if phrase is not None:
            return self.resolve(phrase, at)
        for size in (4, 3, 2):
            chosen = tokens[-size:] if from_end else tokens[:size]
            if len(chosen) == size and _DEFINITE.match(" ".join(chosen)):
                body = _body_of_phrase(self.mentions, " ".join(chosen), at)
                if body is not None:
                    return Speaker(body, " ".join(chosen), None, "body")
        return None

    def described(self, text: str, at: int) -> Speaker | None:
        """The speaker of "the captain, Ola Nilsen" or "the museum's director, the historian
        Ines van Dijk": the person the appositive names, else the first phrase."""
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if not parts:
            return None
        if len(parts) > 1:
            for part in parts:
                phrase = longest_phrase(part.split(), from_end=True)
                if phrase is None or phrase.kind != "proper":
                    continue
                person = self.mentions.person_of(phrase.text)
                if person is not None:
                    others = [p for p in parts if p is not part]
                    self.mentions.add_title(person, " ".join(others).split(), at)
                    return self.resolve(phrase, at)
        tokens = parts[0].split()
        last = longest_phrase(tokens, from_end=True)
        if last is not None and last.kind == "proper" and len(last.text.split()) < len(tokens):
            person = self.mentions.person_of(last.text)
            if person is not None:  # "Acme spokeswoman Julia Berg": the person named last
                self.mentions.add_title(person, tokens[: -len(last.text.split())], at)
                return self.resolve(last, at)
        named = _NAME_AT_END.search(parts[0])
        person = self.mentions.person_of(named.group()) if named else None
        if named is not None and person is not None:
            # "the bloc's spokesperson for Trade and Fisheries Policy Ana Lenz": a title too
            # long for one phrase, and the person it leads up to
            self.mentions.add_title(person, parts[0][: named.start()].split(), at)
            return self.resolve(NounPhrase("proper", named.group()), at)
        return self._phrase(parts[0], at, from_end=False)

    def after(self, at: int, end: int) -> Speaker | None:
        """The speaker named after an inverted cue: 'said Dr. Amara Diallo, who ...', 'said
        the museum's director, the historian Ines van Dijk.'"""
        segment = re.match(r"\s+([^;:!?\"“”]{1,160})", self.v[at:end])
        if segment is None:
            return None
        text = segment.group(1)
        for dot in re.finditer(r"\.(?=\s|$)", text):
            if not is_abbreviation(text, dot.start()):
                text = text[: dot.start()]  # the sentence ends here
                break
        text = re.split(r",\s+(?:who|which|whose|where|when|adding|saying)\b", text)[0]
        return self.described(text, at)

    def of_sentence(self, start: int, end: int) -> Speaker | None:
        """The subject of a sentence whose participle reports speech: "X met Y, noting ..." """
        sentence = self.v[start:end]
        dateline = DATELINE.match(sentence)
        sentence = sentence[dateline.end() :] if dateline else sentence
        lead = LEADING_ADVERBIAL.match(sentence)
        body = sentence[lead.end() :] if lead else sentence
        phrase = longest_phrase(re.split(r"[,;:]", body)[0].split(), from_end=False)
        if phrase is None:
            return None
        speaker = self.resolve(phrase, start)
        known = speaker.kind != "unresolved"
        return speaker if known or len(phrase.text.split()) >= 2 else None

    def according_to(self, text: str, at: int, sentence_start: int) -> Speaker | None:
        """The speaker of "according to ...": a person or body, its document ("WHO figures",
        "an analysis by the Urban Transport Institute", "its website", "the museum's annual
        report", "the report" a body published), or anonymous documents ("court documents")."""
        by = BY_AUTHOR.match(text)
        if by is not None:
            text = by.group(1)  # "an analysis by the Urban Transport Institute"
        words = text.split()
        media = word_key(words[-1]) in SOURCE_MEDIA
        if media and len(words) >= 2:
            if words[-2].lower() in POSSESSIVE_PRONOUNS:  # "its website"
                subject = self.of_sentence(sentence_start, at)
                if subject is None or subject.kind in {"unresolved", "anonymous"}:
                    pronoun = NounPhrase("pronoun", POSSESSIVE_PRONOUNS[words[-2].lower()])
                    subject = self.resolve(pronoun, at)
                return Speaker(subject.name, text, subject.person, subject.kind)
            owner = _lowercase_owner(words)
            if owner is not None:  # "the museum's latest annual report"
                body = _body_of_phrase(self.mentions, f"the {owner}", at)
                if body is not None:
                    return Speaker(body, text, None, "body")
            elif words[0].lower() == "the":  # "the report": whose?
                noun = word_key(words[-1])
                if noun in DOCUMENT_BODY_NOUNS:
                    return self.document_author(noun, text, at)
                found = self.documents.get(noun) or self._publisher(words[-1], at)
                if found is not None:
                    return Speaker(found.name, text, found.person, found.kind)
            if words[0][:1].isupper():
                text = " ".join(words[:-1])  # "WHO figures" -> WHO
            else:
                kept = [w for w in words if w.lower() not in _SOURCE_DETERMINERS]
                return Speaker(" ".join(kept), text, None, "anonymous")  # the report itself
        phrase = classify(text) or longest_phrase(text.split(), from_end=False)
        return self.resolve(phrase, at) if phrase is not None else None

    def _publisher(self, noun: str, at: int) -> Speaker | None:
        """Who put out the document the text last mentioned before `at` ("The council
        published a report on Tuesday. ... According to the report, ..."): the name after
        "by"/"from"/"of", else the owner before a possessive, else the sentence's subject."""
        low = max(0, at - 1500)
        mention: int | None = None
        for m in re.compile(r"\b" + re.escape(noun) + r"\b").finditer(self.v, low, at):
            mention = m.start()
        if mention is None:
            return None
        after = _BY_OWNER.match(self.v, mention + len(noun), mention + len(noun) + 80)
        if after is not None:  # "a report by the Nordic Council", "the review of X" (owner)
            phrase = classify(after.group(1)) or longest_phrase(
                after.group(1).split(), from_end=False
            )
            if phrase is not None:
                return self.resolve(phrase, mention)
        owner = _OWNER_BEFORE.search(self.v, max(low, mention - 80), mention)
        if owner is not None:  # "Kolberg Shipping's quarterly report", "the company's report"
            word = owner.group(1)
            if word[:1].isupper():
                chain = longest_phrase(
                    self.v[max(low, mention - 80) : owner.end(1)].split(), from_end=True
                )
                if chain is not None:
                    return self.resolve(chain, mention)
            else:
                body = _body_of_phrase(self.mentions, f"the {word}", mention)
                if body is not None:
                    return Speaker(body, f"the {word}", None, "body")
        subject = self.of_sentence(self._sentence_start(mention, low), mention)
        if subject is not None and subject.kind in {"body", "person"}:
            return subject
        return None

    def remember(self, speaker: Speaker, at: int) -> None:
        """Who "he", "it" and "they" may refer to next."""
        if speaker.person is not None:
            self.recent.see(speaker.person)
        elif speaker.kind == "body":
            self.recent.body = speaker.name
            if speaker.name not in self.noted_bodies:
                self.noted_bodies.add(speaker.name)
                self.mentions.note_body(speaker.name, at)
        elif speaker.kind == "anonymous":
            self.recent.anonymous = speaker.name
            if _group_head(speaker.name).endswith(_GROUP_HEADS):
                self.recent.group = speaker.name

    def heard(self, speaker: Speaker, at: int) -> None:
        """A claim of this speaker starts at `at`: a later "she wrote" or "the statement
        read" in the same paragraph may go on with it."""
        if speaker.kind in {"body", "person"}:
            self.last_spoke = (at, speaker)

    def note_documents(self, speaker: Speaker, start: int, end: int) -> None:
        """ "In its complaint, ... the SEC said": a later "the complaint" is the SEC's."""
        if speaker.kind in {"body", "person"}:
            for m in OWN_DOCUMENT.finditer(self.v, start, end):
                self.documents[m.group(1).lower()] = speaker

    def track_subject(self, start: int, end: int, spoke: bool, claimed: bool) -> None:
        """Remember who a sentence was about, for a later "He" or "They": `spoke` is True when
        a person made a claim in it (who is remembered already), `claimed` when anyone did
        (then a group in it is what was said, not who said it)."""
        if spoke:
            return
        dateline = DATELINE.match(self.v, start, end)
        start = dateline.end() if dateline else start
        lead = LEADING_ADVERBIAL.match(self.v, start, end)
        head = self.v[lead.end() if lead else start : end]
        phrase = longest_phrase(re.split(r"[,;:]", head)[0].split()[:10], from_end=False)
        if phrase is not None and phrase.kind == "pronoun":
            return  # "He ..." keeps the person we already had
        if phrase is not None and phrase.kind == "anonymous" and not claimed:
            name = resolve(self.mentions, phrase, start, self.recent).name
            if _group_head(name).endswith(_GROUP_HEADS):
                self.recent.group = name  # "Prosecutors charged ... They say ..."
        person = None
        if phrase is not None and phrase.kind == "proper":
            person = self.mentions.person_of(phrase.text)
        person = person or self.mentions.first_person_in(start, end)
        if person is not None:
            self.recent.see(person)

    def _source_words(self, words: str, near: int) -> str:
        """The original text's spelling of words found in the view near an offset
        ("TomasRavel" for the view's "Tomas Ravel")."""
        if " " not in words:
            return words
        low = max(0, near - 300)
        found = self.v.rfind(words, low, near + len(words))
        if found == -1:
            found = self.v.find(words, near, near + 300)
        if found == -1:
            return words
        start, end = self.view.to_source(found), self.view.to_source(found + len(words))
        return self.source[start:end]
