"""The question bank in the PDF handout, read back with pypdf from the real build.

Expectations come from data/preguntas.yml (read here with PyYAML, not with the course's loader)
and from the PDF itself: its outline, its named destinations and each page's text. Questions
generated from data/hypervisors.yml have no text in the bank; for those the loaded bank gives
the text (test_quiz_build checks it against the systems' data).
"""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import ROOT
from pypdf import PdfReader

PDF_PATH = "descargas/introduccion-virtualizacion.pdf"
TRUE_FALSE = ("Verdadero", "Falso")
REFERENCE = re.compile(r"Pregunta\s*(\d+)\s*\(pág\.\s*(\d+)\)")


def _key(text: str) -> str:
    """Text compared without spaces, line breaks and hyphens (a word may break anywhere)."""
    return re.sub(r"[\s\-\u2010\u00ad]", "", text)


def _bank_questions() -> list[dict]:
    """Every question as {page, number, id, text, options: [(text, correct, feedback)]}."""
    data = yaml.safe_load((ROOT / "data" / "preguntas.yml").read_text(encoding="utf-8"))
    generated = _generated_questions()
    found = []
    for page, items in data["pages"].items():
        for number, item in enumerate(items, start=1):
            question = {"page": page, "number": number, "id": item["id"]}
            question.update(generated[item["id"]] if "system" in item else _written(item))
            found.append(question)
    return found


def _written(item: dict) -> dict:
    if item["type"] == "truefalse":
        options = [(TRUE_FALSE[0], item["answer"] is True, item["feedback_true"]),
                   (TRUE_FALSE[1], item["answer"] is False, item["feedback_false"])]
    else:
        options = [(o["text"], o.get("correct", False), o["feedback"]) for o in item["options"]]
    return {"text": item["question"], "options": options}


def _generated_questions() -> dict[str, dict]:
    from virtcurso.loader import load_course
    from virtcurso.quiz_load import load_quiz

    bank = load_quiz(ROOT / "data", load_course(ROOT / "data"))
    return {q.id: {"text": q.text, "options": [(o.text, o.correct, o.feedback)
                                                for o in q.options]}
            for q in bank.questions if q.generated}


QUESTIONS = _bank_questions()


@pytest.fixture(scope="module")
def reader(built_site) -> PdfReader:
    return PdfReader(built_site.dir / PDF_PATH)


@pytest.fixture(scope="module")
def texts(reader, handout_texts) -> list[str]:
    assert len(handout_texts) == len(reader.pages)
    return [text.replace("\u00a0", " ") for text in handout_texts]


@pytest.fixture(scope="module")
def question_pages(reader) -> dict[str, int]:
    """Question id -> index of the PDF page its printed question starts on."""
    found = {}
    for name, dest in reader.named_destinations.items():
        match = re.search(r"--pregunta-(.+)$", name)
        if match:
            found[match[1]] = reader.get_destination_page_number(dest)
    return found


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, " ".join(item.title.split()),
                              reader.get_destination_page_number(item)))
    walk(reader.outline, 0)
    return found


def _chapter_range(outline, title: str) -> tuple[int, int]:
    """First and last page index of the outline entry `title` (up to its next sibling)."""
    index = next(i for i, (_, t, _) in enumerate(outline) if t == title)
    depth, _, start = outline[index]
    end = next((page for d, _, page in outline[index + 1:] if d <= depth), None)
    return start, end if end is not None else start


def _page_title(built_site, page: str) -> str:
    from bs4 import BeautifulSoup

    url = page.removesuffix(".md") + "/"
    html = (built_site.dir / url / "index.html").read_text(encoding="utf-8")
    heading = BeautifulSoup(html, "html.parser").select_one("article h1")
    for link in heading.select("a.headerlink"):
        link.decompose()
    return " ".join(heading.get_text().split())


# ---- the questions after each page ------------------------------------------------------------
def test_every_question_is_printed_after_its_page_with_every_option(
        reader, texts, question_pages, built_site):
    assert len(QUESTIONS) >= 80
    outline = _outline(reader)
    by_page: dict[str, list[dict]] = {}
    for question in QUESTIONS:
        by_page.setdefault(question["page"], []).append(question)
    for page, questions in by_page.items():
        start, end = _chapter_range(outline, _page_title(built_site, page))
        where = [question_pages.get(q["id"]) for q in questions]
        assert None not in where, f"{page}: a question is not printed"
        assert where == sorted(where), f"{page}: questions out of order"
        assert all(start <= w <= end for w in where), f"{page}: printed outside {start}-{end}"
        for question, at in zip(questions, where, strict=True):
            printed = _key(texts[at] + texts[min(at + 1, len(texts) - 1)])
            assert _key(question["text"]) in printed, question["id"]
            for text, _, _ in question["options"]:
                assert _key(text) in printed, f"{question['id']}: option {text!r} missing"


