"""Measurements that need a server for `make bench`: `mkdocs serve` rebuilds and page weight.

Servers listen on 127.0.0.1 only, on a free port, and are stopped before the function returns.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
RELOAD_LINE = "Reloading browsers"  # what `mkdocs serve` logs once a rebuild is served


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- (4) rebuild time of `mkdocs serve` ---------------------------------------------------

def _reader(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put((time.perf_counter(), line))


def _wait_for(lines: queue.Queue, text: str, timeout: float) -> float:
    """The moment a log line containing `text` was read; raises TimeoutError."""
    deadline = time.perf_counter() + timeout
    while (left := deadline - time.perf_counter()) > 0:
        try:
            moment, line = lines.get(timeout=left)
        except queue.Empty:
            break
        if text in line:
            return moment
    raise TimeoutError(f"`mkdocs serve` never logged {text!r}")


def serve_rebuilds(project: Path, chapter: str, runs: int) -> list[float]:
    """Seconds from saving a chapter to `mkdocs serve` reporting the rebuilt site, `runs` times."""
    port = free_port()
    env = {**os.environ, "VIRTCURSO_PDF": "false", "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, cwd=project, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(server.stdout, lines), daemon=True).start()
    path = project / "docs" / chapter
    original = path.read_text(encoding="utf-8")
    timings = []
    try:
        _wait_for(lines, "Serving on", timeout=600)
        for run in range(runs):
            time.sleep(1.0)  # let the watcher settle between edits
            start = time.perf_counter()
            path.write_text(original + f"\nEdición de prueba número {run + 1}.\n", "utf-8")
            timings.append(_wait_for(lines, RELOAD_LINE, timeout=600) - start)
    finally:
        path.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)
    return timings


# --- (5) bytes a reader downloads on first load -------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def static_server(site_dir: Path):
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def first_load(browser, url: str) -> tuple[int, int, int]:
    """(requests, bytes, gzip bytes) of one page loaded in a fresh context (an empty cache)."""
    context = browser.new_context()
    page = context.new_page()
    bodies: list[bytes] = []
    page.on("requestfinished", lambda request: bodies.append(_body(request)))
    page.goto(url, wait_until="networkidle")
    context.close()
    zipped = sum(len(gzip.compress(body, 6)) for body in bodies)  # as a server compresses text
    return len(bodies), sum(map(len, bodies)), zipped


def _body(request) -> bytes:
    response = request.response()
    try:
        return response.body() if response else b""
    except Exception:  # a redirect or an aborted request has no body
        return b""


def page_weights(site_dir: Path, pages: dict[str, str]) -> dict[str, tuple[int, int, int]]:
    """First-load weight of each labelled page (label -> site URL), or {} without Chromium."""
    if not Path(CHROMIUM).exists():
        return {}
    from playwright.sync_api import sync_playwright

    with static_server(site_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return {label: first_load(browser, base + url) for label, url in pages.items()}
        finally:
            browser.close()
