"""Make the README's screenshot of `stance report`: `make screenshot` runs this.

Writes the report about the 5 April 2024 meeting and photographs it in headless Chromium
(Debian's chromium, driven by playwright; no browser is downloaded). The claims come from
`--db` (`make screenshot` passes the database `make demo` builds, so the picture is what the
README's two commands give), else from the texts given (by default the two fixture accounts
of the 3 April call), ingested with the offline extractor into a scratch database.

    python scripts/screenshot.py [PATH... | --db DB] [--query Q] [--png FILE] [--html FILE]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from stance.extraction.api import make_extractor
from stance.extraction.config import ExtractorConfig
from stance.ingestion.pipeline import ingest
from stance.output.report import report
from stance.store.db import Store

ROOT = Path(__file__).resolve().parent.parent
DEMO_FIXTURES = [
    ROOT / "fixtures" / "azernews-2024-04-03-blinken-aliyev.txt",
    ROOT / "fixtures" / "us-state-dept-2024-04-03-blinken-aliyev-readout.txt",
]
# No first-run, sync, component update or background traffic: no network is used.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def build_report(db: Path, query: str, paths: list[str]) -> str:
    """The report from database `db`, after ingesting `paths` (if any) into it."""
    with Store(db) as store:
        if paths:
            summary = ingest(store, paths, make_extractor(ExtractorConfig(backend="rules")))
            if summary.count("failed"):
                raise SystemExit(f"screenshot: ingest failed: {summary.as_dict()}")
        return report(store, query)


def photograph(html_file: Path, png: Path, width: int, height: int) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("screenshot: no chromium on PATH (Debian: apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(html_file.resolve().as_uri())
        png.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(png))
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="Texts to ingest (default: the demo's).")
    parser.add_argument("--db", type=Path, help="Report from this database; ingest nothing.")
    parser.add_argument("--query", default="April 5 meeting", help="What to compare.")
    parser.add_argument("--png", type=Path, default=ROOT / "docs" / "report.png")
    parser.add_argument("--html", type=Path, help="Also keep the report here.")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=960)
    args = parser.parse_args(argv)
    if args.db and args.paths:
        parser.error("give texts to ingest or --db, not both")
    if args.db and not args.db.is_file():
        parser.error(f"{args.db} does not exist (make demo builds demo.db)")
    with tempfile.TemporaryDirectory() as scratch:
        if args.db:
            page = build_report(args.db, args.query, [])
        else:
            paths = args.paths or [str(p) for p in DEMO_FIXTURES]
            page = build_report(Path(scratch) / "demo.db", args.query, paths)
        html_file = args.html or Path(scratch) / "report.html"
        html_file.write_text(page, encoding="utf-8")
        photograph(html_file, args.png, args.width, args.height)
    print(f"wrote {args.png}" + (f" and {args.html}" if args.html else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
