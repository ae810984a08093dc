"""Page numbers printed into the laid-out handout (handout_layout.print_numbers).

The renderer lays the document out once with 0 in every page reference and then writes the
real numbers into their boxes. These tests read the PDF back with poppler and compare it with
the same document laid out by WeasyPrint with the real numbers already in its HTML: same words,
same places. The expected page of each target is read from the PDF itself (where its heading is).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pdf_tags import marked_content
from pypdf import PdfReader
from virtcurso import handout_layout
from virtcurso.handout import (
    STYLESHEETS,
    TEMPLATES,
    Edition,
    HandoutJob,
    HandoutMeta,
    HandoutPage,
    assemble,
    render_handout,
)

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">'
                  r"(.*?)</word>")
PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)
CHAPTERS = 12  # one sheet each after the cover and the contents: pages 3 to 14


def _job(templates: Path = TEMPLATES) -> HandoutJob:
    first = ('<h1 id="c0">Capítulo 0</h1>'
             '<p>Véase <a href="../c11/#meta">la meta</a> y <a href="../c5/">el quinto</a>.</p>'
             '<table><thead><tr><th>Sistema</th></tr></thead>'
             '<tbody><tr><td><a href="../c11/#meta">Meta</a></td></tr></tbody></table>')
    pages = [HandoutPage("c0/", "c0.md", first)]
    for number in range(1, CHAPTERS):
        extra = '<h2 id="meta">Meta</h2><p>Aquí.</p>' if number == CHAPTERS - 1 else ""
        pages.append(HandoutPage(f"c{number}/", f"c{number}.md",
                                 f'<h1 id="c{number}">Capítulo {number}</h1>'
                                 f"<p>Texto del capítulo {number}.</p>{extra}"))
    meta = HandoutMeta("Números", "Autor", "Prueba", ("a",), "https://example.org/")
    return HandoutJob(pages, meta, Edition("abc1234", "1 de enero de 2026",
                                           "2026-01-01T00:00:00Z"), {}.get, templates)


def _pdftotext_pages(pdf: bytes, tmp_path: Path, name: str) -> list[list[tuple]]:
    """Words of each page: (text, xMin, yMin, xMax), in reading order."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [[(w[3], float(w[0]), float(w[1]), float(w[2])) for w in WORD.findall(page)]
            for page in PAGE.findall(html)]


def _page_of(pages: list[list[tuple]], phrase: str) -> int:
    """1-based number of the first page whose text holds `phrase`."""
    for number, words in enumerate(pages, start=1):
        if phrase in " ".join(w[0] for w in words):
            return number
    raise AssertionError(f"{phrase!r} is not in the PDF")


def _plain_weasyprint(job: HandoutJob, leaders_merged: bool = True):
    """(renderer, lay_out): WeasyPrint as it is, with the handout's fonts and stylesheets;
    `lay_out(numbers)` gives the document with `numbers` in its HTML, nothing printed after.
    Each leader is one text, as in the handout, unless not `leaders_merged`
    (test_a_leader_is_one_text_with_its_dots_where_weasyprint_puts_them compares the two)."""
    weasyprint = handout_layout.import_weasyprint()
    renderer = handout_layout.Renderer(
        weasyprint, job.read_asset,
        [(job.templates / name).read_text(encoding="utf-8") for name in STYLESHEETS], job.fonts)

    def lay_out(numbers):
        html, targets = assemble(job, numbers)
        document = renderer.weasyprint.HTML(
            string=html, base_url=handout_layout.ASSET_SCHEME, url_fetcher=renderer.fetcher,
        ).render(font_config=renderer.font_config, **renderer.options)
        if leaders_merged:
            handout_layout.merge_leaders(document.pages)
        return document, targets

    return renderer, lay_out


def _reference_render(job: HandoutJob, leaders_merged: bool = True) -> bytes:
    """The same document with the real numbers already in its HTML (taken from where WeasyPrint
    put each anchor in a first layout)."""
    renderer, lay_out = _plain_weasyprint(job, leaders_merged)
    draft, targets = lay_out({})
    found = handout_layout.anchor_pages(draft.pages)
    document, _ = lay_out({anchor: found.get(anchor, 0) for anchor in targets})
    return document.write_pdf(**renderer.options)


