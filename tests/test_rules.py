"""The offline rules extractor: reported speech, quotations, transcripts, speakers, targets.

The shipped examples are scored with DESIGN.md's metric (stance.evaluate); the short texts
below were written for these tests, one construction each.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from stance.evaluate import load_gold, score, score_document
from stance.models import Claim, Target, schema_sha
from stance.rules import RulesExtractor

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
AZERNEWS = FIXTURES / "azernews-2024-04-03-blinken-aliyev.txt"
READOUT = FIXTURES / "us-state-dept-2024-04-03-blinken-aliyev-readout.txt"
SEED_GOLD = FIXTURES / "seed-gold.jsonl"
GOLD_DIR = FIXTURES / "gold"
APRIL_5_MEETING = "April 5 trilateral meeting (US-EU-Armenia)"

EXTRACTOR = RulesExtractor()


def claims_of(text: str, published: str | None = None) -> list[Claim]:
    """The grounded claims of a text (rejected ones are hidden, as queries hide them)."""
    return [
        c for c in EXTRACTOR.extract(text, published=published).claims if c.grounding != "rejected"
    ]


def by_quote(claims: list[Claim], quote: str) -> Claim:
    [claim] = [c for c in claims if c.quote == quote]
    return claim


def summary(claims: list[Claim]) -> list[tuple[str, str]]:
    return [(c.speaker, c.quote) for c in claims]


@pytest.fixture(scope="module")
def azernews() -> tuple[str, list[Claim]]:
    text = AZERNEWS.read_text(encoding="utf-8")
    return text, claims_of(text, published="2024-04-03")


# --- The seed example, scored ------------------------------------------------------------------


def test_seed_gold_scores_above_the_quality_bar() -> None:
    [gold] = load_gold([SEED_GOLD])
    report = score_document(gold, EXTRACTOR.extract(gold.text, published=gold.published).claims)
    assert report.attribution.f1 >= 0.8
    assert report.stance_accuracy is not None and report.stance_accuracy >= 0.6
    assert report.target_recall is not None and report.target_recall >= 0.5


def test_the_whole_gold_set_scores_above_the_quality_bar() -> None:
    documents = load_gold([GOLD_DIR])
    report = score(
        (doc, EXTRACTOR.extract(doc.text, published=doc.published).claims) for doc in documents
    )
    assert report.documents >= 10
    assert report.attribution.f1 >= 0.75
    assert report.target_recall is not None and report.target_recall >= 0.5
    assert report.stance_accuracy is not None and report.stance_accuracy >= 0.6


def test_a_claim_of_the_seed_example_in_full(azernews: tuple[str, list[Claim]]) -> None:
    text, claims = azernews
    claim = by_quote(claims, "the meeting on April 5 is not against Azerbaijan")
    assert claim.model_dump() == {
        "speaker": "Antony Blinken",
        "speaker_mention": "Antony Blinken",
        "cue": "underlined",
        "quote": "the meeting on April 5 is not against Azerbaijan",
        "content": "Antony Blinken underlined that the meeting on April 5 is not against "
        "Azerbaijan.",
        "attribution": "indirect",
        "claim_type": "statement",
        "targets": [
            {
                "name": APRIL_5_MEETING,
                "kind": "event",
                "stance": "support",
                "date": dt.date(2024, 4, 5),
            },
            {"name": "Azerbaijan", "kind": "country", "stance": "support", "date": None},
        ],
        "start": 1235,
        "end": 1283,
        "grounding": "exact",
        "reason": None,
    }
    assert text[1235:1283] == claim.quote  # "underlinedthat" was run together in the source


def test_every_quote_is_the_text_at_its_offsets(azernews: tuple[str, list[Claim]]) -> None:
    texts = [azernews[0], READOUT.read_text(encoding="utf-8")]
    texts += [doc.text for doc in load_gold([GOLD_DIR])]
    for text in texts:
        for claim in EXTRACTOR.extract(text).claims:
            if claim.grounding != "rejected":
                assert claim.start is not None and claim.end is not None
                assert text[claim.start : claim.end] == claim.quote


def test_the_quote_is_the_asserted_content_only(azernews: tuple[str, list[Claim]]) -> None:
    _, claims = azernews
    assert summary(claims)[:3] == [
        (
            "Antony Blinken",
            "he received reports that the trilateralmeeting between the U.S., the European "
            "Union, and Armenia on April5 had caused concern on the Azerbaijani side",
        ),
        (
            "Antony Blinken",
            "theimportance of clarifying the issue by speaking with President IlhamAliyev "
            "regarding this matter",
        ),
        (
            "Antony Blinken",
            "the main focus of thementioned meeting will be on the economic development issues "
            "ofArmenia",
        ),
    ]


# --- Speakers ----------------------------------------------------------------------------------


def test_roles_and_pronouns_resolve_to_the_named_person(
    azernews: tuple[str, list[Claim]],
) -> None:
    _, claims = azernews
    mentions = {(c.speaker_mention, c.speaker) for c in claims}
    assert ("The Secretary of State", "Antony Blinken") in mentions
    assert ("The head of state", "Ilham Aliyev") in mentions
    assert ("the head of state", "Ilham Aliyev") in mentions
    assert ("He", "Antony Blinken") in mentions  # "He also mentioned the contacts ..."
    assert {c.speaker for c in claims} == {"Antony Blinken", "Ilham Aliyev"}


def test_a_run_together_name_is_split_as_the_text_spells_it_elsewhere() -> None:
    text = (
        "President Ilham Aliyev received the delegation on Monday.\n\n"
        "Later, IlhamAliyev said that the talks had been useful for both countries."
    )
    [claim] = claims_of(text)
    assert (claim.speaker, claim.speaker_mention) == ("Ilham Aliyev", "IlhamAliyev")


def test_the_state_department_readout() -> None:
    text = READOUT.read_text(encoding="utf-8").split("\n\n", 1)[1]  # after the header block
    claims = claims_of(text, published="2024-04-03")
    assert {c.speaker for c in claims} == {"Antony J. Blinken"}
    assert [(c.cue, c.quote) for c in claims if c.cue in {"underscored", "cautioned"}] == [
        ("underscored", "there is no justification for increased tension on the border"),
        (
            "cautioned",
            "aggressive actions and rhetoric from any side would undermine prospects for peace",
        ),
    ]
    need = by_quote(
        claims,
        "the need for Azerbaijan to adhere to its international obligations and commitments "
        "regarding human rights and fundamental freedoms",
    )
    assert (need.speaker_mention, need.cue, need.claim_type) == (
        "The Secretary",
        "reiterated",
        "demand",
    )
    assert need.targets == [Target(name="Azerbaijan", kind="country", stance="oppose")]


def test_anonymous_sources_are_speakers_as_the_text_names_them() -> None:
    text = (
        "Officials said the ruling would affect more than 200,000 voters. "
        "A senior NATO official, speaking on condition of anonymity, said the alliance had "
        "informed Moscow in advance. The talks could collapse, two diplomats said."
    )
    assert summary(claims_of(text)) == [
        ("Officials", "the ruling would affect more than 200,000 voters"),
        ("senior NATO official", "the alliance had informed Moscow in advance"),
        ("diplomats", "The talks could collapse"),
    ]


def test_they_continues_the_group_just_quoted() -> None:
    text = "Police said two men had been arrested. They said the investigation was continuing."
    claims = claims_of(text)
    assert [(c.speaker, c.speaker_mention, c.quote) for c in claims] == [
        ("Police", "Police", "two men had been arrested"),
        ("Police", "They", "the investigation was continuing"),
    ]


def test_a_statement_gives_its_uncued_sentences_to_its_author() -> None:
    text = (
        "Statement by Secretary of State Antony J. Blinken\n\n"
        "We stand with the people of Ukraine. Officials said the embassy would stay closed.\n\n"
        "We call on Russia to end its war of aggression.\n"
    )
    claims = claims_of(text)
    assert [(c.speaker, c.quote, c.claim_type) for c in claims] == [
        ("Antony J. Blinken", "We stand with the people of Ukraine", "statement"),
        ("Officials", "the embassy would stay closed", "statement"),
        ("Antony J. Blinken", "We call on Russia to end its war of aggression", "demand"),
    ]
    assert claims[2].targets == [Target(name="Russia", kind="country", stance="oppose")]


def test_a_name_after_a_role_is_the_speaker() -> None:
    text = (
        "Kurzeme Wind's chief executive, Aivars Ozols, denied that the company had hired "
        "advisers, but said it was open to offers."
    )
    assert summary(claims_of(text)) == [
        ("Aivars Ozols", "the company had hired advisers"),
        ("Aivars Ozols", "it was open to offers"),
    ]


# --- Reporting cues ----------------------------------------------------------------------------


def test_one_cue_with_two_propositions_gives_two_claims(
    azernews: tuple[str, list[Claim]],
) -> None:
    _, claims = azernews
    said = by_quote(
        claims,
        "thenegotiations held in Berlin by the foreign ministers regarding thetext of the "
        "peace agreement were beneficial in terms of advancingthe process",
    )
    need = by_quote(claims, "the need to accelerate thenegotiations")
    assert (said.cue, need.cue, need.speaker, need.claim_type) == (
        "said",
        "emphasized",
        "Ilham Aliyev",
        "demand",
    )
    text = (
        "Vermeulen's lawyer, Bart Jansen, said his client had never accepted money and that "
        "the villa was rented."
    )
    assert [c.quote for c in claims_of(text)] == [
        "his client had never accepted money",
        "the villa was rented",
    ]


def test_a_participle_reports_the_subject_of_its_sentence(
    azernews: tuple[str, list[Claim]],
) -> None:
    _, claims = azernews
    claim = by_quote(
        claims, "the U.S.'s intention to expand cooperation withAzerbaijan across various sectors"
    )
    assert (claim.speaker, claim.speaker_mention, claim.cue, claim.claim_type) == (
        "Antony Blinken",
        "AntonyBlinken",  # the text's own spelling at this claim
        "affirming",
        "commitment",
    )
    assert claim.content == (
        "Antony Blinken affirmed the U.S.'s intention to expand cooperation with Azerbaijan "
        "across various sectors."
    )


def test_according_to_before_and_after_the_proposition() -> None:
    text = (
        "According to the Bank of England, inflation will fall below 3% next year. "
        "Wages rose by 4% in March, according to figures from the statistics office."
    )
    claims = claims_of(text)
    assert [(c.cue, c.quote) for c in claims] == [
        ("according to", "inflation will fall below 3% next year"),
        ("according to", "Wages rose by 4% in March"),
    ]
    assert [c.speaker for c in claims] == ["Bank of England", "statistics office"]
    assert claims[0].content == (
        "According to Bank of England, inflation will fall below 3% next year."
    )


def test_narration_greetings_and_questions_are_not_claims() -> None:
    text = (
        "The two ministers met in Vienna on Tuesday. They discussed energy and trade.\n\n"
        '"Thank you all for coming," Smith said. "Is this the right time?" she asked.'
    )
    assert claims_of(text) == []


def test_empty_text_gives_no_claims() -> None:
    for text in ("", "   \n\n  "):
        extraction = EXTRACTOR.extract(text)
        assert extraction.claims == []


# --- Quotations --------------------------------------------------------------------------------


def test_quotations_with_the_speaker_after_before_and_in_between() -> None:
    text = (
        "Manchester City manager Pep Guardiola spoke after the game.\n\n"
        '"We were not good enough today," Guardiola told BBC Sport. "Arsenal deserved to win."\n\n'
        'Arsenal captain Martin Odegaard said: "The fans pushed us forward all afternoon."\n\n'
        '"These exercises are defensive," he said, "and they threaten no one."'
    )
    claims = claims_of(text)
    assert [(c.speaker, c.cue, c.quote, c.attribution) for c in claims] == [
        ("Pep Guardiola", "told", "We were not good enough today", "direct"),
        ("Pep Guardiola", "said", "Arsenal deserved to win", "direct"),
        ("Martin Odegaard", "said", "The fans pushed us forward all afternoon", "direct"),
        ("Martin Odegaard", "said", "These exercises are defensive", "direct"),
        ("Martin Odegaard", "said", "and they threaten no one", "direct"),
    ]
    assert claims[0].content == 'Pep Guardiola said: "We were not good enough today."'


def test_a_quotation_of_several_sentences_gives_one_claim_per_sentence() -> None:
    text = (
        '"We have warned our partners many times," Maria Zakharova said. "They chose not to '
        'listen. The consequences will be on their conscience."'
    )
    assert summary(claims_of(text)) == [
        ("Maria Zakharova", "We have warned our partners many times"),
        ("Maria Zakharova", "They chose not to listen"),
        ("Maria Zakharova", "The consequences will be on their conscience"),
    ]


def test_a_quotation_introduced_by_a_paragraph_ending_in_a_colon() -> None:
    text = (
        "NATO Secretary General Jens Stoltenberg said:\n\n"
        '"Our door remains open to Russia. But we will defend every inch of allied territory."'
    )
    assert summary(claims_of(text)) == [
        ("Jens Stoltenberg", "Our door remains open to Russia"),
        ("Jens Stoltenberg", "But we will defend every inch of allied territory"),
    ]


def test_a_partial_quotation_inside_reported_speech_is_mixed() -> None:
    text = 'Pep Guardiola said his team had "no excuses" after the defeat at Arsenal.'
    [claim] = claims_of(text)
    assert (claim.quote, claim.attribution) == (
        'his team had "no excuses" after the defeat at Arsenal',
        "mixed",
    )


# --- Transcripts -------------------------------------------------------------------------------

TRANSCRIPT = """\
MODERATOR: Good afternoon, and thank you for joining today's call with Assistant Secretary of \
State for Energy Resources Geoffrey Pyatt. This call is on the record.

