"""The live preview (`mkdocs serve`) with a mistake in the data: the browser shows the problem
with its file:line, reloads into the site once it is fixed, and a repeated mistake is reported
again, in the browser and in the terminal."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import copy_project

from .conftest import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PREFIX = "/introduccion-virtualizacion/"
SITE_TITLE = "Introducción a la virtualización"
ERROR_TITLE = "Errores en la vista previa"
WAIT_S = 90  # an upper bound for one rebuild on a loaded 2-core machine, not a speed check


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=WAIT_S) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:  # the error page answers every URL as a 404
        return error.read().decode("utf-8")


def _wait_for(predicate, what: str):
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    pytest.fail(f"the preview never {what} within {WAIT_S} s")


def _break(data: Path, good: str) -> tuple[str, int]:
    """Make QEMU's first release a word; returns (bad text, the line of the mistake)."""
    lines = good.split("\n")
    line = next(i for i, text in enumerate(lines, 1) if text.strip() == "first_release: 2003")
    lines[line - 1] = lines[line - 1].replace("2003", "dosmil")
    return "\n".join(lines), line


@pytest.fixture
def preview(tmp_path):
    project = copy_project(tmp_path / "project")
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "VIRTCURSO_PDF": "false", "NO_MKDOCS_2_WARNING": "1"})
    base = f"http://127.0.0.1:{port}{PREFIX}"
    try:
        _wait_for(lambda: SITE_TITLE in _get_or_empty(base), "served the site")
        yield project, base, Path(log.name)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _get_or_empty(url: str) -> str:
    try:
        return _get(url)
    except OSError:
        return ""


def test_a_data_mistake_shows_in_the_browser_and_clears_when_fixed(preview, browser):
    project, base, log = preview
    data = project / "data" / "hypervisors.yml"
    good = data.read_text(encoding="utf-8")
    bad, line = _break(data, good)
    where = f"data/hypervisors.yml:{line}:"
    page = browser.new_page()
    page.goto(base + "conceptos/")
    assert page.title().startswith("Conceptos")

    data.write_text(bad, encoding="utf-8")
    page.wait_for_function(f"document.title.startsWith({ERROR_TITLE!r})", timeout=WAIT_S * 1000)
    shown = page.locator("main li").all_inner_texts()
    assert any(where in item and "dosmil" in item for item in shown), shown
    assert page.locator("html").get_attribute("lang") == "es"
    assert run_axe(page) == []

    data.write_text(good, encoding="utf-8")  # fixed: the same tab comes back to the chapter
    page.wait_for_function("document.title.startsWith('Conceptos')", timeout=WAIT_S * 1000)

    data.write_text(bad, encoding="utf-8")  # the same mistake again is reported again
    page.wait_for_function(f"document.title.startsWith({ERROR_TITLE!r})", timeout=WAIT_S * 1000)
    assert where in page.locator("main").inner_text()
    page.close()
    printed = log.read_text(encoding="utf-8")
    assert len(re.findall(re.escape(where), printed)) >= 2, printed[-3000:]
