"""`make serve`'s launcher (scripts/serve.py): a busy port gets one Spanish line and no
traceback; the dev server stops when its parent (make) is stopped; it serves at the address it
prints."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVE = ROOT / "scripts" / "serve.py"
WAIT_S = 90  # bound for a first build on a loaded machine, not a speed check


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _port_is_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_a_busy_port_gets_one_clear_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, str(SERVE), str(port)], capture_output=True,
                              text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"puerto {port}" in lines[0] and f"PUERTO={port + 1}" in lines[0]


def test_a_bad_port_is_explained():
    done = subprocess.run([sys.executable, str(SERVE), "ochomil"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2 and "«ochomil» no es un puerto válido" in done.stderr


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux")
def test_the_server_serves_the_printed_address_and_dies_with_its_parent(tmp_path):
    port = _free_port()
    out = tmp_path / "out.txt"
    # A stand-in for make: a parent that starts the launcher and waits for it.
    parent = subprocess.Popen(
        [sys.executable, "-c", "import subprocess, sys; subprocess.run(sys.argv[1:])",
         sys.executable, str(SERVE), str(port)],
        stdout=out.open("w"), stderr=subprocess.STDOUT,
        env={**os.environ, "VIRTCURSO_PDF": "false", "NO_MKDOCS_2_WARNING": "1"})
    try:
        deadline = time.monotonic() + WAIT_S
        while not _port_is_open(port) and time.monotonic() < deadline:
            time.sleep(0.5)
        printed = re.search(r"http://127\.0\.0\.1:\d+/\S*", out.read_text(encoding="utf-8"))
        assert printed, out.read_text(encoding="utf-8")
        with urllib.request.urlopen(printed.group(0), timeout=WAIT_S) as response:
            assert "<title>Introducción a la virtualización" in response.read().decode()
    finally:
        parent.send_signal(signal.SIGKILL)  # make killed: no chance to clean up its children
        parent.wait(timeout=30)
    deadline = time.monotonic() + WAIT_S
    while _port_is_open(port) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _port_is_open(port), "the dev server outlived its parent"
