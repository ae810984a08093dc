"""Interim generated pages (replaced by the generated-pages issue)."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Course


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    content: str
    edit_uri: str | None = None


_SECTIONS = {"tecnicas/": "tecnicas/index.md", "sistemas/": "sistemas/index.md"}


def expand_nav(nav, course: Course):
    return [
        {title: _SECTIONS.get(target, target)} if isinstance(target, str) else {title: target}
        for item in nav
        for title, target in item.items()
    ]


def generated_pages(course: Course) -> list[GeneratedPage]:
    return [
        GeneratedPage("tecnicas/index.md", "# Técnicas de virtualización\n"),
        GeneratedPage("sistemas/index.md", "# Sistemas\n"),
    ]


def expand_markers(markdown: str, src_uri: str, course: Course) -> str:
    return markdown
