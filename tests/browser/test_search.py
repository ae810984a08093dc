"""Material's search (lunr in a web worker, Spanish) finds each technique's page."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

RESULT_LINKS = "[data-md-component=search-result] .md-search-result__list a"


@pytest.mark.parametrize(("query", "slug"), [
    ("paravirtualización", "paravirtualizacion"),
    ("contenedores", "contenedores"),
    ("emulación", "emulacion"),
])
def test_spanish_search_finds_the_technique_page(page, site_url, query, slug):
    expected = urljoin(site_url, f"tecnicas/{slug}/")
    page.goto("./")
    page.locator("input[data-md-component=search-query]").click()
    page.keyboard.type(query)
    try:  # the worker answers asynchronously: wait for the result we want
        page.wait_for_function(
            """([selector, expected]) => [...document.querySelectorAll(selector)]
                 .some(a => a.href.split(/[?#]/)[0] === expected)  // search.highlight adds ?h=""",
            arg=[RESULT_LINKS, expected], timeout=10_000)
    except PlaywrightTimeout:
        found = page.eval_on_selector_all(RESULT_LINKS, "links => links.map(a => a.href)")
        paths = sorted({urlsplit(url).path for url in found})
        pytest.fail(f"search for {query!r} gave no link to {expected}; results: {paths}")
