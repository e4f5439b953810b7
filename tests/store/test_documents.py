import json
import sqlite3

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.ingestion.pipeline import ingest
from stance.inputs import Metadata
from stance.store.db import Store, migrations
from testkit.fake_extractor import FakeExtractor, said

BODY = "Mayor Ivo Rask said the bridge would reopen to traffic next week.\n"
OTHER = "Union leader Mara Holt said the strike would end on Friday.\n"


def rask(text: str):
    if "Rask" in text:
        return [said("Ivo Rask", "the bridge would reopen to traffic next week")]
    return [said("Mara Holt", "the strike would end on Friday")]


def write(tmp_path, name, source, body=BODY):
    path = tmp_path / name
    path.write_text(f"source: {source}\nurl: https://{name}.example/\n\n{body}")
    return str(path)


def appearances(store):
    return [
        (r["source"], r["url"])
        for r in store.db.query("select * from appearances order by document_id, id")
    ]


def test_the_same_text_from_another_outlet_adds_an_appearance_and_extracts_nothing(tmp_path):
    store = Store(tmp_path / "s.db")
    extractor = FakeExtractor(rask)
    first = ingest(store, [write(tmp_path, "gazette", "Harbour Gazette")], extractor)
    second = ingest(store, [write(tmp_path, "wire", "City Wire")], extractor)
    again = ingest(store, [write(tmp_path, "wire", "City Wire")], extractor)
    assert [r.status for r in (*first.results, *second.results, *again.results)] == [
        "new",
        "cached",
        "cached",
    ]
    assert len(extractor.calls) == 1
    assert appearances(store) == [
        ("Harbour Gazette", "https://gazette.example/"),
        ("City Wire", "https://wire.example/"),
    ]
    [document] = store.documents()
    # The document keeps its first appearance's metadata.
    assert (document["source"], document["appearances"]) == ("Harbour Gazette", 2)


def test_copies_in_one_ingest_each_keep_their_appearance(tmp_path):
    store = Store(tmp_path / "s.db")
    names = [write(tmp_path, n, n.title()) for n in ("one", "two", "three")]
    summary = ingest(store, names, FakeExtractor(rask), concurrency=2)
    assert sorted(r.status for r in summary.results) == ["cached", "cached", "new"]
    assert [s for s, _ in appearances(store)] == ["One", "Two", "Three"]


