"""The error messages CONTRIBUTING.md shows as examples are produced by the validator from the
same mistakes, so the guide and the validator cannot drift apart.

Each ```text block of «Cómo leer los mensajes de error» is paired, in order, with a recipe that
makes the mistake the guide describes in a copy of the real data; `make check` on that copy
must print exactly the lines of the block. When the data's lines move, the failure shows the
block to paste into CONTRIBUTING.md.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Cómo leer los mensajes de error"
COUNT_LINE = re.compile(r"^\d+ errore?s? en los datos del curso$")


def _entry(text: str, system: str) -> tuple[int, int]:
    """The (start, end) offsets of a system's entry in hypervisors.yml."""
    start = re.search(rf"^  - id: {re.escape(system)}\n", text, re.M).start()
    following = re.compile(r"^  - id: ", re.M).search(text, start + 1)
    return start, following.start() if following else len(text)


def _edit(system: str, *changes: tuple[str, str]):
    """A recipe: replace, inside one system's entry, each `old` (which must be there) by `new`."""
    def apply(text: str) -> str:
        start, end = _entry(text, system)
        entry = text[start:end]
        for old, new in changes:
            assert old in entry, f"the recipe no longer applies: {old!r} not in {system}"
            entry = entry.replace(old, new, 1)
        return text[:start] + entry + text[end:]
    return apply


RECIPES = [
    # Four mistakes in KVM's entry: a misspelt field, a URL without scheme, a technique renamed.
    _edit("kvm", ("    first_release:", "    first_relase:"),
          ("website: https://linux-kvm.org/", "website: linux-kvm.org"),
          ("      hardware:\n", "      hw:\n")),
    # Quotes opened and never closed.
    _edit("kvm", ('núcleo Linux"\n', "núcleo Linux\n")),
    # A value outside the allowed ones.
    _edit("qemu", ("      containers: no\n", "      containers: nope\n")),
    # A `yes` that cites only a secondary source.
    _edit("kvm", ("        sources: [kvm-kconfig, kvm-main, qemu-intro]",
                  "        sources: [wikipedia]"),
          ("    sources:\n", '    sources:\n      wikipedia: {title: "KVM (Wikipedia)", url: '
           '"https://en.wikipedia.org/wiki/Kernel-based_Virtual_Machine", kind: secondary, '
           'checked: "2026-12"}\n')),
]


def _examples() -> list[list[str]]:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text[text.index(SECTION):]
    section = section[:section.index("\n## ", len(SECTION))]
    blocks = re.findall(r"^```text\n(.*?)^```", section, re.S | re.M)
    return [[line for line in block.splitlines()
             if line and line != "$ make check" and not COUNT_LINE.match(line)]
            for block in blocks]


def _check_output(project: Path) -> list[str]:
    done = subprocess.run([sys.executable, "-m", "virtcurso", "check"], cwd=project,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")})
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stdout + done.stderr
    return [line for line in done.stderr.splitlines() if line and not COUNT_LINE.match(line)]


def test_there_is_a_recipe_for_every_example():
    assert len(_examples()) == len(RECIPES)


@pytest.mark.parametrize("number", range(len(RECIPES)))
def test_the_example_is_what_the_validator_prints(number, tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    data = tmp_path / "data" / "hypervisors.yml"
    data.write_text(RECIPES[number](data.read_text(encoding="utf-8")), encoding="utf-8")
    printed = _check_output(tmp_path)
    shown = _examples()[number]
    assert shown == printed, (
        f"CONTRIBUTING.md, example {number + 1} of «{SECTION[3:]}», is out of date; the "
        "validator now prints:\n" + "\n".join(printed))
