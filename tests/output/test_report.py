"""`stance report`: the HTML page, checked as text and in a real headless Chromium.

The browser tests drive Debian's chromium (/usr/bin/chromium, installed by `make test`)
through playwright; nothing downloads a browser. They skip only when no Chromium binary
exists. The report's screenshot is kept in test-artifacts/report.png.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scripts.screenshot import CHROMIUM_ARGS
from stance.cli import cli
from stance.core.models import Claim, Document, Extraction, StoredClaim, Target, schema_sha
from stance.extraction.rules.pipeline import RulesExtractor
from stance.ingestion.pipeline import Metadata, ingest
from stance.output.report import highlighted, json_for_script, report
from stance.query.compare import Comparison, compare
from stance.resolve.linker import resolve_pending
from stance.store.db import ClaimFilter, Store

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
AZERNEWS = FIXTURES / "azernews-2024-04-03-blinken-aliyev.txt"
READOUT = FIXTURES / "us-state-dept-2024-04-03-blinken-aliyev-readout.txt"
EVENT = "April 5 meeting"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def ingest_fixtures(store: Store) -> None:
    """The accounts of the 5 April 2024 meeting, through the offline extractor.

    The AzerNews text has no header block: its source and date are given as flags would.
    """
    extractor = RulesExtractor()
    ingest(
        store,
        [str(AZERNEWS)],
        extractor,
        metadata=Metadata(source="AzerNews", published="2024-04-03"),
    )
    others = [str(READOUT)] + (
        [str(FIXTURES / "compare")] if (FIXTURES / "compare").is_dir() else []
    )
    summary = ingest(store, others, extractor)
    assert summary.count("failed") == 0, summary.as_dict()


# --- Hostile input --------------------------------------------------------------------------------

HOSTILE_TEXT = (
    "Mallory Evil said that <script>window.__pwned=1</script> is how the meeting on April 5 "
    'ends. Bob Good said that the meeting on April 5 is <img src=x onerror="window.__pwned=2"> '
    "fine. </script><script>window.__pwned=3</script>"
)


def grounded(
    text: str, speaker: str, quote: str, content: str, cue: str, targets: list[Target]
) -> Claim:
    start = text.index(quote)
    return Claim(
        speaker=speaker,
        speaker_mention=speaker,
        cue=cue,
        quote=quote,
        content=content,
        attribution="indirect",
        targets=targets,
        start=start,
        end=start + len(quote),
        grounding="exact",
    )


def store_hostile_document(store: Store) -> Document:
    """A document and claims whose every text field tries to run script or break the page."""
    event = Target(name=EVENT, kind="event", stance="oppose")
    claims = [
        grounded(
            HOSTILE_TEXT,
            "Mallory </script><script>window.__pwned=4</script> Evil",
            "<script>window.__pwned=1</script> is how the meeting on April 5 ends",
            "</script><b>bold</b> & <!-- comment",
            'said"><i>',
            [event, Target(name="<svg onload=window.__pwned=5>", kind="other")],
        ),
        grounded(
            HOSTILE_TEXT,
            "Bob Good",
            'the meeting on April 5 is <img src=x onerror="window.__pwned=2"> fine',
            "The meeting is fine.",
            "said",
            [Target(name=EVENT, kind="event", stance="support")],
        ),
    ]
    document = Document(
        id=Document.id_for(HOSTILE_TEXT),
        text=HOSTILE_TEXT,
        source="Evil <b>News</b>",
        title="</title><script>window.__pwned=6</script>",
        url="javascript:window.__pwned=7",
        published="2024-04-03",
    )
    extraction = Extraction(
        claims=claims, backend="fake", model="scripted", prompt_sha="p1", schema_sha=schema_sha()
    )
    store.save_run(document, extraction, started_at="2024-04-03T00:00:00+00:00")
    resolve_pending(store)
    return document


# --- The page as text -----------------------------------------------------------------------------


class PageParser(HTMLParser):
    """The ids, in-page links, resource attributes and script elements of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.fragment_links: set[str] = set()
        self.resources: list[tuple[str, str, str]] = []
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        href = found.get("href") or ""
        if href.startswith("#"):
            self.fragment_links.add(href[1:])
        for name in ("src", "srcset", "data", "poster"):
            if name in found:
                self.resources.append((tag, name, str(found[name])))
        if tag == "link" and found.get("href") != "data:,":
            self.resources.append((tag, "href", href))
        if tag == "script":
            self.scripts.append(found)


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    return parser


def test_highlighted_marks_each_claims_evidence_and_cuts_overlaps():
    text = "A <b> said x & y, then z."
    claims = [stored(1, text, 2, 14), stored(2, text, 11, 17), stored(3, text, 18, 24)]
    assert [c.quote for c in claims] == ["<b> said x &", "x & y,", "then z"]
    assert highlighted(text, claims) == (
        'A <mark class="evidence faint" data-claims="1">&lt;b&gt; said </mark>'
        '<mark class="evidence faint" data-claims="1 2">x &amp;</mark>'
        '<mark class="evidence faint" data-claims="2"> y,</mark> '
        '<mark class="evidence faint" data-claims="3">then z</mark>.'
    )


