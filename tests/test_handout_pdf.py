"""The handout read back: its fonts are only the shipped ones, the machine's fonts change no
byte, nothing crosses the page's right margin (with 30 systems too), and an unchanged rebuild
reuses the cached PDF.

Expectations come from the sources: the font files in fonts/vendor/ (their PostScript names),
the margins in handout.css, the words' positions read back with poppler's pdftotext.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, run_build
from fontTools.ttLib import TTFont
from pypdf import PdfReader
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


@pytest.mark.slow
def test_a_comparison_table_of_thirty_systems_fits_the_page(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from bench_builds import write_synthetic_data
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    project = copy_project(tmp_path / "project")
    assert write_synthetic_data(project, 30) == 30
    result = run_build(project, tmp_path / "site", VIRTCURSO_PDF="true")
    assert result.returncode == 0, result.stderr[-3000:]
    pdf = tmp_path / "site" / PDF_PATH
    rows = [page for page in PdfReader(pdf).pages if "(n.º 19)" in (page.extract_text() or "")]
    assert rows, "the synthetic systems are not in the handout"
    assert words_outside_the_text_area(pdf) == []
