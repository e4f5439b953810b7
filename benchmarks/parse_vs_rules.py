"""Parse vs rules: attribution precision, recall and F1 of the rules, the spaCy parse
(benchmarks/parse_attribution.py) and hybrids of the two, with the project's own metric
(stance.evaluate.run_eval, as `stance eval` runs it), and their CPU time.

    pip install -e '.[parse]'       # or: make bench-parse
    taskset -c 1 python -m benchmarks.parse_vs_rules fixtures/dev fixtures/gold fixtures/heldout

All three sets are development data (the rules were written with their texts in view):
every figure is in-sample. Speed is CPU time of this process (time.process_time), the
pipeline's load counted apart; pin it to one core with taskset for comparable figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.parse_attribution import HybridExtractor, ParseExtractor, load_pipeline
from stance.evaluate import EvalReport, load_gold, run_eval
from stance.extraction.config import Extractor
from stance.extraction.rules.pipeline import RulesExtractor
from stance.store.db import Store

BACKENDS: dict[str, Callable[[], Any]] = {
    "rules": RulesExtractor,
    "parse": ParseExtractor,
    "hybrid-veto": lambda: HybridExtractor("veto"),
    "hybrid-veto-named": lambda: HybridExtractor("veto-named"),
    "hybrid-fill": lambda: HybridExtractor("fill"),
    "hybrid-fill-abstained": lambda: HybridExtractor("fill-abstained"),
    "hybrid-veto+fill": lambda: HybridExtractor("veto+fill"),
    "hybrid-replace+fill": lambda: HybridExtractor("replace+fill"),
}


def evaluate(gold_set: str, extractor: Extractor) -> EvalReport:
    documents = load_gold([gold_set])
    with tempfile.TemporaryDirectory() as scratch:
        store = Store(os.path.join(scratch, "eval.db"))
        try:
            return run_eval(documents, extractor, store, force=True)
        finally:
            store.close()


def speed(gold_sets: Sequence[str], extractor: Extractor, rounds: int) -> dict[str, float]:
    """CPU seconds to extract every text of the sets `rounds` times (no store, no scoring)."""
    texts = [(d.text, d.published) for s in gold_sets for d in load_gold([s])]
    extractor.extract(texts[0][0], published=texts[0][1])  # warm: caches, lazy imports
    started = time.process_time()
    for _ in range(rounds):
        for text, published in texts:
            extractor.extract(text, published=published)
    cpu = time.process_time() - started
    count = len(texts) * rounds
    chars = sum(len(t) for t, _ in texts) * rounds
    return {
        "documents": count,
        "kb_per_document": chars / count / 1000,
        "cpu_s": cpu,
        "docs_per_min": count / cpu * 60,
        "ms_per_kb": cpu * 1000 / (chars / 1000),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="+", help="gold sets (folders of JSONL)")
    parser.add_argument("--backends", nargs="+", default=list(BACKENDS), choices=list(BACKENDS))
    parser.add_argument("--rounds", type=int, default=3, help="passes over the texts for speed")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--errors", action="store_true", help="print speaker errors")
    parser.add_argument("--json", dest="as_json", action="store_true")
    args = parser.parse_args(argv)

    started = time.process_time()
    load_pipeline()
    load_cpu = time.process_time() - started
    affinity = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    print(
        f"# Parse vs rules — Python {platform.python_version()}, CPU affinity {affinity}, "
        f"spaCy pipeline load {load_cpu:.2f} s CPU"
    )
    results: dict[str, Any] = {}
    print("\n| set | backend | docs | gold | predicted | attr P | attr R | attr F1 | span F1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for gold_set in args.gold:
        for name in args.backends:
            report = evaluate(gold_set, BACKENDS[name]())
            gold = sum(d.gold_claims for d in report.per_document)
            predicted = sum(d.predicted_claims for d in report.per_document)
            a = report.attribution
            print(
                f"| {gold_set} | {name} | {report.documents} | {gold} | {predicted} | "
                f"{a.precision:.3f} | {a.recall:.3f} | {a.f1:.3f} | {report.span.f1:.3f} |"
            )
            kinds = Counter(e.kind for e in report.errors)
            results[f"{gold_set} {name}"] = {
                "attribution": a.model_dump(),
                "span": report.span.model_dump(),
                "errors": dict(kinds),
            }
            if args.errors:
                for e in report.errors:
                    if e.kind in ("wrong speaker", "extra"):
                        print(
                            f"    {e.kind}: gold {e.gold_speaker!r} predicted "
                            f"{e.predicted_speaker!r}: {e.context[:160]}",
                            file=sys.stderr,
                        )
    if not args.no_speed:
        print("\n| backend | documents | KB/doc | CPU s | docs/min (one core) | ms per KB |")
        print("|---|---|---|---|---|---|")
        for name in args.backends:
            figures = speed(args.gold, BACKENDS[name](), args.rounds)
            results[f"speed {name}"] = figures
            print(
                f"| {name} | {figures['documents']} | {figures['kb_per_document']:.1f} | "
                f"{figures['cpu_s']:.2f} | {figures['docs_per_min']:,.0f} | "
                f"{figures['ms_per_kb']:.2f} |"
            )
    if args.as_json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
