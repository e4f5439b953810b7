import pytest

from stance.core.errors import InputError
from stance.ingestion.pipeline import ingest
from stance.inputs import Metadata, html_to_text, normalize_date, split_header
from stance.store.db import Store
from testkit.fake_extractor import FakeExtractor, said

BODY = "Antony Blinken said the meeting is not against Azerbaijan.\n"


def blinken(text: str):
    return (
        [said("Antony Blinken", "the meeting is not against Azerbaijan")]
        if "Blinken" in text
        else []
    )


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "stance.db") as opened:
        yield opened


def test_header_block_is_split_from_the_text():
    raw = (
        "source: State Dept\nurl: https://x.org/a\npublished: April 3, 2024\ntitle: Call\n\n" + BODY
    )
    assert split_header(raw) == (
        Metadata(
            source="State Dept", url="https://x.org/a", published="April 3, 2024", title="Call"
        ),
        BODY,
    )


def test_text_without_header_is_kept_unchanged():
    raw = " date 2024-04-03 (MENAFN- AzerNews) On April 3, U.S. Secretary ...\n\nMore."
    assert split_header(raw) == (Metadata(), raw)
    assert split_header("Source: said the minister\nand more") == (
        Metadata(),
        "Source: said the minister\nand more",
    )


def test_dates_are_normalised_to_iso():
    assert normalize_date("April 3, 2024") == "2024-04-03"
    assert normalize_date("2024-04-03") == "2024-04-03"
    assert normalize_date("3 April 2024 14:05") == "2024-04-03T14:05:00"
    with pytest.raises(InputError, match="published: cannot read 'soon-ish' as a date"):
        normalize_date("soon-ish")


def test_html_pages_become_paragraphs_of_text():
    page = (
        "<html><head><title>Call &amp; response</title><script>alert(1)</script></head>"
        "<body><p>Antony Blinken said <b>the meeting</b> is fine.</p><p>Second.</p></body></html>"
    )
    assert html_to_text(page) == (
        "Antony Blinken said the meeting is fine.\n\nSecond.",
        "Call & response",
    )


