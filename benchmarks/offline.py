"""The offline path on one core: documents a minute, and one long text in linear time and
memory.

    python -m benchmarks.offline                       # both parts, the defaults below
    python -m benchmarks.offline --docs 600 --sizes 1 2.5 5

Every `stance ingest -q --backend rules` runs as a child process pinned to one core (as
`taskset -c 1` would), into a new database; the figures are the child's own CPU time (user +
system, from wait4: on a shared machine wall time mostly measures the neighbours) and its
peak resident memory (VmHWM).

1. Articles: `--docs` synthetic articles of testkit/corpus.py (two gold texts under a marker
   line, about 3.2 KB each), one file each, in one folder: end to end (reading, extraction,
   storing, the resolution pass), start-up included.
2. A long text: the synthetic articles joined by blank lines into one text and cut at
   `--sizes` megabytes. Linear: CPU per MB and memory above start-up per MB stay flat as
   the text grows; the targets are under a minute and a peak under 10x the text for 5 MB.
   Start-up is measured on a 3 KB text: interpreter, imports, a new database.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.common import checked, clean_env, heading, run, stance, table
from testkit.corpus import synthetic_articles, write_articles

CORE = 1  # as `taskset -c 1`


def long_text(megabytes: float) -> str:
    """Synthetic articles joined by blank lines, cut at `megabytes` (10^6 bytes, UTF-8)."""
    want = int(megabytes * 1_000_000)
    articles, count = [], 0
    while sum(len(a.encode()) + 2 for a in articles) < want:
        count += 200
        articles = [a.text for a in synthetic_articles(count)]
    text = "\n\n".join(articles).encode()[:want].decode(errors="ignore")
    return text


def ingest(paths: list[Path], scratch: Path, name: str) -> tuple[float, float, str]:
    """(CPU seconds, peak RSS in MB, summary line) of one `stance ingest -q --backend rules`."""
    db = scratch / f"{name}.db"
    measured = checked(
        run(
            stance("ingest", "-q", "--backend", "rules", "--db", str(db), *map(str, paths)),
            env=clean_env(),
            core=CORE,
        ),
        f"ingest {name}",
    )
    return measured.cpu, measured.peak_rss_mb, measured.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=600)
    parser.add_argument("--sizes", type=float, nargs="*", default=[1.0, 2.5, 5.0])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        one = scratch / "one.txt"
        one.write_text(synthetic_articles(1)[0].text, encoding="utf-8")
        start_cpu, start_rss, _ = min(ingest([one], scratch, f"start{i}") for i in range(3))

        heading(
            f"The offline path on one core: {args.docs} articles",
            f"python -m benchmarks.offline --docs {args.docs}",
        )
        if args.docs:
            paths = write_articles(synthetic_articles(args.docs), scratch / "articles")
            size = sum(p.stat().st_size for p in paths) / len(paths)
            cpu, rss, line = ingest([scratch / "articles"], scratch, "articles")
            print(
                table(
                    [
                        "documents",
                        "bytes/doc",
                        "CPU (s)",
                        "start-up CPU (s)",
                        "docs/min (CPU)",
                        "ms/doc after start-up",
                        "peak RSS (MB)",
                        "stored",
                    ],
                    [
                        [
                            args.docs,
                            f"{size:,.0f}",
                            f"{cpu:.1f}",
                            f"{start_cpu:.2f}",
                            f"{60 * args.docs / cpu:,.0f}",
                            f"{1000 * (cpu - start_cpu) / args.docs:.1f}",
                            f"{rss:.0f}",
                            line,
                        ]
                    ],
                )
            )

        heading(
            "One long text on one core",
            f"python -m benchmarks.offline --docs 0 --sizes {' '.join(map(str, args.sizes))}",
        )
        rows = []
        for megabytes in args.sizes:
            path = scratch / f"long-{megabytes}.txt"
            text = long_text(megabytes)
            path.write_text(text, encoding="utf-8")
            mb = len(text.encode()) / 1e6
            cpu, rss, line = ingest([path], scratch, f"long-{megabytes}")
            rows.append(
                [
                    f"{mb:.2f}",
                    f"{cpu:.1f}",
                    f"{(cpu - start_cpu) / mb:.1f}",
                    f"{rss:.0f}",
                    f"{(rss - start_rss) / mb:.0f}",
                    f"{rss / mb:.0f}",
                    line,
                ]
            )
        print(
            table(
                [
                    "text (MB)",
                    "CPU (s)",
                    "CPU s/MB after start-up",
                    "peak RSS (MB)",
                    "RSS above start-up / text",
                    "peak RSS / text",
                    "stored",
                ],
                rows,
            )
        )
        print(f"\nStart-up (a 3 KB text, best of 3): {start_cpu:.2f} s CPU, {start_rss:.0f} MB.")


if __name__ == "__main__":
    main()
