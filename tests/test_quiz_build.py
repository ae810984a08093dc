"""The real build with a broken question bank: it stops with the compiler-style message, in
Spanish, and no traceback. (Each rule's exact wording is in test_quiz_golden.py.)"""

from __future__ import annotations

import re

import pytest
from conftest import copy_project, run_build

pytestmark = pytest.mark.slow


def test_a_question_pointing_at_a_missing_section_stops_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    bank = project / "data/preguntas.yml"
    text = bank.read_text(encoding="utf-8")
    broken = "section: conceptos.md#aislamiento-total"
    text, count = re.subn(r"section: conceptos\.md#aislamiento\b", broken, text, count=1)
    assert count == 1
    bank.write_text(text, encoding="utf-8")
    line = text[:text.index(broken)].count("\n") + 1
    column = len(text.splitlines()[line - 1]) - len(broken) + len("section: ") + 1
    question = re.findall(r"- id: (\S+)", text[:text.index(broken)])[-1]
    result = run_build(project, tmp_path / "site", VIRTCURSO_PDF="false")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    expected = (f"data/preguntas.yml:{line}:{column}: pregunta '{question}': sección "
                "'conceptos.md#aislamiento-total': la página no tiene esa sección "
                "(¿querías decir 'aislamiento'?)")
    assert expected in result.stderr.splitlines()
