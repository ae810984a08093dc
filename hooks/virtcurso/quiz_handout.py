"""The question bank in the printed handout (the website is left as it is).

After each page with questions, the handout prints them (options with a letter and a box, no
answers), under the page's own «Autoevaluación» heading; the site's interactive block is
already left out (`data-handout="omit"`). A «Soluciones» appendix, a page that exists only in
the handout, gives the correct options and why, and links back to each question. The practice
exam, interactive only, becomes a pointer to the web that the teachers' page follows on the
same sheet.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence

from .handout import HandoutJob, HandoutPage
from .quiz_model import QuestionBank
from .render import environment, render

SOLUTIONS_URL = "soluciones/"
SOLUTIONS_SOURCE = "soluciones (folleto)"
EXAM_SOURCE = "autoevaluacion/index.md"
TEACHERS_SOURCE = "autoevaluacion/docentes.md"
LETTERS = "abcdefghijklmnopqrstuvwxyz"
# The heading quiz/block.html puts before the site's block, as MkDocs renders it.
_QUIZ_HEADING = re.compile(r'<h2 id="autoevaluacion"[^>]*>.*?</h2>', re.DOTALL)


def with_quiz(job: HandoutJob, bank: QuestionBank, titles: Mapping[str, str],
              exam_size: int) -> HandoutJob:
    """The job with every page's questions printed, the exam page as a pointer to the web and
    the «Soluciones» appendix at the end."""
    env = environment()
    solutions = "/" + SOLUTIONS_URL
    pages = [_printed_page(env, page, bank, solutions) for page in job.pages]
    pages = [_exam_page(env, page, job, bank, exam_size, solutions) for page in pages]
    urls = {page.src_uri: page.url for page in job.pages}
    return dataclasses.replace(job, pages=[*pages, solutions_page(env, bank, titles, urls)])


def _printed_page(env, page: HandoutPage, bank: QuestionBank, solutions: str) -> HandoutPage:
    quiz = bank.for_page(page.src_uri)
    if quiz is None:
        return page
    block = render(env, "quiz/printed.html", questions=quiz.questions, solutions=solutions)
    return dataclasses.replace(page, html=insert_after_quiz_heading(page.html, block))


def insert_after_quiz_heading(html: str, block: str) -> str:
    """`block` right after the page's «Autoevaluación» heading, or at the end without one."""
    heading = _QUIZ_HEADING.search(html)
    if heading is None:
        return f"{html}\n{block}"
    return f"{html[:heading.end()]}\n{block}{html[heading.end():]}"


def _exam_page(env, page: HandoutPage, job: HandoutJob, bank: QuestionBank, size: int,
               solutions: str) -> HandoutPage:
    """The exam says where to take it; the teachers' page goes on the same sheet after it."""
    if page.src_uri == TEACHERS_SOURCE:
        return dataclasses.replace(page, flow=True)
    if page.src_uri != EXAM_SOURCE:
        return page
    url = job.meta.site_url.rstrip("/") + "/" + page.url
    html = render(env, "quiz/exam_printed.html", size=size, total=len(bank.questions),
                  url=url, solutions=solutions)
    return dataclasses.replace(page, html=html)


def solutions_page(env, bank: QuestionBank, titles: Mapping[str, str],
                   urls: Mapping[str, str]) -> HandoutPage:
    """The appendix: every page's questions in bank order, with their correct options."""
    pages: Sequence = [quiz for quiz in bank.pages if quiz.page in urls]
    html = render(env, "quiz/solutions.html", pages=pages, titles=titles, urls=urls,
                  letters=LETTERS)
    return HandoutPage(SOLUTIONS_URL, SOLUTIONS_SOURCE, html)
