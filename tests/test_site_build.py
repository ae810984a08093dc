"""The real site builds strictly, makes no third-party requests and has the basics per page."""

from __future__ import annotations

import logging

from bs4 import BeautifulSoup
from conftest import copy_project, run_build


def test_build_logs_no_warning(built_site):
    problems = [r.getMessage() for r in built_site.log if r.levelno >= logging.WARNING]
    assert problems == []


def test_every_page_has_lang_title_and_description(built_site):
    pages = built_site.html_pages()
    assert len(pages) >= 10
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        where = path.relative_to(built_site.dir)
        assert soup.html.get("lang") == "es", where
        assert soup.title and soup.title.get_text(strip=True), where
        meta = soup.find("meta", attrs={"name": "description"})
        assert meta and meta.get("content", "").strip(), where


def test_broken_link_fails_build_naming_the_file(tmp_path):
    project = copy_project(tmp_path / "project")
    chapter = project / "docs" / "conceptos.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n[roto](no-existe.md)\n",
                       encoding="utf-8")
    result = run_build(project, tmp_path / "out", VIRTCURSO_PDF="false")  # the site's check
    assert result.returncode == 1
    assert "conceptos.md" in result.stderr and "no-existe.md" in result.stderr


def test_broken_anchor_fails_build_naming_the_file(tmp_path):
    project = copy_project(tmp_path / "project")
    chapter = project / "docs" / "hipervisores.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n[ancla](conceptos.md#no-hay)\n",
                       encoding="utf-8")
    # Without the PDF: anchors are checked after the handout would already have been rendered.
    result = run_build(project, tmp_path / "out", VIRTCURSO_PDF="false")
    assert result.returncode == 1
    assert "hipervisores.md" in result.stderr and "#no-hay" in result.stderr


def test_online_pages_do_not_load_the_offline_only_shim(built_site):
    for path in built_site.html_pages():
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        scripts = [s["src"] for s in soup.find_all("script", src=True)]
        assert not [s for s in scripts if "iframe-worker" in s], path.relative_to(built_site.dir)


def test_misspelt_marker_is_reported_at_its_line_in_the_file(tmp_path):
    # The front matter of comparativa.md counts: the line is the one the editor shows.
    project = copy_project(tmp_path / "project")
    chapter = project / "docs" / "comparativa.md"
    lines = chapter.read_text(encoding="utf-8").splitlines()
    at = lines.index("# Cuadro comparativo") + 2  # a line of the body, below the front matter
    lines[at:at] = ["<!-- virtcurso:comparacion -->", ""]
    chapter.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_build(project, tmp_path / "out", VIRTCURSO_PDF="false")
    assert result.returncode == 1
    expected = f"docs/comparativa.md:{at + 1}:1: marcador desconocido 'virtcurso:comparacion'"
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