def test_the_migration_gives_existing_documents_their_first_appearance(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.close()
    from sqlite_utils import Database

    db = Database(path)
    for migration in migrations._migrations:  # the database as it was before m400
        if migration.name.startswith("m400"):
            break
        migration.fn(db)
        db["_sqlite_migrations"].insert(
            {"migration_set": "stance", "name": migration.name, "applied_at": "2024-01-01"},
            alter=True,
        )
    db["documents"].insert(
        {"id": "ab" * 32, "source": "Gazette", "url": "u", "title": "t", "published": "2024",
         "ingested_at": "2024-01-01", "text": "x"}
    )  # fmt: skip
    db.close()
    with Store(path) as store:
        assert [
            (r["document_id"], r["source"], r["published"])
            for r in store.db.query("select * from appearances")
        ] == [("ab" * 32, "Gazette", "2024")]


@pytest.fixture
def two_outlets(tmp_path):
    db = tmp_path / "s.db"
    store = Store(db)
    extractor = FakeExtractor(rask)
    ingest(store, [write(tmp_path, "gazette", "Harbour Gazette")], extractor)
    ingest(store, [write(tmp_path, "wire", "City Wire")], extractor)
    ingest(store, [write(tmp_path, "strike", "City Wire", OTHER)], extractor)
    store.close()
    return db


def counts(db):
    with Store(db) as store:
        return {
            t: store.db[t].count
            for t in ("documents", "appearances", "runs", "claims", "claim_targets")
        }


def test_delete_source_keeps_documents_other_outlets_carried(two_outlets):
    before = counts(two_outlets)
    assert before == {"documents": 2, "appearances": 3, "runs": 2, "claims": 2, "claim_targets": 0}
    result = CliRunner().invoke(
        cli, ["documents", "--delete-source", "city wire", "--db", str(two_outlets)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "deleted 1 document(s) with their claims and runs; removed 1 appearance(s) of "
        "documents others carried\n"
    )
    assert counts(two_outlets) == {
        "documents": 1, "appearances": 1, "runs": 1, "claims": 1, "claim_targets": 0,
    }  # fmt: skip


def test_delete_a_document_by_id_prefix(two_outlets):
    with Store(two_outlets) as store:
        target = next(d["id"] for d in store.documents() if d["source"] == "Harbour Gazette")
    result = CliRunner().invoke(
        cli, ["documents", "--delete", target[:10], "--db", str(two_outlets), "--json"]
    )
    assert json.loads(result.stdout) == {"documents_deleted": 1, "appearances_removed": 0}
    assert counts(two_outlets) == {
        "documents": 1, "appearances": 1, "runs": 1, "claims": 1, "claim_targets": 0,
    }  # fmt: skip
    missing = CliRunner().invoke(
        cli, ["documents", "--delete", "ffffffff", "--db", str(two_outlets)]
    )
    assert (missing.exit_code, missing.stderr) == (
        1,
        "stance: error: no document with id 'ffffffff'; see `stance documents`\n",
    )


def test_edit_changes_metadata_without_extracting_again(two_outlets):
    with Store(two_outlets) as store:
        target = next(d["id"] for d in store.documents() if d["source"] == "Harbour Gazette")
        claims_before = [c.model_dump() for c in store.claims()]
    result = CliRunner().invoke(
        cli,
        ["edit", target[:8], "--source", "Harbour Gazette (print)", "--published", "March 2024",
         "--db", str(two_outlets), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    edited = json.loads(result.stdout)
    assert (edited["source"], edited["published"], edited["published_from"]) == (
        "Harbour Gazette (print)",
        "2024-03",
        "edited",
    )
    with Store(two_outlets) as store:
        assert store.db["runs"].count == 2
        assert sorted(c.quote for c in store.claims()) == sorted(c["quote"] for c in claims_before)
        assert appearances(store)[:2] in (
            [("Harbour Gazette (print)", "https://gazette.example/"),
             ("City Wire", "https://wire.example/")],
            [("City Wire", "https://strike.example/"),
             ("Harbour Gazette (print)", "https://gazette.example/")],
        )  # fmt: skip


def test_query_reads_and_refuses_writes(two_outlets):
    result = CliRunner().invoke(
        cli,
        ["query", "select source, count(*) as n from appearances group by source order by source",
         "--db", str(two_outlets), "--csv"],
    )  # fmt: skip
    assert result.stdout == "source,n\nCity Wire,2\nHarbour Gazette,1\n"
    refused = CliRunner().invoke(cli, ["query", "delete from claims", "--db", str(two_outlets)])
    assert refused.exit_code == 2
    assert refused.stderr.startswith("stance: error: stance query only reads: ")
    assert counts(two_outlets)["claims"] == 2
    missing = CliRunner().invoke(cli, ["query", "select 1", "--db", str(two_outlets) + ".nope"])
    assert missing.exit_code == 1


def test_listings_take_jsonl_limit_fields_and_sort(two_outlets):
    result = CliRunner().invoke(
        cli,
        ["documents", "--jsonl", "--fields", "source,appearances", "--sort", "-appearances",
         "--limit", "1", "--db", str(two_outlets)],
    )  # fmt: skip
    assert result.stdout == '{"source": "Harbour Gazette", "appearances": 2}\n'
    bad = CliRunner().invoke(cli, ["documents", "--fields", "nope", "--db", str(two_outlets)])
    assert bad.exit_code == 2


def test_claims_csv_with_a_row_per_target(tmp_path):
    store = Store(tmp_path / "s.db")
    path = tmp_path / "a.txt"
    path.write_text("source: Gazette\n\n" + BODY)

    def with_targets(text):
        return [
            said(
                "Ivo Rask",
                "the bridge would reopen to traffic next week",
                ("Bridge Authority", "organization", "support"),
                ("City Council", "organization", "neutral"),
            )
        ]

    ingest(store, [str(path)], FakeExtractor(with_targets), metadata=Metadata())
    store.close()
    result = CliRunner().invoke(
        cli,
        ["claims", "--csv", "--targets", "--fields", "speaker,target_name,target_stance",
         "--db", str(tmp_path / "s.db")],
    )  # fmt: skip
    assert result.stdout == (
        "speaker,target_name,target_stance\n"
        "Ivo Rask,Bridge Authority,support\n"
        "Ivo Rask,City Council,neutral\n"
    )
