import json

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.core.errors import NotFoundError, UsageError
from stance.core.models import Document
from stance.resolve.entities import canonical, resolve_entity
from stance.resolve.linker import resolve_pending
from stance.resolve.overrides import find_entity, merge_entities, split_entity
from stance.store.db import ClaimFilter, Store
from stance.store.queries import matching_entity_ids
from testkit.fake_extractor import FakeExtractor, said


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "stance.db") as opened:
        yield opened


def entity_rows(store: Store) -> dict[str, tuple[str, set[str]]]:
    return {r["name"]: (r["kind"], set(r["aliases"].split(" | "))) for r in store.entities()}


def resolve_all(store: Store, *mentions: tuple[str, str]) -> list[int]:
    return [resolve_entity(store.db, name, kind) for name, kind in mentions]


def test_titles_are_stripped_and_run_together_words_meet(store):
    ids = resolve_all(
        store,
        ("President Ilham Aliyev", "person"),
        ("IlhamAliyev", "person"),
        ("Aliyev", "person"),
        ("President of the Republic of Azerbaijan Ilham Aliyev", "person"),
    )
    assert len(set(ids)) == 1
    assert entity_rows(store) == {
        "Ilham Aliyev": (
            "person",
            {
                "President Ilham Aliyev",
                "IlhamAliyev",
                "Aliyev",
                "President of the Republic of Azerbaijan Ilham Aliyev",
            },
        )
    }


def test_a_middle_initial_and_a_title_do_not_make_another_person(store):
    ids = resolve_all(
        store,
        ("Secretary of State Antony J. Blinken", "person"),
        ("Antony Blinken", "person"),
        ("U.S. Secretary of State Antony Blinken", "person"),
        ("Secretary Blinken", "person"),
    )
    assert len(set(ids)) == 1
    assert canonical("Secretary of State Antony J. Blinken", "person").name == "Antony J. Blinken"


def test_a_country_is_one_entity_under_its_names_and_its_capital(store):
    ids = resolve_all(
        store,
        ("the U.S.", "country"),
        ("United States", "country"),
        ("Washington", "person"),
        ("USA", "other"),
    )
    assert len(set(ids)) == 1
    assert entity_rows(store) == {
        "United States": ("country", {"the U.S.", "United States", "Washington", "USA"})
    }


def test_the_side_of_a_country_is_the_country(store):
    ids = resolve_all(
        store,
        ("the Azerbaijani side", "other"),
        ("Azerbaijan", "country"),
        ("official Baku", "organization"),
    )
    assert len(set(ids)) == 1
    assert entity_rows(store)["Azerbaijan"][0] == "country"


def test_bodies_are_named_one_way_and_people_in_them_are_people(store):
    ids = resolve_all(
        store,
        ("Azerbaijani Foreign Ministry", "person"),
        ("Ministry of Foreign Affairs of Azerbaijan", "organization"),
        ("State Department", "organization"),
        ("the U.S. Department of State", "organization"),
        ("Azerbaijani Foreign Ministry spokesman Aykhan Hajizada", "person"),
    )
    assert ids[0] == ids[1] and ids[2] == ids[3] and len(set(ids)) == 3
    assert set(entity_rows(store)) == {
        "Ministry of Foreign Affairs of Azerbaijan",
        "U.S. Department of State",
        "Aykhan Hajizada",
    }


def test_an_ambiguous_surname_is_not_merged(store):
    ilham, heydar = resolve_all(store, ("Ilham Aliyev", "person"), ("Heydar Aliyev", "person"))
    with pytest.raises(
        UsageError,
        match=r"'Aliyev' matches 2 entities: Ilham Aliyev \(#1, "
        r"person\); Heydar Aliyev \(#2, person\); name one",
    ):
        find_entity(store.db, "Aliyev")
    short = resolve_entity(store.db, "Aliyev", "person")
    assert len({ilham, heydar, short}) == 3
    assert entity_rows(store)["Aliyev"] == ("person", {"Aliyev"})


def test_a_surname_seen_first_joins_its_full_name_when_that_comes(store):
    short, full = resolve_all(store, ("Blinken", "person"), ("Antony Blinken", "person"))
    assert entity_rows(store) == {"Antony Blinken": ("person", {"Blinken", "Antony Blinken"})}
    assert resolve_entity(store.db, "Blinken", "person") == full


