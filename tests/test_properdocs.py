"""The escape hatch: the site also builds strictly with ProperDocs and gives the same pages.

ProperDocs (the maintained continuation of MkDocs 1.6) lives in a venv of its own,
`.venv/properdocs`, created by `make properdocs-venv` from requirements-properdocs.txt, so its
redirection of `import mkdocs.*` never touches the MkDocs the rest of the suite uses.
"""

from __future__ import annotations

import difflib
import os
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import copy_project, run_build

ROOT = Path(__file__).resolve().parent.parent
PROPERDOCS = ROOT / ".venv" / "properdocs" / "bin" / "properdocs"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A snapshot of the sources, so both builds see the same files even while someone edits."""
    return copy_project(tmp_path_factory.mktemp("properdocs") / "project")


@pytest.fixture(scope="module")
def properdocs_site(project, tmp_path_factory) -> Path:
    """Create or update the ProperDocs venv, then build the snapshot with it, strictly."""
    made = subprocess.run(["make", "--no-print-directory", "properdocs-venv"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1200)
    assert made.returncode == 0, made.stdout + made.stderr
    site_dir = tmp_path_factory.mktemp("properdocs-site")
    # Without the PDF: it comes from our hook and WeasyPrint whichever tool drives the build,
    # and two cold renders would cost the suite two minutes.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
           "VIRTCURSO_PDF": "false"}
    built = subprocess.run(
        [str(PROPERDOCS), "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(site_dir)],
        cwd=project, capture_output=True, text=True, timeout=900, env=env,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    return site_dir


@pytest.fixture(scope="module")
def mkdocs_site(project, tmp_path_factory) -> Path:
    """The same snapshot built with MkDocs, the reference."""
    site_dir = tmp_path_factory.mktemp("mkdocs-site")
    built = run_build(project, site_dir, VIRTCURSO_PDF="false")
    assert built.returncode == 0, built.stdout + built.stderr
    return site_dir


def files_of(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}


def without_generator(html: str) -> str:
    """The page with its `<meta name="generator">` removed: the one line that names the tool."""
    soup = BeautifulSoup(html, "html.parser")
    for meta in soup.find_all("meta", attrs={"name": "generator"}):
        meta.decompose()
    return str(soup)


def generator(html: str) -> str:
    meta = BeautifulSoup(html, "html.parser").find("meta", attrs={"name": "generator"})
    return meta["content"] if meta else ""


def test_properdocs_really_built_the_site(properdocs_site):
    home = (properdocs_site / "index.html").read_text(encoding="utf-8")
    assert "ProperDocs" in generator(home)


def test_same_files_as_mkdocs(properdocs_site, mkdocs_site):
    assert files_of(properdocs_site) == files_of(mkdocs_site)


def test_same_html_except_the_generator(properdocs_site, mkdocs_site):
    differing = []
    for name in sorted(files_of(mkdocs_site)):
        if not name.endswith(".html") or not (properdocs_site / name).exists():
            continue
        ours = without_generator((mkdocs_site / name).read_text(encoding="utf-8"))
        theirs = without_generator((properdocs_site / name).read_text(encoding="utf-8"))
        if ours != theirs:
            diff = difflib.unified_diff(ours.splitlines(), theirs.splitlines(), "mkdocs",
                                        "properdocs", lineterm="", n=1)
            differing.append(f"{name}:\n" + "\n".join(list(diff)[:12]))
    assert differing == [], "\n\n".join(differing)


def test_same_search_index_and_assets(properdocs_site, mkdocs_site):
    """Every other file (search index, CSS, JS, images) is byte for byte the same."""
    # The handout's bytes are checked for reproducibility by its own tests; here it must exist.
    others = [name for name in files_of(mkdocs_site)
              if not name.endswith((".html", ".pdf")) and (properdocs_site / name).exists()]
    differing = [name for name in sorted(others)
                 if (mkdocs_site / name).read_bytes() != (properdocs_site / name).read_bytes()]
    assert differing == []
