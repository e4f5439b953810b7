"""The offline rules extractor: claims from English news text with no model and no network.

`RulesExtractor().extract(text)` finds reported speech ("X said that ...", "According to X,
..."), quotations ('"...," X said'), transcript answers ("MODERATOR:", "ASSISTANT SECRETARY
O'BRIEN:") and statements, resolves each speaker within the document ("the head of state"
-> Tomas Ravel), reads targets and stances from the claim's words, and passes every claim
through `stance.extraction.check.check_claims` like the LLM backend's. Deterministic, linear in the
length of the text, nothing downloaded.

The rules are spread over modules that each do one thing:

- stance.core.gazetteer (places), stance.extraction.rules.lexicon (the data files in
  rules/lexicon/: cues, roles, sources, bodies, events, places, words, stance words, each
  read once) and stance.extraction.rules.lexicon_stance (the stance patterns built from them);
- stance.extraction.rules.text: the de-glued view of the text ("TomasRavel" -> "Tomas Ravel" with
  offsets kept), paragraphs, sentences, quotations;
- stance.extraction.rules.layout: the page around a story (headlines, tags, credits, bylines,
  boilerplate), which is never a claim and names no speaker;
- stance.extraction.rules.phrases: capitalised names and the noun phrases that can name a speaker;
- stance.extraction.rules.names: how names, titles and places are written;
- stance.extraction.rules.mentions: who and what the document names;
- stance.extraction.rules.events: the events it talks about;
- stance.extraction.rules.cues: reporting cues and the words around them;
- stance.extraction.rules.speakers: who is named around a cue, and whom that names;
- stance.extraction.rules.quotes: quotations, transcripts and statements;
- stance.extraction.rules.speech: the walk that finds claims (span, speaker, cue);
- stance.extraction.rules.targets: targets;
- stance.extraction.rules.stances: stances and claim types;
- stance.extraction.rules.confidence: how sure a claim is, when to abstain (rejected with a
  reason), and whether the text is English at all (else the run's notes say so);
- this module: the extractor, which puts a claim together from those parts.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from stance.core import gazetteer
from stance.core.models import Claim, ExtractedClaim, Extraction, schema_sha
from stance.core.text import CleanText
from stance.extraction.check import check_claims
from stance.extraction.rules import (
    confidence,
    cues,
    events,
    layout,
    lexicon,
    lexicon_stance,
    mentions,
    names,
    phrases,
    quotes,
    speakers,
    speech,
    stances,
    targets,
    text,
)
from stance.extraction.rules.confidence import NOT_ENGLISH, judge, reads_as_english
from stance.extraction.rules.cues import NEGATIVE_CUES, POSITIVE_CUES
from stance.extraction.rules.lexicon import cue_past
from stance.extraction.rules.speech import Document, Draft
from stance.extraction.rules.stances import claim_type_of, targets_with_stance
from stance.extraction.rules.targets import Claimant, find_targets

_RULE_MODULES = (
    gazetteer,
    lexicon,
    text,
    phrases,
    names,
    mentions,
    events,
    cues,
    speakers,
    quotes,
    speech,
    targets,
    stances,
    lexicon_stance,
    confidence,
    layout,
)


# --- Helpers -----------------------------------------------------------------------------------


@cache
def _rules_sha() -> str:
    """A short hash of every module of the rules and every data file of their lexicon."""
    digest = hashlib.sha256()
    for path in (*(m.__file__ for m in _RULE_MODULES), __file__, *lexicon.data_files()):
        digest.update(Path(path or "").read_bytes())
    return digest.hexdigest()[:16]


@cache
def _schema_sha() -> str:
    """The schema's hash, once: generating the JSON schema costs more than a short text."""
    return schema_sha()


# Capitalised only because they began a sentence of their own.
_SENTENCE_OPENERS = frozenset("The A An It This That These Those There Its".split())


def _content(speaker: str, draft: Draft, quote: str) -> str:
    """The claim as one sentence: "Helen Marsh underlined that the meeting ... ."""
    quote = quote.strip().rstrip('.,;:"”').rstrip(".,;:")
    if quote.count('"') % 2 or quote.count("“") > quote.count("”"):
        quote += "”" if "“" in quote else '"'  # close the quotation the span opened
    if draft.attribution == "direct" and draft.lemma != "according to":
        return f'{speaker} said: "{quote}."'
    if draft.lemma == "according to":
        return f"According to {speaker}, {quote}."
    verb = "said" if draft.lemma == "tell" else cue_past(draft.lemma)
    first, _, rest = quote.partition(" ")
    if first in _SENTENCE_OPENERS:  # "... the manager said" -> "X said the red card was ..."
        quote = f"{first.lower()} {rest}"
    return f"{speaker} {verb} {'that ' if draft.that else ''}{quote}."


