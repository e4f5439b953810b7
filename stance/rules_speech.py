"""Finding claims in a text: who asserts what, where, for the rules extractor.

A walk over the paragraphs and sentences of a document's view (stance.rules_text) that
turns evidence into drafts (a span, a speaker, a cue):

- a reporting cue with its speaker: "X said (that) ...", "X stressed ...", "..., noting
  that ...", "According to X, ...", "..., X said."; a second cue on the same speaker
  ("said that A, and emphasized B") or a second "that" ("said A and that B") starts a
  second claim;
- a quotation with its speaker before or after it ('"...," X said', 'X said: "..."'), or
  continuing the previous speaker; one claim per sentence of the quotation;
- a transcript's speaker labels ("ASSISTANT SECRETARY O'BRIEN: ..."): each sentence of an
  answer is a claim of its speaker (questions and the moderator are left out);
- a "Statement by X" document: its sentences are X's.

Speakers are resolved as the walk goes (stance.rules_mentions), remembering who "he", "it"
and "they" were.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field, replace
from typing import Literal

from stance.lexicon import (
    CUE_PARTICIPLE,
    EVALUATIVE_LEMMAS,
    PROCEDURAL_LABELS,
    QUESTION_LABELS,
    SOURCE_MEDIA,
    THAT_ONLY_LEMMAS,
)
from stance.rules_cues import (
    ADJUNCT,
    ADVERB_TAIL,
    ALL_CUES,
    AND_THAT,
    APPOSITIVE_AFTER,
    BY_AUTHOR,
    CONTINUATION,
    CUE,
    LABEL,
    LEADING_ADVERBIAL,
    LISTENER,
    LISTENER_THAT,
    MIN_WORDS,
    OWN_DOCUMENT,
    PARENTHETICAL,
    POSSESSIVE_PRONOUNS,
    QUOTE_TAIL_CUE,
    SENTENCE_TAIL,
    SOURCE,
    STATEMENT,
    THAT,
    asserts,
    default_year,
    describes,
    inside,
    parenthetical,
    speaker_label,
    title_case,
)
from stance.rules_events import Event, Events
from stance.rules_mentions import DATELINE, Mentions, Recent, Speaker
from stance.rules_phrases import NounPhrase, classify, longest_phrase, word_key
from stance.rules_text import (
    Paragraph,
    Quotation,
    View,
    is_abbreviation,
    paragraphs,
    quotations_overlapping,
    sentences,
    trim,
)

# --- Drafts ------------------------------------------------------------------------------------


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


class Document:
    """One text under extraction: its view, what it names, and the claims found so far."""

    def __init__(self, text: str, published: str | None) -> None:
        self.text = text
        self.view = View.of(text)
        self.v = self.view.text  # the de-glued text every rule reads; offsets are view offsets
        self.mentions = Mentions(self.v)
        self.year = default_year(published, text)
        self.events = Events(self.v, self.mentions, self.year)
        self.paragraphs = paragraphs(self.v)
        self.drafts: list[Draft] = []
        # Per paragraph, (start, index into drafts) in text order: who spoke where.
        self.placed: dict[int, list[tuple[int, int]]] = {}
        self.recent = Recent()
        self.noted_bodies: set[str] = set()
        self.documents: dict[str, Speaker] = {}  # "complaint" -> who filed it ("its complaint")

    # The walk over the text ----------------------------------------------------------------

    def run(self) -> list[Draft]:
        """The drafts of the whole text, in text order. A text with two or more speaker labels
        is read as a transcript; one headed "Statement by X" gives X its uncued sentences."""
        labels = [speaker_label(self.v, p) for p in self.paragraphs]
        transcript = sum(1 for label in labels if label is not None) >= 2
        statement_speaker = self._statement_speaker()
        label_speaker: Speaker | None = None
        label_skipped = False
        for index, paragraph in enumerate(self.paragraphs):
            label = labels[index] if transcript else None
            if label is not None:
                label_speaker, label_skipped, body_start = self._label_speaker(paragraph, label)
                paragraph = Paragraph(body_start, paragraph.end, paragraph.quotations)
            if transcript and (label_speaker is not None or label_skipped):
                if label_speaker is not None:
                    self._spoken(paragraph, index, label_speaker, "said")
                continue
            self._paragraph(paragraph, index, statement_speaker if index > 0 else None)
        kept = [d for d in self.drafts if len(self.v[d.start : d.end].split()) >= MIN_WORDS]
        return sorted(kept, key=lambda d: d.start)

    def _paragraph(self, paragraph: Paragraph, index: int, author: Speaker | None) -> None:
        """Reported speech sentence by sentence, then the paragraph's quotations. In a
        statement, a sentence that reports no one else's words is the `author`'s."""
        spans = sentences(self.v, paragraph.start, paragraph.end, paragraph.quotations)
        for start, end in spans:
            made = len(self.drafts)
            self._cues(start, end, paragraph, index)
            if len(self.drafts) == made:
                self._tail_attribution(start, end, paragraph, index)
            if (
                author is not None
                and len(self.drafts) == made
                and not inside(start, paragraph.quotations)
            ):
                self._spoken(Paragraph(start, end, ()), index, author, "stated")
            self._track_subject(start, end, made)
        for number in range(len(paragraph.quotations)):
            self._quotation(number, paragraph, index, spans)

    # Reported speech -------------------------------------------------------------------------

    def _cues(self, start: int, end: int, paragraph: Paragraph, index: int) -> None:
        """Claims of reporting cues in one sentence."""
        first = len(self.drafts)
        active: Draft | None = None
        found = [*CUE.finditer(self.v, start, end), *AND_THAT.finditer(self.v, start, end)]
        for m in sorted(found, key=lambda match: match.start()):
            if inside(m.start(), paragraph.quotations):
                continue
            if m.re is AND_THAT:  # "said X and that Y": a second proposition
                if active is not None and m.start() > active.start:
                    active.end = min(active.end, m.start())
                    second = replace(active, start=m.end(), end=end, that=True, events=[])
                    active = self._add(second) or active
                continue
            form = re.sub(r"\s+", " ", m.group())
            lemma = ALL_CUES[form]
            if lemma == "according to":
                active = self._according_to(m, start, end, index, active) or active
                continue
            participle = form in CUE_PARTICIPLE
            prefix = self.v[max(start, m.start() - 40) : m.start()]
            continuing = CONTINUATION.search(prefix)
            if active is not None and m.start() >= active.start:
                if not continuing or (
                    participle
                    and not prefix.rstrip().endswith(",")
                    and "while" not in prefix
                    and " and" not in prefix
                ):
                    continue  # a cue inside the reported content: "said that X told Y"
                cut = max(active.start, m.start() - len(continuing.group()))
                active.end = min(active.end, cut)
                if participle and active.lemma in EVALUATIVE_LEMMAS and not active.that:
                    active.end = active.start  # "welcomed the package, saying ...": the saying
                speaker = active.speaker
            elif participle:
                if not prefix.rstrip().endswith(","):
                    continue
                subject = self._sentence_subject(start, m.start())
                if subject is None:
                    continue
                speaker = subject
            else:
                subject = self._subject_before(start, m.start())
                if subject is None:
                    continue
                speaker = subject
                aside = parenthetical(self.v, start, m, end)
                if aside is not None:  # "The alliance, it said, would ..."
                    whole = Draft(start, aside, speaker, form, lemma, "indirect", False, index)
                    active = self._add(whole) or active
                    continue
            self._remember(speaker, m.start())
            self._note_documents(speaker, start, end)
            complement = self._complement(m.end(), end, lemma)
            if complement is None:
                continue
            begin, that = complement
            draft = Draft(begin, end, speaker, form, lemma, "indirect", that, index)
            active = self._add(draft) or draft  # a dropped draft still carries its speaker
        if active is not None:
            self._finish_span(active, end, paragraph)
        for draft in self.drafts[first:]:
            self._finish_span(draft, draft.end, paragraph)

    def _according_to(
        self, m: re.Match[str], start: int, end: int, index: int, active: Draft | None
    ) -> Draft | None:
        """ "According to X, ..." and "..., according to X." """
        clause = SOURCE.match(self.v, m.end(), end)
        if clause is None:
            return None
        speaker = self._source(clause.group(1), m.start(), start)
        if speaker is None:
            return None
        if not self.v[start : m.start()].strip():
            begin = clause.end()
            aside = APPOSITIVE_AFTER.match(self.v, begin, end)  # ", a research group,"
            if aside is not None and describes(aside.group(1)):
                begin = aside.end()
            draft = Draft(
                begin, end, speaker, "according to", "according to", "indirect", False, index
            )
        elif self.v[start : m.start()].rstrip().endswith(","):
            if active is not None and active.start < m.start():
                return None
            draft = Draft(
                start, m.start(), speaker, "according to", "according to", "indirect", False, index
            )
        else:
            return None
        return self._add(draft)

    def _source(self, text: str, at: int, sentence_start: int) -> Speaker | None:
        """The speaker of "according to ...": a person or body, its document ("WHO figures",
        "an analysis by the Climate Policy Forum", "its website", "the complaint"), or
        anonymous documents ("court documents")."""
        by = BY_AUTHOR.match(text)
        if by is not None:
            text = by.group(1)  # "an analysis by the Climate Policy Forum"
        words = text.split()
        media = word_key(words[-1]) in SOURCE_MEDIA
        if media and len(words) == 2 and words[0].lower() == "the":
            owner = self.documents.get(word_key(words[-1]))  # "the complaint": whose?
            if owner is not None:
                return Speaker(owner.name, text, owner.person, owner.kind)
        if media and len(words) >= 2:
            if words[-2].lower() in POSSESSIVE_PRONOUNS:  # "its website"
                subject = self._sentence_subject(sentence_start, at)
                if subject is None or subject.kind in {"unresolved", "anonymous"}:
                    pronoun = NounPhrase("pronoun", POSSESSIVE_PRONOUNS[words[-2].lower()])
                    subject = self._resolve(pronoun, at)
                return Speaker(subject.name, text, subject.person, subject.kind)
            if words[0][:1].isupper():
                text = " ".join(words[:-1])  # "WHO figures" -> WHO
        phrase = classify(text) or longest_phrase(text.split(), from_end=False)
        return self._resolve(phrase, at) if phrase is not None else None

    def _complement(self, at: int, end: int, lemma: str) -> tuple[int, bool] | None:
        """Where the reported content begins after a cue, and whether "that" introduced it."""
        v = self.v
        if lemma == "tell":
            listener = LISTENER_THAT.match(v, at, end) or LISTENER.match(v, at, end)
            if listener is None:
                return None  # "told lies": not a report of speech
            at = listener.end()
        if lemma == "add" and re.match(r"\s+(?:to|up)\b", v[at : at + 6]):
            return None  # "adding to the pressure"
        while (adjunct := ADJUNCT.match(v, at, end)) is not None:
            at = adjunct.end()
        that = THAT.match(v, at, end)
        if that is not None:
            at = that.end()
            aside = PARENTHETICAL.match(v, at, end)  # "that, based on what he heard, ..."
            if aside is not None and aside.end() < end:
                at = aside.end()
        elif lemma in THAT_ONLY_LEMMAS:
            return None
        while at < end and v[at] in " \t\n,":
            at += 1
        if at >= end or v[at] in '"“.;:!?)':
            return None  # nothing reported, or a quotation (read as such)
        return at, that is not None

    def _tail_attribution(self, start: int, end: int, paragraph: Paragraph, index: int) -> None:
        """ "The plan will fail, the minister said." (no quotation marks)"""
        sentence = self.v[start:end].rstrip(".!? ")
        if sentence[:1] in '"“' or inside(start, paragraph.quotations):
            return
        m = SENTENCE_TAIL.search(sentence)
        if m is None:
            return
        if m.group("np") is not None:
            phrase = classify(ADVERB_TAIL.sub("", m.group("np")))
            cue = m.group("cue").split()[0]
        else:
            phrase = classify(m.group("inp").split(",")[0])
            cue = m.group("icue")
        if phrase is None:
            return
        speaker = self._resolve(phrase, start + m.start())
        content_end = start + m.start()
        if len(self.v[start:content_end].split()) < MIN_WORDS + 1:
            return
        lemma = ALL_CUES.get(cue, "say")
        self._add(Draft(start, content_end, speaker, cue, lemma, "indirect", False, index))

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
        if found is None:
            found = self._continuing_speaker(quotation, paragraph, index)
        if found is None:
            return
        speaker, cue = found
        lemma = ALL_CUES.get(cue, "say")
        for start, end in sentences(self.v, quotation.start, quotation.end):
            start, end = trim(self.v, start, end, strip_marks=True)
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
        remainder = self.v[rest:open_at]
        lemma = ALL_CUES[re.sub(r"\s+", " ", m.group())]
        if lemma == "tell":
            listener = LISTENER.match(self.v, rest, open_at)
            remainder = self.v[listener.end() : open_at] if listener else remainder
        if not re.fullmatch(r"\s*(?:that)?\s*[:,]?\s*", remainder):
            inverted = re.fullmatch(r"\s+([^,:;]{2,80}?)\s*[:,]\s*", remainder)  # said Smith:
            phrase = classify(inverted.group(1)) if inverted else None
            if phrase is None:
                return None
            return self._resolve(phrase, m.start()), m.group()
        found = self._subject_before(start, m.start())
        return (found, m.group()) if found is not None else None

    def _quote_speaker_after(self, close_at: int, end: int) -> tuple[Speaker, str] | None:
        """'"...," X said', '"...," said X, the company's chief executive.'"""
        tail = self.v[close_at:end]
        lead = re.match(r"\s*[,.!?]?\s*", tail)
        offset = close_at + (lead.end() if lead else 0)
        m = QUOTE_TAIL_CUE.search(self.v, offset, min(end, offset + 120))
        if m is None:
            return None
        before = self.v[offset : m.start()].strip()
        if before:
            phrase = classify(ADVERB_TAIL.sub("", before).strip())
        else:
            phrase = self._phrase_after(m.end(), end)
        if phrase is None:
            return None
        return self._resolve(phrase, m.start()), re.sub(r"\s+", " ", m.group())

    def _phrase_after(self, at: int, end: int) -> NounPhrase | None:
        """The speaker named after an inverted cue: 'said Dr. Claire Moreau, who ...'."""
        segment = re.match(r"\s+([^,;:!?\"“”]{1,100})", self.v[at:end])
        if segment is None:
            return None
        text = segment.group(1)
        for dot in re.finditer(r"\.(?=\s|$)", text):
            if not is_abbreviation(text, dot.start()):
                text = text[: dot.start()]  # the sentence ends here
                break
        return longest_phrase(text.split(), from_end=False)

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
            if person is not None:  # "issued the following statement from its CEO, X:"
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
        name = label if not label.isupper() else title_case(label)
        phrase = classify(name) or NounPhrase("proper", name)
        return self._resolve(phrase, paragraph.start), False, body_start

    def _spoken(self, paragraph: Paragraph, index: int, speaker: Speaker, cue: str) -> None:
        """Every asserting sentence of a paragraph is the speaker's own words."""
        for start, end in sentences(self.v, paragraph.start, paragraph.end):
            start, end = trim(self.v, start, end)
            if asserts(self.v[start:end]):
                self._add(Draft(start, end, speaker, cue, "say", "direct", False, index))
        self._remember(speaker, paragraph.start)

    def _statement_speaker(self) -> Speaker | None:
        """X of a text headed "Statement by X" (in its first paragraphs or title line)."""
        head = (
            self.v[: self.paragraphs[min(2, len(self.paragraphs) - 1)].end]
            if self.paragraphs
            else ""
        )
        m = STATEMENT.search(head)
        if m is None:
            return None
        who = m.group("who").strip().rstrip(".")
        who = re.split(r"\s+(?:on|regarding|about|concerning)\s+", who)[0]
        phrase = classify(who) or NounPhrase("proper", who)
        return self._resolve(phrase, m.start())

    # Speakers -------------------------------------------------------------------------------

    def _subject_before(self, start: int, cue_at: int) -> Speaker | None:
        """The speaker named just before a cue: "President Ilham Aliyev said"."""
        left = self.v[max(start, cue_at - 200) : cue_at]
        while (adverb := ADVERB_TAIL.search(left)) is not None and adverb.group().strip():
            left = left[: adverb.start()]
        left = left.rstrip()
        if left.endswith(","):  # "X, the company's chief executive, said" / "the CEO, X, said"
            head, _, aside = left[:-1].rpartition(",")
            if head and len(aside.split()) <= 10:
                named = classify(aside)
                if named is not None and named.kind == "proper":
                    person = self.mentions.person_of(named.text)
                    if person is not None:
                        title = re.split(r"[,;:()\"“”]", head)[-1].split()
                        self.mentions.add_title(person, title)
                        return self._resolve(named, cue_at)
                left = head.rstrip()
        clause = re.split(r"[,;:()\"“”]", left)[-1]
        phrase = longest_phrase(clause.split(), from_end=True)
        if phrase is None:
            return None
        return self._resolve(phrase, cue_at)

    def _sentence_subject(self, start: int, end: int) -> Speaker | None:
        """The subject of a sentence whose participle reports speech: "X met Y, noting ..." """
        sentence = self.v[start:end]
        dateline = DATELINE.match(sentence)
        sentence = sentence[dateline.end() :] if dateline else sentence
        lead = LEADING_ADVERBIAL.match(sentence)
        body = sentence[lead.end() :] if lead else sentence
        phrase = longest_phrase(re.split(r"[,;:]", body)[0].split(), from_end=False)
        if phrase is None:
            return None
        speaker = self._resolve(phrase, start)
        known = speaker.kind != "unresolved"
        return speaker if known or len(phrase.text.split()) >= 2 else None

    def _resolve(self, phrase: NounPhrase, at: int) -> Speaker:
        speaker = self.mentions.resolve(phrase, at, self.recent)
        return replace(speaker, mention=self._source_words(speaker.mention, at))

    def _source_words(self, words: str, near: int) -> str:
        """The original text's spelling of words found in the view near an offset
        ("IlhamAliyev" for the view's "Ilham Aliyev")."""
        if " " not in words:
            return words
        low = max(0, near - 300)
        found = self.v.rfind(words, low, near + len(words))
        if found == -1:
            found = self.v.find(words, near, near + 300)
        if found == -1:
            return words
        start, end = self.view.to_source(found), self.view.to_source(found + len(words))
        return self.text[start:end]

    def _note_documents(self, speaker: Speaker, start: int, end: int) -> None:
        """ "In its complaint, ... the SEC said": a later "the complaint" is the SEC's."""
        if speaker.kind in {"body", "person"}:
            for m in OWN_DOCUMENT.finditer(self.v, start, end):
                self.documents[m.group(1).lower()] = speaker

    def _remember(self, speaker: Speaker, at: int) -> None:
        """Who "he", "it" and "they" may refer to next."""
        if speaker.person is not None:
            self.recent.person = speaker.person
        elif speaker.kind == "body":
            self.recent.body = speaker.name
            if speaker.name not in self.noted_bodies:
                self.noted_bodies.add(speaker.name)
                self.mentions.note_body(speaker.name, at)
        elif speaker.kind == "anonymous" and speaker.name.split()[-1].lower().endswith(
            ("s", "police", "people", "staff")
        ):
            self.recent.group = speaker.name

    def _track_subject(self, start: int, end: int, drafts_before: int) -> None:
        """Remember who a sentence without a claim was about, for a later "He"."""
        if any(d.speaker.person is not None for d in self.drafts[drafts_before:]):
            return
        dateline = DATELINE.match(self.v, start, end)
        start = dateline.end() if dateline else start
        lead = LEADING_ADVERBIAL.match(self.v, start, end)
        head = self.v[lead.end() if lead else start : end]
        phrase = longest_phrase(re.split(r"[,;:]", head)[0].split()[:10], from_end=False)
        if phrase is not None and phrase.kind == "pronoun":
            return  # "He ..." keeps the person we already had
        person = None
        if phrase is not None and phrase.kind == "proper":
            person = self.mentions.person_of(phrase.text)
        person = person or self.mentions.first_person_in(start, end)
        if person is not None:
            self.recent.person = person

    # Bookkeeping ----------------------------------------------------------------------------

    def _add(self, draft: Draft) -> Draft | None:
        """Keep a draft (returned) unless it is too short to be a proposition."""
        draft.start, draft.end = trim(self.v, draft.start, draft.end)
        if len(self.v[draft.start : draft.end].split()) < MIN_WORDS:
            return None  # "praised the fans"
        insort(self.placed.setdefault(draft.paragraph, []), (draft.start, len(self.drafts)))
        self.drafts.append(draft)
        self._remember(draft.speaker, draft.start)
        return draft

    def _draft_before(self, paragraph: int, at: int) -> Draft | None:
        """The draft of a paragraph that starts last before offset `at`, if any."""
        placed = self.placed.get(paragraph, [])
        index = bisect_left(placed, (at, -1)) - 1
        return self.drafts[placed[index][1]] if index >= 0 else None

    def _finish_span(self, draft: Draft, end: int, paragraph: Paragraph) -> None:
        """Close a reported clause at the sentence end, or before a quotation it introduces."""
        stop = min(draft.end, end)
        introduced = re.search(r":\s*[\"“]", self.v[draft.start : stop])
        if introduced:
            stop = draft.start + introduced.start()
        draft.start, draft.end = trim(self.v, draft.start, stop)
        if self.v[draft.end - 1 : draft.end] in {'"', "”"}:  # '... "a provocation."'
            draft.end = trim(self.v, draft.start, draft.end, strip_marks=True)[1]
        inside = quotations_overlapping(paragraph.quotations, draft.start, draft.end)
        if inside:
            whole = any(q.start <= draft.start and draft.end <= q.end for q in inside)
            draft.attribution = "direct" if whole else "mixed"
