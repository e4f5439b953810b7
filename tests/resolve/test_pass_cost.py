"""What the resolution pass costs: SQL statements per document stay bounded, and the events a
document names, kept in memory through the pass, are what the database says at every step."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import stance
from stance.extraction.rules.pipeline import RulesExtractor
from stance.resolve import events as resolve_events
from stance.store import queries
from stance.store.db import Store
from testkit.corpus import synthetic_articles, write_articles


def test_statements_per_document_are_bounded(tmp_path: Path) -> None:
    paths = write_articles(synthetic_articles(8), tmp_path / "in")
    statements: list[str] = []
    with Store(tmp_path / "s.db") as store:
        store.db.conn.set_trace_callback(statements.append)
        summary = stance.ingest(store, [str(p) for p in paths], RulesExtractor())
        store.db.conn.set_trace_callback(None)
    assert summary.count("new") == 8
    # About 700 a document on these first articles of a new database (27 claims and 10 event
    # mentions each): reading, storing, resolving speakers and targets, linking events.
    assert len(statements) / 8 < 800, len(statements) / 8
    # The first publication of an event's candidates is read in one query, not one each.
    # (The trace shows statements with their values.)
    one_each = re.compile(r"select min\(first_published\) from events where entity_id in \(\d+\)")
    assert [s for s in statements if one_each.fullmatch(s)] == []


def test_the_events_a_document_names_are_read_again_only_when_they_may_have_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[int] = []
    kept_ids = resolve_events.DocumentEvents.ids

    def compared(self: resolve_events.DocumentEvents, db: object) -> set[int]:
        kept = kept_ids(self, db)  # type: ignore[arg-type]
        assert kept == queries.document_events(db, self.document_id)  # type: ignore[arg-type]
        checked.append(len(kept))
        return kept

    monkeypatch.setattr(resolve_events.DocumentEvents, "ids", compared)
    # One long text: the same events named again and again, surnames before full names.
    text = "\n\n".join(article.text for article in synthetic_articles(12))
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    statements: list[str] = []
    with Store(tmp_path / "s.db") as store:
        store.db.conn.set_trace_callback(statements.append)
        stance.ingest(store, [str(path)], RulesExtractor())
        store.db.conn.set_trace_callback(None)
        assert list(store.integrity_problems()) == []
    assert len(checked) > 50 and max(checked) > 1
    # The claims of the document are read again only after a merge the pass did not make (a
    # surname joining its full name), not for each of its event mentions.
    # (This test's own comparison reads them once per mention too.)
    scans = sum("where c.document_id = '" in s and "claim_targets" in s for s in statements)
    assert 1 <= scans - len(checked) < len(checked) / 5, (scans, len(checked))
