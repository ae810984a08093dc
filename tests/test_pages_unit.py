"""Unit tests of the page renderer on a small model built here (no MkDocs, no data files)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import markdown
import pytest
from bs4 import BeautifulSoup
from mkdocs.utils.meta import get_data
from virtcurso.diagram import stack_diagram
from virtcurso.errors import DataError
from virtcurso.markdown_ext import TableCaptions
from virtcurso.model import (
    Course,
    Hypervisor,
    Layer,
    License,
    Source,
    Statement,
    System,
    Table2016,
    Technique,
)
from virtcurso.pages import CoursePages, clean_edit_url

HOSTILE = "<script>alert(1)</script> | *em* _u_ `c` [l](x.md) # h & é"
TECHNIQUE_IDS = ("emulation", "full", "paravirtualization", "hardware", "containers")
SLUGS = ("emulacion", "virtualizacion-completa", "paravirtualizacion", "asistida-por-hardware",
         "contenedores")


def _technique(tid: str, slug: str, index: int) -> Technique:
    stack = (Layer("Hardware", "hardware"), Layer(f"Capa {HOSTILE}", "hypervisor", highlight=True),
             Layer("Invitado con un nombre largo que hay que partir en líneas", "guest-os", 3))
    return Technique(tid, slug, f"Técnica {index} {HOSTILE}", tid[:4], f"Def {HOSTILE}",
                     f"HW {HOSTILE}", f"Tipo {HOSTILE}", (f"Ventaja {HOSTILE}",),
                     (f"Pega {HOSTILE}",), f"Uso {HOSTILE}", stack, line=10 + index)


def _system(sid: str, name: str, supports: tuple[str, ...], line: int) -> System:
    source = Source("web", f"Fuente {HOSTILE}", "https://example.org/a?b=1&c=2")
    statements = tuple(
        Statement(tid, support, note=f"Nota {HOSTILE}" if support != "no" else "",
                  sources=(source,) if support != "no" else ())
        for tid, support in zip(TECHNIQUE_IDS, supports, strict=True)
    )
    return System(sid, name, f"Dev {HOSTILE}", 2001, "https://example.org/",
                  License("mixta", "MIT", f"Lic {HOSTILE}"),
                  Hypervisor("disputed", f"HV {HOSTILE}"),
                  statements, (f"Linux {HOSTILE}",), f"Desc {HOSTILE}", (source,), line,
                  uncertain=(f"Duda {HOSTILE}",),
                  table_2016=Table2016(f"Fila {HOSTILE}", ("emulation",), "Libre?",
                                       f"Cambio {HOSTILE}"))


@pytest.fixture
def course() -> Course:
    pairs = enumerate(zip(TECHNIQUE_IDS, SLUGS, strict=True))
    techniques = tuple(_technique(t, s, i) for i, (t, s) in pairs)
    systems = (
        _system("alfa", f"Álvaro {HOSTILE}", ("yes", "no", "partial", "unknown", "no"), 5),
        _system("beta", "Zeta", ("no", "no", "no", "yes", "yes"), 40),
        _system("gamma", "beta", ("partial", "yes", "no", "no", "no"), 80),
    )
    return Course(techniques, systems)


def _to_html(text: str) -> BeautifulSoup:
    """The Markdown the hook hands to MkDocs, converted with the extensions that matter."""
    md = markdown.Markdown(extensions=["md_in_html", "tables", "attr_list", "def_list", "abbr",
                                       "footnotes", "admonition", TableCaptions()])
    body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
    return BeautifulSoup(md.convert(body), "html.parser")


def _all_pages(pages: CoursePages) -> dict[str, str]:
    out = {page.src_uri: page.content for page in pages.generated()}
    out["comparativa.md"] = pages.expand("# Cuadro\n", "comparativa.md")
    return out


def test_data_text_comes_out_literally_in_every_generated_page(course):
    for uri, text in _all_pages(CoursePages(course)).items():
        soup = _to_html(text)
        assert soup.find("script") is None, uri
        assert [e for e in soup.find_all(["em", "strong", "code"]) if e.get_text() in "emuc"] == []
        assert HOSTILE in soup.get_text(), uri
        # Markdown syntax in the data made no element: every <a> comes from the templates.
        assert not [a for a in soup.find_all("a") if a.get("href") == "x.md"], uri


def test_front_matter_title_is_html_escaped_yaml(course):
    page = next(p for p in CoursePages(course).generated() if p.src_uri == "sistemas/alfa.md")
    front = page.content.split("---\n")[1]
    import yaml

    meta = yaml.safe_load(front)
    assert meta["title"].startswith("Álvaro &lt;script&gt;")
    assert "<" not in meta["title"] and "<" not in meta["description"]


def test_table_has_a_row_per_system_sorted_by_name_ignoring_accents_and_case(course):
    soup = _to_html(CoursePages(course).comparison("comparativa.md"))
    rows = soup.select("#cuadro-comparativo tbody tr")
    assert [row["id"] for row in rows] == ["sistema-alfa", "sistema-gamma", "sistema-beta"]
    assert soup.select_one("#cuadro-comparativo > caption") is not None
    assert soup.find("p", string=lambda s: s and "Leyenda" in s) is None  # caption not in <p>


def test_cells_carry_symbol_and_screen_reader_word(course):
    soup = _to_html(CoursePages(course).comparison("comparativa.md"))
    row = soup.select_one("#sistema-alfa")
    words = [cell.select_one(".vc-sr").get_text() for cell in row.select("td.vc-cell")]
    assert words == ["sí", "no", "parcial", "desconocido", "no"]
    assert [c.select_one(".vc-symbol").get_text() for c in row.select("td.vc-cell")] == [
        "✓", "✗", "◐", "?", "✗"]


def test_links_are_relative_markdown_links_from_the_page(course):
    pages = CoursePages(course)
    soup = _to_html(pages.comparison("comparativa.md"))
    assert soup.select_one("#sistema-beta th a")["href"] == "sistemas/beta.md"
    soup = _to_html(pages.technique_block(course.techniques[0], "tecnicas/emulacion.md"))
    hrefs = [a["href"] for a in soup.select("ul.vc-systems a")]
    assert hrefs == ["../sistemas/alfa.md#tecnica-emulacion",
                     "../sistemas/gamma.md#tecnica-emulacion"]


def test_nav_placeholders_expand_in_data_order_and_by_name(course):
    nav = [{"Inicio": "index.md"}, {"Técnicas": "tecnicas/"}, {"Sistemas": "sistemas/"}]
    out = CoursePages(course).nav(nav)
    assert out[0] == {"Inicio": "index.md"}
    assert out[1]["Técnicas"] == ["tecnicas/index.md", *(f"tecnicas/{s}.md" for s in SLUGS)]
    assert out[2]["Sistemas"] == "sistemas/index.md"  # the systems stay out of the nav


def test_system_pages_are_generated_outside_the_nav(course):
    in_nav = {p.src_uri: p.in_nav for p in CoursePages(course).generated()}
    assert {uri for uri, listed in in_nav.items() if not listed} == {
        f"sistemas/{s.id}.md" for s in course.systems}
    assert in_nav["sistemas/index.md"] and in_nav["tecnicas/index.md"]


def test_system_pages_link_up_to_the_systems_index(course):
    pages = {p.src_uri: p for p in CoursePages(course).generated()}
    for system in course.systems:
        soup = _to_html(pages[f"sistemas/{system.id}.md"].content)
        up = soup.select_one("a.vc-up")
        assert up["href"] == "index.md" and up.get_text(strip=True).endswith("Todos los sistemas")


def test_systems_index_lists_every_system_by_name_with_its_description(course):
    index = next(p for p in CoursePages(course).generated() if p.src_uri == "sistemas/index.md")
    items = _to_html(index.content).select("ul.vc-system-index > li")
    expected = sorted(course.systems, key=lambda s: (_fold(s.name), s.id))
    assert [li.a["href"] for li in items] == [f"{s.id}.md" for s in expected]
    assert all(s.description in li.get_text() for li, s in zip(items, expected, strict=True))


def _fold(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


@dataclass
class _Page:  # the attributes of MkDocs' Page that the handout reads
    src_uri: str
    title: str = ""
    is_page: bool = True
    is_section: bool = False

    @property
    def file(self):
        return self


def test_handout_nav_puts_the_system_pages_after_the_systems_index(course):
    index, other = _Page("sistemas/index.md", "Sistemas"), _Page("glosario.md")
    built = {}
    out = CoursePages(course).handout_nav(
        [other, index], lambda uri: built.setdefault(uri, _Page(uri)))
    assert out[0] is other and out[1].is_section and not out[1].is_page
    assert [child.src_uri for child in out[1].children] == [
        "sistemas/index.md", "sistemas/alfa.md", "sistemas/gamma.md", "sistemas/beta.md"]
    assert out[1].children[0] is index


def test_technique_with_prose_file_is_not_generated(course):
    uris = {p.src_uri for p in CoursePages(course).generated(frozenset({"tecnicas/emulacion.md"}))}
    assert "tecnicas/emulacion.md" not in uris
    assert {"tecnicas/contenedores.md", "tecnicas/index.md", "sistemas/index.md",
            "sistemas/alfa.md"} <= uris


def test_generated_pages_edit_the_data_file_at_the_system_line(course):
    pages = {p.src_uri: p for p in CoursePages(course).generated()}
    systems = sorted(s.line for s in course.systems)
    beta = next(s.line for s in course.systems if s.id == "beta")
    after = [line - 1 for line in systems if line > beta]
    expected = f"#L{beta}-L{min(after)}" if after else f"#L{beta}"
    assert pages["sistemas/beta.md"].edit_uri == f"../data/hypervisors.yml{expected}"
    assert pages["tecnicas/contenedores.md"].edit_uri.startswith("../data/techniques.yml#L14")
    url = "https://github.com/o/r/edit/main/docs/" + pages["sistemas/beta.md"].edit_uri
    assert clean_edit_url(url) == f"https://github.com/o/r/blob/main/data/hypervisors.yml{expected}"


def test_edit_urls_of_chapters_stay_in_the_editor():
    url = "https://github.com/o/r/edit/main/docs/conceptos.md"
    assert clean_edit_url(url) == url


def test_technique_marker_is_replaced_or_appended(course):
    pages = CoursePages(course)
    placed = pages.expand("# T\n\nA\n\n<!-- virtcurso:technique -->\n\n## Fin\n",
                          "tecnicas/emulacion.md")
    assert placed.index("Ficha técnica") < placed.index("## Fin")
    appended = pages.expand("# T\n\n## Fin\n", "tecnicas/emulacion.md")
    assert appended.index("## Fin") < appended.index("Ficha técnica")


@pytest.mark.parametrize(
    ("text", "uri", "message"),
    [
        ("a\n\n<!-- virtcurso:tabla -->\n", "x.md",
         "docs/x.md:3:1: marcador desconocido 'virtcurso:tabla' (se esperaba uno de: "
         "comparison, download, labs, quiz, technique, then-and-now)"),
        ("a <!-- virtcurso:comparison -->\n", "x.md",
         "docs/x.md:1:3: el marcador 'virtcurso:comparison' comparte la línea con otro texto "
         "(se esperaba solo en su línea)"),
        ("<!-- virtcurso:technique -->\n", "conceptos.md",
         "docs/conceptos.md:1:1: el marcador 'virtcurso:technique' solo funciona en la página "
         "de una técnica (se esperaba tecnicas/<slug>.md)"),
        ("<!-- virtcurso:comparison -->\n\n<!-- virtcurso:comparison -->\n", "x.md",
         "docs/x.md:3:1: el marcador 'virtcurso:comparison' aparece dos veces (se esperaba una "
         "vez; la primera está en la línea 1)"),
    ],
)
def test_bad_markers_fail_with_file_line_and_column(course, text, uri, message):
    with pytest.raises(DataError) as caught:
        CoursePages(course).expand(text, uri)
    assert str(caught.value) == message


FRONT_MATTER = "---\ndescription: >-\n  Una página.\nhide:\n  - toc\n---\n\n"


MULTIMARKDOWN_META = "title: Meta al estilo MultiMarkdown\n\n"


@pytest.mark.parametrize("front_matter", [FRONT_MATTER, MULTIMARKDOWN_META, ""])
def test_marker_errors_count_the_front_matter(course, front_matter):
    source = f"{front_matter}# T\n\n<!-- virtcurso:comparison -->\n\n<!-- virtcurso:tabal -->\n"
    body, _ = get_data(source)  # what MkDocs hands to on_page_markdown: no front matter
    with pytest.raises(DataError) as caught:
        CoursePages(course).expand(body, "x.md", source=source)
    lines = source.splitlines()
    line = lines.index("<!-- virtcurso:tabal -->") + 1
    assert [(p.line, p.column) for p in caught.value.problems] == [(line, 1)]


def test_a_repeated_marker_names_the_first_line_of_the_file(course):
    source = FRONT_MATTER + "<!-- virtcurso:comparison -->\n\n<!-- virtcurso:comparison -->\n"
    body, _ = get_data(source)
    with pytest.raises(DataError) as caught:
        CoursePages(course).expand(body, "x.md", source=source)
    first, second = (i + 1 for i, t in enumerate(source.splitlines()) if "virtcurso:" in t)
    problem = caught.value.problems[0]
    assert problem.line == second and f"en la línea {first})" in problem.message


def test_markers_in_fenced_code_are_examples(course):
    text = "```markdown\n<!-- virtcurso:nada -->\n<!-- virtcurso:comparison -->\n```\n"
    assert CoursePages(course).expand(text, "x.md") == text


def test_download_marker_is_left_for_the_handout_step(course):
    text = "a\n\n<!-- virtcurso:download -->\n"
    assert CoursePages(course).expand(text, "index.md") == text


def test_stack_diagram_puts_hardware_at_the_bottom_and_wraps_long_labels(course):
    diagram = stack_diagram(course.techniques[0])
    assert len(diagram.boxes) == 1 + 1 + 3
    hardware = next(b for b in diagram.boxes if b.role == "hardware")
    assert hardware.y == max(b.y for b in diagram.boxes)
    guest = next(b for b in diagram.boxes if b.role == "guest-os")
    assert len(guest.lines) > 1 and all(len(line) * 7.3 < guest.width for line in guest.lines)
    assert all(b.y >= 0 and b.y + b.height <= diagram.height for b in diagram.boxes)
    assert diagram.description.startswith("De abajo arriba: Hardware; Capa")


def test_stack_svg_is_accessible(course):
    soup = _to_html(CoursePages(course).technique_block(course.techniques[0], "tecnicas/x.md"))
    svg = soup.find("svg")
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"].split()
    assert soup.find(id=title_id).name == "title" and soup.find(id=desc_id).name == "desc"
    assert HOSTILE in soup.find(id=title_id).get_text()


def test_rendering_is_deterministic(course):
    first = _all_pages(CoursePages(course))
    second = _all_pages(CoursePages(course))
    assert first == second
