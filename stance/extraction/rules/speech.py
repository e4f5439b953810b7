"""Finding claims in a text: who asserts what, where, for the rules extractor.

A walk over the paragraphs and sentences of a document's view (stance.extraction.rules.text) that
turns evidence into drafts (a span, a speaker, a cue):

- a reporting cue with its speaker: "X said (that) ...", "X stressed ...", "..., noting
  that ...", "while insisting that ...", "told lawmakers that ...", "informed Minister Y
  that ...", "According to X, ...", "..., X said."; a second cue on the same speaker ("said
  that A, and emphasized B") or a second "that" ("said A and that B") starts a second claim;
- quotations, transcripts and statements (stance.extraction.rules.quotes).

A dateline ("LONDON, June 3 —") is no part of any claim. Speakers are found and resolved as
the walk goes (stance.extraction.rules.speakers), remembering who "he", "it" and "they" were.
"""

from __future__ import annotations

import re
from dataclasses import replace

from stance.extraction.rules.cues import (
    ADJUNCT,
    ADVERB_TAIL,
    ALL_CUES,
    AND_THAT,
    APPOSITIVE_AFTER,
    CONTINUATION,
    CUE,
    MIN_WORDS,
    NOT_REPORTED,
    OWN_VOICE,
    PARENTHETICAL,
    SENTENCE_TAIL,
    SOURCE,
    THAT,
    default_year,
    describes,
    has_clause,
    inside,
    listener_end,
    parenthetical,
    speaker_label,
)
from stance.extraction.rules.events import Events
from stance.extraction.rules.layout import closes_the_story, is_page_head, skipped
from stance.extraction.rules.lexicon import (
    CLAUSE_ONLY_LEMMAS,
    CUE_PARTICIPLE,
    EVALUATIVE_LEMMAS,
    PROCEDURAL_SENTENCE,
    THAT_ONLY_LEMMAS,
)
from stance.extraction.rules.mentions import DATELINE, Mentions
from stance.extraction.rules.quotes import Draft, Walk
from stance.extraction.rules.speakers import Speaker, Speakers
from stance.extraction.rules.text import Paragraph, View, paragraphs, sentences

__all__ = ["Document", "Draft"]

# What may follow a dateline's place before the story: "June 3 —", "(Reuters) -".
_DATELINE_REST = re.compile(
    r"[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?\s*(?:\([^)]{1,30}\))?\s*[—–-]{1,2}\s*"
)
# Before a cue, what makes it report nothing ("has not commented", "declined to say").
_NEGATED = re.compile(
    r"\b(?:not|never|n['’]t|declined\s+to|refused\s+to|no\s+longer)\s+(?:yet\s+)?$", re.IGNORECASE
)
# Before a participle, a form of "be" that makes it passive ("is expected", "were told").
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:[a-z]+ly\s+)?$")
# After a cue, someone else's words it answers: "responds to Acme's claim last week that"
# (an answer to unowned "charges that ..." stays the speaker's own denial).
_TO_OTHERS_WORDS = re.compile(
    r"\s+to\s+(?:the\s+)?[\w-]+['’]s?\s+(?:[\w'’-]+\s+){0,2}?"
    r"(?:claims?|allegations?|accusations?|charges?|criticism|suggestions?|comments?|remarks?"
    r"|assertions?)\b"
)
# A finite verb, which no speaker's noun phrase holds.
_FINITE_BE = re.compile(r"\b(?:is|are|was|were|has|have|had)\b")
# What a cue can be followed by without reporting anything.
_NOTHING_SAID = re.compile(r"(?:nothing|little|anything|so|otherwise|as\s+much)\b(?![-'’])")
# What follows a cue when it says only where the words were said: "said outside the court".
_WHERE_ONLY = re.compile(
    r"(?:outside|inside|after|before|at|in|during|near|on|from)\s+(?:the|a|an|his|her|its"
    r"|their)\s+[\w'’-]+(?:\s+[\w'’-]+){0,3}\s*[.!?]?\s*$"
)
# A cue coordinated with an earlier verb of the sentence: "... and stressed".
_AND = re.compile(r"\band\s+(?:(?:also|further|then|later|again)\s+)*$")
# Before a participle, what lets it report the sentence's subject ("X met Y, noting ...",
# "X defended it while insisting that ...").
_PARTICIPLE_LEAD = re.compile(r"(?:,|\bwhile|\bwhilst)\s*$")


