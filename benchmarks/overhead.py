"""Per-document overhead: documents per second and peak memory of `stance ingest`.

- the LLM path against a server that answers at once (all that is left is stance's own work:
  reading, prompting, parsing, checking, storing), at concurrency 1 and 4;
- the offline rules extractor on the same articles, and on a folder of many small files;
- one 5 MB text with the rules extractor: claim-dense (the gold texts over and over) and
  sparse (narration with a reported paragraph now and then); and through the LLM path,
  chunked, against the zero-latency server.

    python -m benchmarks.overhead [--docs 200] [--files 10000]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.common import (
    MODEL,
    Measured,
    checked,
    clean_env,
    heading,
    run,
    scripted_server,
    stance,
    table,
)
from testkit.corpus import MARKER, gold_texts, synthetic_articles, write_articles

FIVE_MB = 5_000_000


def dense_text() -> str:
    """5 MB of the gold texts one after another: a claim every few sentences."""
    texts = [text for text, _ in gold_texts()]
    parts, size = [], 0
    while size < FIVE_MB:
        text = texts[len(parts) % len(texts)]
        parts.append(text)
        size += len(text.encode()) + 2
    return "\n\n".join(parts)


def sparse_text() -> str:
    """5 MB of narration without claims, with a reported paragraph every 400."""
    reporting = [p for text, _ in gold_texts() for p in text.split("\n\n")]
    paragraphs, size, number = [], 0, 0
    while size < FIVE_MB:
        paragraph = (
            f"Section {number}. The committee reviewed item {number} of the annual budget, and "
            f"the figures were entered in table {number % 97} of the appendix for the record."
        )
        if number % 400 == 0:
            paragraph += "\n\n" + reporting[number // 400 % len(reporting)]
        paragraphs.append(paragraph)
        size += len(paragraph.encode()) + 2
        number += 1
    return "\n\n".join(paragraphs)


def row(what: str, documents: int, measured: Measured, claims: str = "") -> list[object]:
    return [
        what,
        documents,
        f"{measured.wall:.2f}",
        f"{documents / measured.wall:.1f}",
        f"{documents / measured.wall * 60:,.0f}",
        f"{measured.peak_rss_mb:.0f}",
        claims,
    ]


def stored_claims(measured: Measured) -> str:
    """The claim count of the summary line `stance ingest` prints."""
    line = measured.stdout.strip().splitlines()[-1] if measured.stdout.strip() else ""
    return line.split("claims stored: ")[1].split(",")[0] if "claims stored: " in line else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--files", type=int, default=10_000)
    options = parser.parse_args()
    heading(
        "Per-document overhead",
        f"python -m benchmarks.overhead --docs {options.docs} --files {options.files}",
    )
    articles = synthetic_articles(options.docs)
    rows = []
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        folder = scratch / "articles"
        write_articles(articles, folder)

        def ingest(label: str, paths: list[Path], documents: int, *flags: str) -> None:
            db = scratch / f"{len(rows)}.db"
            args = [str(p) for p in paths] + ["--db", str(db), "--quiet", *flags]
            measured = checked(run(stance("ingest", *args), env=clean_env()), label)
            rows.append(row(label, documents, measured, stored_claims(measured)))
            print(f"  {label}: {measured.wall:.2f} s", flush=True)

        for concurrency in (1, 4):
            with scripted_server(articles, latency=0.0) as server:
                ingest(
                    f"LLM path, zero-latency server, --concurrency {concurrency}",
                    [folder],
                    options.docs,
                    "--model", MODEL, "--base-url", server.url,
                    "--concurrency", str(concurrency),
                )  # fmt: skip
        ingest("rules extractor", [folder], options.docs, "--backend", "rules")

        many = scratch / "many"
        texts = [text for text, _ in gold_texts()]
        for index in range(options.files):
            # Small files: one gold text each (1-3 KB, a news article) under a marker line.
            target = many / f"{index // 1000:02}" / f"article-{index:05}.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            marker = MARKER.format(number=index)
            target.write_text(f"{marker}\n\n{texts[index % len(texts)]}", encoding="utf-8")
        ingest(f"rules extractor, {options.files:,} small files", [many], options.files,
               "--backend", "rules")  # fmt: skip

        for label, text in (("claim-dense", dense_text()), ("sparse", sparse_text())):
            path = scratch / f"{label}.txt"
            path.write_text(text, encoding="utf-8")
            ingest(f"one 5 MB text ({label}), rules extractor", [path], 1, "--backend", "rules")
        dense = scratch / "claim-dense.txt"
        with scripted_server(synthetic_articles(len(gold_texts())), latency=0.0) as server:
            ingest(
                "one 5 MB text (claim-dense), LLM path, zero-latency server",
                [dense], 1, "--model", MODEL, "--base-url", server.url,
            )  # fmt: skip
            rows[-1][-1] += f" ({len(server.chat_requests())} requests)"
    print()
    print(
        table(
            ["what", "documents", "wall (s)", "docs/s", "docs/min", "peak RSS (MB)", "claims"],
            rows,
        )
    )


if __name__ == "__main__":
    main()