def test_ingest_stores_new_documents_and_caches_repeats(store, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("source: AzerNews\npublished: 2024-04-03\n\n" + BODY)
    extractor = FakeExtractor(blinken)
    first = ingest(store, [str(article)], extractor)
    assert first.as_dict() == {
        "new": 1,
        "cached": 0,
        "failed": 0,
        "claims": 1,
        "rejected": 0,
        "documents": [
            {
                "label": str(article),
                "status": "new",
                "document_id": first.results[0].document_id,
                "claims": 1,
                "rejected": 0,
                "error": None,
                "input_tokens": 14,
                "output_tokens": 10,
                "notes": [],
            }
        ],
    }
    second = ingest(store, [str(article)], extractor)
    assert [r.status for r in second.results] == ["cached"]
    assert len(extractor.calls) == 1
    forced = ingest(store, [str(article)], extractor, force=True)
    assert [r.status for r in forced.results] == ["new"]
    assert len(extractor.calls) == 2
    changed_prompt = ingest(store, [str(article)], FakeExtractor(blinken, prompt="p2"))
    assert [r.status for r in changed_prompt.results] == ["new"]
    doc = store.documents()[0]
    assert (doc["source"], doc["published"], doc["claims"]) == ("AzerNews", "2024-04-03", 1)


def test_flags_override_the_header(store, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("source: AzerNews\n\n" + BODY)
    ingest(store, [str(article)], FakeExtractor(blinken), metadata=Metadata(source="Reuters"))
    assert store.documents()[0]["source"] == "Reuters"


def test_bad_inputs_fail_alone_and_the_rest_is_stored(store, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(BODY)
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    missing = tmp_path / "missing.txt"
    names = [str(p) for p in (empty, binary, missing, good)]
    summary = ingest(store, names, FakeExtractor(blinken))
    assert [(r.status, r.error) for r in summary.results] == [
        ("failed", f"{empty}: the file is empty; give a file with the article's text"),
        (
            "failed",
            f"{binary}: looks like a binary file, not text; give a text, HTML, PDF or DOCX file",
        ),
        ("failed", f"{missing}: no such file, folder or URL; check the path"),
        ("new", None),
    ]
    assert len(store.documents()) == 1


def test_a_failed_extraction_keeps_the_document_and_is_retried(store, tmp_path):
    flaky = tmp_path / "flaky.txt"
    flaky.write_text("FAIL " + BODY)
    extractor = FakeExtractor(blinken)
    first = ingest(store, [str(flaky)], extractor)
    assert [(r.status, r.error) for r in first.results] == [
        ("failed", f"{flaky}: the model server at http://127.0.0.1:9 answered 503")
    ]
    assert [d["last_run"] for d in store.documents()] == ["failed"]
    ingest(store, [str(flaky)], extractor)
    assert len(extractor.calls) == 2  # not cached: the failed run is retried


def test_folders_are_read_recursively_in_order(store, tmp_path):
    (tmp_path / "news" / "deep").mkdir(parents=True)
    (tmp_path / "news" / "b.md").write_text("Blinken B. " + BODY)
    (tmp_path / "news" / "deep" / "a.txt").write_text("Blinken A. " + BODY)
    (tmp_path / "news" / "skip.json").write_text("{}")
    summary = ingest(store, [str(tmp_path / "news")], FakeExtractor(blinken))
    assert [r.label for r in summary.results] == [
        str(tmp_path / "news" / "b.md"),
        str(tmp_path / "news" / "deep" / "a.txt"),
    ]


def test_stdin_and_duplicate_inputs(store):
    summary = ingest(store, ["-", "-"], FakeExtractor(blinken), stdin=lambda: BODY.encode())
    assert [(r.label, r.status) for r in summary.results] == [
        ("<stdin>", "new"),
        ("<stdin>", "cached"),
    ]


def test_concurrent_extraction_stores_every_document_once(store, tmp_path):
    paths = []
    for i in range(12):
        path = tmp_path / f"{i:02}.txt"
        path.write_text(f"Report {i}. {BODY}")
        paths.append(str(path))
    summary = ingest(store, paths, FakeExtractor(blinken), concurrency=4)
    assert (summary.count("new"), summary.claims) == (12, 12)
    assert store.db["documents"].count == 12
    assert store.db["claims"].count == 12


def test_a_bug_in_a_worker_is_raised_not_hung_on(store, tmp_path):
    paths = []
    for i in range(4):
        path = tmp_path / f"{i}.txt"
        path.write_text(f"Report {i}. {BODY}")
        paths.append(str(path))

    def broken(text: str):
        raise RuntimeError("a bug in the extractor")

    with pytest.raises(RuntimeError, match="a bug in the extractor"):
        ingest(store, paths, FakeExtractor(broken), concurrency=2)


def test_a_feed_dateline_gives_source_and_date_unless_told_otherwise(store, tmp_path):
    article = tmp_path / "feed.txt"
    article.write_text(" date 2024-04-03 (MENAFN- AzerNews) On April 3, " + BODY)
    ingest(store, [str(article)], FakeExtractor(blinken))
    (doc,) = store.documents()
    assert (doc["source"], doc["published"]) == ("AzerNews", "2024-04-03")
    assert (
        store.document(doc["id"]).text == " date 2024-04-03 (MENAFN- AzerNews) On April 3, " + BODY
    )
    ingest(
        store,
        [str(article)],
        FakeExtractor(blinken, prompt="p2"),
        metadata=Metadata(source="Trend"),
    )
    # The document keeps its first appearance's source; Trend is a second appearance.
    assert store.documents()[0]["source"] == "AzerNews"
    assert [a["source"] for a in store.db.query("select source from appearances")] == [
        "AzerNews",
        "Trend",
    ]
