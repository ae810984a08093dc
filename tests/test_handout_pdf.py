"""The handout read back: its fonts are only the shipped ones, the machine's fonts change no
byte, nothing crosses the page's margins (a comparison table of 30 systems too), and an
unchanged rebuild reuses the cached PDF.

Expectations come from the sources: the font files in fonts/vendor/ (their PostScript names),
the margins in handout.css, the words' positions read back with poppler's pdftotext.
"""

from __future__ import annotations

import copy
import hashlib
import io
import posixpath
import re
import shutil
import subprocess
import tempfile
from html import unescape
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, run_build
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from virtcurso.handout import Edition, HandoutJob, HandoutMeta, HandoutPage, render_handout
from virtcurso.handout_fonts import font_configuration

PDF_PATH = "descargas/introduccion-virtualizacion.pdf"
CSS = ROOT / "overrides" / "fragments" / "virtcurso" / "handout" / "handout.css"
MM = 72 / 25.4
TOLERANCE = 0.5  # points: rounding of glyph boxes
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">'
                   r"(.*?)</word>")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _shipped_families() -> set[str]:
    """Family names of the font files in fonts/vendor/, as PDF names ("DejaVu-Sans")."""
    names = set()
    for path in (ROOT / "fonts" / "vendor").rglob("*.ttf"):
        names.add(str(TTFont(path)["name"].getDebugName(1)).replace(" ", "-"))
    return names


def _embedded_fonts(reader: PdfReader) -> set[str]:
    found = set()
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for font in fonts.values():
            found.add(str(font.get_object()["/BaseFont"]).lstrip("/"))
    return found


def test_the_pdf_embeds_only_the_shipped_fonts(built_site):
    embedded = _embedded_fonts(PdfReader(built_site.dir / PDF_PATH))
    assert embedded
    # Subsets are named "ABCDEF+Family-Name-Style"; the family must be a shipped file's.
    families = _shipped_families()
    assert len(families) == 3
    for name in embedded:
        base = name.split("+", 1)[-1]
        assert any(base == family or base.startswith(f"{family}-") for family in families), name


def test_the_font_configuration_has_no_system_fonts():
    import weasyprint
    from weasyprint.text.ffi import fontconfig

    config = font_configuration(weasyprint)
    assert fontconfig.FcConfigGetFonts(config._config, fontconfig.FcSetSystem).nfont == 0


def _decoy_fontconfig(work: Path) -> Path:
    """A fontconfig setup with none of the machine's fonts and a fake «DejaVu Sans» (serif
    glyphs): a build that read the system's fonts would set some text in it."""
    decoy = TTFont(ROOT / "fonts" / "vendor" / "liberation" / "LiberationSerif-Regular.ttf")
    for record in decoy["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "DejaVu Sans"
        elif record.nameID == 6:
            record.string = "DejaVuSans"
    (work / "fonts").mkdir(parents=True)
    decoy.save(work / "fonts" / "DejaVuSans.ttf")
    config = work / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{work / "fonts"}</dir>'
                      f'<cachedir>{work / "fc-cache"}</cachedir></fontconfig>\n',
                      encoding="utf-8")
    return config


