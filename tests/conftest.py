"""Shared fixtures: the real site, built once per test session into a temporary folder."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


SITE_FIXTURES = {"built_site", "site_dir"}  # the real site, built once per test process


def pytest_collection_modifyitems(items):
    """Modules that do not need the built site run first. Under `make test` (pytest-xdist, one
    process per core) a process can then work on them while another renders the handout,
    instead of waiting for it; the order changes nothing else."""
    needs_site = {item.module.__name__ for item in items
                  if SITE_FIXTURES & set(getattr(item, "fixturenames", ()))}
    items.sort(key=lambda item: item.module.__name__ in needs_site)


@dataclass
class BuiltSite:
    dir: Path  # the built site
    log: list[logging.LogRecord]  # every record logged on mkdocs.* during the build

    def html_pages(self) -> list[Path]:
        return sorted(self.dir.rglob("*.html"))

    def page(self, url_path: str) -> Path:
        """The file for a site URL such as 'tecnicas/emulacion/'."""
        path = self.dir / url_path
        return path / "index.html" if url_path.endswith("/") or not url_path else path


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    """Build the real project strictly, in process, once per session."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = tmp_path_factory.mktemp("site")
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    # INFO as `mkdocs build` logs (its CLI sets it): not whatever an earlier test left.
    level = logger.level
    logger.setLevel(logging.INFO)
    cwd = os.getcwd()
    os.chdir(ROOT)  # snippets' base_path is relative to the working directory
    try:
        config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
        build(config)
    finally:
        os.chdir(cwd)
        logger.removeHandler(handler)
        logger.setLevel(level)
    return BuiltSite(site_dir, handler.records)


@pytest.fixture(scope="session")
def handout_texts(built_site) -> list[str]:
    """The text of every page of the built handout, read once per session (pypdf is slow)."""
    from pypdf import PdfReader

    pdf = built_site.dir / "descargas" / "introduccion-virtualizacion.pdf"
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def copy_project(dest: Path) -> Path:
    """A copy of the project's sources (no site/, no .venv) for builds that change them."""
    ignore = shutil.ignore_patterns(".venv", "site", ".site-build", ".git", "__pycache__",
                                    ".pytest_cache", ".hypothesis", "node_modules",
                                    "dist", ".cache")
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


def run_build(project: Path, site_dir: Path, **env) -> subprocess.CompletedProcess:
    """Build a project in a subprocess, strictly; returns the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project, capture_output=True, text=True, timeout=600,
        # The copies share the project's handout cache: the same inputs give the same PDF, so
        # a copy that changes no page reuses it (tests of the cache pass a folder of their own).
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1",
             "VIRTCURSO_CACHE_DIR": str(ROOT / ".cache" / "handout"), **env},
    )


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory) -> Path:
    """Run the script behind `make offline` into a temp zip, then unpack it."""
    work = tmp_path_factory.mktemp("offline")
    archive = work / "offline.zip"
    # Without the PDF: these tests check the pages opened from disk (search, links), and the
    # offline pages would cost a second cold render of the handout.
    done = subprocess.run([sys.executable, "scripts/offline.py", str(archive)], cwd=ROOT,
                          capture_output=True, text=True, timeout=900,
                          env={**os.environ, "VIRTCURSO_PDF": "false"})
    assert done.returncode == 0, done.stdout + done.stderr
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(work / "unpacked")
    (top,) = (work / "unpacked").iterdir()  # one top folder, not files spilled in the cwd
    return top
