"""The question bank as downloads for teachers: Moodle XML and GIFT, from templates.

Both files are deterministic (bank order, no dates) and name every question by its stable id,
which becomes Moodle's idnumber. Text stays text: the templates HTML-escape it, because both
formats carry HTML to Moodle, and GIFT's own special characters are escaped on top.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from .quiz_model import DIFFICULTY_WORDS, Option, Question, QuestionBank
from .render import export_environment, render

PREFIX = "virtcurso"  # the top category's idnumber and a tag on every question
_GIFT_SPECIAL = "~=#{}:"


@dataclass(frozen=True)
class ExportContext:
    """What both exports need besides the bank."""

    course_name: str  # the top category: "Introducción a la virtualización"
    site_url: str  # absolute, with a trailing slash; links back to the course
    titles: Mapping[str, str]  # page -> its title (the category names)
    reviews: Mapping[str, str]  # question id -> the title of the section it tests


def category_path(*names: str) -> str:
    """Moodle's category path: "/" separates levels, so a "/" in a name is doubled."""
    return "/".join(["$course$", "top", *(name.replace("/", "//") for name in names)])


def category_id(page: str) -> str:
    return page.removesuffix(".md").replace("/", "-")


def fraction(question: Question, option: Option) -> str:
    """Moodle grades as percentages from its list (100, 50, 33.33333, ...); wrong options of a
    multiple-answer question take away what one right option gives."""
    if question.type != "multiple":
        return "100" if option.correct else "0"
    share = 100 / len(question.correct)
    return _number(share if option.correct else -share)


def _number(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def gift(text: str) -> Markup:
    """Plain text for a GIFT [html] field: HTML-escaped, then GIFT's specials backslashed."""
    escaped = html.escape(" ".join(text.split()), quote=False).replace("\\", "\\\\")
    for char in _GIFT_SPECIAL:
        escaped = escaped.replace(char, f"\\{char}")
    return Markup(escaped)


def gift_mark(question: Question, option: Option) -> str:
    if question.type == "single":
        return "=" if option.correct else "~"
    return f"~%{fraction(question, option)}%"


def page_url(site_url: str, target: str) -> str:
    """The published URL of "conceptos.md#aislamiento" (directory URLs, as the site uses)."""
    path, _, anchor = target.partition("#")
    stem = path.removesuffix(".md")
    stem = posixpath.dirname(stem) if posixpath.basename(stem) == "index" else stem
    url = site_url + (f"{stem}/" if stem else "")
    return f"{url}#{anchor}" if anchor else url


def _context(bank: QuestionBank, context: ExportContext) -> dict:
    return dict(pages=bank.pages, titles=context.titles, reviews=context.reviews,
                course_name=context.course_name, site_url=context.site_url, prefix=PREFIX,
                questions_count=len(bank.questions), difficulty_words=DIFFICULTY_WORDS,
                category_path=category_path, category_id=category_id, fraction=fraction,
                gift=gift, gift_mark=gift_mark,
                page_url=lambda target: page_url(context.site_url, target))


def moodle_xml(bank: QuestionBank, context: ExportContext) -> str:
    return render(export_environment(), "quiz/moodle.xml", **_context(bank, context))


def gift_text(bank: QuestionBank, context: ExportContext) -> str:
    return render(export_environment(), "quiz/gift.txt", **_context(bank, context))
