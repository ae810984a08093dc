"""The light/dark toggle switches the palette and the choice survives a reload and navigation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TOGGLE = "form[data-md-component=palette] label:visible"


def _background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_toggle_switches_palette_and_is_remembered(page):
    body = page.locator("body")
    page.goto("./")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    light = _background(page)

    page.locator(TOGGLE).click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    dark = _background(page)
    assert dark != light

    page.reload()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.goto("conceptos/")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    assert _background(page) == dark

    page.locator(TOGGLE).click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.reload()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    assert _background(page) == light
