"""The multi-outlet coverage sets (fixtures/coverage/, see its README.md), ingested offline:
each event one event, each person one entity, the queries resolve, the real dispute first.

What is asserted is what a reader of the README expects and the offline rules extractor
reaches; what it does not reach (speakers it does not find) is left to the sets' README.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.query.compare import Comparison, compare
from stance.store.db import Store

SETS = Path(__file__).resolve().parents[2] / "fixtures" / "coverage"


def ingested(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Store]:
    db = tmp_path_factory.mktemp(name) / "cov.db"
    result = CliRunner().invoke(
        cli, ["ingest", str(SETS / name), "--backend", "rules", "-q", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        yield store


@pytest.fixture(scope="module")
def lisvane(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    yield from ingested(tmp_path_factory, "lisvane-meeting-2025-06-12")


@pytest.fixture(scope="module")
def ironvale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    yield from ingested(tmp_path_factory, "ironvale-outage-dispute-2025-08")


@pytest.fixture(scope="module")
def steppe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    yield from ingested(tmp_path_factory, "steppe-shield-exercise-2025-09")


def people(store: Store) -> dict[str, set[str]]:
    return {
        r["name"]: set(r["aliases"].split(" | "))
        for r in store.entities()
        if r["kind"] in ("person", "organization")
    }


def speakers_by_side(result: Comparison) -> dict[str, set[str]]:
    sides: dict[str, set[str]] = {"support": set(), "oppose": set()}
    for side in result.speakers:
        if side.stance in sides:
            sides[side.stance].add(side.name)
    return sides


def test_lisvane_every_name_of_the_meeting_is_one_event(lisvane):
    queries = [
        "Lisvane meeting",
        "June 12 meeting",
        "trilateral meeting",
        "Kareshia-Union-Marenland conference",
        "high-level meeting in the Kareshia-Northern Union-Marenland format",
    ]
    subjects = {q: compare(lisvane, q).subject for q in queries}
    assert {(s.name, s.kind) for s in subjects.values()} == {
        ("Meeting, Lisvane, 2025-06-12", "event")
    }
    aliases = set(subjects["Lisvane meeting"].aliases)
    assert {
        "Lisvane meeting",
        "Lisvane talks",
        "June 12 trilateral meeting",
        "trilateral meeting",
        "Kareshia-Union-Marenland conference",
    } <= aliases
    # All eight outlets reach it: the wire's text counts for each of its three outlets.
    coverage = compare(lisvane, "Lisvane meeting").sources
    sources = {s.source for s in coverage if s.claim_ids}
    assert sources == {
        "Meridian Wire",
        "Caspian Herald",
        "The Ardan Times",
        "Vela News Agency",
        "Sarnov Today",
        "Northern Union External Action Service",
        "Ardan Daily",
        "Washford Ledger",
    }
    # An outlet leaves out only what none of its documents carries: the three carriers of
    # the wire story carry and leave out the same statements.
    wire = [
        s for s in coverage if s.source in ("Meridian Wire", "Caspian Herald", "The Ardan Times")
    ]
    assert len({tuple(s.missing_claim_ids) for s in wire}) == 1
    assert not set(wire[0].claim_ids) & set(wire[0].missing_claim_ids)


def test_lisvane_spelling_variants_are_one_person_and_namesakes_stay_apart(lisvane):
    found = people(lisvane)
    assert found["Ayhan Gadirzade"] == {
        "Ayhan Gadirzade",
        "Aykhan Gadirzada",
        "Aykhan Gadirzade",
        "Ayhan Qadirzade",
    }
    assert found["Helena Reyes"] == {"Helena Reyes", "Helene Reyes", "Reyes"}
    assert found["Matthias Kerr"] == {"Matthias Kerr", "Mathias Kerr"}
    assert "Pieter Stael" in found and not any(n.startswith("and ") for n in found)
    # The opposition leader and the Prime Minister share a surname: two people. The Prime
    # Minister's two spellings (the wire's and the Ardan Daily's) are one.
    assert found["Davit Aramyan"] == {"Davit Aramyan", "David Aramian"}
    assert found["Levon Aramyan"] == {"Levon Aramyan"}
    merges = {
        r["alias"]: r["rule"]
        for r in lisvane.db.query("select alias, rule from entity_merges order by id")
    }
    assert merges["Helene Reyes"] == merges["Ayhan Qadirzade"] == "spelling"


def test_lisvane_the_real_dispute_is_the_first_contradiction(lisvane):
    result = compare(lisvane, "Lisvane meeting")
    sides = speakers_by_side(result)
    assert not sides["support"] & sides["oppose"]
    assert {"Helena Reyes", "Davit Aramyan"} <= sides["support"]
    assert {"Ayhan Gadirzade", "Erdal Gurbanov", "Levon Aramyan"} <= sides["oppose"]
    speaker = {a.claim_id: s.name for s in result.speakers for c in s.claims for a in c.appearances}
    first = result.contradictions[0]
    assert (speaker[first.a], speaker[first.b], first.strength) == (
        "Helena Reyes",
        "Ayhan Gadirzade",
        3,
    )
    assert len(result.contradictions) <= 60
    pairs = [(speaker[c.a], speaker[c.b]) for c in result.contradictions]
    assert len(pairs) == len(set(pairs))  # one group per pair of speakers


def test_ironvale_company_and_counsel_variants_are_one_entity_each(ironvale):
    found = people(ironvale)
    assert found["Ironvale Inc"] == {"Ironvale Inc", "Ironvale"}
    assert found["Stephen Kowalczyk"] == {"Stephen Kowalczyk", "Steven Kowalczyk"}
    assert not any("-based" in name for name in found)


def test_steppe_shield_variants_are_one_person_each(steppe):
    found = people(steppe)
    assert found["Nurlan Seitkali"] == {"Nurlan Seitkali", "Nurlan Seytkaly"}
    assert found["Igor Belov"] == {"Igor Belov", "Igor Byelov"}
    assert found["Anthony Walsh"] == {"Anthony Walsh", "Antony Walsh"}


def events_of(store: Store) -> dict[str, set[str]]:
    return {
        r["name"]: set(r["aliases"].split(" | ")) for r in store.entities() if r["kind"] == "event"
    }


def test_steppe_shield_names_of_the_exercise_are_one_event(steppe):
    # The code name (01, 05), the training ground (06) and the plain "drills" / "routine
    # exercise" of articles that name either are one event. Left apart (measured): Byelov's
    # "a defensive exercise" (04; its article names only Kyzyl-Tau, which is known as the
    # exercise's name only once 06 is read), and "the dispute" (06), a dispute, not the drills.
    subjects = {q: compare(steppe, q).subject for q in ("Steppe Shield", "Kyzyl-Tau exercise")}
    assert {(s.name, s.kind) for s in subjects.values()} == {("Steppe Shield exercise", "event")}
    assert events_of(steppe) == {
        "Steppe Shield exercise": {
            "Steppe Shield",
            "Steppe Shield exercise",
            "Kyzyl-Tau exercise",
            "joint drills",
            "routine exercise",
        },
        "defensive exercise": {"defensive exercise"},
        "dispute": {"dispute"},
    }


def test_ironvale_outage_is_one_event_by_its_date(ironvale):
    # The only outage named as a claim's target offline is 01's "July 19 outage" (the rules
    # extractor gives the other articles' claims Ironvale or Peachtree as targets); it is
    # named by its kind and date. The industry conference where Bishop spoke is another event.
    subject = compare(ironvale, "July 19 outage").subject
    assert (subject.name, subject.kind) == ("Outage, 2025-07-19", "event")
    assert events_of(ironvale) == {
        "Outage, 2025-07-19": {"July 19 outage"},
        "industry conference": {"industry conference"},
    }
