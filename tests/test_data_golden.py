"""Golden tests: each bad-data case must fail with exactly the messages in its expected.txt.

A case folder under tests/fixtures/bad_data/ holds the files that replace the small valid
data set in `_base/` (a `<name>.absent` file deletes `<name>` instead) and `expected.txt`,
the full error text. The base requires only its own two 2016 rows (qemu, lxc), so the
"every 2016 row present" rule is tested on small files too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from virtcurso.errors import DataError
from virtcurso.loader import load_course

CASES_DIR = Path(__file__).parent / "fixtures" / "bad_data"
BASE = CASES_DIR / "_base"
BASE_2016_ROWS = ("qemu", "lxc")
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir() and p.name != "_base")


def _data_dir(case: str, tmp_path: Path) -> Path:
    data = tmp_path / "data"  # named like the real folder, so messages say data/...
    shutil.copytree(BASE, data)
    for file in (CASES_DIR / case).iterdir():
        if file.suffix == ".absent":
            (data / file.stem).unlink()
        elif file.name != "expected.txt":
            shutil.copy(file, data / file.name)
    return data


@pytest.fixture(autouse=True)
def _fixed_year(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01: the latest valid year


def test_there_are_at_least_30_cases():
    assert len(CASES) >= 30


def test_the_base_is_valid(tmp_path):
    course = load_course(BASE, required_systems=BASE_2016_ROWS)
    assert [s.id for s in course.systems] == ["docker", "lxc", "qemu"]


@pytest.mark.parametrize("case", CASES)
def test_bad_data_reports_exactly(case, tmp_path):
    expected = (CASES_DIR / case / "expected.txt").read_text(encoding="utf-8").rstrip("\n")
    with pytest.raises(DataError) as caught:
        load_course(_data_dir(case, tmp_path), required_systems=BASE_2016_ROWS)
    assert str(caught.value) == expected
    assert len(caught.value.problems) == len(expected.splitlines())
