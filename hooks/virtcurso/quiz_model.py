"""The question bank's typed model: what `data/preguntas.yml` holds once loaded and validated.

Questions written by hand and questions generated from `data/hypervisors.yml` end up as the
same frozen `Question`, so the pages, the practice exam and the Moodle and GIFT exports read
one kind of object and never the raw YAML.
"""

from __future__ import annotations

from dataclasses import dataclass

QUESTION_TYPES: tuple[str, ...] = ("single", "multiple", "truefalse")
DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
DIFFICULTY_WORDS = {"easy": "básica", "medium": "media", "hard": "avanzada"}
TRUE_FALSE_WORDS = ("Verdadero", "Falso")


@dataclass(frozen=True)
class Option:
    text: str  # plain text, shown as is
    correct: bool
    feedback: str  # why this option is right or wrong


@dataclass(frozen=True)
class Question:
    id: str  # stable across builds: Moodle's idnumber, the page's anchor
    page: str  # the docs-relative page it belongs to ("conceptos.md")
    type: str  # one of QUESTION_TYPES
    text: str
    options: tuple[Option, ...]  # true/false: (Verdadero, Falso), in that order
    section: str  # what it tests: "conceptos.md#aislamiento"
    difficulty: str  # one of DIFFICULTIES
    line: int  # where it is written in data/preguntas.yml
    generated: bool = False  # built from data/hypervisors.yml
    section_at: tuple[int, int] = (0, 0)  # line and column of what sets the section

    @property
    def correct(self) -> tuple[int, ...]:
        """Positions (from 0) of the correct options."""
        return tuple(i for i, option in enumerate(self.options) if option.correct)

    @property
    def answer(self) -> bool:
        """For true/false questions: whether the statement is true."""
        return self.options[0].correct


@dataclass(frozen=True)
class PageQuiz:
    page: str
    questions: tuple[Question, ...]
    at: tuple[int, int] = (0, 0)  # line and column of the page's key in data/preguntas.yml


@dataclass(frozen=True)
class QuestionBank:
    pages: tuple[PageQuiz, ...]  # in the order of data/preguntas.yml
    minimum: int  # questions every required page must have
    required: tuple[str, ...]  # pages that must have at least `minimum` questions

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for page in self.pages for q in page.questions)

    def for_page(self, page: str) -> PageQuiz | None:
        return next((p for p in self.pages if p.page == page), None)
