"""The question bank on the site: the «Autoevaluación» block of each page, the practice exam,
the teachers' page and the Moodle XML and GIFT downloads.

`QuizPages` is built once per build, when every page's Markdown is known (`outlines`): the
titles of pages and sections name the categories and the «para repasar» links, and
`problems()` says which questions point at a section that does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .errors import DataError, Problem
from .handout import HandoutJob
from .handout_site import format_size
from .markers import MarkerSlot, find_markers, splice
from .pages import COMPARISON_PAGE, GeneratedPage
from .quiz_export import ExportContext, gift_text, moodle_xml
from .quiz_handout import with_quiz
from .quiz_model import QuestionBank
from .quiz_sections import Outline, check_sections, outline
from .render import environment, relative, render

EXAM_PAGE = "autoevaluacion/index.md"
TEACHERS_PAGE = "autoevaluacion/docentes.md"
MOODLE_URI = "descargas/preguntas-moodle.xml"
GIFT_URI = "descargas/preguntas-gift.txt"
EXAM_SIZE = 10
QUIZ_DATA = "data/preguntas.yml"


@dataclass(frozen=True)
class Download:
    uri: str
    name: str
    format: str
    content: bytes
    count: int

    @property
    def size(self) -> str:
        return format_size(len(self.content))


class QuizPages:
    """Renders the bank's blocks, pages and downloads; one instance per build."""

    def __init__(self, bank: QuestionBank, outlines: Mapping[str, Outline], course_name: str,
                 site_url: str, data_prefix: str = "../"):
        self.bank = bank
        self.outlines = outlines
        self.data_prefix = data_prefix  # from the docs folder to the project root
        self.titles = {page: outlines[page].title if page in outlines else page
                       for page in [p.page for p in bank.pages]}
        self.reviews = {q.id: self._review(q.section) for q in bank.questions}
        self.export = ExportContext(course_name, site_url.rstrip("/") + "/", self.titles,
                                    self.reviews)
        self.env = environment()

    def _review(self, section: str) -> str:
        page, _, anchor = section.partition("#")
        outline = self.outlines.get(page)
        if outline is None:
            return section
        heading = outline.anchor_title(anchor)
        return f"{outline.title}: {heading}" if heading and heading != outline.title \
            else outline.title

    def problems(self, shown: str = QUIZ_DATA) -> list[Problem]:
        return check_sections(self.bank, self.outlines, shown)

    def expand(self, markdown: str, src_uri: str, docs_dir: str = "docs") -> str:
        """The page with its «Autoevaluación» block at its marker, or at the end."""
        quiz = self.bank.for_page(src_uri)
        if quiz is None:
            return markdown
        slots = [s for s in find_markers(markdown, f"{docs_dir}/{src_uri}", True)
                 if s.name == "quiz"] or [MarkerSlot("quiz", None)]
        block = render(self.env, "quiz/block.html", questions=quiz.questions, here=src_uri,
                       reviews=self.reviews, relative=relative)
        return splice(markdown, [(slots[0], block)])

    def handout(self, job: HandoutJob) -> HandoutJob:
        """The handout's job with the questions after each page and the «Soluciones» appendix."""
        return with_quiz(job, self.bank, self.titles, EXAM_SIZE)

    def downloads(self) -> list[Download]:
        count = len(self.bank.questions)
        return [
            Download(MOODLE_URI, "preguntas-moodle.xml", "Moodle XML",
                     moodle_xml(self.bank, self.export).encode(), count),
            Download(GIFT_URI, "preguntas-gift.txt", "GIFT",
                     gift_text(self.bank, self.export).encode(), count),
        ]

    def generated(self, downloads: list[Download]) -> list[GeneratedPage]:
        edit = f"{self.data_prefix}{QUIZ_DATA}"
        common = dict(pages=self.bank.pages, titles=self.titles, reviews=self.reviews,
                      relative=relative)
        exam = render(self.env, "quiz/exam.md", here=EXAM_PAGE, size=EXAM_SIZE,
                      total=len(self.bank.questions), questions=self.bank.questions, **common)
        teachers = render(self.env, "quiz/docentes.md", here=TEACHERS_PAGE,
                          downloads=downloads, questions_count=len(self.bank.questions),
                          course_name=self.export.course_name, exam_uri=EXAM_PAGE,
                          comparison_uri=COMPARISON_PAGE, prefix="virtcurso",
                          example_id=self.bank.questions[0].id, **common)
        return [GeneratedPage(EXAM_PAGE, exam, edit), GeneratedPage(TEACHERS_PAGE, teachers, edit)]


def build_quiz_site(bank: QuestionBank, markdown_of: Mapping[str, str], course_name: str,
                    site_url: str, data_prefix: str = "../"):
    """(QuizPages, generated pages, downloads) for a build whose pages' Markdown is
    `markdown_of` (src_uri -> text); DataError when a page or section of the bank is missing."""
    outlines = {uri: outline(text) for uri, text in markdown_of.items()}
    quiz = QuizPages(bank, outlines, course_name, site_url, data_prefix)
    problems = quiz.problems()
    if problems:
        raise DataError(problems)
    downloads = quiz.downloads()
    return quiz, quiz.generated(downloads), downloads
