"""Throughput against an endpoint of fixed latency: wall time against the ideal D x L / N.

For each concurrency N, `stance ingest --concurrency N` ingests D synthetic articles from a
folder into a new database, against the loopback scripted server answering every request
after L seconds. One request per article, so the ideal is D x L / N; start-up (interpreter,
imports, database) is measured apart, as the wall time of one article at zero latency.

    python -m benchmarks.throughput [--docs 200] [--latency 0.5] [--concurrency 1 4 16 64]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.common import (
    MODEL,
    checked,
    clean_env,
    heading,
    run,
    scripted_server,
    stance,
    table,
)
from testkit.corpus import synthetic_articles, write_articles


def startup_seconds(folder: Path, scratch: Path) -> float:
    """Wall time of `stance ingest` for one article with a server that answers at once."""
    one = synthetic_articles(1)
    write_articles(one, folder)
    with scripted_server(one, latency=0.0) as server:
        runs = [
            checked(
                run(
                    stance("ingest", str(folder), "--db", str(scratch / f"s{i}.db"), "--model",
                           MODEL, "--base-url", server.url, "--quiet"),
                    env=clean_env(),
                ),
                "start-up run",
            ).wall
            for i in range(3)
        ]  # fmt: skip
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16, 64])
    options = parser.parse_args()

    heading(
        f"Throughput: {options.docs} articles, latency {options.latency} s",
        f"python -m benchmarks.throughput --docs {options.docs} --latency {options.latency} "
        f"--concurrency {' '.join(map(str, options.concurrency))}",
    )
    articles = synthetic_articles(options.docs)
    rows = []
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        startup = startup_seconds(scratch / "one", scratch)
        folder = scratch / "articles"
        write_articles(articles, folder)
        for index, concurrency in enumerate(options.concurrency):
            with scripted_server(articles, options.latency) as server:
                measured = checked(
                    run(
                        stance("ingest", str(folder), "--db", str(scratch / f"run{index}.db"),
                               "--model", MODEL, "--base-url", server.url,
                               "--concurrency", str(concurrency), "--quiet"),
                        env=clean_env(),
                    ),
                    f"ingest --concurrency {concurrency}",
                )  # fmt: skip
                requests = len(server.chat_requests())
            ideal = options.docs * options.latency / concurrency
            rows.append(
                [
                    concurrency,
                    requests,
                    f"{ideal:.2f}",
                    f"{startup:.2f}",
                    f"{measured.wall:.2f}",
                    f"{measured.wall / (ideal + startup):.2f}",
                    f"{measured.wall / ideal:.2f}",
                    f"{measured.peak_rss_mb:.0f}",
                ]
            )
            print(f"  N={concurrency}: {measured.wall:.2f} s", flush=True)
    print()
    print(
        table(
            [
                "N",
                "requests",
                "ideal D·L/N (s)",
                "start-up (s)",
                "wall (s)",
                "wall / (ideal + start-up)",
                "wall / ideal",
                "peak RSS (MB)",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
