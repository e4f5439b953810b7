"""The annotation rules every gold set keeps (docs/gold.md), shared by its tests."""

from __future__ import annotations

from stance.core.models import STANCES, GoldDocument
from stance.core.names import name_words


def assert_quotes_are_exact_spans(doc: GoldDocument) -> None:
    for claim in doc.claims:
        assert claim.quote in doc.text, claim.quote
        if claim.start is not None or claim.end is not None:
            assert doc.text[claim.start : claim.end] == claim.quote
        # A quote is the asserted content: no surrounding space, final stop or closing mark.
        assert claim.quote == claim.quote.strip()
        assert not claim.quote.endswith((".", ",", ";", ":", '"', "”", "’"))


def assert_speakers_and_targets_are_labelled(doc: GoldDocument) -> None:
    spans = [(c.start, c.end, c.speaker) for c in doc.claims]
    assert len(spans) == len(set(spans))
    for claim in doc.claims:
        # A speaker is a name or an anonymous source, never a bare title, role or pronoun.
        assert name_words(claim.speaker), claim.speaker
        first_word = claim.speaker.split()[0].lower()
        assert first_word not in {"the", "a", "an", "he", "she", "it", "we", "they"}, claim
        assert claim.targets, claim.quote
        for target in claim.targets:
            assert target.stance in STANCES
            assert target.name and target.name == target.name.strip()
