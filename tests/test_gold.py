"""The gold set in fixtures/gold: well-formed, annotated by the rules of docs/gold.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from stance.core.models import GoldDocument
from stance.evaluate import load_gold, score
from tests.gold_checks import (
    assert_quotes_are_exact_spans,
    assert_speakers_and_targets_are_labelled,
)

GOLD_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "gold"
GOLD_FILES = sorted(GOLD_DIR.glob("*.jsonl"))
WRITTEN = "written for stance tests"
REAL_IDS = {
    "azernews-2024-04-03-blinken-aliyev-call",
    "us-state-dept-2024-04-03-blinken-aliyev-readout",
}
SPEAKER_LABEL = re.compile(r"^([A-Z][A-Z.'’ -]+):", re.MULTILINE)


def all_documents() -> list[GoldDocument]:
    return [
        GoldDocument.model_validate_json(line)
        for path in GOLD_FILES
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


DOCUMENTS = all_documents()
BY_ID = {doc.id: doc for doc in DOCUMENTS}


def in_quotation(text: str, start: int) -> bool:
    """Inside quotation marks opened earlier in the same paragraph."""
    paragraph = text[text.rfind("\n", 0, start) + 1 : start]
    return paragraph.count('"') % 2 == 1 or paragraph.count("“") > paragraph.count("”")


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_every_line_is_a_json_gold_document(path: Path) -> None:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert lines
    for line in lines:
        raw = json.loads(line)
        assert set(raw) <= {"id", "source", "url", "published", "title", "text", "claims"}
        for claim in raw["claims"]:
            assert set(claim) <= {"speaker", "cue", "quote", "start", "end", "targets"}
            for target in claim["targets"]:
                assert set(target) == {"name", "stance"}
        GoldDocument.model_validate(raw)


def test_the_loader_reads_the_whole_set() -> None:
    assert [doc.id for doc in load_gold([GOLD_DIR])] == [doc.id for doc in DOCUMENTS]


def test_ids_are_unique_and_there_are_enough_documents() -> None:
    ids = [doc.id for doc in DOCUMENTS]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 12


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda d: d.id)
def test_quotes_are_exact_spans_of_the_text(doc: GoldDocument) -> None:
    assert_quotes_are_exact_spans(doc)


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda d: d.id)
def test_labels_speakers_and_targets(doc: GoldDocument) -> None:
    assert doc.claims
    assert_speakers_and_targets_are_labelled(doc)


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda d: d.id)
def test_written_texts_are_marked_and_news_sized(doc: GoldDocument) -> None:
    if doc.id in REAL_IDS:
        assert doc.source != WRITTEN
        return
    assert doc.source == WRITTEN
    assert 150 <= len(doc.text.split()) <= 500
    assert not doc.text.startswith(("source:", "title:"))  # no header block in gold text


def test_real_documents_are_the_shared_examples() -> None:
    seed = BY_ID["azernews-2024-04-03-blinken-aliyev-call"]
    readout = BY_ID["us-state-dept-2024-04-03-blinken-aliyev-readout"]
    assert (len(seed.claims), seed.source) == (16, "AzerNews (via MENAFN)")
    assert readout.text.startswith("Secretary of State Antony J. Blinken spoke today")
    assert readout.published == "2024-04-03"
    assert {c.speaker for c in readout.claims} == {"Antony Blinken"}


def test_a_transcript_with_speaker_labels() -> None:
    transcripts = [doc for doc in DOCUMENTS if len(set(SPEAKER_LABEL.findall(doc.text))) >= 3]
    assert [doc.id for doc in transcripts] == ["test-briefing-2024-05-14-south-caucasus-transcript"]
    (doc,) = transcripts
    assert set(SPEAKER_LABEL.findall(doc.text)) == {
        "MODERATOR",
        "QUESTION",
        "ASSISTANT SECRETARY O'ROURKE",
    }
    # Only the official asserts: the moderator's and reporters' lines are not claims.
    assert {c.speaker for c in doc.claims} == {"Dana O'Rourke"}


def test_a_statement_made_mostly_of_direct_quotation() -> None:
    doc = BY_ID["test-statement-2025-03-12-halvorsen-fda-lumacept"]
    quoted = [c for c in doc.claims if in_quotation(doc.text, c.start or 0)]
    assert len(quoted) == 7 and len(doc.claims) == 9


def test_the_kinds_of_attribution_are_all_present() -> None:
    claims = [c for doc in DOCUMENTS for c in doc.claims]
    cues = {c.cue for c in claims}
    assert {"said", "denied", "according to", "told reporters"} <= cues
    speakers = {c.speaker for c in claims}
    assert {"officials", "diplomats", "people familiar with the matter"} <= speakers


KINDS = {
    "news report (real)": "azernews-2024-04-03-blinken-aliyev-call",
    "government readout (real)": "us-state-dept-2024-04-03-blinken-aliyev-readout",
    "government readout": "test-readout-2024-11-20-norway-armenia-call",
    "press-briefing transcript": "test-briefing-2024-05-14-south-caucasus-transcript",
    "statement of direct quotation": "test-statement-2025-03-12-halvorsen-fda-lumacept",
    "wire report": "test-wire-2024-05-27-eu-armenia-peace-facility",
    "wire, anonymous officials": "test-wire-2024-04-19-armenia-azerbaijan-border-delimitation",
    "business": "test-business-2024-09-03-nordlys-kurzeme-talks",
    "health": "test-health-2025-02-06-lyon-measles-outbreak",
    "sports": "test-sports-2024-10-18-redhill-spending-inquiry",
    "courts": "test-courts-2024-06-10-westhaven-port-bribery-trial",
    "regulation": "test-regulation-2024-07-09-sec-sues-tidewater",
    "climate": "test-climate-2024-11-14-cop29-finance-talks",
}


def test_every_kind_of_text_is_present() -> None:
    assert sorted(KINDS.values()) == sorted(BY_ID)


def test_quotes_before_and_after_their_speaker() -> None:
    doc = BY_ID["test-health-2025-02-06-lyon-measles-outbreak"]
    before = next(c for c in doc.claims if c.quote.startswith("Most of the children"))
    after = next(c for c in doc.claims if c.quote.startswith("vaccination coverage"))
    assert doc.text[before.end : before.end + 10] == ", she said"
    assert doc.text[(after.start or 0) - 15 : after.start] == "Officials said "


def test_gold_against_itself_is_perfect() -> None:
    report = score((doc, doc.claims) for doc in load_gold([GOLD_DIR]))
    dumped = report.model_dump()
    assert dumped["span"] == dumped["attribution"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert (report.target_recall, report.stance_accuracy, report.stance_macro_f1) == (1, 1, 1)
    assert report.errors == []
