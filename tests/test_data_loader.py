"""Unit tests of the loader's building blocks and of `python -m virtcurso check`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from virtcurso.errors import DataError
from virtcurso.loader import load_course
from virtcurso.yamlsource import load_document

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests" / "fixtures" / "bad_data" / "_base"
BASE_ROWS = ("qemu", "lxc")


def _write(tmp_path: Path, text: str) -> Path:
    file = tmp_path / "file.yml"
    file.write_text(text, encoding="utf-8")
    return file


def test_scalars_follow_yaml_1_2(tmp_path):
    text = "a: no\nb: yes\nc: true\nd: 2007-01-17\ne: 0o17\nf: .inf\ng: ~\nh: '1'\ni: 1.5\n"
    data = load_document(_write(tmp_path, text), "x.yml").data
    assert data == {
        "a": "no",
        "b": "yes",
        "c": True,
        "d": "2007-01-17",
        "e": 15,
        "f": float("inf"),
        "g": None,
        "h": "1",
        "i": 1.5,
    }


def test_positions_of_keys_and_values(tmp_path):
    document = load_document(_write(tmp_path, "top:\n  inner: [a, b]\n"), "x.yml")
    assert document.where(("top", "inner"), key=True) == (2, 3)
    assert document.where(("top", "inner", 1)) == (2, 14)
    assert document.where(("top", "missing")) == (2, 3)  # falls back to the nearest ancestor


def test_markup_in_the_data_is_kept_literally(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(BASE, data)
    text = "<script>alert('x')</script> | *negrita* _cursiva_ [enlace](https://x.org) &amp;"
    hypervisors = data / "hypervisors.yml"
    quoted = yaml.safe_dump(text, allow_unicode=True).removesuffix("\n...\n").strip()
    hypervisors.write_text(
        hypervisors.read_text(encoding="utf-8").replace(
            "description: Emulador.", f"description: {quoted}"
        ),
        encoding="utf-8",
    )
    course = load_course(data, required_systems=BASE_ROWS)
    assert next(s for s in course.systems if s.id == "qemu").description == text


def test_technique_sources_are_numbered_from_one():
    course = load_course(BASE, required_systems=BASE_ROWS)
    sources = course.technique("containers").sources
    assert [s.key for s in sources] == ["1"]
    raw = yaml.safe_load((BASE / "techniques.yml").read_text(encoding="utf-8"))
    assert sources[0].url == raw["techniques"][-1]["sources"][0]["url"]


def test_a_file_instead_of_a_folder_is_a_data_error(tmp_path):
    not_a_folder = _write(tmp_path, "x: 1\n")
    with pytest.raises(DataError) as caught:
        load_course(not_a_folder)
    assert all(p.message.startswith("no se puede leer el fichero") for p in caught.value.problems)


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
    return subprocess.run(
        [sys.executable, "-m", "virtcurso", "check", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_accepts_the_real_data():
    raw_systems = yaml.safe_load((ROOT / "data" / "hypervisors.yml").read_text("utf-8"))["systems"]
    raw_techniques = yaml.safe_load((ROOT / "data" / "techniques.yml").read_text("utf-8"))
    raw_bank = yaml.safe_load((ROOT / "data" / "preguntas.yml").read_text("utf-8"))["pages"]
    result = _cli()
    assert result.returncode == 0, result.stderr
    techniques = len(raw_techniques["techniques"])
    questions = sum(len(q) for q in raw_bank.values())
    expected = (f"Correcto: {len(raw_systems)} sistemas, {techniques} técnicas, "
                f"{questions} preguntas")
    assert result.stdout.strip() == expected


def test_cli_rejects_bad_data_with_every_message(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    hypervisors = data / "hypervisors.yml"
    text = hypervisors.read_text(encoding="utf-8")
    text = text.replace("    website: https://www.qemu.org/\n", "    website: qemu.org\n", 1)
    text = text.replace("      emulation: no\n", "      emulation: hw\n", 1)
    hypervisors.write_text(text, encoding="utf-8")
    result = _cli("--data", str(data))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 3 and lines[-1] == "2 errores en los datos del curso"
    assert all(line.startswith("data/hypervisors.yml:") for line in lines[:2])
    assert "Traceback" not in result.stderr
