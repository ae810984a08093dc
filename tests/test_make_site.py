"""`make site` (what `make` runs) is really strict: a broken link fails it, with the file named,
and the last good site/ is left as it was. (`mkdocs build --strict --quiet` would not fail: the
quiet flag drops the warnings that strict mode counts.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project

pytestmark = pytest.mark.slow


def test_make_site_fails_on_a_broken_link_and_keeps_the_last_site(tmp_path):
    project = copy_project(tmp_path / "project")
    good = project / "site" / "index.html"
    good.parent.mkdir()
    good.write_text("el último sitio bueno", encoding="utf-8")
    with (project / "docs" / "glosario.md").open("a", encoding="utf-8") as chapter:
        chapter.write("\n[roto](no-existe.md)\n")
    bin_dir = Path(sys.executable).parent  # the venv running the tests: nothing to install
    done = subprocess.run(["make", "site", f"BIN={bin_dir}"], cwd=project, capture_output=True,
                          text=True, timeout=900,
                          env={**os.environ, "VIRTCURSO_PDF": "false",
                               "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode != 0, done.stdout + done.stderr
    printed = done.stdout + done.stderr
    assert "glosario.md" in printed and "no-existe.md" in printed
    assert good.read_text(encoding="utf-8") == "el último sitio bueno"