class Document(Walk):
    """One text under extraction: its view, what it names, and the claims found so far."""

    def __init__(self, text: str, published: str | None) -> None:
        self.text = text
        self.view = View.of(text)
        self.v = self.view.text  # the de-glued text every rule reads; offsets are view offsets
        self.mentions = Mentions(self.v)
        self.year = default_year(published, text)
        self.events = Events(self.v, self.mentions, self.year)
        self.paragraphs = paragraphs(self.v)
        self.drafts = []
        self.placed = {}
        self.speakers = Speakers(self.view, text, self.mentions)

    # The walk over the text ----------------------------------------------------------------

    def run(self) -> list[Draft]:
        """The drafts of the whole text, in text order. A text with two or more speaker labels
        is read as a transcript; one headed "Statement by X" gives X its uncued sentences."""
        labels = [speaker_label(self.v, p) for p in self.paragraphs]
        transcript = sum(1 for label in labels if label is not None) >= 2
        statement_speaker = self._statement_speaker()
        self.speakers.own_author = statement_speaker  # "the statement reads": its author
        if statement_speaker is not None and not self._first_person_outside_quotations():
            statement_speaker = None  # a release that quotes its author: narration is no claim
        label_speaker: Speaker | None = None
        label_skipped = False
        in_head = True  # above the story: headlines, decks, kickers, bylines
        for index, paragraph in enumerate(self.paragraphs):
            lines = self.v[paragraph.start : paragraph.end].split("\n")
            if closes_the_story(lines[0]):
                statement_speaker = None  # "About Acme", "Forward-looking statements"
            if skipped(lines) or (in_head and len(lines) == 1 and is_page_head(lines[0])):
                label_speaker, label_skipped = None, False  # tags, credits, headings
                continue
            in_head = False
            label = labels[index] if transcript else None
            if label is not None:
                label_speaker, label_skipped, body_start = self._label_speaker(paragraph, label)
                paragraph = Paragraph(body_start, paragraph.end, paragraph.quotations)
            if transcript and label is None and label_speaker is not None:
                if self._narration(paragraph, index, label_speaker):
                    label_speaker = None  # the story goes on after a quoted exchange
                    continue
            if transcript and (label_speaker is not None or label_skipped):
                if label_speaker is not None:
                    self._spoken(paragraph, index, label_speaker, "said")
                continue
            self._paragraph(paragraph, index, statement_speaker if index > 0 else None)
        kept = [
            d
            for d in self.drafts
            if len(self.v[d.start : d.end].split()) >= MIN_WORDS
            and not PROCEDURAL_SENTENCE.search(self.v[d.start : d.end])
        ]
        return sorted(kept, key=lambda d: d.start)

    def _narration(self, paragraph: Paragraph, index: int, answering: Speaker) -> bool:
        """Whether an unlabelled paragraph after a labelled answer is the story's narration
        again ("In Lisk, the mayor's spokesman Ed Hart said ..."): it does not speak as "we"
        or "I" outside quotations, and read as narration it reports someone named other
        than the one answering. Its claims are kept when it is; else
        they are undone and the paragraph goes on with the answer."""
        if self._own_voice(paragraph):
            return False  # "we", "I" outside quotations: the answer goes on
        made = len(self.drafts)
        self._paragraph(paragraph, index, None)
        found = self.drafts[made:]
        if any(
            d.speaker.kind in {"person", "body"} and d.speaker.name != answering.name for d in found
        ):
            return True
        del self.drafts[made:]
        self.placed.pop(index, None)
        return False

    def _first_person_outside_quotations(self) -> bool:
        """Whether the text speaks as "we" or "I" in its own voice (a statement, a speech),
        not only inside the quotations it carries (a release quoting its author)."""
        return any(self._own_voice(paragraph) for paragraph in self.paragraphs[1:])

    def _own_voice(self, paragraph: Paragraph) -> bool:
        """Whether a paragraph says "we" or "I" outside its quotations."""
        cursor = paragraph.start
        for quotation in (*paragraph.quotations, None):
            stop = quotation.open_at if quotation is not None else paragraph.end
            if OWN_VOICE.search(self.v, cursor, stop):
                return True
            cursor = quotation.close_at if quotation is not None else stop
        return False

    def _paragraph(self, paragraph: Paragraph, index: int, author: Speaker | None) -> None:
        """Reported speech sentence by sentence, then the paragraph's quotations. In a
        statement, a sentence that reports no one else's words is the `author`'s."""
        dateline = DATELINE.match(self.v, paragraph.start, paragraph.end)
        if dateline is not None:  # "LONDON, June 3 — The ..." : the story starts after it
            rest = _DATELINE_REST.match(self.v, dateline.end(), paragraph.end)
            start = rest.end() if rest else dateline.end()
            paragraph = Paragraph(start, paragraph.end, paragraph.quotations)
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
                and self.v[start:end].rstrip()[-1:] != ":"  # "X issued this statement:"
            ):
                self._spoken(Paragraph(start, end, ()), index, author, "stated")
            spoke = any(d.speaker.person is not None for d in self.drafts[made:])
            self.speakers.track_subject(start, end, spoke, len(self.drafts) > made)
        for number in range(len(paragraph.quotations)):
            self._quotation(number, paragraph, index, spans)

    # Reported speech -------------------------------------------------------------------------

    def _cues(self, start: int, end: int, paragraph: Paragraph, index: int) -> None:
        """Claims of reporting cues in one sentence."""
        first = len(self.drafts)
        active: Draft | None = None
        held: Speaker | None = None  # the subject of a cue that reported nothing
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
            if _NEGATED.search(self.v, max(start, m.start() - 30), m.start()):
                continue  # "has not commented on", "declined to say": nothing reported
            if form != lemma and _PASSIVE.search(self.v, max(start, m.start() - 30), m.start()):
                continue  # "is expected to testify", "was told": the subject says nothing
            if lemma == "according to":
                active = self._according_to(m, start, end, index, active) or active
                continue
            prefix = self.v[max(start, m.start() - 40) : m.start()]
            if form == lemma and NOT_REPORTED.search(prefix):
                continue  # "declined to say", "did not deny": no report
            participle = form in CUE_PARTICIPLE
            continuing = CONTINUATION.search(prefix)
            cut: int | None = None
            if active is not None and m.start() >= active.start:
                if not continuing or (
                    participle
                    and not prefix.rstrip().endswith(",")
                    and "while" not in prefix
                    and " and" not in prefix
                ):
                    continue  # a cue inside the reported content: "said that X told Y"
                cut = max(active.start, m.start() - len(continuing.group()))
                speaker = active.speaker
            elif participle:
                if not _PARTICIPLE_LEAD.search(prefix.rstrip()):
                    continue
                subject = self.speakers.of_sentence(start, m.start())
                if subject is None:
                    continue
                speaker = subject
            else:
                # "expressed concern about X and announced Y": the subject is X's.
                subject = held if continuing and held else self.speakers.before(start, m.start())
                if continuing and not held and _AND.search(prefix):
                    # "X raised the case of Y, who ..., and stressed ...": a second predicate
                    # of the sentence's subject, not of the nearest name.
                    subject = self.speakers.of_sentence(start, m.start()) or subject
                if subject is None:
                    continue
                speaker = subject
                aside = parenthetical(self.v, start, m, end)
                if aside is not None:  # "The alliance, it said, would ..."
                    whole = Draft(start, aside, speaker, form, lemma, "indirect", False, index)
                    active = self._add(whole) or active
                    continue
            self.speakers.remember(speaker, m.start())
            self.speakers.note_documents(speaker, start, end)
            complement = self._complement(m.end(), end, lemma)
            if complement is None:
                held = speaker
                continue
            if active is not None and cut is not None:  # the new cue ends the previous claim
                active.end = min(active.end, cut)
                if participle and active.lemma in EVALUATIVE_LEMMAS and not active.that:
                    active.end = active.start  # "welcomed the plan, saying ...": the saying
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
        speaker = self.speakers.according_to(clause.group(1), m.start(), start)
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
                # "X told Y that Z, according to a letter": the source of the report, no
                # part of what was reported
                active.end = min(active.end, self.v.rindex(",", start, m.start()))
                return None
            draft = Draft(
                start, m.start(), speaker, "according to", "according to", "indirect", False, index
            )
        else:
            return None
        return self._add(draft)

    def _complement(self, at: int, end: int, lemma: str) -> tuple[int, bool] | None:
        """Where the reported content begins after a cue, and whether "that" introduced it."""
        v = self.v
        probe = at
        while not _TO_OTHERS_WORDS.match(v, probe, end):
            adjunct = ADJUNCT.match(v, probe, end)
            if adjunct is None or adjunct.group().lstrip(" ,").startswith("to "):
                break
            probe = adjunct.end()
        else:
            return None  # "responded on Monday to Acme's claim that ...": the claim is Acme's
        listener = listener_end(v, at, end, lemma)
        if lemma == "tell" and listener is None:
            return None  # "told lies": not a report of speech
        at = listener if listener is not None else at
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
        elif lemma.startswith("voice "):  # "expressed concern about the refugees"
            about = re.compile(r"\s+(?:about|over|at|regarding)\s+").match(v, at, end)
            if about is None:
                return None
            at = about.end()
        elif lemma in THAT_ONLY_LEMMAS:
            return None
        while at < end and v[at] in " \t\n,":
            at += 1
        if at >= end or v[at] in '"“.;:!?)':
            return None  # nothing reported, or a quotation (read as such)
        if that is None and _NOTHING_SAID.match(v, at, end):
            return None  # "said little on Monday", "said nothing about the costs"
        if that is None and _WHERE_ONLY.match(v, at, end):
            return None  # "said outside the courtroom": where, not what
        if that is None and lemma in CLAUSE_ONLY_LEMMAS and not has_clause(v[at:end]):
            return None  # "announced its new season": a thing, not a proposition
        return at, that is not None

    def _tail_attribution(self, start: int, end: int, paragraph: Paragraph, index: int) -> None:
        """ "The plan will fail, the minister said." (no quotation marks); "..., the captain,
        Ola Nilsen, said."; "..., said the museum's director, the historian Ines van Dijk." """
        sentence = self.v[start:end].rstrip(".!? ")
        if sentence[:1] in '"“' or inside(start, paragraph.quotations):
            return
        m = SENTENCE_TAIL.search(sentence)
        if m is None:
            return
        content_end = start + m.start()
        if m.group("np") is not None:
            named = ADVERB_TAIL.sub("", m.group("np"))
            if _FINITE_BE.search(named.rpartition(",")[2]):
                return  # "..., X, was convicted ... and is expected to": no speaker's tail
            speaker = self.speakers.described(named, content_end)
            if "," in named and (speaker is None or speaker.person is None):
                # "A, B, C, the minister said": only the last part is the speaker.
                content_end = start + m.start("np") + named.rindex(",")
                speaker = self.speakers.described(named[named.rindex(",") + 1 :], content_end)
            cue = m.group("cue").split()[0]
        else:
            if re.match(r"(?:his|her|their|its|our|my|that)\b", m.group("inp"), re.IGNORECASE):
                return  # "X, asked about it, said his government ...": said what, not who
            speaker = self.speakers.after(m.start("inp") - 1 + start, start + len(sentence))
            cue = m.group("icue")
        if speaker is None:
            return
        if len(self.v[start:content_end].split()) < MIN_WORDS + 1:
            return
        lemma = ALL_CUES.get(cue, "say")
        self._add(Draft(start, content_end, speaker, cue, lemma, "indirect", False, index))
