"""The preview's error page, without a server: problems parsed from logged messages, each with
its source line, rendered as an accessible Spanish page that shows text as text."""

from __future__ import annotations

from bs4 import BeautifulSoup
from virtcurso.preview import error_page, problems_from_messages


def test_located_messages_carry_their_source_line(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.yml").write_text("a: 1\nb: <script>\nc: 3\n", encoding="utf-8")
    messages = ["the course data is invalid:\ndata/x.yml:2:4: malo (expected bueno)\n",
                "data/x.yml:2:4: malo (expected bueno)",  # logged twice: shown once
                "Doc file 'a.md' contains a link 'b.md', but the target is not found"]
    problems = problems_from_messages(messages, tmp_path)
    assert [(p.where, p.message, p.line_number, p.excerpt, p.column) for p in problems] == [
        ("data/x.yml:2:4", "malo (expected bueno)", 2, "b: <script>", 4),
        ("", "Doc file 'a.md' contains a link 'b.md', but the target is not found", 0, "", 0),
    ]


def test_a_line_past_the_end_of_the_file_has_no_excerpt(tmp_path):
    (tmp_path / "f.md").write_text("uno\n", encoding="utf-8")
    (problem,) = problems_from_messages(["f.md:9: falta algo"], tmp_path)
    assert (problem.where, problem.excerpt, problem.column) == ("f.md:9", "", 0)


def test_the_page_lists_every_problem_in_spanish_and_escapes_text(tmp_path):
    (tmp_path / "x.yml").write_text("a: <b>negrita</b>\n", encoding="utf-8")
    problems = problems_from_messages(["x.yml:1:4: <i>no</i> es válido", "otro"], tmp_path)
    soup = BeautifulSoup(error_page(problems), "html.parser")
    assert soup.html["lang"] == "es"
    assert soup.title.get_text().startswith("Errores en la vista previa")
    items = soup.select("main ol > li")
    assert len(items) == 2
    assert soup.find("b") is None and soup.find("i") is None  # text stays text
    first = items[0].get_text()
    assert "x.yml:1:4" in first and "<i>no</i> es válido" in first
    code = items[0].select_one("pre code").get_text().split("\n")
    assert code[0] == "1 | a: <b>negrita</b>"
    assert code[1].index("^") == code[0].index("<")  # the caret under column 4