def stored(claim_id: int, text: str, start: int, end: int) -> StoredClaim:
    return StoredClaim(
        id=claim_id,
        document_id="d",
        source=None,
        url=None,
        published=None,
        speaker="S",
        speaker_mention="S",
        cue="said",
        quote=text[start:end],
        content=None,
        start=start,
        end=end,
        attribution="direct",
        claim_type="statement",
        grounding="exact",
        targets=[],
        run_id=1,
        backend="fake",
        model=None,
    )


def test_json_for_script_cannot_end_the_script_element():
    value = {"q": "</script><!-- & -->"}
    encoded = json_for_script(value)
    assert encoded == '{"q":"\\u003c/script\\u003e\\u003c!-- \\u0026 --\\u003e"}'
    assert json.loads(encoded) == value


def test_the_page_needs_no_network_and_every_in_page_link_lands(tmp_path):
    with Store(tmp_path / "stance.db") as store:
        ingest_fixtures(store)
        page = report(store, EVENT)
        comparison = compare(store, EVENT)
    parsed = parse(page)
    assert parsed.resources == []
    assert [s.get("type") for s in parsed.scripts] == ["application/json", None]
    assert "default-src 'none'" in page
    assert parsed.fragment_links - parsed.ids == set()
    claim_ids = {c.id for side in comparison.speakers for c in side.claims}
    assert {f"claim-{i}" for i in claim_ids} <= parsed.ids


def test_hostile_text_is_escaped_everywhere(tmp_path):
    with Store(tmp_path / "stance.db") as store:
        store_hostile_document(store)
        page = report(store, EVENT)
    parsed = parse(page)
    assert len(parsed.scripts) == 2
    assert page.count("</script>") == 2
    assert "<script>window" not in page
    assert "<img" not in page and "<svg onload" not in page and "<b>" not in page
    assert 'href="javascript' not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page


# --- The command ----------------------------------------------------------------------------------


