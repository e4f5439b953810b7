"""Run a Python module as `python -m` would, and write its peak resident memory at exit.

    python -m benchmarks.peak OUT -m MODULE [ARGS...]

The peak is VmHWM of /proc/self/status, which starts anew at exec: a child's ru_maxrss
would also count the memory of the (large) benchmark process it was forked from.
"""

from __future__ import annotations

import atexit
import runpy
import sys
from pathlib import Path


def write_peak(out: Path) -> None:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            out.write_text(line.split()[1])  # KiB


def main() -> None:
    out, flag, module, *args = sys.argv[1:]
    if flag != "-m":
        raise SystemExit("usage: python -m benchmarks.peak OUT -m MODULE [ARGS...]")
    atexit.register(write_peak, Path(out))
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
