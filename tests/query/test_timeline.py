import json

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.query.timeline import Shift, timeline
from stance.store.db import Store
from testkit.fake_extractor import FakeExtractor
from tests.compare_data import ingest_all, scripted

EU = "European Union"


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "stance.db") as opened:
        ingest_all(opened, FakeExtractor(scripted))
        yield opened


def test_timeline_orders_by_date_and_flags_the_shift_written_into_the_fixtures(store):
    result = timeline(store, "Ilham Aliyev", about="EU")
    assert (result.speaker.name, result.about.name) == ("Ilham Aliyev", EU)
    points = [
        (p.date, p.subject, p.stance, [c.quote[:40] for c in p.claims]) for p in result.points
    ]
    assert points == [
        (
            "2023-07-15",
            EU,
            "support",
            [
                "the mediation of the European Union in t",
                "the meeting in Brussels today with Nikol",
            ],
        ),
        ("2024-04-03", EU, "oppose", ["discussions during the preparation proce"]),
        ("2024-04-04", EU, "oppose", ["the European Union had turned the region"]),
    ]
    before = [c.id for c in result.points[0].claims]
    after = [c.id for c in result.points[1].claims]
    assert result.shifts == [
        Shift(
            subject=EU,
            subject_id=result.about.id,
            from_date="2023-07-15",
            to_date="2024-04-03",
            from_stance="support",
            to_stance="oppose",
            before_claim_ids=before,
            after_claim_ids=after,
        )
    ]
    # The AzerNews claim republished by Trend is one claim with two appearances.
    assert [a.source for a in result.points[1].claims[0].appearances] == [
        "AzerNews",
        "Trend (written for stance tests)",
    ]


def test_a_speaker_who_does_not_change_has_no_shift(store):
    result = timeline(store, "Blinken", about="April 5 meeting")
    assert [(p.date, p.stance) for p in result.points] == [
        ("2024-04-03", "support"),
        ("2024-04-05", "support"),
    ]
    assert result.shifts == []


def test_without_about_every_subject_has_its_points(store):
    result = timeline(store, "Aliyev")
    subjects = {p.subject for p in result.points}
    assert {EU, "France", "the West"} <= subjects
    assert [p.date for p in result.points] == sorted(p.date for p in result.points)
    assert [s.subject for s in result.shifts] == [EU]


def test_timeline_command(store):
    def run(*args: str):
        return CliRunner().invoke(cli, [*args, "--db", store.path], catch_exceptions=False)

    shown = run("timeline", "Ilham Aliyev", "--about", "European Union").stdout
    assert "Timeline: Ilham Aliyev about European Union" in shown
    assert "shift from support" in shown
    assert "Shift: European Union: SUPPORT on 2023-07-15 → OPPOSE on 2024-04-03" in shown
    data = json.loads(run("timeline", "Ilham Aliyev", "--json").stdout)
    assert set(data) == {"speaker", "about", "points", "shifts", "notes"}
    missing = run("timeline", "Nobody Known")
    assert missing.exit_code == 1
    assert missing.stderr.startswith("stance: error: no speaker matches 'Nobody Known'")


def test_timeline_through_the_rules_extractor(tmp_path):
    from stance.extraction.rules.pipeline import RulesExtractor

    with Store(tmp_path / "rules.db") as store:
        ingest_all(store, RulesExtractor())
        result = timeline(store, "Ilham Aliyev", about="European Union")
    assert [p.date for p in result.points] == sorted(p.date for p in result.points)
    assert [(s.from_date, s.from_stance, s.to_date, s.to_stance) for s in result.shifts] == [
        ("2023-07-15", "support", "2024-04-03", "oppose")
    ]