ASSISTANT SECRETARY PYATT: Thank you very much. It's great to be with you. The United States \
is committed to helping Ukraine rebuild its energy grid.

We have delivered more than 500 transformers since the start of the war.

QUESTION: Can you say more about the timeline for the next delivery?

ASSISTANT SECRETARY PYATT: We expect the next shipment to arrive before the winter.
"""


def test_a_transcript_gives_each_answer_sentence_to_its_labelled_speaker() -> None:
    claims = claims_of(TRANSCRIPT)
    assert [(c.speaker, c.speaker_mention, c.quote) for c in claims] == [
        (
            "Geoffrey Pyatt",
            "Assistant Secretary Pyatt",
            "The United States is committed to helping Ukraine rebuild its energy grid",
        ),
        (
            "Geoffrey Pyatt",
            "Assistant Secretary Pyatt",
            "We have delivered more than 500 transformers since the start of the war",
        ),
        (
            "Geoffrey Pyatt",
            "Assistant Secretary Pyatt",
            "We expect the next shipment to arrive before the winter",
        ),
    ]


# --- Targets and stance ------------------------------------------------------------------------


def test_events_are_named_once_and_dated_with_the_publication_year(
    azernews: tuple[str, list[Claim]],
) -> None:
    _, claims = azernews
    focus = by_quote(
        claims,
        "the main focus of thementioned meeting will be on the economic development issues "
        "ofArmenia",
    )
    assert focus.targets == [
        Target(name=APRIL_5_MEETING, kind="event", stance="support", date=dt.date(2024, 4, 5)),
        Target(name="Armenia", kind="country", stance="support"),
    ]
    later = by_quote(claims, "the need to accelerate thenegotiations")
    assert later.targets == [
        Target(name="Armenia-Azerbaijan peace negotiations", kind="event", stance="support")
    ]


def test_criticism_opposes_its_object_and_defends_the_speakers_side(
    azernews: tuple[str, list[Claim]],
) -> None:
    _, claims = azernews
    baseless = by_quote(
        claims,
        "the accusationsvoiced in the West about Azerbaijan intending to attack Armenia "
        "arecompletely baseless",
    )
    assert baseless.claim_type == "denial"
    stances = {t.name: t.stance for t in baseless.targets}
    assert (stances["the West"], stances["Azerbaijan"]) == ("oppose", "support")
    lies = by_quote(
        claims,
        "the French Minister ofForeign Affairs told lies during a press conference held "
        "withAntony Blinken in Paris on April 2 by accusing Azerbaijan of notrecognizing "
        "Armenia's territorial integrity and posing a threat toArmenia",
    )
    assert lies.claim_type == "accusation"
    assert Target(name="French Minister of Foreign Affairs", kind="person", stance="oppose") in (
        lies.targets
    )


def test_the_two_nations_are_the_two_countries_just_named(
    azernews: tuple[str, list[Claim]],
) -> None:
    _, claims = azernews
    claim = by_quote(
        claims,
        "COP29 presents excellent opportunities for cooperation betweenthe two nations in the "
        "field of climate change and greentechnologies",
    )
    assert [(t.name, t.stance) for t in claim.targets] == [
        ("COP29", "support"),
        ("United States", "support"),
        ("Azerbaijan", "support"),
    ]


def test_a_capital_standing_for_its_government_is_the_country() -> None:
    text = "ASSISTANT SECRETARY O'ROURKE: Frankly, Moscow has not been constructive.\n\n" * 2
    claim = claims_of(text)[0]
    assert claim.targets == [Target(name="Russia", kind="country", stance="oppose")]


# --- The extractor's contract ------------------------------------------------------------------


def test_the_extraction_records_the_rules_version_and_no_model() -> None:
    extraction = EXTRACTOR.extract(AZERNEWS.read_text(encoding="utf-8"))
    assert (extraction.backend, extraction.model, extraction.requests) == ("rules", None, 0)
    assert (extraction.input_tokens, extraction.output_tokens) == (None, None)
    assert extraction.schema_sha == schema_sha()
    assert re.fullmatch(r"[0-9a-f]{16}", EXTRACTOR.prompt_sha)
    assert extraction.prompt_sha == RulesExtractor().prompt_sha


def test_extraction_is_deterministic(azernews: tuple[str, list[Claim]]) -> None:
    text, claims = azernews
    assert claims_of(text, published="2024-04-03") == claims


def test_a_long_text_of_repeated_reports_keeps_every_claim_grounded() -> None:
    paragraph = (
        "The committee reviewed the budget figures for the record.\n\n"
        'Officials said the plan would cost more than expected. "We will find the money," '
        "Finance Minister Anna Berg said.\n\n"
    )
    text = paragraph * 200  # about 40 kB; a speed check lives in test_scale.py
    claims = claims_of(text)
    assert len(claims) == 400
    assert {c.speaker for c in claims} == {"Officials", "Anna Berg"}
    assert all(text[c.start : c.end] == c.quote for c in claims)  # type: ignore[index]