def test_no_feedback_is_printed_next_to_the_questions(texts, question_pages):
    for page in sorted({q["page"] for q in QUESTIONS}):
        questions = [q for q in QUESTIONS if q["page"] == page]
        where = [question_pages[q["id"]] for q in questions]
        # From the first question on (the chapter's prose before it may say the same things).
        printed = _key("".join(texts[min(where):max(where) + 1]))
        printed = printed[printed.index(_key(questions[0]["text"])):]
        for question in questions:
            for _, _, feedback in question["options"]:
                assert _key(feedback) not in printed, f"{question['id']}: feedback printed"


# ---- the «Soluciones» appendix -----------------------------------------------------------------
@pytest.fixture(scope="module")
def solutions(reader, texts) -> tuple[int, str]:
    """(first page index, text) of the appendix."""
    outline = _outline(reader)
    entry = [page for depth, title, page in outline if depth == 0 and title == "Soluciones"]
    assert entry, "no «Soluciones» bookmark"
    assert any(re.search(r"Soluciones\s*\.{3,}\s*\d+", t) for t in texts[1:8]), "not in the TOC"
    return entry[0], "\n".join(texts[entry[0]:])


def test_solutions_give_every_question_its_correct_options(solutions):
    _, text = solutions
    references = list(REFERENCE.finditer(text))
    assert [int(m[1]) for m in references] == [q["number"] for q in QUESTIONS]
    for index, (question, match) in enumerate(zip(QUESTIONS, references, strict=True)):
        end = references[index + 1].start() if index + 1 < len(references) else len(text)
        entry = _key(text[match.end():end])
        for position, (option, correct, feedback) in enumerate(question["options"]):
            labelled = _key(f"{'abcdefghij'[position]}) {option}")
            if correct:
                assert labelled in entry, f"{question['id']}: {option!r} not given as correct"
                assert _key(feedback)[:80] in entry, f"{question['id']}: no explanation"
            else:
                assert labelled not in entry, f"{question['id']}: wrong option {option!r} given"


def test_solutions_page_references_lead_to_the_questions(solutions, texts, question_pages):
    _, text = solutions
    references = list(REFERENCE.finditer(text))
    assert len(references) == len(QUESTIONS)
    for question, match in zip(QUESTIONS, references, strict=True):
        page = int(match[2])
        assert page == question_pages[question["id"]] + 1, question["id"]
        printed = _key(texts[page - 1])
        assert _key(question["text"])[:60] in printed, f"{question['id']}: not on page {page}"


def test_each_question_links_forward_to_its_solution(reader, question_pages, solutions):
    first, _ = solutions
    targets = {name: reader.get_destination_page_number(dest)
               for name, dest in reader.named_destinations.items()
               if "--solucion-" in name}
    ids = {name.rpartition("--solucion-")[2]: page for name, page in targets.items()}
    assert set(ids) == {q["id"] for q in QUESTIONS}
    assert all(page >= first for page in ids.values())
    linked = set()
    for index in set(question_pages.values()):
        for annot in reader.pages[index].get("/Annots") or []:
            dest = annot.get_object().get("/Dest")
            if dest is not None and "--solucion-" in str(dest):
                linked.add(str(dest).rpartition("--solucion-")[2])
    assert linked == set(ids), "some questions have no link to their solution"


# ---- the exam page ------------------------------------------------------------------------------
def test_exam_page_is_not_an_empty_page(reader, texts):
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    site_url = re.search(r"^site_url:\s*(\S+)", config, re.MULTILINE)[1].rstrip("/")
    exam_url = f"{site_url}/autoevaluacion/"
    pages = [i for i, text in enumerate(texts) if _key(exam_url) in _key(text)]
    assert pages, "the handout does not point to the exam on the web"
    body = [line for line in texts[pages[0]].splitlines()
            if line.strip() and not line.startswith("Página")]
    assert len(" ".join(body)) > 1200, "the exam's sheet is nearly empty"
    assert "Para docentes" in texts[pages[0]]


# ---- unit: where the printed block goes ---------------------------------------------------------
def test_printed_questions_go_right_after_the_quiz_heading():
    from virtcurso.quiz_handout import insert_after_quiz_heading

    heading = ('<h2 id="autoevaluacion">Autoevaluación<a class="headerlink" '
               'href="#autoevaluacion">&para;</a></h2>')
    html = f"<p>Texto</p>\n{heading}\n<div data-handout=\"omit\">web</div>\n<h2 id=\"x\">X</h2>"
    result = insert_after_quiz_heading(html, "<div>PREGUNTAS</div>")
    assert result.index(heading) < result.index("PREGUNTAS") < result.index("web")
    assert insert_after_quiz_heading("<p>Sin bloque</p>", "<div>P</div>").endswith("<div>P</div>")
