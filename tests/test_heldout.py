"""The held-out gold set in fixtures/heldout: well-formed, annotated by the rules of docs/gold.md.

These documents were written and annotated independently of the rules extractor, to measure
whether it generalises beyond the texts it was developed on. This file checks only that the
set is well formed; it asserts no scores (see `stance eval fixtures/heldout`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.core.models import GoldDocument
from stance.evaluate import load_gold
from tests.gold_checks import (
    assert_quotes_are_exact_spans,
    assert_speakers_and_targets_are_labelled,
)

HELDOUT_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "heldout"
HELDOUT_FILES = sorted(HELDOUT_DIR.glob("*.jsonl"))
MARK = "(written for stance tests, held out)"
DOCUMENT_KEYS = {"id", "source", "url", "published", "title", "text", "claims"}
CLAIM_KEYS = {"speaker", "cue", "quote", "start", "end", "targets"}


def read_documents() -> list[GoldDocument]:
    return [
        GoldDocument.model_validate_json(line)
        for path in HELDOUT_FILES
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


DOCUMENTS = read_documents()


def test_there_are_enough_documents() -> None:
    assert len(HELDOUT_FILES) >= 6
    assert len(DOCUMENTS) >= 6


@pytest.mark.parametrize("path", HELDOUT_FILES, ids=lambda p: p.name)
def test_every_file_is_one_json_gold_document(path: Path) -> None:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) == 1
    raw = json.loads(lines[0])
    assert set(raw) <= DOCUMENT_KEYS
    assert path.stem == raw["id"]
    for claim in raw["claims"]:
        assert set(claim) <= CLAIM_KEYS
        for target in claim["targets"]:
            assert set(target) == {"name", "stance"}
    GoldDocument.model_validate(raw)


@pytest.mark.parametrize("path", HELDOUT_FILES, ids=lambda p: p.name)
def test_every_file_loads_with_load_gold(path: Path) -> None:
    (doc,) = load_gold([path])
    assert doc.claims
    assert all(c.start is not None and c.end is not None for c in doc.claims)


def test_the_loader_reads_the_whole_set() -> None:
    assert [doc.id for doc in load_gold([HELDOUT_DIR])] == [doc.id for doc in DOCUMENTS]


def test_ids_are_unique_and_marked_held_out() -> None:
    ids = [doc.id for doc in DOCUMENTS]
    assert len(ids) == len(set(ids))
    assert all(doc_id.startswith("heldout-") for doc_id in ids)


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda d: d.id)
def test_quotes_are_exact_spans_of_the_text(doc: GoldDocument) -> None:
    for claim in doc.claims:
        assert claim.start is not None and claim.end is not None, claim.quote
    assert_quotes_are_exact_spans(doc)


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda d: d.id)
def test_labels_speakers_and_targets(doc: GoldDocument) -> None:
    assert_speakers_and_targets_are_labelled(doc)


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda d: d.id)
def test_texts_are_marked_written_and_news_sized(doc: GoldDocument) -> None:
    assert doc.source and doc.source.endswith(MARK)
    assert 200 <= len(doc.text.split()) <= 450
    assert not doc.text.startswith(("source:", "title:"))  # no header block in gold text
