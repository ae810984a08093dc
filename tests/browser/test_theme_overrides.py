"""Overridden Material partials stay copies of Material's, apart from the documented change."""

from __future__ import annotations

from pathlib import Path

import material

from .site_layout import ROOT

MATERIAL = Path(material.__file__).parent / "templates"


def _body(template: str) -> list[str]:
    """The template's lines after its leading {#- ... -#} comment."""
    lines = template.splitlines()
    return lines[lines.index("-#}") + 1:]


def test_search_partial_differs_from_material_only_by_the_dialog_name():
    ours = _body((ROOT / "overrides/partials/search.html").read_text(encoding="utf-8"))
    theirs = _body((MATERIAL / "partials/search.html").read_text(encoding="utf-8"))
    changed = [(a, b) for a, b in zip(ours, theirs, strict=True) if a != b]
    assert changed == [(
        '<div class="md-search" data-md-component="search" role="dialog"'
        ' aria-label="{{ lang.t(\'search\') }}">',
        '<div class="md-search" data-md-component="search" role="dialog">',
    )]
