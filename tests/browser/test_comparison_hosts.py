"""The comparison table's «Anfitrión» filter: chosen with the keyboard, opened from a link
(comparativa/?anfitrion=windows, as the «¿Qué sistema elijo?» guide does), written back to the
address, and free of axe violations in both palettes. Expected rows come from
data/hypervisors.yml read here, with a rule of the test's own: a host written «Sobre el
hardware...» means bare metal; any other host names the systems it mentions."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from .conftest import run_axe
from .site_layout import ROOT
from .test_comparison_table import TABLE, VISIBLE_IDS, _choose_with_arrows, _tab_to

pytestmark = pytest.mark.browser

URL = "comparativa/"
# The words each filter value looks for in a host string (lower case).
WORDS = {"linux": ("linux",), "windows": ("windows",), "macos": ("macos",)}


def _is_bare_metal(host: str) -> bool:
    return host.casefold().startswith("sobre el hardware")


def _runs_on(system: dict, kind: str) -> bool:
    hosts = system["hosts"]
    if kind == "metal":
        return any(_is_bare_metal(h) for h in hosts)
    return any(word in h.casefold() for h in hosts if not _is_bare_metal(h) for word in WORDS[kind])


@pytest.fixture(scope="module")
def data() -> list[dict]:
    text = (ROOT / "data" / "hypervisors.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["systems"]


def _expected(data, kind: str) -> list[str]:
    return sorted(s["id"] for s in data if _runs_on(s, kind))


def _open(page, query: str = ""):
    page.goto(URL + query)
    page.locator(".vc-comparison--enhanced").wait_for()  # the script has applied the address
    return page.locator("[data-vc-comparison]").get_by_label("Anfitrión", exact=True)


def _visible(page) -> list[str]:
    return sorted(page.eval_on_selector_all(f"{TABLE} tbody tr", VISIBLE_IDS))


def _query(page) -> dict:
    return parse_qs(urlsplit(page.url).query)


@pytest.mark.parametrize("kind", ["windows", "linux", "macos", "metal"])
def test_a_link_opens_the_table_filtered_by_host(page, data, kind):
    control = _open(page, f"?anfitrion={kind}")
    expected = _expected(data, kind)
    assert expected, f"the data has no system for {kind}: the test would prove nothing"
    assert control.input_value() == kind
    assert _visible(page) == expected
    status = page.locator("[data-vc-comparison] [role=status]")
    assert status.inner_text().startswith(f"{len(expected)} de {len(data)} ")


def test_an_unknown_host_in_the_address_shows_every_system(page, data):
    control = _open(page, "?anfitrion=amiga")
    assert control.input_value() == ""
    assert _visible(page) == sorted(s["id"] for s in data)


def test_choose_a_host_with_the_keyboard_and_share_the_address(page, data):
    control = _open(page)
    assert "anfitrion" not in _query(page)
    _tab_to(page, control)
    _choose_with_arrows(page, control, "windows")
    assert _visible(page) == _expected(data, "windows")
    assert _query(page)["anfitrion"] == ["windows"]
    _choose_with_arrows_up(page, control, "")
    assert _visible(page) == sorted(s["id"] for s in data)
    assert "anfitrion" not in _query(page)


def _choose_with_arrows_up(page, select, value: str) -> None:
    for _ in range(len(select.locator("option").all())):
        if select.input_value() == value:
            return
        page.keyboard.press("ArrowUp")
    assert select.input_value() == value


def test_host_filter_combines_with_the_other_filters(page, data):
    _open(page, "?anfitrion=linux")
    form = page.locator("[data-vc-comparison]")
    form.get_by_label("Licencia", exact=True).select_option("libre")
    expected = sorted(s["id"] for s in data
                      if _runs_on(s, "linux") and s["license"]["kind"] == "libre")
    assert _visible(page) == expected


@pytest.mark.parametrize("scheme, palette", [("light", "default"), ("dark", "slate")])
def test_filtered_table_has_no_axe_violations(open_context, scheme, palette):
    context, _ = open_context(color_scheme=scheme)
    page = context.new_page()
    control = _open(page, "?anfitrion=windows")
    assert page.locator("body").get_attribute("data-md-color-scheme") == palette
    control.focus()
    assert run_axe(page) == []


@pytest.mark.parametrize("kind", ["windows", "linux", "macos", "metal"])
def test_the_guide_links_to_the_filtered_table(page, data, kind):
    """«¿Qué sistema elijo?» links to each host's view; following the link filters the table."""
    page.goto("elegir/")
    link = page.locator(f"article a[href$='comparativa/?anfitrion={kind}']")
    assert link.count() == 1, f"the guide has no single link to the {kind} view"
    link.click()
    page.locator(".vc-comparison--enhanced").wait_for()
    control = page.locator("[data-vc-comparison]").get_by_label("Anfitrión", exact=True)
    assert control.input_value() == kind
    assert _visible(page) == _expected(data, kind)
