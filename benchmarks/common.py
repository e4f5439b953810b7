"""What every benchmark shares: the machine it ran on, child processes measured for wall time
and peak memory, the scripted loopback server, and Markdown tables.

The server is testkit/fakeserver.py (answers scripted, no model) and the articles are the
synthetic ones of testkit/corpus.py. `run` starts `stance` as a child process, as a user runs
it, so its wall time includes start-up and its peak memory is its own (write_cost alone runs
the library in process, to count the SQL statements on the store's connection).
"""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from testkit.corpus import Article, all_claims
from testkit.fakeserver import FakeOpenAIServer, echo_claims

ROOT = Path(__file__).resolve().parent.parent
MODEL = "scripted-model"


def machine() -> str:
    """One line naming the machine: CPU, cores, memory, OS, Python, SQLite."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}"
    )


def table(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def heading(title: str, command: str) -> None:
    print(f"\n## {title}\n\n`{command}` on {machine()}\n", flush=True)


@dataclass(frozen=True)
class Measured:
    wall: float  # seconds
    peak_rss_mb: float  # the child's own peak resident memory
    returncode: int
    stdout: str
    stderr: str
    cpu: float = 0.0  # seconds of CPU, user + system, of the child


def run(
    command: Sequence[str], *, env: dict[str, str] | None = None, core: int | None = None
) -> Measured:
    """Run a child process to its end: its wall time, and its own peak memory.

    A `python -m MODULE` command runs under `benchmarks.peak`, which reads VmHWM at exit: the
    ru_maxrss of wait4 would count the memory of this process, which the child was forked
    from, too. Other commands get that ru_maxrss. `core`: the child runs on that CPU alone
    (as `taskset -c CORE` would).
    """
    pin = (lambda: os.sched_setaffinity(0, {core})) if core is not None else None
    with tempfile.TemporaryDirectory() as scratch:
        peak_file = Path(scratch) / "peak"
        if list(command[1:2]) == ["-m"] and Path("/proc/self/status").exists():
            command = [command[0], "-m", "benchmarks.peak", str(peak_file), *command[1:]]
        with open(Path(scratch) / "out", "w+b") as out, open(Path(scratch) / "err", "w+b") as err:
            began = time.monotonic()
            child = subprocess.Popen(
                command, stdout=out, stderr=err, env=env, cwd=ROOT, preexec_fn=pin
            )
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.monotonic() - began
            child.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            peak_kib = int(peak_file.read_text()) if peak_file.exists() else usage.ru_maxrss
            return Measured(
                wall=wall,
                peak_rss_mb=peak_kib / 1024,
                returncode=child.returncode,
                stdout=out.read().decode(),
                stderr=err.read().decode(),
                cpu=usage.ru_utime + usage.ru_stime,
            )


def stance(*args: str) -> list[str]:
    return [sys.executable, "-m", "stance", *args]


def clean_env() -> dict[str, str]:
    """The environment without the developer's model settings or key."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("STANCE_") and k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")
    }


@contextmanager
def scripted_server(articles: Sequence[Article], latency: float) -> Iterator[FakeOpenAIServer]:
    """The loopback server answering each request with the claims of its text."""
    with FakeOpenAIServer(latency=latency) as server:
        server.responder = echo_claims(all_claims(list(articles)))
        yield server


def checked(measured: Measured, what: str) -> Measured:
    if measured.returncode != 0:
        raise SystemExit(f"{what} failed ({measured.returncode}):\n{measured.stderr[-2000:]}")
    return measured