@pytest.mark.slow
def test_the_machine_fonts_change_no_byte_of_the_pdf(built_site, tmp_path):
    config = _decoy_fontconfig(tmp_path / "fc")
    # The cache records without their PDFs: the render runs, with the last page numbers known
    # (one layout instead of two; tests/test_handout_cache.py proves they change no byte).
    (tmp_path / "cache").mkdir()
    for record in (ROOT / ".cache" / "handout").glob("*.json"):
        shutil.copy(record, tmp_path / "cache")
    result = run_build(ROOT, tmp_path / "site", VIRTCURSO_PDF="true",
                       VIRTCURSO_CACHE_DIR=str(tmp_path / "cache"), FONTCONFIG_FILE=str(config),
                       HOME=str(tmp_path), XDG_CACHE_HOME=str(tmp_path / "xdg"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "PDF handout: rendered" in result.stderr  # a fresh render, not the cache
    assert _sha(tmp_path / "site" / PDF_PATH) == _sha(built_site.dir / PDF_PATH)


def test_an_unchanged_rebuild_reuses_the_cached_pdf(built_site, tmp_path):
    result = run_build(ROOT, tmp_path / "site", VIRTCURSO_PDF="true")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "PDF handout: inputs unchanged, reused" in result.stderr
    assert _sha(tmp_path / "site" / PDF_PATH) == _sha(built_site.dir / PDF_PATH)


# ---- nothing crosses the margins --------------------------------------------------------------
def _text_area() -> tuple[float, float]:
    """(left, right) edges of the text, in points, from the first @page rule of handout.css."""
    page = re.search(r"@page\s*\{[^}]*?size:\s*A4;\s*margin:\s*([^;]+);", CSS.read_text("utf-8"))
    top, right, bottom, left = (float(value.removesuffix("mm")) for value in page[1].split())
    return left * MM, 210 * MM - right * MM


def words_outside_the_text_area(pdf: Path) -> list[tuple[int, str, float, float]]:
    """(page, word, xMin, xMax) of every word outside the margins, cover (page 1) excepted."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed: sudo apt-get install poppler-utils")
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    left, right = _text_area()
    outside = []
    for number, page in enumerate(bbox.split("<page ")[1:], start=1):
        for x_min, x_max, word in _WORD.findall(page):
            x_min, x_max = float(x_min), float(x_max)
            if number > 1 and (x_min < left - TOLERANCE or x_max > right + TOLERANCE):
                outside.append((number, unescape(word), x_min, x_max))
    return outside


def test_no_word_crosses_the_margins(built_site):
    assert words_outside_the_text_area(built_site.dir / PDF_PATH) == []


def _comparison_with_rows(built_site, rows: int) -> tuple[str, list[str]]:
    """The built comparison chapter's HTML, its table grown to `rows` rows (and by 8 rows at
    least, the data may have `rows` already) by cloning real ones under new names; and the
    system page URLs its links point at."""
    page = BeautifulSoup(built_site.page("comparativa/").read_text(encoding="utf-8"),
                         "html.parser")
    article = page.select_one("article")
    for chrome in article.select(".md-content__button, .md-source-file"):
        chrome.decompose()
    body = article.select_one("table#cuadro-comparativo > tbody")
    real = body.find_all("tr", recursive=False)
    for number in range(max(rows - len(real), 8)):
        clone = copy.copy(real[number % len(real)])
        name = clone.find("th").find("a") or clone.find("th")
        name.string = f"{name.get_text(' ', strip=True)} (n.º {number + 1})"
        body.append(clone)
    links = {a["href"] for a in body.select("a[href]") if "sistemas/" in a["href"]}
    urls = sorted({posixpath.normpath(posixpath.join("comparativa", href.split("#")[0])) + "/"
                   for href in links})
    return article.decode_contents(), urls


def test_a_comparison_table_of_thirty_systems_fits_the_page(built_site):
    html, urls = _comparison_with_rows(built_site, 30)
    pages = [HandoutPage("comparativa/", "comparativa.md", html)]
    # The system pages the rows link to, so links print their page number as in the handout.
    pages += [HandoutPage(url, f"{url}index.md", f"<h1>{url}</h1>", depth=1) for url in urls]

    def read_asset(path: str) -> bytes | None:
        file = built_site.dir / path
        return file.read_bytes() if file.is_file() else None

    meta = HandoutMeta("Prueba", "Autor", "Descripción", ("a",), "https://example.org/")
    job = HandoutJob(pages, meta, Edition("abc1234", "", ""), read_asset)
    pdf = render_handout(job).pdf
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "(n.º 8)" in " ".join(text.split()), "the cloned rows are not in the PDF"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        assert words_outside_the_text_area(Path(file.name)) == []
