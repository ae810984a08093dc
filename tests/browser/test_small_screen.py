"""At 360 px wide no page scrolls sideways; only a table's own container may scroll."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Content elements that stick out of the viewport without a scrolling container around them.
_OVERFLOW = """() => {
  const width = document.scrollingElement.clientWidth;
  const scrolls = el => {
    for (let a = el.parentElement; a && !a.matches('.md-content'); a = a.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return true;
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    [...el.classList].map(c => '.' + c).join('');
  const sticking = [...document.querySelectorAll('.md-content *')].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !scrolls(el);
  });
  return {scrollWidth: document.scrollingElement.scrollWidth, clientWidth: width,
          sticking: sticking.slice(0, 5).map(name)};
}"""


def test_nothing_scrolls_sideways_at_360px(open_context, site_pages):
    context, _ = open_context(viewport={"width": 360, "height": 740}, color_scheme="light")
    page = context.new_page()
    problems = []
    for path in site_pages:
        page.goto(path or "./")
        seen = page.evaluate(_OVERFLOW)
        if seen["scrollWidth"] > seen["clientWidth"] or seen["sticking"]:
            problems.append(f"/{path}: page {seen['scrollWidth']}px wide in a "
                            f"{seen['clientWidth']}px viewport; sticking out: {seen['sticking']}")
    assert not problems, "\n".join(problems)
