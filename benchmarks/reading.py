"""Reading inputs: documents per minute on one core for 3 KB English articles, with and
without language detection; and the whole ingest with the rules extractor, both ways.

    python -m benchmarks.reading [--docs 1000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from unittest import mock

from stance.extraction.api import make_extractor
from stance.extraction.config import ExtractorConfig
from stance.ingestion.pipeline import ingest
from stance.inputs import Reader
from stance.inputs import language as language_module
from stance.store.db import Store
from testkit.corpus import synthetic_articles


def three_kb_articles(count: int) -> list[str]:
    texts = [a.text for a in synthetic_articles(count)]
    out = []
    for number, text in enumerate(texts):
        body = text
        while len(body) < 3000:
            body += "\n\n" + text
        out.append(f"Report {number}.\n\n" + body[:3000])
    return out


def per_minute(count: int, seconds: float) -> str:
    return f"{count / seconds * 60:,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    docs = parser.parse_args().docs
    language_module.detect_language("warm the model up: an English sentence or two.")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "in"
        folder.mkdir()
        for number, text in enumerate(three_kb_articles(docs)):
            (folder / f"{number:05}.txt").write_text(text, encoding="utf-8")
        rows = []
        for label, detect in (("with language detection", True), ("without", False)):
            patch = (
                mock.patch("stance.inputs.readers.detect_language", return_value=None)
                if not detect
                else mock.patch.object(
                    language_module, "SAMPLE_CHARS", language_module.SAMPLE_CHARS
                )
            )
            with patch:
                began = time.perf_counter()
                items = list(Reader().read([str(folder)]))
                read = time.perf_counter() - began
                assert len(items) == docs
                store = Store(Path(scratch) / f"{detect}.db")
                extractor = make_extractor(ExtractorConfig(backend="rules"))
                began = time.perf_counter()
                summary = ingest(store, [str(folder)], extractor)
                whole = time.perf_counter() - began
                store.close()
                assert summary.count("new") == docs
            rows.append((label, per_minute(docs, read), per_minute(docs, whole)))
    print(f"## Reading {docs} English articles of 3 KB (one process)\n")
    print("| | read (docs/min) | ingest, rules extractor (docs/min) |")
    print("| --- | ---: | ---: |")
    for label, read_rate, ingest_rate in rows:
        print(f"| {label} | {read_rate} | {ingest_rate} |")


if __name__ == "__main__":
    main()
