"""Golden tests of the question bank: each bad bank must fail with exactly the messages in its
expected.txt (`file:line:column: what is wrong (what was expected)`).

A case folder under tests/fixtures/bad_quiz/ holds the preguntas.yml that replaces the small
valid bank in `_base/`, and `expected.txt`. The bank is checked as the build checks it: loaded
against the systems of tests/fixtures/bad_data/_base, then its pages and sections against the
Markdown pages in `_docs/`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from virtcurso.errors import DataError
from virtcurso.loader import load_course
from virtcurso.quiz_load import load_quiz
from virtcurso.quiz_pages import build_quiz_site

CASES_DIR = Path(__file__).parent / "fixtures" / "bad_quiz"
BASE = CASES_DIR / "_base"
DOCS = CASES_DIR / "_docs"
SYSTEMS = Path(__file__).parent / "fixtures" / "bad_data" / "_base"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir() and not p.name.startswith("_"))


@pytest.fixture(scope="module")
def course():
    return load_course(SYSTEMS, required_systems=("qemu", "lxc"))


def _markdown() -> dict[str, str]:
    return {p.relative_to(DOCS).as_posix(): p.read_text(encoding="utf-8")
            for p in DOCS.rglob("*.md")}


def _check(data: Path, course) -> None:
    """Load and check a bank as a build does; raises DataError."""
    bank = load_quiz(data, course)
    build_quiz_site(bank, _markdown(), "Curso", "https://example.org/curso/")


def _data_dir(case: str, tmp_path: Path) -> Path:
    data = tmp_path / "data"  # named like the real folder, so messages say data/...
    data.mkdir()
    shutil.copy(CASES_DIR / case / "preguntas.yml", data / "preguntas.yml")
    return data


def test_there_is_a_case_per_rule():
    assert len(CASES) >= 15


def test_the_base_is_valid(course, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(BASE, data)
    bank = load_quiz(data, course)
    assert [q.id for q in bank.questions] == ["uno-single", "uno-multiple", "dos-vf", "dos-qemu"]
    build_quiz_site(bank, _markdown(), "Curso", "https://example.org/curso/")


@pytest.mark.parametrize("case", CASES)
def test_bad_bank_reports_exactly(case, course, tmp_path):
    expected = (CASES_DIR / case / "expected.txt").read_text(encoding="utf-8").rstrip("\n")
    with pytest.raises(DataError) as caught:
        _check(_data_dir(case, tmp_path), course)
    assert str(caught.value) == expected
    assert len(caught.value.problems) == len(expected.splitlines())
