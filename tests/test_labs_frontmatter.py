"""A lab's front matter goes through the project's one validation mechanism (yamlsource, the
JSON Schema data/schema/lab.schema.json, the same Problems): golden cases with their exact
messages, each pointing at the line and column of the Markdown file itself, and a real build
that fails with them, without a traceback and without writing a site.

A case folder under tests/fixtures/bad_labs/ holds the lab files added to the small valid
docs tree in `_base/` and `expected.txt`, the full error text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import copy_project, run_build
from virtcurso.errors import DataError
from virtcurso.labs import load_labs

CASES_DIR = Path(__file__).parent / "fixtures" / "bad_labs"
BASE = CASES_DIR / "_base" / "docs"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir() and p.name != "_base")


def _docs(case: str, tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(BASE, docs)
    for file in (CASES_DIR / case).glob("*.md"):
        shutil.copy(file, docs / "practicas" / file.name)
    return docs


def test_the_base_is_valid():
    (lab,) = load_labs(BASE)
    assert (lab.number, lab.title, lab.minutes, lab.level) == (1, "Práctica 1: Correcta", 45,
                                                               "inicial")
    assert [(c.src_uri, c.title) for c in lab.chapters] == [
        ("extensiones.md", "Extensiones de virtualización")]
    assert [(p.debian, p.ubuntu) for p in lab.packages] == [("qemu-system-x86",) * 2]


def test_a_lab_may_practise_a_generated_technique_page(tmp_path):
    docs = _docs("unknown-chapter", tmp_path)  # cites extension.md, which no file holds
    labs = load_labs(docs, generated={"extension.md": "Página generada"})
    assert [c.title for c in labs[1].chapters] == ["Emulación", "Página generada"]


@pytest.mark.parametrize("case", CASES)
def test_bad_front_matter_reports_exactly(case, tmp_path):
    expected = (CASES_DIR / case / "expected.txt").read_text(encoding="utf-8").rstrip("\n")
    with pytest.raises(DataError) as caught:
        load_labs(_docs(case, tmp_path))
    assert str(caught.value) == expected
    assert len(caught.value.problems) == len(expected.splitlines())


def test_bad_front_matter_fails_the_build_with_file_and_line(tmp_path):
    project = copy_project(tmp_path / "project")
    lab = project / "docs" / "practicas" / "soporte.md"
    lines = lab.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == "level: inicial")
    lines[at] = lines[at].replace("inicial", "facil")
    lab.write_text("".join(lines), encoding="utf-8")
    site = tmp_path / "out"
    result = run_build(project, site)
    assert result.returncode == 1
    column = lines[at].index("facil") + 1
    assert f"docs/practicas/soporte.md:{at + 1}:{column}: lab.level:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not site.exists()
