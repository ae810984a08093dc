"""Where the questions point: page outlines read from Markdown, and the check that every
question's `section` (page#anchor) and every page of the bank exist.

Anchors are computed like Python-Markdown's toc extension (the `slugify` it uses by default,
`_1` for a repeated heading, `{: #id }` attribute lists) plus any `id="..."` written in raw
HTML, which is how generated pages name their sections. MkDocs validates the links of the
quiz blocks again when it renders them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from markdown.extensions.toc import slugify, unique

from .errors import Problem
from .markers import _outside_fences
from .quiz_model import QuestionBank

_HEADING = re.compile(r"^(?P<level>#{1,6})[ \t]+(?P<text>.+?)[ \t#]*$")
_ATTRS = re.compile(r"\{:?(?P<attrs>[^{}]*)\}\s*$")
_ID_ATTR = re.compile(r"(?:^|\s)#(?P<id>[\w-]+)")
_HTML_ID = re.compile(r"""\sid=["'](?P<id>[^"'\s]+)["']""")
# Inline markup that does not reach a heading's text: {attr lists}, emphasis, code, links, tags.
_INLINE = [(re.compile(r"\{[^{}]*\}"), ""), (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
           (re.compile(r"<[^>]+>"), ""), (re.compile(r"[*_`]"), "")]


@dataclass(frozen=True)
class Outline:
    """A page as links see it: its title (first # heading) and its anchors with their titles."""

    title: str
    anchors: tuple[tuple[str, str], ...]  # (anchor, heading text); "" text for raw HTML ids

    def anchor_title(self, anchor: str) -> str | None:
        return next((text for found, text in self.anchors if found == anchor), None)


def plain_heading(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def outline(markdown: str) -> Outline:
    """The title and anchors of a page, from its Markdown (front matter ignored)."""
    title, anchors, used = "", [], set()
    for _, line in _outside_fences(_without_front_matter(markdown).splitlines()):
        heading = _HEADING.match(line)
        if heading:
            text, attrs = heading["text"], _ATTRS.search(heading["text"])
            explicit = _ID_ATTR.search(attrs["attrs"]) if attrs else None
            plain = plain_heading(text)
            anchor = explicit["id"] if explicit else unique(slugify(plain, "-"), used)
            used.add(anchor)
            anchors.append((anchor, plain))
            title = title or (plain if len(heading["level"]) == 1 else "")
        anchors += [(found["id"], "") for found in _HTML_ID.finditer(line)]
    return Outline(title, tuple(anchors))


def _without_front_matter(markdown: str) -> str:
    if markdown.startswith("---"):
        end = markdown.find("\n---", 3)
        if end != -1:
            return "\n" * markdown.count("\n", 0, end + 4) + markdown[end + 4:]
    return markdown


def check_sections(bank: QuestionBank, outlines: Mapping[str, Outline],
                   shown: str) -> list[Problem]:
    """A problem for each page of the bank or question section that does not exist."""
    pages = sorted(outlines)
    problems = []
    for quiz in bank.pages:
        if quiz.page not in outlines:
            message = f"página desconocida '{quiz.page}'{_hint(quiz.page, pages, 'docs/')}"
            problems.append(Problem(shown, *quiz.at, message))
    for question in bank.questions:
        page, _, anchor = question.section.partition("#")
        where = f"pregunta '{question.id}': sección '{question.section}'"
        if page not in outlines:
            message = f"{where}: la página no existe{_hint(page, pages, 'docs/')}"
        elif outlines[page].anchor_title(anchor) is None:
            anchors = [found for found, _ in outlines[page].anchors]
            message = f"{where}: la página no tiene esa sección{_hint(anchor, anchors, page)}"
        else:
            continue
        problems.append(Problem(shown, *question.section_at, message))
    return problems


def _hint(word: str, choices: list[str], where: str) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.7)
    if close:
        return f" (¿querías decir '{close[0]}'?)"
    shown = ", ".join(choices[:12]) + (", ..." if len(choices) > 12 else "")
    return f" (se esperaba una de {where}: {shown})"
