"""`make revisar` (scripts/revisar.py): the fast check of a content change finds a misspelling in
a chapter and in a data note, a broken link and a bad marker, all in one run, as plain Spanish
`file:line` lines without a traceback; a clean project passes."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import copy_project

pytestmark = pytest.mark.slow


def _revisar(project) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "scripts/revisar.py"], cwd=project,
                          capture_output=True, text=True, timeout=300)


def _append(path, text: str) -> int:
    """Append a line to a file; returns its line number."""
    body = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(body, encoding="utf-8")
    return body.count("\n")


def _replace_first(path, old: str, new: str) -> int:
    """Replace the first `old` in a file; returns the line it is on."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text.count("\n", 0, at) + 1


def test_revisar_passes_on_the_project_as_it_is(tmp_path):
    done = _revisar(copy_project(tmp_path / "p"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Todo correcto")


def test_revisar_reports_every_kind_of_mistake_in_one_run(tmp_path):
    project = copy_project(tmp_path / "p")
    docs, data = project / "docs", project / "data"
    typo = _append(docs / "conceptos.md", "Una palabra mal escrita: virtualisación.")
    note = _replace_first(data / "hypervisors.yml", 'note: "', 'note: "Una nota con un herror. ')
    link = _append(docs / "glosario.md", "Un enlace [roto](no-existe.md).")
    _replace_first(docs / "comparativa.md", "virtcurso:comparison", "virtcurso:comparision")
    done = _revisar(project)
    out = done.stdout
    assert done.returncode == 1 and "Traceback" not in out + done.stderr, out + done.stderr
    assert f"docs/conceptos.md:{typo}:" in out and "«virtualisación»" in out
    assert f"data/hypervisors.yml:{note}:" in out and "«herror»" in out
    assert f"docs/glosario.md:{link}: enlace a una página que no existe: «no-existe.md»" in out
    assert "docs/comparativa.md:" in out and "comparision" in out
    assert "4 problemas" in out
