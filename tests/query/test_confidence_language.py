"""How sure the extractor is, and the language of each claim's document: carried by the
claims and the comparison, shown by `compare` and `claims`, and `--min-confidence` hides the
unsure claims (in `compare`, `claims` and `timeline`).

Two invented accounts of an invented summit, one in English and one in Russian, with claims
scripted (a model would give the Russian quote verbatim and the target's name in English);
the confidences are set on the stored claims, as the offline extractor sets them.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.core.models import ExtractedClaim
from stance.ingestion.pipeline import ingest
from stance.query.compare import compare
from stance.query.timeline import timeline
from stance.store.db import Store
from stance.store.queries import ClaimFilter
from testkit.fake_extractor import FakeExtractor

ENGLISH = """source: Harbor Daily (invented)
published: 2025-03-02
title: Ministers differ on the Corran summit

Foreign Minister Tova Lind said the Corran summit would bring nothing but empty promises.
Senator Ivo Ranta told reporters the Corran summit was a chance the region should take.
"""
RUSSIAN = """source: Vesti Nord (invented)
published: 2025-03-03
title: Орлов о саммите в Корране

Министр иностранных дел Павел Орлов заявил, что саммит в Корране не направлен против
какой-либо страны и откроет новые возможности для торговли. По его словам, все соседи
приглашены к участию в переговорах, а решения будут приняты открыто и прозрачно.
"""
LIND = "the Corran summit would bring nothing but empty promises"
RANTA = "the Corran summit was a chance the region should take"
ORLOV = "саммит в Корране не направлен против\nкакой-либо страны"
ORLOV_NAME = "Павел Орлов"  # the speaker as the text names him
SUMMIT = ("Corran summit", "event")


def _claim(speaker: str, quote: str, stance: str) -> ExtractedClaim:
    return ExtractedClaim.model_validate(
        {
            "speaker": speaker,
            "speaker_mention": speaker,
            "cue": "said",
            "quote": quote,
            "content": f"{speaker} said the Corran summit is {stance}.",
            "attribution": "indirect",
            "claim_type": "statement",
            "targets": [{"name": SUMMIT[0], "kind": SUMMIT[1], "stance": stance}],
        }
    )


def scripted(text: str) -> list[ExtractedClaim]:
    if "Tova Lind" in text:
        return [_claim("Tova Lind", LIND, "oppose"), _claim("Ivo Ranta", RANTA, "support")]
    return [_claim(ORLOV_NAME, ORLOV, "support")]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    for name, text in (("en.txt", ENGLISH), ("ru.txt", RUSSIAN)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    path = tmp_path / "summit.db"
    with Store(path) as store:
        summary = ingest(
            store, [str(tmp_path / "en.txt"), str(tmp_path / "ru.txt")], FakeExtractor(scripted)
        )
        assert summary.count("new") == 2
        # As the rules set them: Lind named at the claim, Ranta only half placed; Orlov's
        # claim has no confidence (a model gives none).
        for quote, confidence in ((LIND, 0.9), (RANTA, 0.5)):
            store.db.execute(
                "update claims set confidence = ? where quote = ?", [confidence, quote]
            )
        store.db.conn.commit()
    return path


def run(db: Path, *args: str) -> str:
    result = CliRunner(env={"COLUMNS": "86"}).invoke(
        cli, [*args, "--db", str(db)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_claims_carry_confidence_and_language(db):
    with Store(db) as store:
        claims = store.claims()
        assert [(c.speaker, c.quote, c.confidence, c.language) for c in claims] == [
            ("Tova Lind", LIND, 0.9, "en"),
            ("Ivo Ranta", RANTA, 0.5, "en"),
            (ORLOV_NAME, ORLOV, None, "ru"),
        ]
        sure = store.claims(ClaimFilter(min_confidence=0.8))
        assert [c.speaker for c in sure] == ["Tova Lind", ORLOV_NAME]


def test_claims_csv_and_json_carry_both_and_hide_the_unsure(db):
    rows = list(csv.DictReader(io.StringIO(run(db, "claims", "--csv", "--min-confidence", "0.8"))))
    assert [(r["speaker"], r["confidence"], r["language"]) for r in rows] == [
        ("Tova Lind", "0.900", "en"),
        (ORLOV_NAME, "", "ru"),
    ]
    shown = json.loads(run(db, "claims", "--json"))
    assert [(c["speaker"], c["confidence"], c["language"]) for c in shown] == [
        ("Tova Lind", 0.9, "en"),
        ("Ivo Ranta", 0.5, "en"),
        (ORLOV_NAME, None, "ru"),
    ]


def test_compare_json_carries_confidence_language_and_what_was_hidden(db):
    every = json.loads(run(db, "compare", "Corran summit", "--json"))
    assert [
        (s["name"], s["stance"], [(c["confidence"], c["language"]) for c in s["claims"]])
        for s in every["speakers"]
    ] == [
        ("Ivo Ranta", "support", [(0.5, "en")]),
        (ORLOV_NAME, "support", [(None, "ru")]),
        ("Tova Lind", "oppose", [(0.9, "en")]),
    ]
    assert (every["min_confidence"], every["unsure_hidden"]) == (None, 0)
    sure = json.loads(run(db, "compare", "Corran summit", "--json", "--min-confidence", "0.6"))
    assert [(s["name"], [c["quote"] for c in s["claims"]]) for s in sure["speakers"]] == [
        (ORLOV_NAME, [ORLOV]),
        ("Tova Lind", [LIND]),
    ]
    assert (sure["min_confidence"], sure["unsure_hidden"], sure["total_claims"]) == (0.6, 1, 2)


def test_compare_shows_the_language_tag_and_the_confidence(db):
    shown = run(db, "compare", "Corran summit", "--min-confidence", "0.6")
    # Orlov's claim (#3) is tagged [ru] and has no confidence; Lind's (#1) is sure (0.90).
    assert shown[: shown.index("Contradictions")].rstrip(" ") == (
        "Compare: Corran summit  (event)\n"
        "2 claims by 2 speaker(s), reported by 2 source(s); relations judged by rules\n"
        "1 claim with a confidence under 0.6 hidden (--min-confidence)\n"
        "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓\n"
        "┃ SUPPORT side                             ┃ OPPOSE side                             ┃\n"
        "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩\n"
        "│ Павел Орлов (1 support)                  │ Tova Lind (1 oppose)                    │\n"
        "│                                          │                                         │\n"
        "│ SUPPORT said [ru] “саммит в Корране не   │ OPPOSE said “the Corran summit would    │\n"
        "│ направлен против какой-либо страны”      │ bring nothing but empty promises”       │\n"
        "│ 2025-03-03 · Vesti Nord (invented) · #3  │ 2025-03-02 · Harbor Daily (invented) ·  │\n"
        "│                                          │ confidence 0.90 · #1                    │\n"
        "│                                          │                                         │\n"
        "└──────────────────────────────────────────┴─────────────────────────────────────────┘\n"
    )


def test_claims_table_shows_the_confidence(db):
    shown = run(db, "claims", "--fields", "speaker,confidence,language")
    assert [line.split("│")[1:-1] for line in shown.splitlines() if "│" in line] == [
        [" Tova Lind   ", " 0.900      ", " en       "],
        [" Ivo Ranta   ", " 0.500      ", " en       "],
        [" Павел Орлов ", "            ", " ru       "],
    ]


def test_timeline_hides_the_unsure_claims(db):
    with Store(db) as store:
        every = timeline(store, "Ivo Ranta")
        sure = timeline(store, "Ivo Ranta", min_confidence=0.6)
        compared = compare(store, "Corran summit", min_confidence=0.95)
    assert [(p.subject, p.stance, [c.quote for c in p.claims]) for p in every.points] == [
        ("Corran summit", "support", [RANTA])
    ]
    assert sure.points == []
    assert [s.name for s in compared.speakers] == [ORLOV_NAME]
    assert run(db, "timeline", "Ivo Ranta", "--min-confidence", "0.6") == (
        "Timeline: Ivo Ranta\nno claims by this speaker\n"
    )
