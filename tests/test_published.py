"""Only what readers load goes into site/: no theme templates, no offline-only files.

Expectations come from the sources: the files under overrides/fragments/ and the pages' own
<link> and <script> tags, read with a parser.
"""

from __future__ import annotations

from bs4 import BeautifulSoup
from conftest import ROOT

# Material's own bundle loads these by itself (search worker, lunr languages).
THEME_ASSETS = ("assets/javascripts/", "assets/stylesheets/")


def _site_files(built_site) -> set[str]:
    return {path.relative_to(built_site.dir).as_posix()
            for path in built_site.dir.rglob("*") if path.is_file()}


def test_no_file_of_the_theme_fragments_is_published(built_site):
    fragments = ROOT / "overrides" / "fragments"
    sources = {path.relative_to(ROOT / "overrides").as_posix()
               for path in fragments.rglob("*") if path.is_file()}
    assert "fragments/virtcurso/handout/handout.css" in sources
    assert not sources & _site_files(built_site)
    assert not (built_site.dir / "fragments").exists()


def test_the_handout_fonts_are_not_published(built_site):
    names = {path.name for path in (ROOT / "fonts").rglob("*.ttf")}
    assert names, "no shipped fonts found"
    assert not {path.rsplit("/", 1)[-1] for path in _site_files(built_site)} & names


def test_every_stylesheet_and_script_is_loaded_by_a_page(built_site):
    loaded: set[str] = set()
    for path in built_site.html_pages():
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        refs = [link.get("href") for link in soup.select("link[rel~=stylesheet][href]")]
        refs += [script.get("src") for script in soup.select("script[src]")]
        for ref in refs:
            target = (path.parent / ref.split("?")[0].split("#")[0]).resolve()
            if target.is_relative_to(built_site.dir.resolve()):
                loaded.add(target.relative_to(built_site.dir.resolve()).as_posix())
    ours = {name for name in _site_files(built_site)
            if name.endswith((".css", ".js")) and not name.startswith(THEME_ASSETS)}
    assert ours, "the site has no stylesheets or scripts of its own"
    assert sorted(ours - loaded) == []