def test_a_first_name_alone_joins_nobody(store):
    full, first = resolve_all(store, ("Antony Blinken", "person"), ("Antony", "person"))
    assert full != first


def save(store: Store, text: str, claims: list, **meta) -> Document:
    doc = Document(id=Document.id_for(text), text=text, **meta)
    store.save_run(doc, FakeExtractor(lambda _: claims).extract(text), started_at="x")
    resolve_pending(store)
    return doc


def test_merge_is_recorded_and_later_ingests_respect_it(store):
    text = "Charles Michel said talks help. The European Council President said so again."
    save(store, text, [said("Charles Michel", "talks help")])
    role = resolve_entity(store.db, "European Council President", "person")
    kept = merge_entities(store.db, "Charles Michel", "European Council President")
    assert kept.name == "Charles Michel"
    assert resolve_entity(store.db, "European Council President", "person") == kept.id
    overrides = [
        tuple(r)
        for r in store.db.execute(
            "select action, alias_key, entity_id, other_id from entity_overrides"
        )
    ]
    assert overrides == [("merge", "europeancouncilpresident", kept.id, role)]


def test_split_moves_claims_and_later_ingests_respect_it(store):
    text = "Ilham Aliyev said peace is near. Aliyev said the talks went well."
    save(
        store, text, [said("Ilham Aliyev", "peace is near"), said("Aliyev", "the talks went well")]
    )
    assert len(store.claims(ClaimFilter(speaker="Ilham Aliyev"))) == 2
    created = split_entity(store.db, "Ilham Aliyev", ["Aliyev"])
    assert (created.name, created.kind) == ("Aliyev", "person")
    by_speaker = {c.quote: c.speaker for c in store.claims()}
    assert by_speaker == {"peace is near": "Ilham Aliyev", "the talks went well": "Aliyev"}
    # A later mention of the short name goes to the split-off entity, never back.
    assert resolve_entity(store.db, "Aliyev", "person") == created.id
    with pytest.raises(UsageError, match="would leave Ilham Aliyev with no name"):
        split_entity(store.db, "Ilham Aliyev", ["Ilham Aliyev"])


def test_unknown_names_get_suggestions(store):
    resolve_all(store, ("Ilham Aliyev", "person"))
    with pytest.raises(
        NotFoundError,
        match=r"no entity matches 'Ilham Aliev'; did you mean: "
        r"'Ilham Aliyev'\?",
    ):
        find_entity(store.db, "Ilham Aliev")


def test_queries_match_names_aliases_and_name_rules(store):
    aliyev, usa = resolve_all(store, ("Ilham Aliyev", "person"), ("the U.S.", "country"))
    assert matching_entity_ids(store.db, "Aliyev") == [aliyev]
    assert matching_entity_ids(store.db, "United States of America") == [usa]
    assert matching_entity_ids(store.db, "Nobody Known") == []


def test_entities_merge_and_split_commands(tmp_path):
    db = str(tmp_path / "cli.db")
    text = "President Ilham Aliyev said peace is near. The Azerbaijani side said it agrees."
    with Store(db) as store:
        save(
            store,
            text,
            [said("Ilham Aliyev", "peace is near", ("Azerbaijan", "country", "support"))],
        )
        resolve_entity(store.db, "President of Azerbaijan", "person")

    def run(*args: str):
        return CliRunner().invoke(cli, [*args, "--db", db], catch_exceptions=False)

    listed = {r["name"]: r for r in json.loads(run("entities", "--json").stdout)}
    assert (listed["Ilham Aliyev"]["claims_made"], listed["Azerbaijan"]["claims_about"]) == (1, 1)
    merged = run("merge", "Ilham Aliyev", "President of Azerbaijan")
    assert merged.exit_code == 0 and "into Ilham Aliyev" in merged.stdout
    split = run("split", "Ilham Aliyev", "President of Azerbaijan", "--json")
    assert json.loads(split.stdout)["name"] == "President of Azerbaijan"
    missing = run("merge", "Ilham Aliyev", "Heydar Aliev")
    assert missing.exit_code == 1
    assert missing.stderr.startswith("stance: error: no entity matches 'Heydar Aliev'")
    same = run("merge", "Ilham Aliyev", "IlhamAliyev")
    assert same.exit_code == 2 and "already one entity" in same.stderr
