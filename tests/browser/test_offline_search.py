"""`make offline`: the zipped site, opened from disk (file://), finds pages with its search."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

SHIM = "assets/js/vendor/iframe-worker/shim.js"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def search_term(site: Path) -> tuple[str, str]:
    """A word from a chapter's title in the built index, and that chapter's file."""
    docs = json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    chapter = next(doc for doc in docs
                   if "#" not in doc["location"] and doc["location"] not in ("", "index.html")
                   and max(doc["title"].split(), key=len).isalpha())
    return max(chapter["title"].split(), key=len).lower(), chapter["location"]


def test_search_works_opened_from_disk(offline_site, browser, tmp_path, request):
    term, location = search_term(offline_site)
    copy = shutil.copytree(offline_site, tmp_path / "copia con espacio")  # as a user unzips it
    page = browser.new_page()
    request.addfinalizer(page.close)
    requests: list[str] = []
    page.on("request", lambda sent: requests.append(sent.url))
    page.goto((copy / "index.html").as_uri())
    page.keyboard.press("s")  # Material's shortcut that focuses the search box
    page.locator("input[data-md-component=search-query]").press_sequentially(term, delay=30)
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=20_000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any(urlsplit(href).path.endswith(location) for href in hrefs), (term, hrefs)
    assert [url for url in requests if not url.startswith("file://")] == []
    assert any(url.endswith(SHIM) for url in requests)
