"""A query naming a person and an event word ("Blinken's call") picks the events that person
is involved in: on the demo accounts of the 3 April 2024 call and on the Lisvane coverage set,
both ingested offline with the rules extractor."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.core.errors import NotFoundError
from stance.query.pick import people_named, pick
from stance.store.db import Store

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DEMO = [
    FIXTURES / "azernews-2024-04-03-blinken-aliyev.txt",
    FIXTURES / "us-state-dept-2024-04-03-blinken-aliyev-readout.txt",
    FIXTURES / "compare",
]
MEETING = "Armenia–EU–US meeting, Brussels, 2024-04-05"
LISVANE = "Meeting, Lisvane, 2025-06-12"


def _ingest(db: Path, *paths: Path) -> None:
    args = ["ingest", *map(str, paths), "--backend", "rules", "-q", "--db", str(db)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    _ingest(db, *DEMO)
    with Store(db) as store:
        yield store


@pytest.fixture(scope="module")
def lisvane(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    db = tmp_path_factory.mktemp("lisvane") / "cov.db"
    _ingest(db, FIXTURES / "coverage" / "lisvane-meeting-2025-06-12")
    with Store(db) as store:
        yield store


def ids(store: Store) -> dict[str, int]:
    return {r["name"]: r["id"] for r in store.entities()}


def test_a_person_and_an_event_word_pick_the_events_that_person_is_in(demo):
    known = ids(demo)
    picked = pick(demo.db, "Blinken's call")
    # No call is stored as an event (the call is what the documents report, not what their
    # claims are about): the events Blinken speaks about or is named in, most claims first.
    assert (picked.ref.name, [o.name for o in picked.others]) == (
        MEETING,
        ["COP29", "Conference, Paris, 2024-04-02"],
    )
    assert picked.note("Blinken's call") == (
        f"'Blinken's call' matches 3: picked {MEETING} (#{known[MEETING]}, event, 17 claims; "
        "no call involving Antony J. Blinken is stored: an event involving them); also "
        f"COP29 (#{known['COP29']}, event); Conference, Paris, 2024-04-02 "
        f"(#{known['Conference, Paris, 2024-04-02']}, event); give an #id to pick another"
    )


def test_two_people_named_put_the_events_of_both_first(demo):
    picked = pick(demo.db, "Blinken call with Aliyev")
    both = [MEETING, "COP29", "Conference, Paris, 2024-04-02"]
    aliyev_only = ["Armenia–Azerbaijan negotiations, Berlin", "Munich Security Conference"]
    assert [picked.ref.name, *(o.name for o in picked.others)] == [
        *both,
        *aliyev_only,
        "Talks, Brussels",
    ]
    assert picked.why == (
        "no call involving Antony J. Blinken and Ilham Aliyev is stored: an event involving them"
    )


def test_people_are_found_by_any_alias_and_transliteration(demo, lisvane):
    known, cov = ids(demo), ids(lisvane)
    assert people_named(demo.db, "Blinken call with Aliyev") == {
        known["Antony J. Blinken"]: "blinken",
        known["Ilham Aliyev"]: "aliyev",
    }
    assert people_named(demo.db, "Anthony Blinken's call") == {
        known["Antony J. Blinken"]: "blinken"
    }
    assert people_named(lisvane.db, "Qadirzade meeting") == {cov["Ayhan Gadirzade"]: "qadirzade"}
    assert people_named(lisvane.db, "Helene Reyes meeting") == {cov["Helena Reyes"]: "helene reyes"}
    # Places, event words and dates name nobody.
    assert people_named(lisvane.db, "June 12 meeting in Lisvane") == {}


def test_variant_spellings_of_a_speaker_reach_the_meeting(lisvane):
    for query in ("Qadirzade meeting", "Gadirzada meeting", "Reyes meeting", "Kerr's meeting"):
        picked = pick(lisvane.db, query)
        assert (picked.ref.name, picked.ref.kind) == (LISVANE, "event"), query
    only = pick(lisvane.db, "Reyes meeting")
    assert (only.others, only.why) == ([], "an event involving Helena Reyes")
    assert only.note("Reyes meeting") == (
        f"'Reyes meeting': picked {LISVANE} (#{only.ref.id}, event; an event involving "
        "Helena Reyes)"
    )


def test_the_cli_says_what_it_picked_and_goes_on(demo):
    result = CliRunner().invoke(
        cli, ["compare", "Blinken call with Aliyev", "--json", "--db", demo.path]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"'Blinken call with Aliyev' matches 6: picked {MEETING} (")
    assert '"label": "Armenia–EU–US meeting, Brussels, 2024-04-05"' in result.stdout


def test_a_name_alone_is_still_the_person_and_no_one_named_still_fails(demo):
    assert pick(demo.db, "Blinken").ref.name == "Antony J. Blinken"
    assert pick(demo.db, "Ilham Aliyev").others == []
    with pytest.raises(NotFoundError):
        pick(demo.db, "Smith meeting")
