"""The PDF handout, read back with pypdf from the real build (and a few unit tests).

Expectations come from the sources, not from the handout code: chapter titles from mkdocs.yml's
nav and each page's built <h1>, system names from data/hypervisors.yml.
"""

from __future__ import annotations

import hashlib
import logging
import re
import textwrap

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, run_build
from pdf_tags import page_problems, reachable_elements
from pypdf import PdfReader
from pypdf.generic import ArrayObject, IndirectObject
from virtcurso.handout_html import PageLinks, page_key, resolve_href, rewrite_page
from virtcurso.handout_site import expand_download_marker, format_size

PDF_PATH = "descargas/introduccion-virtualizacion.pdf"
HOME_TITLE = "Presentación"  # the home page's chapter in the handout (its H1 repeats the cover)


# ---- fixtures ---------------------------------------------------------------------------------
class _EnvLoader(yaml.SafeLoader):
    pass


_EnvLoader.add_constructor("!ENV", lambda loader, node: None)


@pytest.fixture(scope="session")
def handout(built_site) -> PdfReader:
    path = built_site.dir / PDF_PATH
    assert path.is_file(), "the build wrote no handout (is VIRTCURSO_PDF false?)"
    return PdfReader(path)


@pytest.fixture(scope="session")
def page_texts(handout, handout_texts) -> list[str]:
    assert len(handout_texts) == len(handout.pages)
    return handout_texts


def _config() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvLoader)


def _h1(built_site, url: str) -> str:
    soup = BeautifulSoup(built_site.page(url).read_text(encoding="utf-8"), "html.parser")
    heading = soup.select_one("article h1")
    for link in heading.select("a.headerlink"):
        link.decompose()
    return " ".join(heading.get_text().split())


def _nav_urls(target: str) -> str:
    """Site URL of a nav target: 'conceptos.md' -> 'conceptos/', 'tecnicas/' stays."""
    if target.endswith("/"):
        return target
    stem = target.removesuffix(".md")
    return "" if stem == "index" else stem.removesuffix("/index") + "/"


@pytest.fixture(scope="session")
def chapter_titles(built_site) -> list[str]:
    """One title per top-level nav entry, as the handout must show it."""
    titles = []
    for entry in _config()["nav"]:
        (target,) = entry.values()
        url = _nav_urls(target) if isinstance(target, str) else None
        if url is None:
            continue
        titles.append(HOME_TITLE if url == "" else _h1(built_site, url))
    return titles