def _judged(claim: Claim, judged: dict[tuple[str, str], tuple[float, str | None]]) -> Claim:
    """A checked claim with the extractor's confidence; rejected (with the reason) when the
    extractor could not tell who speaks: a wrong speaker misleads, a missing claim does not."""
    confidence, doubt = judged.get((claim.speaker, claim.quote), (None, None))
    if doubt:  # the rules' own reason says more than the generic check's
        return claim.model_copy(
            update={"confidence": confidence, "grounding": "rejected", "reason": doubt}
        )
    return claim.model_copy(update={"confidence": confidence})


# --- The extractor -----------------------------------------------------------------------------


class RulesExtractor:
    """The offline extractor: English reporting cues, quotations and transcripts."""

    backend = "rules"
    model: str | None = None

    @property
    def prompt_sha(self) -> str:
        """Hash of the rules and their word lists: a change re-extracts cached runs."""
        return _rules_sha()

    def extract(self, text: str, *, published: str | None = None) -> Extraction:
        if text.strip() and not reads_as_english(text):
            return self._empty(NOT_ENGLISH)
        # The rules read a clean copy (no zero-width or control characters); quotes and
        # offsets come from the text itself.
        clean = CleanText.of(text)
        document = Document(clean.text, published)
        drafts = document.run() if clean.text.strip() else []
        pairs: list[tuple[ExtractedClaim, int]] = []
        judged: dict[tuple[str, str], tuple[float, str | None]] = {}
        previous: Draft | None = None
        for draft in drafts:
            claim = self._claim(document, clean, draft, previous)
            pairs.append((claim, clean.to_source(document.view.to_source(draft.start))))
            judged.setdefault((claim.speaker, claim.quote), judge(draft.speaker))
            previous = draft
        return self._empty(None).model_copy(
            update={"claims": [_judged(c, judged) for c in check_claims(text, pairs)]}
        )

    def _empty(self, notes: str | None) -> Extraction:
        return Extraction(
            claims=[],
            notes=notes,
            backend=self.backend,
            model=None,
            prompt_sha=self.prompt_sha,
            schema_sha=_schema_sha(),
            input_tokens=None,
            output_tokens=None,
            requests=0,
        )

    @staticmethod
    def _claim(
        document: Document, clean: CleanText, draft: Draft, previous: Draft | None
    ) -> ExtractedClaim:
        """The claim a draft makes: its source quote, content, type and targets. The previous
        draft lends its events to "such steps" and its targets to "It ..." when the same
        speaker goes on."""
        view = document.v
        start, end = clean.span(
            document.view.to_source(draft.start), document.view.to_source(draft.end)
        )
        quote = clean.source[start:end]
        shown = view[draft.start : draft.end]
        speaker = draft.speaker
        claim_type = claim_type_of(draft.lemma, shown)
        same_speaker = previous is not None and previous.speaker.name == speaker.name
        claimant = Claimant(speaker.name, speaker.kind, speaker.person)
        found = find_targets(
            view,
            draft.start,
            draft.end,
            mentions=document.mentions,
            events=document.events,
            claimant=claimant,
            previous_events=previous.events if previous and same_speaker else [],
            previous_found=previous.found if previous and same_speaker else [],
            topic_from=document.paragraphs[max(0, draft.paragraph - 1)].start,
            claim_type=claim_type,
            lemma=draft.lemma,
        )
        draft.events = list(document.events.in_span(draft.start, draft.end)) or [
            e
            for e in (previous.events if previous and same_speaker else [])
            if any(f.name == e.name for f in found)
        ]
        draft.found = found
        bias = 1 if draft.lemma in POSITIVE_CUES else -1 if draft.lemma in NEGATIVE_CUES else 0
        targets = targets_with_stance(
            view, draft.start, draft.end, found, claimant, claim_type, bias
        )
        return ExtractedClaim(
            speaker=speaker.name,
            speaker_mention=speaker.mention,
            cue=draft.cue,
            quote=quote,
            content=_content(speaker.name, draft, shown),
            attribution=draft.attribution,
            claim_type=claim_type,
            targets=targets,
        )
