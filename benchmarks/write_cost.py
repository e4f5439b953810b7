"""Write cost per document as the database grows: time and SQL statements per document.

Ingests synthetic documents with the offline rules extractor, in process, through the public
library (`stance.ingest` into one `stance.Store`), one block of documents per `ingest` call,
and reports the first and the last block (a thousand documents each by default): wall and
CPU time per document, the part of the wall time spent outside the extractor (reading,
checking, storing, resolving), and the SQL statements per document, counted with sqlite3's
trace callback on the store's connection. The write cost should stay flat: the last block at
most 1.5 times the first, in statements and in CPU time per document. The bench prints PASS
or FAIL for that; it is a measurement, not a test. The verdict takes this process's CPU time,
not wall time: the ingest runs in one thread, and on a shared machine the wall time mostly
measures the neighbours (both are printed).

The documents are SMALL and SYNTHETIC: the numbered marker line and the first paragraphs of
testkit's synthetic articles (texts of fixtures/gold recombined), so that each is a distinct
document with claims, speakers and targets to resolve.

`--budget` bounds the run: when the next block would end past it, the bench stops there and
says so; the last block measured is then not the last of `--docs`, and the verdict is about
the documents actually stored.

    python -m benchmarks.write_cost [--docs 20000] [--block 1000] [--paragraphs 2] [--budget 300]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import stance
from benchmarks.common import heading, table
from stance.core.models import Extraction
from stance.extraction.config import Extractor
from testkit.corpus import synthetic_articles

LIMIT = 1.5  # the last block may cost at most this many times the first


class TimedExtractor:
    """The offline extractor, with the time spent inside it added up."""

    def __init__(self, inner: Extractor) -> None:
        self.inner = inner
        self.seconds = 0.0

    @property
    def backend(self) -> str:
        return self.inner.backend

    @property
    def model(self) -> str | None:
        return self.inner.model

    @property
    def prompt_sha(self) -> str | None:
        return self.inner.prompt_sha

    def extract(self, text: str, *, published: str | None = None) -> Extraction:
        began = time.perf_counter()
        try:
            return self.inner.extract(text, published=published)
        finally:
            self.seconds += time.perf_counter() - began


class StatementCounter:
    """Counts the SQL statements SQLite runs on one connection (its trace callback)."""

    def __init__(self) -> None:
        self.statements = 0

    def __call__(self, sql: str) -> None:
        self.statements += 1


@dataclass(frozen=True)
class Block:
    first: int  # number of the block's first document (0-based)
    documents: int
    stored: int  # documents stored as new
    claims: int
    wall: float
    cpu: float  # this process's CPU time (the machine may be shared: wall time is noisier)
    extracting: float  # wall time inside the extractor
    statements: int

    def per_doc(self, value: float) -> float:
        return value / self.documents


def small_documents(count: int, paragraphs: int) -> list[str]:
    """The marker line and the first `paragraphs` paragraphs of each synthetic article."""
    documents = []
    for article in synthetic_articles(count):
        parts = article.text.split("\n\n")
        documents.append("\n\n".join(parts[: 1 + paragraphs]))
    return documents


def write_block(folder: Path, texts: Sequence[str], first: int) -> None:
    folder.mkdir(parents=True)
    for offset, text in enumerate(texts):
        number = first + offset
        header = f"source: synthetic (testkit)\ntitle: document {number}\n\n"
        (folder / f"doc-{number:05}.txt").write_text(header + text, encoding="utf-8")


def measure(documents: Sequence[str], block: int, scratch: Path, budget: float) -> list[Block]:
    """Ingest the documents block by block; stop early when the next block would end past
    `budget` seconds."""
    rules = stance.make_extractor(stance.ExtractorConfig(backend="rules"))
    rules.extract(documents[0])  # load the word lists before the clock starts; nothing stored
    extractor = TimedExtractor(rules)
    counter = StatementCounter()
    blocks: list[Block] = []
    began_all = time.perf_counter()
    with stance.Store(scratch / "write-cost.db") as store:
        store.db.conn.set_trace_callback(counter)
        for first in range(0, len(documents), block):
            if blocks and time.perf_counter() - began_all + blocks[-1].wall > budget:
                print(f"  stopped after {first:,} documents: the budget of {budget:.0f} s")
                break
            texts = documents[first : first + block]
            folder = scratch / f"block-{first:05}"
            write_block(folder, texts, first)
            counter.statements = 0
            extractor.seconds = 0.0
            began, began_cpu = time.perf_counter(), time.process_time()
            summary = stance.ingest(store, [str(folder)], extractor)
            wall, cpu = time.perf_counter() - began, time.process_time() - began_cpu
            blocks.append(
                Block(
                    first=first,
                    documents=len(texts),
                    stored=summary.count("new"),
                    claims=summary.claims,
                    wall=wall,
                    cpu=cpu,
                    extracting=extractor.seconds,
                    statements=counter.statements,
                )
            )
            print(
                f"  documents {first + 1}-{first + len(texts)}: {wall:.1f} s, "
                f"{counter.statements / len(texts):.0f} statements/doc",
                flush=True,
            )
        store.db.conn.set_trace_callback(None)
    return blocks


def row(label: str, b: Block) -> list[object]:
    return [
        label,
        f"{b.first + 1:,}-{b.first + b.documents:,}",
        b.stored,
        f"{b.claims / b.documents:.1f}",
        f"{b.per_doc(b.wall) * 1000:.1f}",
        f"{b.per_doc(b.cpu) * 1000:.1f}",
        f"{b.per_doc(b.wall - b.extracting) * 1000:.1f}",
        f"{b.per_doc(b.statements):.1f}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--block", type=int, default=1_000)
    parser.add_argument("--paragraphs", type=int, default=2)
    parser.add_argument("--budget", type=float, default=300.0, help="seconds, at most")
    options = parser.parse_args()
    if options.docs < 2 * options.block:
        raise SystemExit("--docs must be at least two blocks")
    heading(
        "Write cost as the database grows",
        f"python -m benchmarks.write_cost --docs {options.docs} --block {options.block} "
        f"--paragraphs {options.paragraphs} --budget {options.budget:.0f}",
    )
    documents = small_documents(options.docs, options.paragraphs)
    size = sum(len(d.encode()) for d in documents) / len(documents)
    print(f"{len(documents):,} documents of {size:,.0f} bytes on average\n", flush=True)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        blocks = measure(documents, options.block, Path(scratch), options.budget)
    total = time.perf_counter() - began
    if len(blocks) < 2:
        raise SystemExit("only one block fitted in the budget: give a larger --budget")
    first, last = blocks[0], blocks[-1]
    stored = last.first + last.documents
    print()
    print(
        table(
            [
                "block",
                "documents",
                "stored",
                "claims/doc",
                "wall ms/doc",
                "CPU ms/doc",
                "wall ms/doc outside the extractor",
                "SQL statements/doc",
            ],
            [row("first", first), row("last", last)],
        )
    )

    def ratio(value: Callable[[Block], float]) -> float:
        before, after = first.per_doc(value(first)), last.per_doc(value(last))
        return after / before if before else float("inf")

    ratios = {
        "wall time": ratio(lambda b: b.wall),
        "SQL statements": ratio(lambda b: b.statements),
        "CPU time": ratio(lambda b: b.cpu),
        "wall time outside the extractor": ratio(lambda b: b.wall - b.extracting),
    }
    print()
    for what, value in ratios.items():
        print(f"- last/first, {what} per document: {value:.2f}")
    checked = ("SQL statements", "CPU time")
    over = [k for k in checked if ratios[k] > LIMIT]
    scope = f"of {stored:,} documents"
    if stored < options.docs:
        scope += f" (stopped by the budget, short of the {options.docs:,} asked for)"
    if over:
        print(
            f"\nFAIL: the last {last.documents:,} {scope} cost more than {LIMIT}x the first "
            f"in {' and '.join(over)} per document; whole run {total:.0f} s"
        )
    else:
        print(
            f"\nPASS: the last {last.documents:,} {scope} cost at most {LIMIT}x the first "
            f"in {' and '.join(checked)} per document; whole run {total:.0f} s"
        )


if __name__ == "__main__":
    main()
