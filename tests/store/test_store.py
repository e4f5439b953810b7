import sqlite3

import pytest

from stance.core.errors import StoreError
from stance.core.models import Document, StoredClaim, StoredTarget
from stance.resolve.entities import resolve_entity
from stance.resolve.linker import resolve_pending
from stance.store.db import ClaimFilter, Store, migrations
from testkit.fake_extractor import FakeExtractor, said

TEXT = "Antony Blinken said the meeting is not against Azerbaijan. IlhamAliyev said it was."


def script(text: str):
    return [
        said(
            "Antony Blinken",
            "the meeting is not against Azerbaijan",
            ("April 5 meeting", "event", "support"),
            ("Azerbaijan", "country", "neutral"),
        ),
        said("Ilham Aliyev", "it was", ("April 5 meeting", "event", "oppose")),
        said("Antony Blinken", "a quote that is nowhere"),
    ]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "stance.db") as opened:
        yield opened


def save(store: Store, text: str = TEXT, **meta) -> Document:
    doc = Document(id=Document.id_for(text), text=text, **meta)
    extraction = FakeExtractor(script).extract(text)
    store.save_run(doc, extraction, started_at="2026-01-01T00:00:00+00:00")
    resolve_pending(store)
    return doc


def test_migrations_create_the_tables_of_the_contract(store):
    assert set(store.db.table_names()) >= {
        "documents",
        "runs",
        "entities",
        "aliases",
        "claims",
        "claim_targets",
    }
    assert store.db["claims"].columns_dict == {
        "id": int,
        "document_id": str,
        "run_id": int,
        "speaker_id": int,
        "speaker": str,
        "speaker_mention": str,
        "cue": str,
        "quote": str,
        "content": str,
        "start": int,
        "end": int,
        "attribution": str,
        "claim_type": str,
        "grounding": str,
        "reason": str,
        "confidence": float,
    }
    assert [m.name for m in migrations.applied(store.db)] == [
        m.name for m in migrations._migrations
    ]
    assert store.db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_reopening_applies_no_migration_twice(tmp_path):
    Store(tmp_path / "a.db").close()
    with Store(tmp_path / "a.db") as again:
        assert len(migrations.applied(again.db)) == len(migrations._migrations)


def test_a_saved_run_is_queried_back_as_the_contract_shapes_it(store):
    doc = save(store, source="AzerNews", url="https://example.org/a", published="2024-04-03")
    claims = store.claims()
    assert claims == [
        StoredClaim(
            id=1,
            document_id=doc.id,
            source="AzerNews",
            url="https://example.org/a",
            published="2024-04-03",
            speaker="Antony Blinken",
            speaker_mention="Antony Blinken",
            cue="said",
            quote="the meeting is not against Azerbaijan",
            content="Antony Blinken said the meeting is not against Azerbaijan.",
            start=20,
            end=57,
            attribution="indirect",
            claim_type="statement",
            grounding="exact",
            targets=[
                StoredTarget(name="April 5 meeting", kind="event", stance="support"),
                StoredTarget(name="Azerbaijan", kind="country", stance="neutral"),
            ],
            run_id=1,
            backend="fake",
            model="scripted",
        ),
        StoredClaim(
            id=2,
            document_id=doc.id,
            source="AzerNews",
            url="https://example.org/a",
            published="2024-04-03",
            speaker="Ilham Aliyev",
            speaker_mention="Ilham Aliyev",
            cue="said",
            quote="it was",
            content="Ilham Aliyev said it was.",
            start=76,
            end=82,
            attribution="indirect",
            claim_type="statement",
            grounding="exact",
            targets=[StoredTarget(name="April 5 meeting", kind="event", stance="oppose")],
            run_id=1,
            backend="fake",
            model="scripted",
        ),
    ]
    assert list(store.integrity_problems()) == []


def test_rejected_claims_are_kept_hidden_and_shown_on_request(store):
    save(store)
    everything = store.claims(ClaimFilter(include_rejected=True))
    assert [(c.grounding, c.quote) for c in everything] == [
        ("exact", "the meeting is not against Azerbaijan"),
        ("exact", "it was"),
        ("rejected", "a quote that is nowhere"),
    ]
    reason = store.db.execute("select reason from claims where grounding = 'rejected'").fetchone()
    assert reason[0].startswith("the quote is not in the text")


