"""A dataset of D article rows (JSONL, then CSV) ingested in one command, with the progress
bar: `stance ingest rows.jsonl --backend rules` as a user runs it in a terminal.

Each row is an article as a news API or a scraper exports it: text, source, date, URL and
title, under the usual column names. The texts are the gold texts of fixtures/gold/ (1-3 KB
each, with their reported speech) cycled, each under a numbered first line so that every row
is a document of its own. The child's stderr is a pseudo-terminal, so the progress bar is
drawn as on a user's screen; the benchmark checks that it was, and that every row became a
document with its metadata. Measured: wall time, CPU time (user + system, from wait4) and
peak memory of the child (VmHWM, `benchmarks.peak`). On a shared machine read the CPU time
(pin the run to one core: `taskset -c 1`).

    python -m benchmarks.datasets [--rows 10000]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.common import ROOT, Measured, checked, clean_env, heading, stance, table
from stance.store.db import Store
from testkit.corpus import gold_texts

OUTLETS = ("Harbour Gazette", "City Wire", "North Post", "Valley Times", "Daily Ledger")
FIELDS = ("id", "headline", "body", "outlet", "published_at", "link")


def rows(count: int) -> list[dict[str, str]]:
    texts = [text for text, _ in gold_texts()]
    return [
        {
            "id": str(number),
            "headline": f"Report {number}",
            "body": f"Report {number}.\n\n{texts[number % len(texts)]}",
            "outlet": OUTLETS[number % len(OUTLETS)],
            "published_at": f"2024-{1 + number % 12:02}-{1 + number % 28:02}",
            "link": f"https://news.example/{number}",
        }
        for number in range(count)
    ]


def write(found: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        if path.suffix == ".jsonl":
            for row in found:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(out, fieldnames=FIELDS)
            writer.writeheader()
            writer.writerows(found)


def run_in_terminal(command: list[str]) -> tuple[Measured, str]:
    """Run a child with its stderr on a pseudo-terminal (as in a user's terminal): measured
    as `benchmarks.common.run` measures, and what it drew on the terminal."""
    master, slave = os.openpty()
    drawn: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                return
            if not chunk:
                return
            drawn.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    with tempfile.TemporaryDirectory() as scratch:
        peak_file = Path(scratch) / "peak"
        wrapped = [command[0], "-m", "benchmarks.peak", str(peak_file), *command[1:]]
        env = clean_env() | {"COLUMNS": "160", "TERM": "xterm"}
        with open(Path(scratch) / "out", "w+b") as out:
            began = time.monotonic()
            child = subprocess.Popen(wrapped, stdout=out, stderr=slave, env=env, cwd=ROOT)
            os.close(slave)
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.monotonic() - began
            reader.join(timeout=5)
            os.close(master)
            out.seek(0)
            stdout = out.read().decode()
        peak_kib = int(peak_file.read_text()) if peak_file.exists() else usage.ru_maxrss
    terminal = b"".join(drawn).decode(errors="replace")
    return (
        Measured(
            wall=wall,
            peak_rss_mb=peak_kib / 1024,
            returncode=os.waitstatus_to_exitcode(status),
            stdout=stdout,
            stderr=terminal,
            cpu=usage.ru_utime + usage.ru_stime,
        ),
        terminal,
    )


def last_bar(terminal: str) -> str:
    """The last frame of the progress bar the child drew, without terminal codes."""
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", terminal).replace("\r", "\n")
    frames = [line.strip() for line in plain.splitlines() if line.strip().startswith("ingesting")]
    return frames[-1] if frames else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    count = parser.parse_args().rows
    heading(
        f"A dataset of {count:,} rows in one command (rules extractor, progress bar)",
        f"python -m benchmarks.datasets --rows {count}",
    )
    found = rows(count)
    results = []
    with tempfile.TemporaryDirectory(prefix="stance-bench-") as name:
        scratch = Path(name)
        for suffix in (".jsonl", ".csv"):
            path = scratch / f"articles{suffix}"
            write(found, path)
            db = scratch / f"{suffix[1:]}.db"
            measured, terminal = run_in_terminal(
                stance("ingest", str(path), "--backend", "rules", "--db", str(db))
            )
            checked(measured, f"ingest {path.name}")
            bar = last_bar(terminal)
            with Store(db) as store:
                stored = store.db.execute(
                    "select count(*), count(distinct source), count(published), count(url), "
                    "(select count(*) from claims) from documents"
                ).fetchone()
            if stored[:4] != (count, len(OUTLETS), count, count):
                raise SystemExit(f"{path.name}: stored {stored}, expected {count} documents")
            if f"{count}/{count}" not in bar.replace(",", ""):
                raise SystemExit(f"{path.name}: no progress bar reached {count}: {bar!r}")
            results.append(
                (
                    f"{suffix[1:].upper()} ({path.stat().st_size / 1e6:.1f} MB)",
                    f"{stored[0]:,}",
                    f"{stored[4]:,}",
                    f"{measured.wall:.0f}",
                    f"{measured.cpu:.0f}",
                    f"{count / measured.cpu:.0f}",
                    f"{measured.peak_rss_mb:.0f}",
                    measured.stdout.strip(),
                )
            )
            print(f"  {path.name}: last frame of the bar: {bar}", file=sys.stderr, flush=True)
    print(
        table(
            [
                "file",
                "documents stored",
                "claims",
                "wall s",
                "CPU s",
                "rows per CPU s",
                "peak MB",
                "stance says",
            ],
            results,
        )
    )


if __name__ == "__main__":
    main()
