"""Run every benchmark, one after another, each printing its table and the machine.

    python -m benchmarks.run            # or: make bench
    python -m benchmarks.run peer      # only some, by module name

The output is Markdown: docs/benchmarks.md is made of it.
"""

from __future__ import annotations

import subprocess
import sys

from benchmarks.common import ROOT

BENCHMARKS = (
    "throughput",
    "overhead",
    "reading",
    "prompt_tokens",
    "request_size",
    "queries",
    "compare_million",
    "peer",
    "write_cost",
    "batch",
    "datasets",
    "offline",
    "extract_speed",
)


def main() -> None:
    chosen = sys.argv[1:] or list(BENCHMARKS)
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        raise SystemExit(f"unknown benchmark {', '.join(unknown)}: choose from {BENCHMARKS}")
    for name in chosen:
        subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
