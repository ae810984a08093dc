"""`make offline`: a zip of the site that works opened from disk (file://), search included."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SHIM = "assets/js/vendor/iframe-worker/shim.js"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory) -> Path:
    """Run the script behind `make offline` into a temp zip, then unpack it."""
    work = tmp_path_factory.mktemp("offline")
    archive = work / "offline.zip"
    done = subprocess.run([sys.executable, "scripts/offline.py", str(archive)], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(work / "unpacked")
    (top,) = (work / "unpacked").iterdir()  # one top folder, not files spilled in the cwd
    return top


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


def search_term(site: Path) -> tuple[str, str]:
    """A word from a chapter's title in the built index, and that chapter's file."""
    docs = json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    chapter = next(doc for doc in docs
                   if "#" not in doc["location"] and doc["location"] not in ("", "index.html")
                   and max(doc["title"].split(), key=len).isalpha())
    return max(chapter["title"].split(), key=len).lower(), chapter["location"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: under CI the offline search must be tested")
        pytest.skip(f"{CHROMIUM} not found: offline search not tested (apt install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield launched
        launched.close()


def test_search_works_opened_from_disk(offline_site, browser, tmp_path):
    term, location = search_term(offline_site)
    copy = shutil.copytree(offline_site, tmp_path / "copia con espacio")  # as a user unzips it
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((copy / "index.html").as_uri())
    page.keyboard.press("s")  # Material's shortcut that focuses the search box
    page.locator("input[data-md-component=search-query]").press_sequentially(term, delay=30)
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=20_000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any(urlsplit(href).path.endswith(location) for href in hrefs), (term, hrefs)
    assert [url for url in requests if not url.startswith("file://")] == []
    assert any(url.endswith(SHIM) for url in requests)
