"""Every page of the built site, in the light and the dark palette: it loads, nothing leaves the
site's origin, the console stays clean and axe-core finds no WCAG 2.x A/AA violation."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from .conftest import AXE_SOURCE, AXE_VERSION, new_guarded_context, run_axe

pytestmark = pytest.mark.browser

# Reader's colour preference -> the Material scheme the page must show.
SCHEMES = {"light": "default", "dark": "slate"}
# The system pages (30 and more) are one template filled from the data: axe checks the largest
# few, which carry every part of the template; every page is still loaded and watched.
SYSTEM_PAGES_FOR_AXE = 4


def axe_sample(site_dir, site_pages: list[str]) -> set[str]:
    """Every page but the system pages, plus the SYSTEM_PAGES_FOR_AXE largest of those."""
    systems = [p for p in site_pages if p.startswith("sistemas/") and p != "sistemas/"]
    largest = sorted(systems, key=lambda p: -(site_dir / p / "index.html").stat().st_size)
    return (set(site_pages) - set(systems)) | set(largest[:SYSTEM_PAGES_FOR_AXE])


@dataclass
class Sweep:
    palette: str
    statuses: dict[str, int] = field(default_factory=dict)
    schemes: dict[str, str] = field(default_factory=dict)
    violations: dict[str, list[dict]] = field(default_factory=dict)
    foreign: dict[str, list[str]] = field(default_factory=dict)
    console: dict[str, list[str]] = field(default_factory=dict)
    axe_version: str = ""


def _visit_all(page, watch, pages: list[str], checked: set[str], sweep: Sweep) -> None:
    for path in pages:
        watch.current = path
        response = page.goto(path or "./", wait_until="load")
        sweep.statuses[path] = response.status if response else 0
        sweep.schemes[path] = page.evaluate("document.body.dataset.mdColorScheme")
        if path in checked:
            sweep.violations[path] = run_axe(page)
    sweep.axe_version = page.evaluate("axe.version")


@pytest.fixture(scope="module", params=sorted(SCHEMES))
def sweep(request, browser, site_url, site_dir, site_pages) -> Sweep:
    """Visit every page once in one context per palette, sequentially, and record it all."""
    palette = request.param
    context, watch = new_guarded_context(browser, site_url, color_scheme=palette)
    context.add_init_script(AXE_SOURCE)  # faster than injecting it after each load
    try:
        result = Sweep(palette)
        _visit_all(context.new_page(), watch, site_pages, axe_sample(site_dir, site_pages),
                   result)
        result.foreign, result.console = dict(watch.foreign), dict(watch.console)
        return result
    finally:
        context.close()


def _report(title: str, problems: dict[str, list]) -> str:
    lines = [title]
    for path, items in sorted(problems.items()):
        lines += [f"  /{path}"] + [f"    {item}" for item in items]
    return "\n".join(lines)


def test_every_page_loads_in_the_expected_palette(sweep, site_pages):
    assert sweep.axe_version == AXE_VERSION
    assert sweep.statuses == {path: 200 for path in site_pages}
    wrong = {p: [s] for p, s in sweep.schemes.items() if s != SCHEMES[sweep.palette]}
    assert not wrong, _report(f"[{sweep.palette}] pages not in '{SCHEMES[sweep.palette]}'", wrong)


def test_no_request_leaves_the_site(sweep):
    foreign = {path: urls for path, urls in sweep.foreign.items() if urls}
    assert not foreign, _report(f"[{sweep.palette}] requests to other origins", foreign)


def test_no_console_errors(sweep):
    errors = {path: messages for path, messages in sweep.console.items() if messages}
    assert not errors, _report(f"[{sweep.palette}] console errors", errors)


def test_axe_sample_covers_every_kind_of_page(sweep, site_pages):
    kinds = {path.split("/")[0] for path in site_pages}
    assert {path.split("/")[0] for path in sweep.violations} == kinds
    assert sum(path.startswith("sistemas/") for path in sweep.violations) > SYSTEM_PAGES_FOR_AXE


def test_axe_finds_no_wcag_violation(sweep):
    found = {
        path: [f"{v['id']} ({v['impact']}, {v['count']} nodes): {v['help']}"
               + "".join(f"\n      {node}" for node in v["nodes"]) for v in violations]
        for path, violations in sweep.violations.items() if violations
    }
    assert not found, _report(f"[{sweep.palette}] axe-core {AXE_VERSION} violations", found)