def test_report_command_writes_the_page(tmp_path):
    db = tmp_path / "stance.db"
    with Store(db) as store:
        ingest_fixtures(store)
        comparison = compare(store, EVENT)
    output = tmp_path / "out" / "report.html"
    output.parent.mkdir()
    result = CliRunner().invoke(cli, ["report", EVENT, "-o", str(output), "--db", str(db)])
    assert result.exit_code == 0, result.output
    claims = sum(len(s.claims) for s in comparison.speakers)
    assert result.stdout == (
        f"wrote {output}: {comparison.subject.name}, {claims} claims by "
        f"{len(comparison.speakers)} speaker(s), {len(comparison.contradictions)} "
        "contradiction(s)\n"
    )
    assert output.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_report_command_by_source_to_stdout(tmp_path):
    db = tmp_path / "stance.db"
    with Store(db) as store:
        ingest_fixtures(store)
    result = CliRunner().invoke(
        cli, ["report", EVENT, "--by", "source", "-o", "-", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    columns = re.findall(r'<section class="column[^"]*" aria-label="([^"]*)"', result.stdout)
    assert "AzerNews" in columns


def test_report_command_errors(tmp_path):
    db = str(tmp_path / "stance.db")
    with Store(db) as store:
        ingest_fixtures(store)
    unknown = CliRunner().invoke(cli, ["report", "Atlantis summit", "--db", db])
    assert unknown.exit_code == 1
    assert unknown.stderr.startswith("stance: error: no entity or event matches 'Atlantis summit'")
    unwritable = CliRunner().invoke(
        cli, ["report", EVENT, "-o", str(tmp_path / "missing" / "r.html"), "--db", db]
    )
    assert unwritable.exit_code == 2
    assert "cannot write" in unwritable.stderr


# --- In the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip(
            "no Chromium binary on PATH (Debian: apt-get install chromium; `make test` installs it)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Opened:
    """A page opened from a file:// URL, keeping every console error, uncaught exception and
    request that leaves the file (the page must need no network)."""

    def __init__(self, browser: Any, path: Path, width: int = 1280) -> None:
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", self._request)
        self.page.goto(path.as_uri())

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _request(self, request: Any) -> None:
        if not request.url.startswith(("file:", "data:")):
            self.errors.append(f"network request: {request.url}")


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    """Opens a report in a new tab; every tab is closed after the test."""
    opened: list[Opened] = []

    def open_report(path: Path, width: int = 1280) -> Opened:
        opened.append(Opened(browser, path, width))
        return opened[-1]

    yield open_report
    for tab in opened:
        tab.page.close()


@pytest.fixture(scope="module")
def fixture_report(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Path, Store, Comparison]]:
    folder = tmp_path_factory.mktemp("report")
    with Store(folder / "stance.db") as store:
        ingest_fixtures(store)
        path = folder / "report.html"
        path.write_text(report(store, EVENT), encoding="utf-8")
        yield path, store, compare(store, EVENT)


def test_in_chromium_both_sides_and_the_evidence_of_a_clicked_claim(open_page, fixture_report):
    path, store, comparison = fixture_report
    opened = open_page(path)
    page = opened.page
    columns = page.eval_on_selector_all(
        "section.column",
        "cs => cs.map(c => [c.dataset.column, c.querySelectorAll('.card').length])",
    )
    assert dict(columns) == {side.name: len(side.claims) for side in comparison.speakers}
    names = " ".join(name for name, _ in columns)
    assert "Blinken" in names and "Aliyev" in names
    assert all(count > 0 for _, count in columns)

    aliyev = next(side for side in comparison.speakers if "Aliyev" in side.name)
    claim = next(c for c in aliyev.claims if c.stance == "oppose")
    page.click(f"#claim-{claim.id} blockquote")
    page.wait_for_selector("dialog#reader[open]")
    document = store.document(claim.document_id)
    assert document is not None and claim.start is not None
    current = page.eval_on_selector_all("mark.evidence.current", "ms => ms.map(m => m.textContent)")
    assert "".join(current) == document.text[claim.start : claim.end] == claim.quote
    assert page.locator("mark.evidence.current").first.evaluate(
        "m => { const r = m.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight }"
    )
    marked = page.eval_on_selector_all(
        f"#doc-{claim.document_id} mark.evidence",
        "ms => ms.flatMap(m => m.dataset.claims.split(' ').map(Number))",
    )
    others = {c.id for c in store.claims(ClaimFilter(document=claim.document_id))} - {claim.id}
    assert set(marked) - {claim.id} == others
    faint = page.eval_on_selector_all(
        f"#doc-{claim.document_id} mark.evidence.faint",
        "ms => ms.flatMap(m => m.dataset.claims.split(' ').map(Number))",
    )
    assert claim.id not in faint and set(faint) == others

    ARTIFACTS.mkdir(exist_ok=True)
    page.click("dialog#reader button.close")
    screenshot = ARTIFACTS / "report.png"
    page.screenshot(path=str(screenshot), full_page=True)
    print(f"report screenshot: {screenshot}")
    assert opened.errors == []


def test_in_chromium_contradictions_link_both_ways(open_page, fixture_report):
    path, _, comparison = fixture_report
    assert comparison.contradictions, "the fixture event has contradicting claims"
    page = open_page(path).page
    pair = comparison.contradictions[0]
    page.click(f'#claim-{pair.a} .contradicts a[href="#claim-{pair.b}"]')
    assert page.evaluate("location.hash") == f"#claim-{pair.b}"
    page.click(f'#claim-{pair.b} .contradicts a[href="#claim-{pair.a}"]')
    assert page.evaluate("location.hash") == f"#claim-{pair.a}"


def test_in_chromium_on_a_phone_and_in_print(open_page, fixture_report):
    path, _, comparison = fixture_report
    page = open_page(path, width=390).page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    lefts = page.eval_on_selector_all(
        "section.column", "cs => cs.map(c => c.getBoundingClientRect().left)"
    )
    assert len(set(lefts)) == 1  # one column under another
    page.emulate_media(media="print")
    cards = sum(len(side.claims) for side in comparison.speakers)
    visible = page.eval_on_selector_all(".card", "cs => cs.filter(c => c.offsetParent).length")
    assert visible == cards
    assert page.eval_on_selector("dialog#reader", "d => getComputedStyle(d).display") == "none"


def test_in_chromium_hostile_text_shows_literally_and_runs_nothing(open_page, tmp_path):
    with Store(tmp_path / "stance.db") as store:
        document = store_hostile_document(store)
        comparison = compare(store, EVENT)
        path = tmp_path / "report.html"
        path.write_text(report(store, EVENT), encoding="utf-8")
    opened = open_page(path)
    page = opened.page
    mallory = next(c for side in comparison.speakers for c in side.claims if c.cue == 'said"><i>')
    page.click(f"#claim-{mallory.id} blockquote")
    page.wait_for_selector("dialog#reader[open]")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.text_content(f"#doc-{document.id} .doc-text") == HOSTILE_TEXT
    assert page.text_content(f"#doc-{document.id} h2") == document.title
    assert page.text_content(f"#claim-{mallory.id} blockquote") == f"“{mallory.quote}”"
    assert page.text_content(f"#claim-{mallory.id} .content") == mallory.content
    assert page.text_content("dialog#reader .caption strong") == f"#{mallory.id} {mallory.speaker}"
    assert page.locator("img, b, i").count() == 0
    assert opened.errors == []
