"""Spelling variants of one person or body become one entity, recorded and undone by split."""

import json

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.resolve.entities import resolve_entity
from stance.resolve.overrides import split_entity
from stance.store.db import Store


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "stance.db") as opened:
        yield opened


def names(store: Store) -> dict[str, set[str]]:
    return {r["name"]: set(r["aliases"].split(" | ")) for r in store.entities()}


def test_transliterations_of_one_person_are_one_entity_with_the_reason_recorded(store):
    ids = [
        resolve_entity(store.db, name, "person")
        for name in (
            "Foreign Ministry spokesman Aykhan Hajizada",
            "Ayhan Hajizade",
            "Aykhan Hajizade",
            "Antony Blinken",
            "Anthony Blinken",
            "Nikol Pashinyan",
            "Pashinian",
        )
    ]
    assert ids[0] == ids[1] == ids[2] and ids[3] == ids[4] and ids[5] == ids[6]
    assert len(set(ids)) == 3
    merges = {
        (r["alias"], r["rule"])
        for r in store.db.query("select alias, rule from entity_merges order by id")
    }
    assert merges == {
        ("Ayhan Hajizade", "spelling"),
        ("Aykhan Hajizade", "spelling"),
        ("Anthony Blinken", "spelling"),
        ("Pashinian", "surname"),
    }
    row = next(r for r in store.entities() if r["name"] == "Antony Blinken")
    assert row["merged"] == (
        "Anthony Blinken (first name 'anthony'/'antony': the same transliteration)"
    )


def test_people_who_share_a_surname_stay_apart(store):
    ids = [
        resolve_entity(store.db, name, "person")
        for name in ("Ilham Aliyev", "Mehriban Aliyeva", "Maria Rossi", "Mario Rossi")
    ]
    assert len(set(ids)) == 4
    assert store.db.execute("select count(*) from entity_merges").fetchone()[0] == 0


def test_a_surname_a_letter_apart_in_the_same_document_is_another_person(store):
    store.db.execute("insert into documents (id, text) values ('d1', 'q')")
    first = resolve_entity(store.db, "Mark Kellerman", "person", "d1")
    store.db.execute(
        "insert into claims (document_id, speaker_id, quote, start, end, grounding) "
        "values ('d1', ?, 'q', 0, 1, 'exact')",
        [first],
    )
    assert resolve_entity(store.db, "Mark Kellermann", "person", "d1") == first  # one key
    assert resolve_entity(store.db, "Mark Kellerton", "person", "d1") != first
    assert resolve_entity(store.db, "Mark Kellermen", "person", "d2") == first


def test_a_surname_shared_by_two_known_people_goes_to_the_one_with_the_role(store):
    president = resolve_entity(store.db, "President Joe Biden", "person")
    hunter = resolve_entity(store.db, "Hunter Biden", "person")
    assert resolve_entity(store.db, "Biden", "person") not in (president, hunter)  # which one?
    assert resolve_entity(store.db, "President Bidden", "person") == president


def test_company_variants_are_one_body(store):
    full = resolve_entity(store.db, "CrowdStrike", "organization")
    assert resolve_entity(store.db, "CrowdStrike Inc.", "organization") == full
    assert resolve_entity(store.db, "CrowdStrike Inc", "person") == full  # a speaker
    delta = resolve_entity(store.db, "Delta Air Lines", "organization")
    assert resolve_entity(store.db, "Delta", "organization") == delta
    assert resolve_entity(store.db, "Delta", "person") == delta


def test_leading_junk_before_a_name_is_trimmed(store):
    stano = resolve_entity(store.db, "EU spokesperson Peter Stano", "person")
    assert resolve_entity(store.db, "and Security Policy Peter Stano", "person") == stano
    assert names(store) == {
        "Peter Stano": {"EU spokesperson Peter Stano", "and Security Policy Peter Stano"}
    }


def test_split_undoes_an_automatic_merge_and_it_is_not_made_again(store, tmp_path):
    keep = resolve_entity(store.db, "Matthew Miller", "person")
    assert resolve_entity(store.db, "Mathew Miller", "person") == keep
    new = split_entity(store.db, "Matthew Miller", ["Mathew Miller"])
    assert new.id != keep
    assert store.db.execute("select count(*) from entity_merges").fetchone()[0] == 0
    assert resolve_entity(store.db, "Mathew Miller", "person") == new.id
    store.db.conn.commit()
    result = CliRunner().invoke(cli, ["entities", "--json", "--db", str(tmp_path / "stance.db")])
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r["merged"] for r in json.loads(result.output)}
    assert rows == {"Matthew Miller": None, "Mathew Miller": None}
