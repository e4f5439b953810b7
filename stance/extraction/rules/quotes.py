"""Quotations, transcripts and statements, for the rules extractor's walk.

The part of the walk over a document (stance.extraction.rules.speech) that reads words given as the
speaker's own:

- a quotation with its speaker before or after it ('"...," X said', 'X said: "..."',
  '"...," said the museum's director, the historian Ines van Dijk'), or continuing the
  previous speaker; one claim per sentence of the quotation;
- a transcript's speaker labels ("ASSISTANT SECRETARY O'BRIEN: ..."): each sentence of an
  answer is a claim of its speaker, unless it reports someone else's words ("Larkspur
  Freight has told us that ..." is Larkspur Freight's) or is procedure ("I'll ask Pavel
  to say more");
- a "Statement by X" document: its sentences are X's.

Framing words ("What we would say is that", "I would also say this:") are left out of the
claim, and so is a trailing comment on it ("..., calling the suggestion absurd").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from typing import Literal

from stance.extraction.rules.cues import (
    ADJUNCT,
    ADVERB_TAIL,
    ALL_CUES,
    CUE,
    LABEL,
    MIN_WORDS,
    QUOTE_TAIL_CUE,
    asserts,
    framing_end,
    listener_end,
    statement_author,
    title_case,
    trailing_end,
)
from stance.extraction.rules.events import Event
from stance.extraction.rules.lexicon import (
    ANSWER_LABELS,
    NOT_A_CLAIM,
    PROCEDURAL_LABELS,
    QUESTION_LABELS,
)
from stance.extraction.rules.mentions import Mentions
from stance.extraction.rules.phrases import NounPhrase, classify
from stance.extraction.rules.speakers import Speaker, Speakers
from stance.extraction.rules.targets import Found
from stance.extraction.rules.text import (
    Paragraph,
    Quotation,
    View,
    quotations_overlapping,
    sentences,
    trim,
)

# The object of a reciprocal cue ("blamed each other for ...").
_RECIPROCAL = re.compile(r"(?:each\s+other|one\s+another)\b", re.IGNORECASE)
# Subjects of a nested report that are the turn's own speaker ("We have said that ...").
_FIRST_PERSON = frozenset({"i", "we", "you"})
# A report made to the speaker: "has told us that", "assured me that", "informed our office".
_TOLD_US = re.compile(r"\s+(?:us|me|our\s+[\w-]+)\b")


@dataclass
class Draft:
    """A claim found in the view, before targets and checking."""

    start: int
    end: int
    speaker: Speaker
    cue: str
    lemma: str
    attribution: Literal["direct", "indirect", "mixed"]
    that: bool = False
    paragraph: int = -1
    events: list[Event] = field(default_factory=list)
    found: list[Found] = field(default_factory=list)  # its targets, once read


class Walk:
    """What the walk over one document keeps (its drafts, who spoke where), and the reading
    of quoted words; stance.extraction.rules.speech.Document adds reported speech."""

    text: str
    view: View
    v: str
    mentions: Mentions
    speakers: Speakers
    paragraphs: list[Paragraph]
    drafts: list[Draft]
    placed: dict[int, list[tuple[int, int]]]  # per paragraph, (start, index into drafts)

    def _complement(self, at: int, end: int, lemma: str) -> tuple[int, bool] | None:
        raise NotImplementedError  # reported speech: stance.extraction.rules.speech.Document

    # Quotations -------------------------------------------------------------------------------

    def _quotation(
        self, number: int, paragraph: Paragraph, index: int, spans: list[tuple[int, int]]
    ) -> None:
        """Claims of the `number`th quotation of a paragraph, one per asserting sentence."""
        quotation = paragraph.quotations[number]
        before = self._draft_before(index, quotation.end)
        if before is not None and before.end > quotation.start:
            return  # part of a reported clause already ("said the plan was \"a disaster\"")
        inner = self.v[quotation.start : quotation.end]
        if len(inner.split()) < MIN_WORDS:
            return
        at = bisect_right(spans, (quotation.open_at, len(self.v))) - 1
        sentence_start, sentence_end = spans[at] if at >= 0 else (paragraph.start, paragraph.end)
        if number > 0:  # '"A," he said, "B."': the second one's cue follows the first
            sentence_start = max(sentence_start, paragraph.quotations[number - 1].close_at)
        found = self._quote_speaker_before(sentence_start, quotation.open_at)
        if found is None:
            if number + 1 < len(paragraph.quotations):
                sentence_end = min(sentence_end, paragraph.quotations[number + 1].open_at)
            found = self._quote_speaker_after(quotation.close_at, sentence_end)
        if found is None and not quotation.closed:
            found = self._speaker_further_on(index)  # a quotation over several paragraphs
        if found is None:
            found = self._continuing_speaker(quotation, paragraph, index)
        if found is None:
            return
        speaker, cue = found
        lemma = ALL_CUES.get(cue, "say")
        for start, end in sentences(self.v, quotation.start, quotation.end):
            start, end = trim(self.v, start, end, strip_marks=True)
            start = framing_end(self.v, start, end)
            if asserts(self.v[start:end]):
                self._add(Draft(start, end, speaker, cue, lemma, "direct", False, index))

    def _quote_speaker_before(self, start: int, open_at: int) -> tuple[Speaker, str] | None:
        """'X said: "..."', 'X told reporters, "..."'"""
        cues = list(CUE.finditer(self.v, start, open_at))
        if not cues:
            return None
        m = cues[-1]
        rest = m.end()
        while (adjunct := ADJUNCT.match(self.v, rest, open_at)) is not None:
            rest = adjunct.end()
        lemma = ALL_CUES[re.sub(r"\s+", " ", m.group())]
        listener = listener_end(self.v, rest, open_at, lemma)
        remainder = self.v[listener if listener is not None else rest : open_at]
        if not re.fullmatch(r"\s*(?:that)?\s*[:,]?\s*", remainder):
            inverted = re.fullmatch(r"\s+([^,:;]{2,80}?)\s*[:,]\s*", remainder)  # said Smith:
            phrase = classify(inverted.group(1)) if inverted else None
            if phrase is None:
                return None
            return self.speakers.resolve(phrase, m.start()), m.group()
        found = self.speakers.before(start, m.start())
        return (found, m.group()) if found is not None else None

    def _quote_speaker_after(self, close_at: int, end: int) -> tuple[Speaker, str] | None:
        """'"...," X said', '"...," said X, the company's chief executive.'"""
        tail = self.v[close_at:end]
        lead = re.match(r"\s*[,.!?]?\s*", tail)
        offset = close_at + (lead.end() if lead else 0)
        m = QUOTE_TAIL_CUE.search(self.v, offset, min(end, offset + 160))
        if m is None:
            return None
        before = self.v[offset : m.start()].strip()
        if before:
            speaker = self.speakers.described(ADVERB_TAIL.sub("", before).strip(" ,"), m.start())
        else:
            speaker = self.speakers.after(m.end(), end)
        if speaker is None:
            return None
        return speaker, re.sub(r"\s+", " ", m.group())

    def _speaker_further_on(self, index: int) -> tuple[Speaker, str] | None:
        """The speaker of a quotation that runs on over the next paragraphs (each opening with
        a quote mark), named where it finally closes: '“A.\n\n“B,” X said.'"""
        for later in range(index + 1, min(index + 5, len(self.paragraphs))):
            paragraph = self.paragraphs[later]
            if not paragraph.quotations or paragraph.quotations[0].open_at != paragraph.start:
                return None
            first = paragraph.quotations[0]
            if first.closed:
                spans = sentences(self.v, paragraph.start, paragraph.end, paragraph.quotations)
                at = bisect_right(spans, (first.close_at, len(self.v))) - 1
                end = spans[at][1] if at >= 0 else paragraph.end
                if len(paragraph.quotations) > 1:
                    end = min(end, paragraph.quotations[1].open_at)
                return self._quote_speaker_after(first.close_at, max(end, first.close_at))
        return None

    def _continuing_speaker(
        self, quotation: Quotation, paragraph: Paragraph, index: int
    ) -> tuple[Speaker, str] | None:
        """A quotation with no cue of its own continues the speaker just quoted, or the one a
        paragraph ending in a colon introduced."""
        before = self._draft_before(index, quotation.start)
        if before is not None:
            return before.speaker, "said"
        if index == 0 or quotation.open_at != paragraph.start:
            return None
        last = self.paragraphs[index - 1]
        if self.v[last.end - 1] == ":":  # 'Stoltenberg said:' then the quotation below it
            spans = sentences(self.v, last.start, last.end, last.quotations)
            found = self._quote_speaker_before(spans[-1][0], last.end)
            if found is not None:
                return found
            person = self.mentions.last_person_in(spans[-1][0], last.end)
            if person is not None:  # "released these words from its CEO, X:"
                return Speaker(person.name, person.name, person, "person"), "said"
        previous = self._draft_before(index - 1, last.end + 1)
        if previous is not None and previous.attribution == "direct":
            return previous.speaker, "said"
        return None

    # Transcripts and statements ----------------------------------------------------------------

    def _label_speaker(self, paragraph: Paragraph, label: str) -> tuple[Speaker | None, bool, int]:
        """(speaker of a labelled answer or None, whether the label is skipped, text start)."""
        body_start = LABEL.match(self.v, paragraph.start).end()  # type: ignore[union-attr]
        words = [w.lower().strip(".") for w in label.split()]
        if words[0] in QUESTION_LABELS or words[0] in PROCEDURAL_LABELS:
            return None, True, body_start
        if len(words) == 1 and words[0] in ANSWER_LABELS:  # "Answer:": whom the text asks
            respondent = self._respondent(paragraph.start)
            return respondent, respondent is None, body_start
        name = label if not label.isupper() else title_case(label)
        self.mentions.register_label(name, paragraph.start)
        phrase = classify(name) or NounPhrase("proper", name)
        return self.speakers.resolve(phrase, paragraph.start), False, body_start

    def _spoken(self, paragraph: Paragraph, index: int, speaker: Speaker, cue: str) -> None:
        """Every asserting sentence of a paragraph is the speaker's own words, but for the
        words of someone else it reports ("The owners have told us that ...")."""
        for start, end in sentences(self.v, paragraph.start, paragraph.end):
            start, end = trim(self.v, start, end)
            if not asserts(self.v[start:end]):
                continue
            if self._nested_report(start, end, index, speaker):
                continue
            start = framing_end(self.v, start, end)
            end = trim(self.v, start, trailing_end(self.v, start, end))[1]
            if asserts(self.v[start:end]):
                self._add(Draft(start, end, speaker, cue, "say", "direct", False, index))
        self.speakers.remember(speaker, paragraph.start)

    def _nested_report(self, start: int, end: int, index: int, speaker: Speaker) -> bool:
        """In someone's own words, a first-hand report of a third party's words, told to the
        speaker ("Larkspur Freight has told us that ..."): a claim of the third party. True
        if made. Words the speaker only characterises ("The owners insist that ...", "The
        mayor has often said that ...") stay the speaker's own sentence: the speaker asserts
        what the other side claims, usually to dispute it."""
        for m in CUE.finditer(self.v, start, min(end, start + 200)):
            subject = self.speakers.before(start, m.start())
            if subject is None:
                continue
            if subject.mention.lower() in _FIRST_PERSON or subject.name == speaker.name:
                return False
            if subject.kind == "unresolved" or not _TOLD_US.match(self.v, m.end(), end):
                return False
            lemma = ALL_CUES[re.sub(r"\s+", " ", m.group())]
            complement = self._complement(m.end(), end, lemma)
            if complement is None:
                return False
            begin, that = complement
            draft = Draft(begin, end, subject, m.group(), lemma, "indirect", that, index)
            draft.end = trim(self.v, begin, trailing_end(self.v, begin, end))[1]
            return self._add(draft) is not None
        return False

    def _respondent(self, at: int) -> Speaker | None:
        """Who answers in a "Question: ... Answer: ..." text: its author if it has one, else
        the first person the text names before the answers."""
        author = self._statement_speaker()
        if author is not None:
            return author
        person = self.mentions.first_person_in(0, at)
        return Speaker(person.name, person.name, person, "person") if person else None

    def _statement_speaker(self) -> Speaker | None:
        """X of a text headed "Statement by X", "Address by X to ...", "X statement on ..."
        (in its first paragraphs or title line), trimmed to X."""
        head = (
            self.v[: self.paragraphs[min(2, len(self.paragraphs) - 1)].end]
            if self.paragraphs
            else ""
        )
        found = statement_author(head)
        if found is None:
            return None
        who, at = found
        self.mentions.register_label(who, at)  # "Prime Minister Ana Ruiz": a person
        named = re.search(r"(?:[A-Z][\w'’.-]+\s+)*[A-Z][\w'’.-]+$", who)
        person = self.mentions.person_of(named.group()) if named else None
        if person is not None:  # "the Spokesperson for Trade Policy Ana Lenz": Ana Lenz
            return Speaker(person.name, who, person, "person")
        # A name too long for a speaker phrase is still the author's, without its article.
        phrase = classify(who) or NounPhrase("proper", re.sub(r"^the\s+", "", who, flags=re.I))
        return self.speakers.resolve(phrase, at)

    # Bookkeeping ----------------------------------------------------------------------------

    def _add(self, draft: Draft) -> Draft | None:
        """Keep a draft (returned) unless it is too short to be a proposition."""
        draft.start, draft.end = trim(self.v, draft.start, draft.end)
        if len(self.v[draft.start : draft.end].split()) < MIN_WORDS:
            return None  # "praised the fans"
        if NOT_A_CLAIM.match(self.v[draft.start : draft.end]):  # ^ holds only at 0
            return None  # "expressed appreciation for ...": thanks, not a proposition
        if _RECIPROCAL.match(self.v, draft.start, draft.end):
            return None  # "X and Y accused each other of ...": no one speaker's claim
        insort(self.placed.setdefault(draft.paragraph, []), (draft.start, len(self.drafts)))
        self.drafts.append(draft)
        self.speakers.remember(draft.speaker, draft.start)
        self.speakers.heard(draft.speaker, draft.start)
        return draft

    def _draft_before(self, paragraph: int, at: int) -> Draft | None:
        """The draft of a paragraph that starts last before offset `at`, if any."""
        placed = self.placed.get(paragraph, [])
        index = bisect_left(placed, (at, -1)) - 1
        return self.drafts[placed[index][1]] if index >= 0 else None

    def _finish_span(self, draft: Draft, end: int, paragraph: Paragraph) -> None:
        """Close a reported clause at the sentence end, before a quotation it introduces, or
        before a trailing comment on it."""
        stop = min(draft.end, end)
        introduced = re.search(r":\s*[\"“]", self.v[draft.start : stop])
        if introduced:
            stop = draft.start + introduced.start()
        stop = trailing_end(self.v, draft.start, stop)
        draft.start, draft.end = trim(self.v, draft.start, stop)
        if self.v[draft.end - 1 : draft.end] in {'"', "”"}:  # '... "a provocation."'
            draft.end = trim(self.v, draft.start, draft.end, strip_marks=True)[1]
        inside = quotations_overlapping(paragraph.quotations, draft.start, draft.end)
        if inside:
            whole = any(q.start <= draft.start and draft.end <= q.end for q in inside)
            draft.attribution = "direct" if whole else "mixed"
