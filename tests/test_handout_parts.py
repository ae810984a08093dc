"""The handout rendered in two parts by two processes (handout_parts) and joined into one PDF
(handout_merge), read back with pypdf and poppler.

The job has twelve chapters: the first part holds the cover, the contents and chapter 0, the
second part chapters 1 to 11, so the contents, links in the text (both ways), links in tables
and the outline all cross from one part to the other. Where each word lands compared with the whole
document laid out at once is tested in test_handout_numbers (same kind of job, also joined).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import threading
from collections import Counter
from pathlib import Path

import pytest
from pdf_tags import page_problems, reachable_elements
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, NullObject
from test_handout_numbers import _pdftotext_pages, _reference_render
from virtcurso import handout_merge, handout_parts
from virtcurso.handout import (
    TEMPLATES,
    Edition,
    HandoutError,
    HandoutJob,
    HandoutMeta,
    HandoutPage,
    render_handout,
)

CHAPTERS = 12
TABLE = ('<table><thead><tr><th>Sistema</th><th>Tipo</th></tr></thead><tbody>'
         '<tr><th scope="row">{name}</th><td><a href="../c11/#meta">Meta</a></td></tr>'
         '</tbody></table>')


def _job(templates: Path = TEMPLATES) -> HandoutJob:
    first = ('<h1 id="c0">Capítulo 0</h1>'
             '<p>Véase <a href="../c11/#meta">la meta</a> y <a href="../c5/">el quinto</a>.</p>'
             + TABLE.format(name="Uno"))
    pages = [HandoutPage("c0/", "c0.md", first)]
    for number in range(1, CHAPTERS):
        extra = {7: TABLE.format(name="Siete"),
                 9: '<p>Vuelve al <a href="../c0/">capítulo 0</a>.</p>',
                 11: '<h2 id="meta">Meta</h2><p>Aquí está la meta.</p>'}.get(number, "")
        pages.append(HandoutPage(f"c{number}/", f"c{number}.md",
                                 f'<h1 id="c{number}">Capítulo {number}</h1>'
                                 f"<p>Texto del capítulo {number}.</p>{extra}"))
    meta = HandoutMeta("Partes", "Autor", "Prueba", ("a",), "https://example.org/")
    return HandoutJob(pages, meta, Edition("abc1234", "1 de enero de 2026",
                                           "2026-01-01T00:00:00Z"), {}.get, templates)


def _phrase(anchor: str) -> str:
    """Text only the target of `anchor` has (the contents repeat the chapters' titles).
    Anchors are the handout's: «p-c5» for the page c5/, «p-c11--meta» for #meta in it."""
    if anchor == "p-c11--meta":
        return "Aquí está la meta."
    number = int(re.fullmatch(r"p-c(\d+)(--c\d+)?", anchor).group(1))
    return "Véase" if number == 0 else f"Texto del capítulo {number}."


def _page_with(words_by_page: list[list[tuple]], phrase: str) -> int:
    found = [index for index, words in enumerate(words_by_page)
             if phrase in " ".join(word[0] for word in words)]
    assert len(found) == 1, (phrase, found)
    return found[0]


@pytest.fixture(scope="module")
def joined(tmp_path_factory):
    """(PDF bytes, its reader, words of each page, the `owners` the join received)."""
    seen = []
    original = handout_merge.join

    def spy(parts, owners):
        seen.append((len(parts), dict(owners)))
        return original(parts, owners)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("virtcurso.handout.join", spy)
        pdf = render_handout(_job(), processes=2).pdf
    tmp = tmp_path_factory.mktemp("parts")
    (tmp / "joined.pdf").write_bytes(pdf)
    assert len(seen) == 1 and seen[0][0] == 2, "the job was not rendered in two parts"
    return pdf, PdfReader(tmp / "joined.pdf"), _pdftotext_pages(pdf, tmp, "words"), seen[0][1]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> PdfReader:
    """The whole job laid out at once by WeasyPrint, with the real numbers in its HTML."""
    path = tmp_path_factory.mktemp("whole") / "reference.pdf"
    path.write_bytes(_reference_render(_job()))
    return PdfReader(path)


def test_the_parts_split_where_the_tests_expect(joined):
    owners = joined[3]
    assert owners["p-c0"] == 0
    assert all(owners[f"p-c{n}"] == 1 for n in range(1, CHAPTERS))
    assert owners["p-c11--meta"] == 1


def test_one_process_gives_the_same_bytes_as_two(joined, monkeypatch):
    forked = []
    monkeypatch.setattr(handout_parts._Forked, "__init__",
                        _recording(handout_parts._Forked.__init__, forked))
    assert render_handout(_job(), processes=1).pdf == joined[0]
    assert forked == []  # really in this process


def _recording(function, calls: list):
    def wrapper(*args, **kwargs):
        calls.append(args)
        return function(*args, **kwargs)
    return wrapper


def test_every_page_prints_its_number_in_the_whole_handout(joined):
    words_by_page = joined[2]
    total = len(words_by_page)
    assert total == len(joined[1].pages) > CHAPTERS
    for number, words in enumerate(words_by_page, start=1):
        text = " ".join(word[0] for word in words)
        expected = [] if number == 1 else [f"Página {number} de {total}"]  # the cover has none
        assert re.findall(r"Página \d+ de \d+", text) == expected, number


def _destination_page(reader: PdfReader, annotation) -> int:
    """0-based page a link annotation leads to (named destinations resolved by hand)."""
    dest = annotation["/Dest"]
    if not isinstance(dest, ArrayObject):
        dest = reader.named_destinations[str(dest)]
        return reader.get_destination_page_number(dest)
    return reader.get_page_number(dest[0].get_object())


def _links(reader: PdfReader):
    """(page index, annotation) of every link inside the handout (not to a web address)."""
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/A" not in annotation:
                yield index, annotation


def test_every_link_lands_on_its_target_in_either_part(joined):
    _, reader, words_by_page, _ = joined
    crossing = checked = backwards = 0
    contents = _page_with(words_by_page, "Índice")
    for index, annotation in _links(reader):
        anchor = str(annotation["/Contents"])
        target = _destination_page(reader, annotation)
        assert target == _page_with(words_by_page, _phrase(anchor)), (index, anchor)
        checked += 1
        first_part = contents + 1  # the last page of chapter 0
        crossing += (index <= first_part) != (target <= first_part)
        backwards += index > first_part and target <= first_part
    assert checked >= CHAPTERS + 5  # the contents, three links in the text, two in tables
    assert crossing >= CHAPTERS + 1 and backwards >= 1


def test_every_named_destination_is_the_real_one(joined):
    """No stand-in (x = 0) is left: each name leads where its anchor is."""
    reader = joined[1]
    for name, dest in reader.named_destinations.items():
        assert float(dest.left) > 0, name


def test_the_outline_runs_through_both_parts(joined):
    _, reader, words_by_page, _ = joined
    root = reader.trailer["/Root"]["/Outlines"]
    items, item = [], root["/First"]
    while True:
        item = item.get_object()
        assert item["/Parent"].get_object() is root or item["/Parent"] == root.indirect_reference
        items.append(item)
        if "/Next" not in item:
            break
        assert item["/Next"]["/Prev"].get_object() == item
        item = item["/Next"]
    assert root["/Last"].get_object() == items[-1]
    titles = [str(item["/Title"]) for item in items]
    assert titles == ["Índice"] + [f"Capítulo {n}" for n in range(CHAPTERS)]
    children = sum(int(item.get("/Count", 0)) for item in items if int(item.get("/Count", 0)) > 0)
    assert int(root["/Count"]) == len(items) + children
    for outline in reader.outline:
        if isinstance(outline, list):
            continue
        title = str(outline.title)
        if title.startswith("Capítulo"):
            expected = _page_with(words_by_page, _phrase(f"p-c{title.split()[1]}"))
            assert reader.get_destination_page_number(outline) == expected, title


def _tags(reader: PdfReader) -> tuple[list, list, list]:
    """The tagging as a reader meets it: for each page, the path of structure types from each
    marked content up to the root (content whose element the tree does not reach is not met);
    for each link, its target and its element's path; the table header IDs. Every path must
    end at the one Document element under the root."""
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    reachable = reachable_elements(reader)
    assert len(tree["/K"]) == 1
    document = tree["/K"][0].get_object()
    assert document["/S"] == "/Document" and document["/P"].get_object() == tree

    def path(element) -> tuple[str, ...]:
        names = []
        while element != document:
            names.append(str(element["/S"]))
            element = element["/P"].get_object()
            assert element != tree, "an element outside the Document element"
        return tuple(names)

    nums = tree["/ParentTree"]["/Nums"]
    keys = [int(key) for key in nums[::2]]
    assert keys == sorted(set(keys))
    parents = dict(zip(keys, nums[1::2], strict=True))
    pages, links, ids = [], [], []
    for index, page in enumerate(reader.pages):
        marked = [reference.get_object() for reference in parents[int(page["/StructParents"])]
                  if not isinstance(reference, NullObject) and reference.idnum in reachable]
        assert all(element["/Pg"].get_object() == page.get_object() for element in marked)
        pages.append([path(element) for element in marked])
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            element = parents[int(annotation["/StructParent"])].get_object()
            objects = [kid.get_object()["/Obj"].get_object() for kid in element["/K"]
                       if isinstance(kid.get_object(), DictionaryObject)
                       and kid.get_object().get("/Type") == "/OBJR"]
            assert objects.count(annotation) == 1, (index, annotation["/Contents"])
            links.append((index, str(annotation["/Contents"]), path(element)))
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if isinstance(obj, DictionaryObject) and obj.get("/Type") == "/StructElem":
            ids += [("ID", str(obj["/ID"]))] if "/ID" in obj else []
            attributes = obj.get("/A")
            if isinstance(attributes, DictionaryObject):
                ids += [("Headers", str(name)) for name in attributes.get("/Headers", [])]
    return pages, links, ids


def test_the_tags_are_those_of_the_whole_document_laid_out_at_once(joined, reference):
    pages, links, ids = _tags(joined[1])
    expected_pages, expected_links, expected_ids = _tags(reference)
    assert pages == expected_pages
    assert links == expected_links
    assert sum(len(marked) for marked in pages) > 100
    assert len([link for link in links if link[1].startswith("p-")]) >= CHAPTERS + 4
    # Table headers: as many as in one document, one ID each although both parts number
    # them alike, and every Headers entry names one of them.
    header_ids = [name for kind, name in ids if kind == "ID"]
    assert len(header_ids) == len([kind for kind, _ in expected_ids if kind == "ID"]) == 6
    assert len(header_ids) == len(set(header_ids))
    headers = [name for kind, name in ids if kind == "Headers"]
    assert len(headers) == len([kind for kind, _ in expected_ids if kind == "Headers"]) > 0
    assert set(headers) <= set(header_ids)


def test_running_headers_and_page_numbers_are_pagination_artifacts(joined, reference):
    """Every page of the joined handout: «Página N de M» and the running header are skipped by
    a screen reader, everything else is tagged and reached from the structure tree. WeasyPrint
    alone tags the margin boxes as text of elements the tree does not reach: the check sees it."""
    reader = joined[1]
    reachable = reachable_elements(reader)
    assert [problem for index in range(len(reader.pages))
            for problem in page_problems(reader, index, reachable, numbered=index > 0)] == []
    problems = page_problems(reference, 2, reachable_elements(reference), numbered=True)
    assert any("is tagged as text" in problem for problem in problems), problems
    assert any("does not reach" in problem for problem in problems), problems


def test_margin_boxes_written_otherwise_are_a_clear_error(monkeypatch):
    monkeypatch.setattr(handout_merge, "_MARKED", re.compile(rb"(?!)"))  # never matches
    with pytest.raises(HandoutError, match=r"page 2: the marked content of its margin boxes"):
        render_handout(_job(), processes=1)


def test_split_balances_the_weight_and_cuts_only_before_chapters():
    rng = random.Random(14)
    for _ in range(300):
        size = rng.randint(1, 12)
        weights = [rng.randint(1, 100) for _ in range(size)]
        cuttable = [rng.random() < 0.6 for _ in range(size)]
        ranges = handout_parts.split(weights, cuttable, 2)
        assert [i for r in ranges for i in r] == list(range(size))
        allowed = [cut for cut in range(1, size) if cuttable[cut]]
        if not allowed:
            assert len(ranges) == 1
            continue
        assert len(ranges) == 2 and cuttable[ranges[1].start]
        best = min(abs(sum(weights[:cut]) - sum(weights[cut:])) for cut in allowed)
        assert abs(sum(weights[:ranges[1].start]) - sum(weights[ranges[1].start:])) == best


class _Part:
    """A stand-in for PartRender that fails as told."""

    def __init__(self, failure=None):
        self.failure = failure

    def lay_out(self, numbers):
        if self.failure == "error":
            raise HandoutError("part 1: something the user can fix")
        if self.failure == "exit":
            os._exit(3)
        return 1, {}, set()

    def print(self, numbers, first, total):
        return True

    def write(self, stand_ins):
        return b"%PDF", [], {}


@pytest.mark.parametrize(("failure", "message"), [
    ("error", "part 1: something the user can fix"),
    ("exit", "stopped without an answer (exit code 3)"),
])
def test_a_failing_part_process_gives_a_clear_error(failure, message):
    with pytest.raises(HandoutError, match=re.escape(message)):
        handout_parts.render([_Part, lambda: _Part(failure)], processes=2)


def test_a_page_counter_in_any_counter_style_is_renumbered(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    css = templates / "handout.css"
    text = css.read_text(encoding="utf-8")
    assert 'counter(page) " de " counter(pages)' in text
    css.write_text(text.replace('counter(page) " de "', 'counter(page, upper-roman) " de "'),
                   encoding="utf-8")
    pdf = render_handout(_job(templates)).pdf
    words_by_page = _pdftotext_pages(pdf, tmp_path, "roman")
    total = len(words_by_page)
    last = " ".join(word[0] for word in words_by_page[-1])
    assert f"Página {_roman(total)} de {total}" in last


def _roman(number: int) -> str:
    values = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in values:
        while number >= value:
            out, number = out + letters, number - value
    return out


def test_a_page_counter_the_join_cannot_renumber_is_a_clear_error(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    css = templates / "handout.css"
    text = css.read_text(encoding="utf-8")
    css.write_text(text.replace('content: "Página " counter(page)',
                                'content: string(chapter) " " counter(page)'), encoding="utf-8")
    with pytest.raises(HandoutError, match="@bottom-center box of @page"):
        render_handout(_job(templates))


def test_the_joined_file_keeps_one_copy_of_each_shared_object(joined):
    """The first part's catalog, metadata and language survive; nothing of the second part's
    catalog is left over (one Document element, one outline root, one name tree)."""
    reader = joined[1]
    root = reader.trailer["/Root"]
    assert str(root["/Lang"]) == "es"
    assert "pdfuaid" in root["/Metadata"].get_object().get_data().decode()
    kinds = Counter()
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if isinstance(obj, DictionaryObject):
            kinds[str(obj.get("/Type")), str(obj.get("/S"))] += 1
    assert kinds["/StructTreeRoot", "None"] == 1
    assert kinds["/StructElem", "/Document"] == 1
    assert kinds["/Catalog", "None"] == 1


def test_parts_are_rendered_in_this_process_when_forking_is_unsafe_or_turned_off(monkeypatch):
    def kinds() -> list[str]:
        workers = handout_parts._start([_Part, _Part], None)
        for worker in workers:
            worker.close()
        return [type(worker).__name__ for worker in workers]

    monkeypatch.setattr(handout_parts.os, "cpu_count", lambda: 2)
    monkeypatch.delenv(handout_parts.PROCESSES_ENV, raising=False)
    assert kinds() == ["_Forked", "_Forked"]
    monkeypatch.setenv(handout_parts.PROCESSES_ENV, "1")
    assert kinds() == ["_Local", "_Local"]
    monkeypatch.delenv(handout_parts.PROCESSES_ENV)
    release = threading.Event()
    server = threading.Thread(target=release.wait)  # as `mkdocs serve` has
    server.start()
    try:
        assert kinds() == ["_Local", "_Local"]
    finally:
        release.set()
        server.join()
