"""Browser fixtures: the built site on 127.0.0.1, one headless Chromium per session, one
browser context per test. Every context blocks and records requests that leave the site."""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .server import serve_site
from .site_layout import page_path, site_prefix

# Debian's Chromium: Playwright's own browser download does not work on this project's machines.
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    # Belt and braces: even a request the tests failed to catch cannot reach another host.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
AXE_VERSION = "4.14.1"  # keep in step with vendor/README.md
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TIMEOUT_MS = 15_000


def find_chromium() -> str | None:
    """The Chromium to drive: $VIRTCURSO_CHROMIUM, else the first candidate on this machine."""
    for candidate in (os.environ.get("VIRTCURSO_CHROMIUM"), *CHROMIUM_CANDIDATES):
        found = candidate and (shutil.which(candidate) or None)
        if found:
            return found
    return None


def _no_browser(reason: str):
    """Skip locally; under CI=true a missing browser must fail the run, never skip it."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}. CI=true: the browser tests must run here (.ci/run installs "
                    "the Debian package 'chromium').", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (install Debian's 'chromium' to run them)")


def chromium_or_skip() -> str:
    """The Chromium to use; a skip (locally) or a failure (CI=true) when there is none."""
    path = find_chromium()
    if path is None:
        _no_browser(f"no Chromium found (looked for $VIRTCURSO_CHROMIUM, "
                    f"{', '.join(CHROMIUM_CANDIDATES)})")
    return path


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    return chromium_or_skip()


@pytest.fixture(scope="session")
def browser(chromium_executable):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("the Python package 'playwright' is not installed (requirements-dev.txt)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_executable,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site_dir(request) -> Path:
    """The site under test: $VIRTCURSO_TEST_SITE (e.g. site/ after `make`), else a fresh build."""
    existing = os.environ.get("VIRTCURSO_TEST_SITE")
    if existing:
        return Path(existing).resolve()
    return request.getfixturevalue("built_site").dir


@pytest.fixture(scope="session")
def site_url(site_dir) -> str:
    """The base URL of the site under test, served under its published prefix."""
    with serve_site(site_dir, site_prefix()) as url:
        yield url


@pytest.fixture(scope="session")
def site_pages(site_dir) -> list[str]:
    """URL paths (relative to site_url) of every HTML page of the site under test."""
    return [page_path(site_dir, html) for html in sorted(site_dir.rglob("*.html"))]


@dataclass
class Watch:
    """What the pages of one context did, keyed by the page being visited at the time."""

    origin: str
    current: str = ""
    foreign: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    console: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def leaves_site(self, url: str) -> bool:
        parts = urlsplit(url)
        # data:, blob: and about: never touch the network.
        return parts.scheme not in ("data", "blob", "about") and \
            f"{parts.scheme}://{parts.netloc}" != self.origin

    def attach(self, page) -> None:
        page.on("request", self._on_request)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console[self.current].append(f"{error}"))

    def _on_request(self, request) -> None:
        if self.leaves_site(request.url):
            self.foreign[self.current].append(f"{request.resource_type} {request.url}")

    def _on_console(self, message) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.console[self.current].append(f"{message.text} ({where})")


def new_guarded_context(browser, site_url: str, **options):
    """A context whose requests to any other origin are recorded and aborted."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    watch = Watch(origin)
    context = browser.new_context(base_url=site_url, locale="es-ES", **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.route(watch.leaves_site, lambda route: route.abort("blockedbyclient"))
    context.on("page", watch.attach)
    return context, watch


@pytest.fixture
def open_context(browser, site_url):
    """Factory: open_context(**new_context_options) -> (context, watch); closed after the test."""
    contexts = []

    def factory(**options):
        context, watch = new_guarded_context(browser, site_url, **options)
        contexts.append(context)
        return context, watch

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_context):
    """A page in a fresh light-scheme desktop context."""
    context, _ = open_context(color_scheme="light")
    return context.new_page()


def run_axe(page) -> list[dict]:
    """axe-core's WCAG 2.x A/AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=AXE_SOURCE)
    return page.evaluate(
        """async (tags) => {
          const result = await axe.run(document, {
            runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' +
                                           n.failureSummary.replace(/\\s+/g, ' '))}));
        }""",
        AXE_TAGS,
    )
