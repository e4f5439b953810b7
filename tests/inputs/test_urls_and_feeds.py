import json

import httpx
from click.testing import CliRunner

from stance.cli import cli
from stance.ingestion.pipeline import ingest
from stance.inputs import Reader, ReadOptions
from stance.inputs.fetch import Fetcher
from stance.store.db import Store
from testkit.fake_extractor import FakeExtractor

from .pages import ARTICLE_PARAGRAPHS, news_page, rss_feed, web_server

HTML = {"Content-Type": "text/html; charset=utf-8"}


def page_routes(base_hint: str = "") -> dict[str, tuple[int, dict[str, str], bytes]]:
    return {
        "/world/river-treaty": (200, HTML, news_page().encode()),
        "/moved": (301, {"Location": "/world/river-treaty"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/logo.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n"),
        "/gone": (410, {"Content-Type": "text/plain"}, b"gone"),
        "/huge": (200, HTML, b"<p>" + b"x" * 300_000 + b"</p>"),
        "/slow": (200, {**HTML, "X-Sleep": "1.5"}, b"<p>late</p>"),
    }


def test_urls_are_fetched_and_read_as_pages_each_failure_one_line(tmp_path):
    db = tmp_path / "s.db"
    with web_server(page_routes()) as base:
        urls = tmp_path / "urls.txt"
        urls.write_text(f"# today's reading\n{base}/moved\n\n{base}/logo.png\n")
        result = CliRunner().invoke(
            cli,
            ["ingest", f"{base}/gone", f"{base}/loop", "--urls", str(urls), "--db", str(db),
             "--backend", "rules"],
        )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        f"stance: error: {base}/gone: the server answered 410 Gone; check the URL",
        f"stance: error: {base}/loop: more than 5 redirects; check the URL",
        f"stance: error: {base}/logo.png: served as image/png, not a web page, feed or text; "
        "give the URL of an article",
    ]
    assert result.stdout == (
        "documents: 1 new, 0 cached, 3 failed; claims stored: 6, rejected: 0\n"
    )
    with Store(db) as store:
        [document] = store.documents()
        text = store.document(document["id"]).text
    assert text == "\n\n".join(["Ministers agree on a river treaty", *ARTICLE_PARAGRAPHS])
    # The canonical URL of the page, not the URL asked for.
    assert (document["source"], document["url"], document["published"]) == (
        "Northern Ledger",
        "https://ledger.example/world/river-treaty",
        "2024-03-14",
    )


def test_a_saved_page_and_the_same_page_by_url_are_one_document(tmp_path):
    saved = tmp_path / "page.html"
    saved.write_text(news_page())
    store = Store(tmp_path / "s.db")
    extractor = FakeExtractor(lambda text: [])
    with web_server(page_routes()) as base:
        summary = ingest(store, [str(saved), f"{base}/world/river-treaty"], extractor)
    assert [r.status for r in summary.results] == ["new", "cached"]
    assert len({r.document_id for r in summary.results}) == 1


def test_size_limit_and_timeout_are_errors_for_that_url_only():
    with web_server(page_routes()) as base:
        fetcher = Fetcher(max_bytes=100_000, timeout=0.5)
        with Reader(fetcher=fetcher) as reader:
            items = list(reader.read([f"{base}/huge", f"{base}/slow", f"{base}/moved"]))
        fetcher.close()
    assert [str(i) if isinstance(i, Exception) else i.label for i in items] == [
        f"{base}/huge: larger than 0 MB; not an article page, or save it and ingest the file",
        f"{base}/slow: timed out; try again later",
        f"{base}/moved",
    ]


def test_an_unreachable_host_is_one_clear_line():
    with Reader(fetcher=Fetcher(timeout=httpx.Timeout(1.0))) as reader:
        [error] = list(reader.read(["http://127.0.0.1:9/article"]))
    assert str(error).startswith("http://127.0.0.1:9/article: cannot fetch (")
    assert str(error).endswith("); check the URL")


ITEMS = [
    {
        "title": "Port strike ends",
        "link": "/port-strike",
        "date": "Tue, 02 Apr 2024 08:00:00 GMT",
        "text": "<p>Union leader Mara Holt said the strike would end on Friday after the "
        "port authority accepted the new shift rota.</p>",
    },
    {
        "title": "Bridge reopens",
        "link": "/bridge",
        "date": "Wed, 03 Apr 2024 09:15:00 GMT",
        "text": "Mayor Ivo Rask said the bridge would reopen to traffic next week.",
    },
]


def test_each_feed_item_is_a_document(tmp_path):
    feed = tmp_path / "gazette.xml"
    feed.write_text(rss_feed(ITEMS))
    items = list(Reader().read([str(feed)]))
    assert [
        (i.label, i.document.text, i.document.source, i.document.title, i.document.published)
        for i in items
    ] == [
        (
            f"{feed} item 1",
            "Union leader Mara Holt said the strike would end on Friday after the port "
            "authority accepted the new shift rota.",
            "Harbour Gazette",
            "Port strike ends",
            "2024-04-02T08:00:00",
        ),
        (
            f"{feed} item 2",
            "Mayor Ivo Rask said the bridge would reopen to traffic next week.",
            "Harbour Gazette",
            "Bridge reopens",
            "2024-04-03T09:15:00",
        ),
    ]
    assert {i.document.published_from for i in items} == {"feed"}


def test_a_feed_by_url_with_fetch_full_reads_each_items_page():
    routes = {"/world/river-treaty": (200, HTML, news_page().encode())}
    with web_server(routes) as base:
        items = [{**ITEMS[0], "link": f"{base}/world/river-treaty"}, ITEMS[1]]
        feed = rss_feed(items).encode()
        routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, feed)
        with Reader(ReadOptions(fetch_full=True)) as reader:
            first, second = list(reader.read([f"{base}/feed.xml"]))
    assert first.document.text.startswith("Ministers agree on a river treaty\n\n")
    # The item's own title and date stay; the page gives its text and canonical URL.
    assert (first.document.title, first.document.published, first.document.url) == (
        "Port strike ends",
        "2024-04-02T08:00:00",
        "https://ledger.example/world/river-treaty",
    )
    # An item whose link is not a URL to fetch keeps its summary.
    assert (second.document.text, second.document.url) == (ITEMS[1]["text"], "/bridge")


def test_ingest_json_reports_feed_items(tmp_path):
    feed = tmp_path / "gazette.rss"
    feed.write_text(rss_feed(ITEMS))
    result = CliRunner().invoke(
        cli, ["ingest", str(feed), "--db", str(tmp_path / "s.db"), "--backend", "rules", "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert [(d["label"], d["status"]) for d in summary["documents"]] == [
        (f"{feed} item 1", "new"),
        (f"{feed} item 2", "new"),
    ]
