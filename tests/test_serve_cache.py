"""`mkdocs serve` reuses each unchanged page's Markdown conversion and search entries between
rebuilds (virtcurso.page_cache, virtcurso.search_cache); what it builds and warns must not change.

Each test builds a copy of the real project in process, as `mkdocs serve` does (startup, then a
new config per rebuild), and compares with a plain `mkdocs build` of the same sources. Which pages
were really converted or indexed is seen by counting calls to MkDocs' `Page.render` and Material's
`SearchIndex.add_entry_from_context`, which the caches wrap.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import copy_project
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from virtcurso import rebuild


@dataclass
class Build:
    converted: list[str] = field(default_factory=list)  # pages whose Markdown was converted
    indexed: list[str] = field(default_factory=list)  # pages Material's search parsed
    warnings: list[str] = field(default_factory=list)
    aborted: bool = False


class _Warnings(logging.Handler):
    def __init__(self, into: list[str]):
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record):
        self.into.append(record.getMessage())


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    root = copy_project(tmp_path / "project")
    monkeypatch.chdir(root)  # snippets' base_path is relative to the working directory
    monkeypatch.setenv("VIRTCURSO_PDF", "false")
    yield root
    rebuild.stop()  # as `mkdocs serve` ends: nothing kept for the next test's builds


@pytest.fixture
def builder(project, monkeypatch, tmp_path):
    """build(command, strict): one build of the copy into tmp_path/<command>, counted."""
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.structure.pages import Page

    current = Build()
    render, index = Page.render, SearchIndex.add_entry_from_context

    def counted_render(page, config, files):
        current.converted.append(page.file.src_uri)
        return render(page, config, files)

    def counted_index(search_index, page):
        current.indexed.append(page.file.src_uri)
        return index(search_index, page)

    monkeypatch.setattr(Page, "render", counted_render)
    monkeypatch.setattr(SearchIndex, "add_entry_from_context", counted_index)
    started: set[str] = set()

    def run(command: str, strict: bool = True) -> Build:
        nonlocal current
        current = Build()
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / command),
                             strict=strict)
        if command not in started:  # MkDocs calls on_startup once per command line
            started.add(command)
            config.plugins.on_startup(command=command, dirty=False)
        handler = _Warnings(current.warnings)
        logging.getLogger("mkdocs").addHandler(handler)
        try:
            build(config)
        except Abort:
            current.aborted = True
        finally:
            logging.getLogger("mkdocs").removeHandler(handler)
        return current

    return run


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _site_files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for path in sorted(site.rglob("*")) if path.is_file()}


def test_a_rebuild_converts_only_the_edited_page_and_builds_the_same_site(project, builder,
                                                                         tmp_path):
    docs = project / "docs"
    # A page that names a snippet itself is converted on every rebuild (what it reads is unknown).
    with (docs / "creditos.md").open("a", encoding="utf-8") as file:
        file.write('\n--8<-- "_includes/abreviaturas.md"\n')
    cold = builder("serve")
    added = "Párrafo añadido para comprobar la reconstrucción de la vista previa."
    _edit(docs / "introduccion.md", "\n## ", f"\n{added}\n\n## ")
    warm = builder("serve")
    assert sorted(warm.converted) == ["creditos.md", "introduccion.md"]
    assert warm.indexed == ["introduccion.md"]  # the other pages' HTML did not change
    assert not (cold.aborted or warm.aborted), cold.warnings + warm.warnings

    served = _site_files(tmp_path / "serve")
    full = builder("build")  # what `mkdocs build` does: every page converted and indexed
    assert sorted(full.converted) == sorted(cold.converted)
    assert sorted(full.indexed) == sorted(cold.indexed)
    assert served == _site_files(tmp_path / "build")  # every page, the search index, the assets

    page = BeautifulSoup(served["introduccion/index.html"], "html.parser")
    assert added in [p.get_text() for p in page.select("article p")]
    index = json.loads(served["search/search_index.json"])
    assert any(added in entry["text"] for entry in index["docs"]
               if entry["location"].startswith("introduccion/"))


def test_a_removed_anchor_and_a_broken_link_still_warn_from_cached_pages(project, builder):
    docs = project / "docs"
    _edit(docs / "conceptos.md", "\n## ", "\nUn [enlace roto](no-existe.md).\n\n## ")
    linking = sorted(path.relative_to(docs).as_posix() for path in docs.rglob("*.md")
                     if "introduccion.md#migracion-en-vivo" in path.read_text(encoding="utf-8"))
    assert linking  # almacenamiento.md and glosario.md link to that section today
    builder("serve", strict=False)
    _edit(docs / "introduccion.md", "### Migración en vivo\n", "**Migración en vivo**\n")
    warm = builder("serve")  # strict: the warnings must still stop the build
    assert warm.converted == ["introduccion.md"]
    assert warm.aborted
    for page in linking:
        assert any(f"'{page}'" in message and "#migracion-en-vivo" in message
                   for message in warm.warnings), (page, warm.warnings)
    assert any("'conceptos.md'" in message and "no-existe.md" in message
               for message in warm.warnings)

    full = builder("build")
    assert full.aborted
    assert warm.warnings == full.warnings  # the same messages, in the same order


def test_an_edited_abbreviation_reaches_every_cached_page(project, builder, tmp_path):
    docs = project / "docs"
    _edit(docs / "conceptos.md", "\n## ", "\nLa sigla QWZX aparece en este capítulo.\n\n## ")
    builder("serve")
    with (docs / "_includes" / "abreviaturas.md").open("a", encoding="utf-8") as file:
        file.write("*[QWZX]: Sigla inventada para la prueba\n")  # auto-appended to every page
    warm = builder("serve")
    assert "conceptos.md" in warm.converted and not warm.aborted, warm.warnings
    page = BeautifulSoup((tmp_path / "serve" / "conceptos" / "index.html").read_bytes(),
                         "html.parser")
    titles = {abbr.get_text(): abbr.get("title") for abbr in page.select("article abbr")}
    assert titles.get("QWZX") == "Sigla inventada para la prueba"


def test_a_markdown_extension_of_unknown_inputs_turns_reuse_off():
    from virtcurso.page_cache import build_key

    config = {"markdown_extensions": ["toc", "abbr"], "mdx_configs": {}, "validation": {},
              "use_directory_urls": True}
    assert build_key(config, []) is not None
    config["markdown_extensions"].append("markdown_include.include")  # reads other files
    assert build_key(config, []) is None
