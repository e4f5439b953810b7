"""`stance serve` as a process: a signal stops Datasette and removes the metadata file."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from stance.store.db import Store
from testkit.fakeserver import free_port


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_datasette_and_removes_the_metadata_file(tmp_path, signum):
    db = tmp_path / "stance.db"
    Store(db).close()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "stance", "serve", "--db", str(db), "--port", str(port)],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert wait_until(lambda: listening(port), 30), server.stderr.read()  # type: ignore[union-attr]
        assert [p.suffix for p in scratch.iterdir()] == [".json"]
        server.send_signal(signum)
        server.wait(timeout=15)
        assert wait_until(lambda: not listening(port), 10), "Datasette still serves"
        assert list(scratch.iterdir()) == []
        assert b"Traceback" not in server.stderr.read()  # type: ignore[union-attr]
    finally:
        if server.poll() is None:
            server.kill()
