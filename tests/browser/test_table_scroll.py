"""On a phone (360-412 px) the tables that scroll sideways are reachable by keyboard: axe-core
finds no WCAG violation (scrollable-region-focusable among them) on any page with a table, Tab
reaches a scrolling table and the arrow keys scroll it; on a wide screen a table that fits is no
tab stop."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from .conftest import AXE_SOURCE, run_axe
from .site_layout import page_path

pytestmark = pytest.mark.browser

# 360 px is the narrowest phone: every table that scrolls at 412 px also scrolls there.
PHONE_WIDTHS = (360,)
SYSTEMS = "sistemas/"  # the pages of the systems, one per row of data/hypervisors.yml
# A chapter whose tables (four and five columns) are wider than a phone.
WIDE_TABLES_PAGE = "redes/"

# Boxes inside the content that scroll sideways and hold a table, as the browser lays them out.
_SCROLLING_TABLES = """() => [...document.querySelectorAll('.md-content *')]
  .filter(el => el.querySelector('table') && el.scrollWidth > el.clientWidth + 1 &&
                ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
  .filter((el, _, all) => !all.some(other => other !== el && el.contains(other)))
  .map(el => el.querySelector('table').rows[0].textContent.replace(/\\s+/g, ' ').trim())"""


class _TableFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables = 0

    def handle_starttag(self, tag, attrs) -> None:
        self.tables += tag == "table"


@pytest.fixture(scope="module")
def table_pages(site_dir) -> list[str]:
    """URL paths of the built pages that contain a table. The systems' pages all come from one
    template (test_every_page runs axe on each of them): only the longest one is kept."""
    found, systems = [], []
    for html in sorted(site_dir.rglob("*.html")):
        finder = _TableFinder()
        text = html.read_text(encoding="utf-8")
        finder.feed(text)
        if finder.tables:
            path = page_path(site_dir, html)
            (systems if path.startswith(SYSTEMS) else found).append((len(text), path))
    longest_system = [max(systems)[1]] if systems else []
    return [path for _, path in found] + longest_system


@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_pages_with_tables_pass_axe_on_a_phone(open_context, table_pages, width):
    assert WIDE_TABLES_PAGE in table_pages, table_pages
    context, _ = open_context(viewport={"width": width, "height": 800}, color_scheme="light")
    context.add_init_script(AXE_SOURCE)
    page = context.new_page()
    problems, scrolling = [], 0
    for path in table_pages:
        page.goto(path or "./", wait_until="load")
        scrolling += len(page.evaluate(_SCROLLING_TABLES))
        problems += [f"/{path}: {v['id']} ({v['count']}): {v['nodes']}" for v in run_axe(page)]
    assert scrolling, f"no table scrolls sideways at {width} px: this test would prove nothing"
    assert not problems, "\n".join(problems)


def _tab_to_a_scrolling_table(page, limit: int = 300) -> dict | None:
    """Press Tab until the focused element is a box that scrolls a table sideways."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
          const el = document.activeElement;
          return el && el.querySelector && el.querySelector('table') &&
                 el.scrollWidth > el.clientWidth + 1
            ? {name: el.getAttribute('aria-label') || '', left: el.scrollLeft} : null;
        }""")
        if focused:
            return focused
    return None


def test_tab_reaches_a_wide_table_and_the_arrow_keys_scroll_it(open_context):
    context, _ = open_context(viewport={"width": 360, "height": 800}, color_scheme="light")
    page = context.new_page()
    page.goto(WIDE_TABLES_PAGE, wait_until="load")
    focused = _tab_to_a_scrolling_table(page)
    assert focused, "Tab never reached a table that scrolls sideways"
    assert focused["name"].startswith("Tabla"), focused
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    # Keyboard scrolling may be animated: wait until the box has moved (or time out and fail).
    page.wait_for_function("left => document.activeElement.scrollLeft > left", arg=focused["left"])


def test_tables_that_fit_on_a_wide_screen_are_no_tab_stop(open_context):
    context, _ = open_context(viewport={"width": 1600, "height": 900}, color_scheme="light")
    page = context.new_page()
    page.goto(WIDE_TABLES_PAGE, wait_until="load")
    stops = page.evaluate("""() => [...document.querySelectorAll('.md-content *')]
      .filter(el => el.querySelector('table') && el.tabIndex >= 0 &&
                    el.scrollWidth <= el.clientWidth + 1)
      .map(el => el.className)""")
    assert page.evaluate("document.querySelectorAll('.md-content table').length") >= 2
    assert not stops, f"tables that fit but take focus: {stops}"
