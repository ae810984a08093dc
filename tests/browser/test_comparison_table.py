"""The comparison table on /comparativa/ sorts and filters with the mouse and with the keyboard
alone. Expected rows and orders are computed here from data/hypervisors.yml."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pytest
import yaml

from .site_layout import ROOT

pytestmark = pytest.mark.browser

URL = "comparativa/"
TABLE = "[data-vc-comparison] table"
# The id of each visible row, read from its link to the system's page (sistemas/<id>/).
VISIBLE_IDS = """rows => rows.filter(row => row.checkVisibility()).map(row => row
  .querySelector('th a[href*="sistemas/"]').getAttribute('href').match(/sistemas\\/([^/]+)/)[1])"""
USED = {"yes", "partial"}  # a system "uses" a technique when it supports it fully or partly


def fold(text: str) -> str:
    """Lower case without accents: how a reader compares names."""
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class System:
    id: str
    name: str
    license: str
    support: dict[str, str]
    text: str  # what the free-text filter searches: name, developer, hosts, SPDX


def _support(statement) -> str:
    value = statement["support"] if isinstance(statement, dict) else statement
    return {True: "yes", False: "no"}.get(value, value)  # PyYAML reads bare yes/no as booleans


@pytest.fixture(scope="module")
def systems() -> dict[str, System]:
    data = yaml.safe_load((ROOT / "data" / "hypervisors.yml").read_text(encoding="utf-8"))
    return {s["id"]: System(
        s["id"], s["name"], s["license"]["kind"],
        {technique: _support(value) for technique, value in s["techniques"].items()},
        fold(" ".join([s["name"], s["developer"], *s.get("hosts", []),
                       s["license"].get("spdx") or ""])),
    ) for s in data["systems"]}


@pytest.fixture
def table_page(page):
    page.goto(URL)
    page.locator(f"{TABLE} tbody tr").first.wait_for()
    return page


def _visible(page) -> list[str]:
    return page.eval_on_selector_all(f"{TABLE} tbody tr", VISIBLE_IDS)


def _form(page):
    return page.locator("[data-vc-comparison]")


def _header(page, text: str):
    return page.locator(f"{TABLE} thead th").filter(has_text=re.compile(rf"^\s*{text}\s*$"))


def _tab_to(page, locator, limit: int = 400) -> None:
    """Press Tab from where the focus is until `locator` has it, as a keyboard user would."""
    target = locator.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("el => document.activeElement === el", target):
            return
    pytest.fail(f"{limit} presses of Tab never reached {locator}")


def _by_name(systems, ids, direction: str) -> list[str]:
    ordered = sorted(ids, key=lambda i: fold(systems[i].name))
    return ordered if direction == "ascending" else ordered[::-1]


def _groups(systems, ids, technique: str) -> list[str]:
    """The support values in the order their runs appear; each value must form one run."""
    runs = [systems[i].support[technique] for i in ids]
    groups = [value for n, value in enumerate(runs) if n == 0 or runs[n - 1] != value]
    assert len(groups) == len(set(groups)), f"rows not grouped by {technique}: {runs}"
    return groups


def _check_sorted_by_name(page, systems, header) -> str:
    direction = header.get_attribute("aria-sort")
    assert direction in ("ascending", "descending")
    shown = _visible(page)
    assert shown == _by_name(systems, systems.keys(), direction)
    return direction


def test_table_lists_every_system(table_page, systems):
    assert sorted(_visible(table_page)) == sorted(systems)


def test_sort_by_name_with_the_mouse(table_page, systems):
    header = _header(table_page, "Sistema")
    header.click()
    first = _check_sorted_by_name(table_page, systems, header)
    header.click()
    assert _check_sorted_by_name(table_page, systems, header) != first


def test_sort_by_technique_with_the_mouse(table_page, systems):
    header = _header(table_page, "Paravirtualización")
    header.click()
    groups = _groups(systems, _visible(table_page), "paravirtualization")
    if {"yes", "partial", "no"} <= set(groups):  # partial support sorts between yes and no
        assert sorted(["yes", "partial", "no"], key=groups.index) in (
            ["yes", "partial", "no"], ["no", "partial", "yes"])
    header.click()
    assert _groups(systems, _visible(table_page), "paravirtualization") == groups[::-1]


def test_sort_with_the_keyboard_alone(table_page, systems):
    header = _header(table_page, "Sistema")
    _tab_to(table_page, header)
    table_page.keyboard.press("Enter")
    first = _check_sorted_by_name(table_page, systems, header)
    table_page.keyboard.press(" ")
    assert _check_sorted_by_name(table_page, systems, header) != first


def _expected(systems, technique="", license="", text="") -> list[str]:
    return sorted(i for i, s in systems.items()
                  if (not technique or s.support[technique] in USED)
                  and (not license or s.license == license)
                  and all(word in s.text for word in fold(text).split()))


def test_filters_with_the_mouse(table_page, systems):
    technique = _form(table_page).get_by_label("Técnica", exact=True)
    license_kind = _form(table_page).get_by_label("Licencia", exact=True)
    technique.select_option("paravirtualization")
    assert sorted(_visible(table_page)) == _expected(systems, "paravirtualization")
    license_kind.select_option("libre")
    assert sorted(_visible(table_page)) == _expected(systems, "paravirtualization", "libre")
    technique.select_option("")
    _form(table_page).get_by_role("searchbox").click()
    table_page.keyboard.type("Linux")
    assert sorted(_visible(table_page)) == _expected(systems, "", "libre", "linux")
    license_kind.select_option("")
    _form(table_page).get_by_role("searchbox").fill("")
    assert sorted(_visible(table_page)) == sorted(systems)


def _choose_with_arrows(page, select, value: str) -> None:
    """Move a focused <select> to `value` with ArrowDown, as a keyboard user would."""
    for _ in range(len(select.locator("option").all())):
        if select.input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    assert select.input_value() == value


def test_filters_with_the_keyboard_alone(table_page, systems):
    technique = _form(table_page).get_by_label("Técnica", exact=True)
    _tab_to(table_page, technique)
    _choose_with_arrows(table_page, technique, "containers")
    assert sorted(_visible(table_page)) == _expected(systems, "containers")
    license_kind = _form(table_page).get_by_label("Licencia", exact=True)
    _tab_to(table_page, license_kind)
    _choose_with_arrows(table_page, license_kind, "libre")
    assert sorted(_visible(table_page)) == _expected(systems, "containers", "libre")
    _tab_to(table_page, _form(table_page).get_by_role("searchbox"))
    table_page.keyboard.type("linux")
    assert sorted(_visible(table_page)) == _expected(systems, "containers", "libre", "linux")