def _render_with_css(tmp_path: Path, change) -> tuple[object, list[list[tuple]]]:
    """Render the job with handout.css changed by `change(text)`: (result, words per page)."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    css = templates / "handout.css"
    text = css.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text
    css.write_text(changed, encoding="utf-8")
    result = render_handout(_job(templates))
    return result, _pdftotext_pages(result.pdf, tmp_path, "changed")


def _first_chapter(pages: list[list[tuple]]) -> str:
    return " ".join(w[0] for w in pages[_page_of(pages, "Véase") - 1])


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("numbers")
    job = _job()
    result = render_handout(job)
    pages = _pdftotext_pages(result.pdf, tmp, "printed")
    return job, result, pages, tmp


@pytest.fixture(scope="module")
def reference(rendered) -> bytes:
    """The job laid out by WeasyPrint with the real numbers already in its HTML."""
    return _reference_render(rendered[0])


def test_one_layout_prints_the_real_page_numbers(rendered):
    _, result, pages, _ = rendered
    assert result.layouts == 1
    meta, fifth = _page_of(pages, "Meta Aquí."), _page_of(pages, "Texto del capítulo 5.")
    assert meta >= 10, "the test needs a two-digit page number"
    text = _first_chapter(pages)
    assert f"la meta (pág. {meta}) y el quinto (pág. {fifth})" in text
    assert f"Meta p. {meta}" in text  # in the table
    toc = [w[0].rstrip(".") for w in pages[_page_of(pages, "Índice") - 1]]  # no leaders
    toc = [word for word in toc if word]
    assert toc[toc.index("Meta") + 1] == str(meta)
    assert toc[toc.index("Capítulo") + 2] == str(_page_of(pages, "Véase"))


def test_printed_numbers_sit_where_a_layout_with_them_puts_them(rendered, reference):
    _, _, pages, tmp = rendered
    expected_pages = _pdftotext_pages(reference, tmp, "reference")
    assert len(expected_pages) == len(pages)
    for printed_words, expected_words in zip(pages, expected_pages, strict=True):
        assert [w[0] for w in printed_words] == [w[0] for w in expected_words]
        for printed, expected in zip(printed_words, expected_words, strict=True):
            assert printed[1:] == pytest.approx(expected[1:], abs=0.01), printed[0]


def _dot_runs(words: list[tuple]) -> list[tuple[int, float | None, float]]:
    """(dots, xMin, xMax) of each row of dots: words made of dots that touch on one line. A row
    that touches the word before it comes back inside that word (pdftotext's «Meta.....»): its
    xMin is not known (None)."""
    runs: list[list] = []
    for text, x_min, y_min, x_max in words:
        dots = len(text) - len(text.rstrip("."))
        if not dots:
            continue
        if dots < len(text):
            x_min = None
        if runs and runs[-1][3] == y_min and abs(runs[-1][2] - (x_min or 0)) < 0.05:
            runs[-1][0] += dots
            runs[-1][2] = x_max
        else:
            runs.append([dots, x_min, x_max, y_min])
    return [(dots, x_min, x_max) for dots, x_min, x_max, _ in runs]


def test_a_leader_is_one_text_with_its_dots_where_weasyprint_puts_them(rendered, reference):
    """WeasyPrint draws a leader as one text per dot; the handout draws one text of as many
    dots from the same place (handout_layout.merge_leaders), so the contents page has one
    tagged text per leader. Its right end may move by the rounding of the glyph widths the PDF
    stores (thousandths of an em: WeasyPrint's own lines drift the same way)."""
    job, _, pages, tmp = rendered
    plain = _reference_render(job, leaders_merged=False)
    expected = _pdftotext_pages(plain, tmp, "plain")
    index = _page_of(pages, "Índice") - 1
    runs, expected_runs = _dot_runs(pages[index]), _dot_runs(expected[index])
    assert len(runs) == len(expected_runs) == CHAPTERS + 1  # the chapters and «Meta»
    for (dots, x_min, x_max), (expected_dots, expected_min, expected_max) in zip(
            runs, expected_runs, strict=True):
        assert dots == expected_dots > 20
        if x_min is not None and expected_min is not None:
            assert x_min == pytest.approx(expected_min, abs=0.01)
        assert x_max == pytest.approx(expected_max, abs=0.002 * dots)
    merged = marked_content(PdfReader(io.BytesIO(reference)), index).mcids
    separate = marked_content(PdfReader(io.BytesIO(plain)), index).mcids
    assert len(separate) - len(merged) == sum(dots - 1 for dots, _, _ in runs)


def test_a_number_too_wide_for_its_box_lays_the_document_out_again(tmp_path):
    def narrow(text):  # boxes that fit "0" only: a two-digit number cannot be written in
        text, count = re.subn(r"min-width: [\d.]+em", "min-width: 0", text)
        assert count >= 3  # the contents, the prose and the table references
        return text

    result, pages = _render_with_css(tmp_path, narrow)
    assert result.layouts == 2
    assert f"la meta (pág. {_page_of(pages, 'Meta Aquí.')})" in _first_chapter(pages)


def test_page_references_built_once_give_the_same_pdf():
    """handout_layout builds pydyf's page references once per added page while WeasyPrint
    writes: the same references as pydyf's own property, and the same bytes."""
    import pydyf

    original, pdf = pydyf.PDF.__dict__["page_references"], pydyf.PDF()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        expected = pydyf.PDF.page_references.fget(pdf)
        with handout_layout._page_references_built_once():
            assert pdf.page_references == expected
            assert pdf.page_references is pdf.page_references  # built once, not per read
    assert pydyf.PDF.__dict__["page_references"] is original  # pydyf is left as it was

    renderer, lay_out = _plain_weasyprint(_job())
    document, _ = lay_out({})
    plain = document.write_pdf(**renderer.options)
    with handout_layout._page_references_built_once():
        assert document.write_pdf(**renderer.options) == plain


def test_a_number_in_the_flow_of_the_text_is_laid_out_not_printed(tmp_path):
    """A stylesheet that puts the reference inline (no box of its own): writing a longer number
    in would overlap the words after it, so the renderer lays the document out again."""
    def inline(text):
        rule = text.index('content: "\\00a0(pág.\\00a0" attr(data-page) ")";')
        return text[:rule] + text[rule:].replace("display: inline-block;", "display: inline;", 1)

    result, pages = _render_with_css(tmp_path, inline)
    assert result.layouts == 2
    assert f"la meta (pág. {_page_of(pages, 'Meta Aquí.')})" in _first_chapter(pages)
