"""`make fuentes`: the per-system sources report and `python -m virtcurso fuentes`.

Expectations are computed here from the YAML, parsed with PyYAML's BaseLoader (every scalar a
string), independently of the loader and of the report under test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from virtcurso.loader import load_course
from virtcurso.sources_report import format_report, report

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "sources_report"
FIXTURE_ROWS = ("qemu", "lxc")


@pytest.fixture(autouse=True)
def _fixed_year(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01


def _raw_systems(data: Path) -> list[dict]:
    with open(data / "hypervisors.yml", encoding="utf-8") as file:
        return yaml.load(file, Loader=yaml.BaseLoader)["systems"]  # noqa: S506 - str/list/dict only


def _expected_row(system: dict) -> tuple:
    """(id, claims, official, oldest checked, uncertain) from the raw YAML."""
    sources = system["sources"]
    cited = [system["license"].get("sources", [])]
    for value in system["techniques"].values():
        statement = value if isinstance(value, dict) else {"support": value}
        if statement["support"] in ("yes", "partial", "unknown") or statement.get("sources"):
            cited.append(statement.get("sources", []))
    official = [keys for keys in cited if any(sources[k]["kind"] == "official" for k in keys)]
    oldest = min(source["checked"] for source in sources.values())
    return system["id"], len(cited), len(official), oldest, tuple(system.get("uncertain", []))


def _rows(course) -> list[tuple]:
    return [(r.id, r.claims, r.official, r.oldest_checked, r.uncertain) for r in report(course)]


def test_fixture_report_matches_the_yaml():
    course = load_course(FIXTURE, required_systems=FIXTURE_ROWS)
    expected = sorted(_expected_row(s) for s in _raw_systems(FIXTURE))
    assert _rows(course) == expected
    # The fixture exercises what the report tells apart: a claim without an official source,
    # a sourced `no`, uncertain entries, and day-precise dates next to month-precise ones.
    assert any(row[1] != row[2] for row in expected)
    assert any(row[4] for row in expected)


def test_formatted_report_lists_every_system_uncertain_entry_and_total():
    course = load_course(FIXTURE, required_systems=FIXTURE_ROWS)
    text = format_report(report(course))
    lines = text.splitlines()
    for system_id, claims, official, oldest, uncertain in map(_expected_row, _raw_systems(FIXTURE)):
        row = next(line for line in lines if line.split()[0] == system_id)
        assert row.split() == [system_id, str(claims), str(official), oldest, str(len(uncertain))]
        for entry in uncertain:
            assert f"  {system_id}: {entry}" in lines
    expected = sorted(map(_expected_row, _raw_systems(FIXTURE)))
    total = sum(row[1] for row in expected)
    official = sum(row[2] for row in expected)
    assert f"{len(expected)} sistemas, {total} afirmaciones, {official} con fuente oficial" in text


def test_real_data_report_covers_every_system():
    course = load_course(ROOT / "data")
    expected = sorted(_expected_row(s) for s in _raw_systems(ROOT / "data"))
    assert _rows(course) == expected
    # Validation guarantees it; the report must agree: every yes/partial rests on an official one.
    assert all(row[2] >= 1 for row in expected)


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
    return subprocess.run(
        [sys.executable, "-m", "virtcurso", "fuentes", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_prints_the_report_of_the_real_data():
    result = _cli()
    assert result.returncode == 0, result.stderr
    ids = [s["id"] for s in _raw_systems(ROOT / "data")]
    first_cells = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert set(ids) <= set(first_cells)


def test_cli_fails_when_a_yes_rests_only_on_a_secondary_source(tmp_path):
    data = Path(shutil.copytree(ROOT / "data", tmp_path / "data"))
    hypervisors = data / "hypervisors.yml"
    raw = _raw_systems(data)
    system = next(s for s in raw if any(_support(v) == "yes" for v in s["techniques"].values()))
    technique = next(t for t, v in system["techniques"].items() if _support(v) == "yes")
    # Every source of that system becomes secondary: its yes claims lose their official source.
    text = hypervisors.read_text(encoding="utf-8")
    start = text.index(f"  - id: {system['id']}\n")
    end = text.find("\n  - id: ", start + 1)
    end = len(text) if end < 0 else end
    block = text[start:end].replace("kind: official", "kind: secondary")
    hypervisors.write_text(text[:start] + block + text[end:], encoding="utf-8")
    result = _cli("--data", str(data))
    assert result.returncode == 1
    expected = f"sistema '{system['id']}': técnica '{technique}': support 'yes' solo cita fuentes"
    assert expected in result.stderr
    assert result.stderr.splitlines()[-1].endswith("en los datos del curso")
    assert "Traceback" not in result.stderr


def _support(value) -> str:
    return value["support"] if isinstance(value, dict) else value
