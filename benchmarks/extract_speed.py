"""The rules extractor alone: CPU milliseconds a document, and a check that its output is unchanged.

    taskset -c 1 python -m benchmarks.extract_speed              # ms/doc, best of 3
    taskset -c 1 python -m benchmarks.extract_speed --profile    # plus cProfile's top 20
    python -m benchmarks.extract_speed --dump DIR                # write the reference output
    python -m benchmarks.extract_speed --check DIR               # compare with it, byte for byte

The documents timed are `--docs` synthetic articles of testkit/corpus.py (3.3 KB each). The
figure is CPU time (time.process_time): on a shared machine wall time measures the
neighbours. The output checked is every claim (every field), the notes and the rest of each
`Extraction` except `prompt_sha`, which hashes the rules' own source and so changes with any
edit, for every text of the fixture sets below and 300 synthetic articles.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.common import ROOT
from stance.evaluate import load_gold
from stance.extraction.rules import layout
from stance.extraction.rules.phrases import classify
from stance.extraction.rules.pipeline import RulesExtractor
from testkit.corpus import synthetic_articles

FIXTURE_SETS = ("dev", "gold", "heldout", "fresh", "fresh2")
SYNTHETIC_CHECKED = 300


def _documents() -> Iterator[tuple[str, str, str | None]]:
    """(name, text, published) of every text the check covers."""
    for name in FIXTURE_SETS:
        for doc in load_gold([ROOT / "fixtures" / name]):
            yield f"{name}/{doc.id}", doc.text, doc.published
    for article in synthetic_articles(SYNTHETIC_CHECKED):
        yield f"synthetic/{article.name}", article.text, None


def _output(extractor: RulesExtractor, text: str, published: str | None) -> str:
    data = extractor.extract(text, published=published).model_dump(mode="json")
    data.pop("prompt_sha", None)
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _file_name(name: str) -> str:
    return name.replace("/", "__") + ".json"


def dump(folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    extractor = RulesExtractor()
    count = 0
    for name, text, published in _documents():
        (folder / _file_name(name)).write_text(_output(extractor, text, published), "utf-8")
        count += 1
    return count


def check(folder: Path) -> list[str]:
    """The names of the documents whose output differs from the one dumped in `folder`."""
    extractor = RulesExtractor()
    differ = []
    for name, text, published in _documents():
        path = folder / _file_name(name)
        if not path.exists() or path.read_text("utf-8") != _output(extractor, text, published):
            differ.append(name)
    return differ


def best_of(texts: list[str], rounds: int) -> float:
    """The least CPU seconds of `rounds` passes over `texts`."""
    extractor = RulesExtractor()
    extractor.extract(texts[0])  # lexicon and patterns loaded once, outside the timing
    best = float("inf")
    for _ in range(rounds):
        # Each round as a first reading: what the cache learnt on these texts is forgotten.
        for cached in (classify, layout.is_furniture, layout.is_headline):
            cached.cache_clear()
        started = time.process_time()
        for text in texts:
            extractor.extract(text)
        best = min(best, time.process_time() - started)
    return best


def profile(texts: list[str], top: int = 20) -> str:
    extractor = RulesExtractor()
    extractor.extract(texts[0])
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for text in texts:
        extractor.extract(text)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top 20")
    parser.add_argument("--dump", type=Path, metavar="DIR", help="write the reference output")
    parser.add_argument("--check", type=Path, metavar="DIR", help="compare with a reference")
    args = parser.parse_args(argv)
    if args.dump:
        print(f"{dump(args.dump)} documents written to {args.dump}")
        return
    if args.check:
        differ = check(args.check)
        if differ:
            print(f"{len(differ)} documents differ: " + ", ".join(differ[:10]))
            sys.exit(1)
        print("identical")
        return
    texts = [article.text for article in synthetic_articles(args.docs)]
    size = sum(len(text.encode()) for text in texts) / len(texts)
    seconds = best_of(texts, args.rounds)
    print("## The rules extractor alone (`RulesExtractor.extract`, CPU time)\n")
    print("| documents | bytes/doc | best of | CPU (s) | ms/doc | docs/min (CPU) |")
    print("|---|---|---|---|---|---|")
    print(
        f"| {len(texts)} | {size:,.0f} | {args.rounds} | {seconds:.2f} | "
        f"{seconds / len(texts) * 1000:.1f} | {len(texts) / seconds * 60:,.0f} |"
    )
    if args.profile:
        print("\n```\n" + profile(texts).strip() + "\n```")


if __name__ == "__main__":
    main()