def test_filters_by_speaker_target_source_and_dates(store):
    save(store, source="AzerNews", published="2024-04-03")
    save(
        store, text="Ilham Aliyev said it was. " + TEXT, source="State Dept", published="2024-04-05"
    )
    assert [c.speaker for c in store.claims(ClaimFilter(speaker="Aliyev"))] == [
        "Ilham Aliyev",
        "Ilham Aliyev",
    ]
    assert {c.source for c in store.claims(ClaimFilter(source="state"))} == {"State Dept"}
    assert [c.quote for c in store.claims(ClaimFilter(about="Azerbaijan"))] == [
        "the meeting is not against Azerbaijan",
        "the meeting is not against Azerbaijan",
    ]
    assert {c.published for c in store.claims(ClaimFilter(since="2024-04-04"))} == {"2024-04-05"}
    assert {c.published for c in store.claims(ClaimFilter(until="2024-04-03"))} == {"2024-04-03"}
    assert store.claims(ClaimFilter(speaker="Nobody Known")) == []


def test_one_entity_for_spellings_of_one_name(store):
    save(store)
    names = {r["name"]: r["aliases"] for r in store.entities()}
    assert names["Ilham Aliyev"] == "Ilham Aliyev"
    assert (
        store.db.execute("select count(*) from aliases where key = 'ilhamaliyev'").fetchone()[0]
        == 1
    )


def test_entities_count_the_claims_they_make_and_are_about(store):
    save(store)
    counts = {r["name"]: (r["kind"], r["claims_made"], r["claims_about"]) for r in store.entities()}
    assert counts == {
        "Antony Blinken": ("person", 1, 0),  # its rejected claim is not counted
        "Ilham Aliyev": ("person", 1, 0),
        "April 5 meeting": ("event", 0, 2),
        "Azerbaijan": ("country", 0, 1),
    }


def test_a_later_run_replaces_what_queries_show(store):
    doc = save(store)
    store.save_run(
        doc, FakeExtractor(lambda t: [said("Ilham Aliyev", "it was")]).extract(TEXT), started_at="x"
    )
    resolve_pending(store)
    assert [c.run_id for c in store.claims()] == [2]


def test_a_failed_run_keeps_the_document_and_records_the_error(store):
    doc = Document(id=Document.id_for("FAIL"), text="FAIL")
    store.save_failure(
        doc,
        backend="llm",
        model="m",
        prompt_sha="p",
        schema_sha="s",
        error="server down",
        started_at="x",
    )
    assert [(r["status"], r["error"]) for r in store.runs()] == [("failed", "server down")]
    assert [d["id"] for d in store.documents()] == [doc.id]
    assert store.cached_run(doc.id, "llm", "m", "p", "s") is None


def test_a_document_is_stored_whole_or_not_at_all(store, monkeypatch):
    doc = Document(id=Document.id_for(TEXT), text=TEXT)
    extraction = FakeExtractor(script).extract(TEXT)
    real_insert = Store._insert_run

    def insert_then_fail(self, document_id, **fields):
        real_insert(self, document_id, **fields)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Store, "_insert_run", insert_then_fail)
    with pytest.raises(sqlite3.OperationalError):
        store.save_run(doc, extraction, started_at="x")
    for table in ("documents", "runs", "claims", "claim_targets", "unresolved_runs"):
        assert store.db[table].count == 0, table


def test_a_crash_during_resolution_is_finished_by_the_next_pass(store, monkeypatch):
    doc = Document(id=Document.id_for(TEXT), text=TEXT)
    store.save_run(doc, FakeExtractor(script).extract(TEXT), started_at="x")
    # Stored as extracted: no speaker or target resolved yet, the run listed as unresolved.
    assert (
        store.db.execute("select count(*) from claims where speaker_id is not null").fetchone()[0]
        == 0
    )
    assert [r[0] for r in store.db.execute("select run_id from unresolved_runs")] == [1]
    calls = []

    def resolve_then_fail(db, name, kind):
        calls.append(name)
        if len(calls) == 3:  # fail in the middle of the second claim
            raise sqlite3.OperationalError("disk I/O error")
        return resolve_entity(db, name, kind)

    monkeypatch.setattr("stance.resolve.linker.resolve_entity", resolve_then_fail)
    with pytest.raises(sqlite3.OperationalError):
        resolve_pending(store)
    assert store.db["entities"].count == 0
    assert [r[0] for r in store.db.execute("select run_id from unresolved_runs")] == [1]
    monkeypatch.undo()
    assert resolve_pending(store).runs == 1
    resolved = {c.quote: (c.speaker, [t.name for t in c.targets]) for c in store.claims()}
    entities = store.db["entities"].count
    assert resolve_pending(store).runs == 0  # twice: nothing changes
    assert store.db["entities"].count == entities
    assert {c.quote: (c.speaker, [t.name for t in c.targets]) for c in store.claims()} == resolved
    assert store.db["unresolved_runs"].count == 0


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("these are my notes, not a database" * 100)
    with pytest.raises(StoreError, match=r"notes\.db: cannot open as a stance database"):
        Store(bad)
