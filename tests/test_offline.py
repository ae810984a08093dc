"""`make offline`: a zip of the site that works opened from disk (file://), search included."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
SHIM = "assets/js/vendor/iframe-worker/shim.js"

pytestmark = pytest.mark.slow


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def local_targets(page: Path, soup: BeautifulSoup):
    """(attribute value, resolved path) for every link and asset that stays on the disk."""
    for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
        for element in soup.find_all(tag, attrs={attr: True}):
            parts = urlsplit(element[attr])
            if parts.scheme or parts.netloc or not parts.path:
                continue  # remote links to read elsewhere, mailto:, or a #fragment on this page
            yield element[attr], (page.parent / unquote(parts.path)).resolve()


def test_every_internal_link_names_an_existing_file(offline_site):
    """Opened from disk there is no server to map `page/` to `page/index.html`."""
    broken = []
    for page in pages(offline_site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for value, target in local_targets(page, soup):
            if not target.is_file():
                broken.append(f"{page.relative_to(offline_site)}: {value}")
    assert broken == []


def test_links_name_html_files_not_folders(offline_site):
    folder_links = []
    for page in pages(offline_site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        folder_links += [f"{page.relative_to(offline_site)}: {value}"
                         for value, target in local_targets(page, soup)
                         if not Path(urlsplit(value).path).suffix]
    assert folder_links == []


def test_home_page_links_to_every_chapter_as_html(offline_site):
    home = offline_site / "index.html"
    soup = BeautifulSoup(home.read_text(encoding="utf-8"), "html.parser")
    linked = {target for _, target in local_targets(home, soup)}
    chapters = {path.resolve() for path in offline_site.glob("*.html")}
    assert len(chapters) > 1 and chapters <= linked


def test_no_remote_scripts_or_styles_and_no_unpkg(offline_site):
    offenders = []
    for page in pages(offline_site):
        text = page.read_text(encoding="utf-8")
        soup = BeautifulSoup(text, "html.parser")
        loaded = [s["src"] for s in soup.find_all("script", src=True)]
        loaded += [link["href"] for link in soup.find_all("link", href=True)
                   if {"stylesheet", "preload", "modulepreload"} & set(link.get("rel", []))]
        offenders += [f"{page.name}: {url}" for url in loaded if urlsplit(url).netloc]
        offenders += [f"{page.name}: mentions unpkg"] if "unpkg" in text else []
    assert offenders == []


def test_the_iframe_worker_shim_is_vendored_and_loaded(offline_site):
    assert (offline_site / SHIM).is_file()
    soup = BeautifulSoup((offline_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert SHIM in [script["src"] for script in soup.find_all("script", src=True)]


def test_search_index_is_inlined_as_a_script(offline_site):
    """Browsers refuse fetch() over file://, so the index must also come as a script."""
    data = (offline_site / "search" / "search_index.json").read_text(encoding="utf-8")
    script = (offline_site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert json.loads(data)["docs"]
    assert script == f"var __index = {data}"
