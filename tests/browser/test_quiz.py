"""The «Autoevaluación» blocks and the practice exam in a real browser: right and wrong answers
show the right feedback and score, by mouse and by keyboard alone; the exam draws ten distinct
questions; without JavaScript the answers are in closed <details>; axe finds nothing after
answering, in both palettes. Expected answers are read from data/preguntas.yml."""

from __future__ import annotations

import re

import pytest
import yaml

from .conftest import run_axe
from .site_layout import ROOT

pytestmark = pytest.mark.browser

CHAPTER = "conceptos.md"
URL = "conceptos/"
EXAM = "autoevaluacion/"


@pytest.fixture(scope="module")
def bank() -> dict:
    return yaml.safe_load((ROOT / "data" / "preguntas.yml").read_text(encoding="utf-8"))


def _correct(entry: dict) -> list[int]:
    if entry["type"] == "truefalse":
        return [0 if entry["answer"] else 1]
    return [i for i, option in enumerate(entry["options"]) if option.get("correct")]


def _feedback(entry: dict) -> list[str]:
    if entry["type"] == "truefalse":
        return [entry["feedback_true"], entry["feedback_false"]]
    return [option["feedback"] for option in entry["options"]]


def _options(page, question_id: str):
    return page.locator(f"#pregunta-{question_id} .vc-option")


def _tab_to(page, locator, limit: int = 200) -> None:
    target = locator.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("el => document.activeElement === el", target):
            return
    pytest.fail(f"{limit} presses of Tab never reached {locator}")


def _single_choice(bank: dict) -> list[dict]:
    return [e for e in bank["pages"][CHAPTER] if e["type"] != "multiple"]


def test_right_and_wrong_answers_with_the_mouse(page, bank):
    page.goto(URL)
    right, wrong = _single_choice(bank)[:2]
    _options(page, right["id"]).nth(_correct(right)[0]).locator("label").click()
    wrong_index = next(i for i in range(len(_feedback(wrong))) if i not in _correct(wrong))
    _options(page, wrong["id"]).nth(wrong_index).locator("label").click()
    page.get_by_role("button", name="Comprobar").click()
    verdict = page.locator(f"#pregunta-{right['id']} .vc-verdict")
    assert verdict.inner_text().startswith("✓")
    assert page.locator(f"#pregunta-{wrong['id']} .vc-verdict").inner_text().startswith("✗")
    for entry in (right, wrong):
        shown = _options(page, entry["id"]).locator(".vc-feedback")
        texts = [t.split(" ", 1)[1] for t in shown.all_inner_texts()]
        assert texts == _feedback(entry)
        marks = [t.split(" ", 1)[0] for t in shown.all_inner_texts()]
        assert marks == ["Correcta." if i in _correct(entry) else "Incorrecta."
                         for i in range(len(marks))]
    total = len(bank["pages"][CHAPTER])
    result = page.locator("[data-vc-result]")
    assert result.get_attribute("role") == "status"
    assert result.locator(".vc-quiz__score").inner_text() == f"Has acertado 1 de {total} preguntas."
    assert result.locator("a").count() == total - 1  # a link to reread per missed question
    page.get_by_role("button", name="Volver a intentarlo").click()
    assert page.locator(".vc-option input:checked").count() == 0
    assert not page.locator(".vc-feedback").first.is_visible()
    assert result.inner_text() == ""


def test_answers_with_the_keyboard_alone(page, bank):
    page.goto(URL)
    first = _single_choice(bank)[0]
    radio = _options(page, first["id"]).first.locator("input")
    _tab_to(page, radio)
    page.keyboard.press("Space")
    for _ in range(_correct(first)[0]):
        page.keyboard.press("ArrowDown")
    checked = page.locator(f"#pregunta-{first['id']} input:checked")
    assert checked.get_attribute("value") == str(_correct(first)[0])
    _tab_to(page, page.get_by_role("button", name="Comprobar"))
    page.keyboard.press("Enter")
    total = len(bank["pages"][CHAPTER])
    assert page.locator(".vc-quiz__score").inner_text() == f"Has acertado 1 de {total} preguntas."
    assert page.locator(f"#pregunta-{first['id']} .vc-verdict").inner_text().startswith("✓")


def _drawn(page) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        "[data-vc-exam] [data-vc-question]",
        "qs => qs.filter(q => !q.hidden).map(q => [q.id, q.dataset.page])")


def test_exam_draws_ten_distinct_questions(page, bank):
    page.goto(EXAM)
    drawn = _drawn(page)
    total = sum(len(entries) for entries in bank["pages"].values())
    assert page.locator("[data-vc-exam] [data-vc-question]").count() == total
    assert len(drawn) == len({qid for qid, _ in drawn}) == 10
    assert [n.strip() for n in page.locator("[data-vc-question]:visible .vc-question__number")
            .all_inner_texts()] == [f"{i}." for i in range(1, 11)]
    for box in page.locator("[data-vc-exam-setup] input").all():
        if box.get_attribute("value") != CHAPTER:
            box.uncheck()
    page.get_by_role("button", name="Nuevo examen").click()
    drawn = _drawn(page)
    assert sorted(qid for qid, _ in drawn) == sorted(
        f"pregunta-{e['id']}" for e in bank["pages"][CHAPTER])
    page.get_by_role("button", name="Corregir el examen").click()
    assert page.locator(".vc-quiz__score").inner_text() == \
        f"Has acertado 0 de {len(drawn)} preguntas."


def test_without_javascript_the_answers_are_in_closed_details(open_context, bank):
    context, _ = open_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(URL)
    entries = bank["pages"][CHAPTER]
    assert not page.locator("[data-vc-actions]").is_visible()
    for entry in entries:
        details = page.locator(f"#pregunta-{entry['id']} details.vc-answer")
        assert details.get_attribute("open") is None
        text = details.text_content()  # closed: its content is in the page, not shown
        assert all(re.sub(r"\s+", " ", f) in re.sub(r"\s+", " ", text) for f in _feedback(entry))
    page.goto(EXAM)
    assert page.locator("[data-vc-nojs]").is_visible()
    assert page.locator("[data-vc-question]:visible").count() == 0


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_axe_finds_nothing_after_answering(open_context, palette):
    context, watch = open_context(color_scheme=palette)
    page = context.new_page()
    for url, button in ((URL, "Comprobar"), (EXAM, "Corregir el examen")):
        page.goto(url)
        page.locator("[data-vc-question]:visible .vc-option label").first.click()
        page.get_by_role("button", name=button).click()
        assert run_axe(page) == [], url
    assert not any(watch.foreign.values())
