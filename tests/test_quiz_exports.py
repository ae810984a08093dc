"""The Moodle XML and GIFT downloads, read back by parsers written here, yield exactly the bank;
their structure follows Moodle's XML format; and text stays text everywhere.

Expectations come from data/preguntas.yml, data/hypervisors.yml and the chapters' Markdown,
read here with PyYAML and plain string handling, not from the code under test.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from virtcurso.loader import load_course
from virtcurso.pages import CoursePages
from virtcurso.quiz_model import Option, PageQuiz, Question, QuestionBank
from virtcurso.quiz_pages import GIFT_URI, MOODLE_URI, QuizPages, build_quiz_site
from virtcurso.quiz_sections import outline

ROOT = Path(__file__).resolve().parent.parent
COURSE = "Introducción a la virtualización"
SITE = "https://example.org/curso/"
USED = {"yes", "partial"}
# Moodle's grades (question_bank::fraction_options_full), as fractions of 1.
GRADES = [1, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25,
          0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0]
EVIL = "<script>alert('x')</script> & {a} ~b =c #d :e \\n \\ fin"


def _support(value) -> str:
    value = value["support"] if isinstance(value, dict) else value
    return {True: "yes", False: "no"}.get(value, value)  # PyYAML reads bare yes/no as booleans


@pytest.fixture(scope="module")
def site():
    course = load_course(ROOT / "data")
    from virtcurso.quiz_load import load_quiz
    bank = load_quiz(ROOT / "data", course)
    pages = {p.relative_to(ROOT / "docs").as_posix(): p.read_text(encoding="utf-8")
             for p in (ROOT / "docs").rglob("*.md")}
    pages.update({p.src_uri: p.content for p in CoursePages(course).generated(frozenset(pages))})
    quiz, _, downloads = build_quiz_site(bank, pages, COURSE, SITE)
    return quiz, {d.uri: d.content for d in downloads}


@pytest.fixture(scope="module")
def raw():
    """The bank as PyYAML reads it, with the systems and techniques."""
    def load(name):
        return yaml.safe_load((ROOT / "data" / name).read_text(encoding="utf-8"))
    return load("preguntas.yml"), load("hypervisors.yml"), load("techniques.yml")


def _title(page: str) -> str:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    if text.startswith("---"):  # front matter (its YAML comments also start with "# ")
        text = text.split("\n---", 1)[1]
    return next(line[2:].strip() for line in text.splitlines() if line.startswith("# "))


# --- Moodle XML read back -------------------------------------------------------------------

def _html_text(fragment: str) -> str:
    """Moodle HTML text back to plain text: drop the <p> wrapper, unescape."""
    return html.unescape(re.sub(r"^<p>|</p>$", "", fragment.strip()))


def read_moodle(data: bytes) -> list[dict]:
    questions, category = [], None
    for node in ET.fromstring(data).findall("question"):
        if node.get("type") == "category":
            category = node.findtext("category/text").split("/")[-1]
            continue
        answers = node.findall("answer")
        questions.append(dict(
            id=node.findtext("idnumber"), name=node.findtext("name/text"), category=category,
            type={"truefalse": "truefalse"}.get(node.get("type"),
                                                "single" if node.findtext("single") == "true"
                                                else "multiple"),
            text=_html_text(node.findtext("questiontext/text")),
            options=[(html.unescape(a.findtext("text")), float(a.get("fraction")) > 0,
                      html.unescape(a.findtext("feedback/text"))) for a in answers]))
    return questions


def _expected_from_bank(quiz: QuizPages) -> list[dict]:
    out = []
    for page in quiz.bank.pages:
        for q in page.questions:
            options = [(o.text, o.correct, o.feedback) for o in q.options]
            if q.type == "truefalse":
                options = [("true", q.answer, q.options[0].feedback),
                           ("false", not q.answer, q.options[1].feedback)]
            out.append(dict(id=q.id, name=q.id, category=_title(page.page), type=q.type,
                            text=q.text, options=options))
    return out


def test_moodle_xml_reads_back_as_the_bank(site):
    quiz, files = site
    assert read_moodle(files[MOODLE_URI]) == _expected_from_bank(quiz)


def test_moodle_xml_matches_the_written_questions_of_the_yaml(site, raw):
    bank, _, _ = raw
    found = {q["id"]: q for q in read_moodle(site[1][MOODLE_URI])}
    written = [(page, e) for page, entries in bank["pages"].items() for e in entries
               if "system" not in e]
    assert len(found) == sum(len(v) for v in bank["pages"].values()) >= 80
    for page, entry in written:
        got = found[entry["id"]]
        assert (got["category"], got["type"], got["text"]) == (_title(page), entry["type"],
                                                               entry["question"])
        if entry["type"] == "truefalse":
            assert got["options"] == [("true", entry["answer"], entry["feedback_true"]),
                                      ("false", not entry["answer"], entry["feedback_false"])]
        else:
            assert got["options"] == [(o["text"], bool(o.get("correct")), o["feedback"])
                                      for o in entry["options"]]


def test_generated_questions_answer_as_the_systems_data_says(site, raw):
    bank, systems, techniques = raw
    found = {q["id"]: q for q in read_moodle(site[1][MOODLE_URI])}
    systems = {s["id"]: s for s in systems["systems"]}
    names = {t["id"]: t["name"] for t in techniques["techniques"]}
    types = {"1": "Tipo 1", "2": "Tipo 2", "none": "No es un hipervisor", "disputed": "Discutido"}
    generated = [e for entries in bank["pages"].values() for e in entries if "system" in e]
    assert len(generated) >= 15
    for entry in generated:
        system, got = systems[entry["system"]], found[entry["id"]]
        right = sorted(text for text, correct, _ in got["options"] if correct)
        if entry["asks"] == "techniques":
            assert right == sorted(names[t] for t, v in system["techniques"].items()
                                   if _support(v) in USED)
        elif entry["asks"] == "hypervisor-type":
            assert right == [types[str(system["hypervisor"]["type"])]]
        else:
            uses = _support(system["techniques"][entry["technique"]]) in USED
            assert right == ["true" if uses else "false"]


def test_moodle_xml_has_the_structure_of_moodles_own_fixtures(site):
    root = ET.fromstring(site[1][MOODLE_URI])
    assert root.tag == "quiz"
    categories = [q for q in root if q.get("type") == "category"]
    paths = [c.findtext("category/text") for c in categories]
    assert paths[0] == f"$course$/top/{COURSE}"
    assert all(p.startswith(f"$course$/top/{COURSE}/") for p in paths[1:])
    assert len(set(c.findtext("idnumber") for c in categories)) == len(categories)
    for question in root:
        kind = question.get("type")
        assert kind in ("category", "multichoice", "truefalse")
        if kind == "category":
            assert question.find("info").get("format") == "html"
            continue
        for tag in ("name/text", "questiontext/text", "generalfeedback/text", "defaultgrade",
                    "penalty", "hidden", "idnumber", "tags/tag/text"):
            assert question.find(tag) is not None, (question.findtext("idnumber"), tag)
        assert question.find("questiontext").get("format") == "html"
        answers = question.findall("answer")
        fractions = [float(a.get("fraction")) / 100 for a in answers]
        assert all(min(abs(abs(f) - g) for g in GRADES) < 1e-6 for f in fractions)
        assert all(a.find("feedback/text").text for a in answers)
        if kind == "truefalse":
            assert [a.findtext("text") for a in answers] == ["true", "false"]
            assert sorted(fractions) == [0, 1]
            assert {a.get("format") for a in answers} == {"moodle_auto_format"}
        else:
            for tag in ("single", "shuffleanswers", "answernumbering", "correctfeedback",
                        "partiallycorrectfeedback", "incorrectfeedback"):
                assert question.find(tag) is not None, tag
            assert max(fractions) > 0 and abs(sum(f for f in fractions if f > 0) - 1) < 1e-4


def test_question_ids_are_unique_and_stable_names(site):
    ids = [q["id"] for q in read_moodle(site[1][MOODLE_URI])]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


# --- GIFT read back by an independent parser -------------------------------------------------

_UNESCAPE = re.compile(r"\\(.)")


def _gift_text(text: str) -> str:
    return html.unescape(_UNESCAPE.sub(r"\1", text.strip()))


def _split_unescaped(text: str, marks: str) -> list[str]:
    """Pieces of `text` that start at an unescaped mark character (the mark kept)."""
    pieces, current, escaped = [], "", False
    for char in text:
        if not escaped and char in marks:
            pieces.append(current)
            current = ""
        current += char
        escaped = char == "\\" and not escaped
    return [p for p in pieces + [current] if p.strip()]


def _gift_answers(body: str) -> tuple[str, list]:
    body = body.strip()
    if body.split("#", 1)[0] in ("TRUE", "FALSE"):
        value, wrong, right = _split_unescaped(body, "#")
        answer = value == "TRUE"
        feedback = {answer: _gift_text(right[1:]), not answer: _gift_text(wrong[1:])}
        return "truefalse", [("true", answer, feedback[True]),
                             ("false", not answer, feedback[False])]
    options = []
    for piece in _split_unescaped(body, "=~"):
        weight = re.match(r"[~=](%(-?[\d.]+)%)?", piece)
        correct = piece[0] == "=" or float(weight.group(2) or 0) > 0
        text, feedback = _split_unescaped(piece[weight.end():], "#")
        options.append((_gift_text(text), correct, _gift_text(feedback[1:])))
    kind = "single" if any(p.startswith("=") for p in _split_unescaped(body, "=~")) else "multiple"
    return kind, options


def read_gift(data: bytes) -> list[dict]:
    questions, category = [], None
    for block in re.split(r"\n\s*\n", data.decode("utf-8")):
        lines = [line for line in block.strip().splitlines() if not line.startswith("//")]
        comments = "\n".join(line for line in block.splitlines() if line.startswith("//"))
        text = "\n".join(lines)
        if not text:
            continue
        if text.startswith("$CATEGORY:"):
            category = text.split("/")[-1].strip()
            continue
        name, rest = re.match(r"::(.*?)::(.*)", text, re.S).groups()
        stem, body = re.match(r"\[html\](.*?(?<!\\))\{(.*)\}\s*$", rest, re.S).groups()
        kind, options = _gift_answers(body)
        questions.append(dict(id=re.search(r"\[id:([^\]]+)\]", comments).group(1),
                              name=_gift_text(name), category=category, type=kind,
                              text=_gift_text(stem), options=options))
    return questions


def test_gift_reads_back_as_the_bank(site):
    quiz, files = site
    assert read_gift(files[GIFT_URI]) == _expected_from_bank(quiz)


# --- text is text -----------------------------------------------------------------------------

@pytest.fixture
def evil_site():
    options = (Option(EVIL, True, EVIL), Option("otra", False, "no"))
    questions = (
        Question("evil-single", "x.md", "single", EVIL, options, "x.md#s", "easy", 1),
        Question("evil-tf", "x.md", "truefalse", EVIL,
                 (Option("Verdadero", False, EVIL), Option("Falso", True, EVIL)),
                 "x.md#s", "easy", 2),
    )
    bank = QuestionBank((PageQuiz("x.md", questions),), 1, ("x.md",))
    pages = {"x.md": "# Página <x>\n\n## Sección {: #s }\n"}
    quiz = QuizPages(bank, {"x.md": outline(pages["x.md"])}, COURSE, SITE)
    return quiz, {d.uri: d.content for d in quiz.downloads()}


def test_script_in_a_question_is_literal_in_the_xml_and_the_gift(evil_site):
    quiz, files = evil_site
    assert b"<script>" not in files[MOODLE_URI] and b"<script>" not in files[GIFT_URI]
    for read in (read_moodle(files[MOODLE_URI]), read_gift(files[GIFT_URI])):
        assert [q["text"] for q in read] == [EVIL, EVIL]
        assert read[0]["options"][0] == (EVIL, True, EVIL)
        assert read[1]["options"] == [("true", False, EVIL), ("false", True, EVIL)]


def test_script_in_a_question_is_literal_on_the_page(evil_site):
    quiz, _ = evil_site
    page = markdown.markdown(quiz.expand("# Página\n", "x.md"),
                             extensions=["md_in_html", "attr_list", "toc"])
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("script") is None
    legends = [" ".join(legend.get_text(" ").split()[1:]) for legend in soup.find_all("legend")]
    assert legends[0] == " ".join(EVIL.split())
    labels = [label.get_text().strip() for label in soup.select(".vc-option label")]
    assert labels[0] == EVIL.strip()