def _technique_urls(built_site) -> list[str]:
    pages = built_site.dir.glob("tecnicas/*/index.html")
    return sorted(f"tecnicas/{page.parent.name}/" for page in pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark."""
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, _flat(item.title), reader.get_destination_page_number(item)))
    walk(reader.outline, 0)
    return found


# ---- the PDF, read back -----------------------------------------------------------------------
def test_outline_has_every_chapter_and_technique_page(handout, built_site, chapter_titles):
    outline = _outline(handout)
    top = [title for depth, title, _ in outline if depth == 0]
    assert len(chapter_titles) >= 9
    for title in chapter_titles:
        assert title in top, f"no chapter bookmark for {title!r}"
    nested = [title for depth, title, _ in outline if depth == 1]
    for url in _technique_urls(built_site):
        assert _h1(built_site, url) in nested


def test_text_has_every_chapter_title_and_system_name(page_texts, chapter_titles):
    data = yaml.safe_load((ROOT / "data" / "hypervisors.yml").read_text(encoding="utf-8"))
    names = [system["name"] for system in data["systems"]]
    assert len(names) >= 11
    # A word hyphenated at a line end comes back as "vir-\ntualización": join both ways.
    raw = "\n".join(page_texts)
    texts = (_flat(re.sub(r"-\n", "", raw)), _flat(re.sub(r"-\n", "-", raw)))
    for expected in chapter_titles + names:
        assert any(_flat(expected) in text for text in texts), f"{expected!r} not in the PDF"


def _toc_entries(page_texts) -> list[tuple[str, int]]:
    """(title, printed page number) of every line of the «Índice» pages."""
    entries, pending = [], ""
    for text in page_texts[1:6]:
        if "Índice" not in text.splitlines()[0:2] and not entries:
            continue
        for line in text.splitlines():
            match = re.match(r"^(.*?)[ .]*\.{3,}[ .]*(\d+)$", line.strip())
            if match:
                entries.append((_flat(f"{pending} {match[1]}"), int(match[2])))
                pending = ""
            elif entries and line.strip() and not line.startswith(("Página", "Índice")):
                pending = f"{pending} {line.strip()}"
    return entries


def test_toc_page_numbers_match_where_headings_are(handout, page_texts, chapter_titles):
    entries = _toc_entries(page_texts)
    assert len(entries) >= len(chapter_titles)
    # Bookmarks come from the headings' final positions; match TOC lines to them in order
    # (titles such as «Para saber más» repeat in every chapter).
    bookmarks = [(title, index + 1) for _, title, index in _outline(handout)]
    position = 0
    for title, number in entries:
        assert 1 < number <= len(handout.pages), (title, number)
        found = [i for i in range(position, len(bookmarks)) if bookmarks[i][0] == title]
        assert found, f"TOC entry {title!r} has no heading bookmark after entry {position}"
        position = found[0] + 1
        actual = bookmarks[found[0]][1]
        assert actual == number, f"{title!r}: TOC says {number}, heading on page {actual}"
        assert title in _flat(page_texts[number - 1]), f"{title!r} not printed on page {number}"


def test_pdf_is_tagged_spanish_with_metadata(handout):
    root = handout.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert root["/Lang"] == "es"
    config = _config()
    meta = handout.metadata
    assert meta.title == config["site_name"]
    assert meta.author == config["site_author"]
    assert _flat(meta.subject) == _flat(config["site_description"])
    assert "virtualización" in meta.get("/Keywords", "")


def test_internal_links_point_to_pages_of_the_pdf(handout):
    pages = {page.indirect_reference.idnum: i for i, page in enumerate(handout.pages)}
    named = {name: dest for name, dest in handout.named_destinations.items()}
    internal = 0
    for page in handout.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            if action is not None and action.get("/S") == "/URI":
                continue
            dest = annot.get("/Dest") or (action or {}).get("/D")
            assert dest is not None, f"link without target: {annot}"
            internal += 1
            if not isinstance(dest, ArrayObject):
                assert str(dest) in named, f"named destination {dest!r} missing"
                assert handout.get_destination_page_number(named[str(dest)]) >= 0
                continue
            target = dest[0]
            assert isinstance(target, IndirectObject) and target.idnum in pages, dest
    assert internal >= 20  # the TOC alone links every chapter


def test_running_headers_and_page_numbers_are_pagination_artifacts(handout):
    """A screen reader skips «Página N de M» and the running header, and reaches every tagged
    content from the structure tree (tests/pdf_tags.py). A sample of pages keeps it quick: the
    cover, the contents, every ninth page and the last."""
    reachable = reachable_elements(handout)
    total = len(handout.pages)
    sample = sorted({0, 1, total - 1, *range(2, total, 9)})
    assert [problem for index in sample
            for problem in page_problems(handout, index, reachable, numbered=index > 0)] == []


def test_two_builds_give_the_same_pdf(built_site, tmp_path):
    result = run_build(ROOT, tmp_path / "again", VIRTCURSO_PDF="true")
    assert result.returncode == 0, result.stderr[-3000:]
    first = hashlib.sha256((built_site.dir / PDF_PATH).read_bytes()).hexdigest()
    second = hashlib.sha256((tmp_path / "again" / PDF_PATH).read_bytes()).hexdigest()
    assert first == second


# ---- the download links on the site -----------------------------------------------------------
def _size_pattern(size: int) -> re.Pattern:
    # The label is computed by the code under test; check it against the real file size here.
    if size < 1_000_000:
        return re.compile(rf"\b{round(size / 1000)} kB\b")
    return re.compile(rf"\b{size / 1e6:.1f} MB\b".replace(".", ","))


@pytest.mark.parametrize("url", ["", "comparativa/"])
def test_download_link_shows_the_real_size(built_site, handout, url):
    size = (built_site.dir / PDF_PATH).stat().st_size
    soup = BeautifulSoup(built_site.page(url).read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article")
    links = [a for a in article.select("a[href]") if a["href"].endswith(PDF_PATH)]
    assert links, f"no download link in {url or 'index'}"
    target = (built_site.page(url).parent / links[0]["href"]).resolve()
    assert target == (built_site.dir / PDF_PATH).resolve()
    label = article.select_one(".virtcurso-handout-size").get_text()
    assert _size_pattern(size).search(label), label
    assert f"{len(handout.pages)} páginas" in label


def test_every_page_has_the_header_download_link(built_site):
    for path in built_site.html_pages()[:40]:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if soup.select_one("article") is None or path.name == "404.html":
            continue  # theme pages (the 404 page uses absolute links on purpose)
        link = soup.select_one(".md-banner a[href$='.pdf']")
        assert link is not None, path
        assert (path.parent / link["href"]).resolve() == (built_site.dir / PDF_PATH).resolve()


def test_build_log_has_no_handout_warning(built_site):
    bad = [r.getMessage() for r in built_site.log
           if r.levelno >= logging.WARNING and "handout" in r.getMessage().lower()]
    assert bad == []


def test_every_page_number_fits_its_box_so_one_layout_is_enough(built_site):
    """A reference too wide for its fixed box costs a second layout of the whole handout
    (handout_layout.print_numbers): the boxes in handout.css must hold the longest number."""
    (line,) = [r.getMessage() for r in built_site.log if "PDF handout:" in r.getMessage()]
    assert "1 layout(s)" in line, line


# ---- builds without the PDF -------------------------------------------------------------------
def test_serve_mode_skips_the_pdf_and_still_builds_strictly(tmp_path):
    result = run_build(ROOT, tmp_path / "site", VIRTCURSO_PDF="false")
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (tmp_path / "site" / PDF_PATH).exists()
    home = BeautifulSoup((tmp_path / "site" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    note = home.select_one("article .virtcurso-download")
    assert note is not None and "se genera al construir" in note.get_text()
    assert not note.select("a[href$='.pdf']")


def test_missing_system_libraries_give_a_clear_message(tmp_path):
    fake = tmp_path / "fake" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        "raise OSError(\"cannot load library 'libpango-1.0-0': No such file\")\n")
    result = run_build(ROOT, tmp_path / "site", VIRTCURSO_PDF="true",
                       PYTHONPATH=str(tmp_path / "fake"))
    assert result.returncode == 1
    assert "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" in result.stderr
    assert "Traceback" not in result.stderr


# ---- unit tests of the rewriting --------------------------------------------------------------
def _links(url="hipervisores/"):
    keys = {u: page_key(u) for u in ("", "conceptos/", "hipervisores/", "tecnicas/emulacion/")}
    return PageLinks(keys[url], url, keys, "https://example.org/curso/")


@pytest.mark.parametrize("href, expected", [
    ("../conceptos/#anfitrion", "#p-conceptos--anfitrion"),
    ("../conceptos/", "#p-conceptos"),
    ("#tipo-1", "#p-hipervisores--tipo-1"),
    ("../tecnicas/emulacion/", "#p-tecnicas-emulacion"),
    ("../", "#p-inicio"),
    ("../sistemas/kvm/#fuentes", "https://example.org/curso/sistemas/kvm/#fuentes"),
    ("https://www.qemu.org/", "https://www.qemu.org/"),
])
def test_links_between_pages_become_anchors(href, expected):
    assert resolve_href(href, _links()) == expected


def test_rewrite_prefixes_ids_opens_details_and_drops_chrome():
    html = textwrap.dedent("""\
        <h1 id="hipervisores">Hipervisores<a class="headerlink" href="#hipervisores">¶</a></h1>
        <h2 id="tipo-1">Tipo 1 <a class="headerlink" href="#tipo-1">¶</a></h2>
        <p>Ver <a href="#tipo-1">arriba</a> y <a href="https://xenproject.org/">Xen</a>,
        <a href="https://kvm.org/">https://kvm.org/</a>.</p>
        <details class="question"><summary>¿Por qué?</summary><p>Porque sí.</p></details>
        <img alt="Esquema" src="../assets/diagramas/tipo1.svg">
        <svg aria-labelledby="t"><title id="t">Pila</title></svg>
        <script>alert(1)</script><button>Copiar</button>""")
    page = rewrite_page(html, _links(), demote=0)
    soup = BeautifulSoup(page.html, "html.parser")
    assert page.title == "Hipervisores" and soup.find("h1") is None  # lifted for the template
    assert [(h.level, h.id, h.text) for h in page.headings] == [
        (2, "p-hipervisores--tipo-1", "Tipo 1")]
    assert soup.find("a", string="arriba")["href"] == "#p-hipervisores--tipo-1"
    assert "handout-ext" in soup.find("a", string="Xen")["class"]
    assert "handout-ext" not in (soup.find("a", string="https://kvm.org/").get("class") or [])
    assert soup.find("details").has_attr("open")
    assert soup.find("img")["src"] == "virtcurso:assets/diagramas/tipo1.svg"
    assert soup.find("svg")["aria-labelledby"] == "p-hipervisores--t"
    assert not soup.select(".headerlink, script, button") and "¶" not in page.html


def test_pages_inside_a_chapter_are_demoted():
    page = rewrite_page('<h1 id="e">Emulación</h1><h2 id="f">Ficha</h2>',
                        _links("tecnicas/emulacion/"), demote=1)
    assert page.title == "Emulación"
    assert BeautifulSoup(page.html, "html.parser").find("h3")["id"] == "p-tecnicas-emulacion--f"


def test_download_marker_links_to_the_pdf_from_any_folder():
    markdown = "# Título\n\n<!-- virtcurso:download -->\n\n```\n<!-- virtcurso:download -->\n```\n"
    out = expand_download_marker(markdown, "tecnicas/emulacion.md", enabled=True)
    assert "](../descargas/introduccion-virtualizacion.pdf)" in out
    assert out.count("virtcurso:download") == 1  # the example in the code fence stays
    off = expand_download_marker(markdown, "index.md", enabled=False)
    assert ".pdf" not in off and "se genera al construir" in off


@pytest.mark.parametrize("size, label", [(845_300, "845 kB"), (1_349_999, "1,3 MB"),
                                         (12_000_000, "12,0 MB")])
def test_sizes_read_the_spanish_way(size, label):
    assert format_size(size) == label


def test_a_strict_build_with_warnings_skips_the_pdf():
    from virtcurso.handout_site import strict_build_failing

    class Counting(logging.NullHandler):  # what MkDocs adds to its logger in strict mode
        def __init__(self, counts):
            super().__init__()
            self.counts = counts

        def get_counts(self):
            return self.counts

    logger = logging.getLogger("virtcurso-test-strict")
    handler = Counting([])
    logger.addHandler(handler)
    try:
        assert not strict_build_failing(True, logger.name)
        handler.counts = [("WARNING", 1)]
        assert strict_build_failing(True, logger.name)
        assert not strict_build_failing(False, logger.name)  # `mkdocs serve`: keep going
    finally:
        logger.removeHandler(handler)


@pytest.mark.parametrize("page_url, src, expected", [
    ("hipervisores/", "../assets/diagramas/tipo1.svg", "virtcurso:assets/diagramas/tipo1.svg"),
    ("hipervisores.html", "assets/diagramas/tipo1.svg", "virtcurso:assets/diagramas/tipo1.svg"),
    ("tecnicas/emulacion.html", "../assets/a.svg", "virtcurso:assets/a.svg"),
])
def test_images_resolve_from_folder_and_file_urls(page_url, src, expected):
    # The offline copy (`make offline`) has file URLs: "hipervisores.html", not "hipervisores/".
    from virtcurso.handout_html import resolve_src

    assert resolve_src(src, PageLinks("p-x", page_url, {}, "https://example.org/")) == expected
