"""The handout cache: unchanged inputs reuse the PDF, any changed input renders it again, and a
damaged cache file is detected and replaced, never handed out.

A small two-page job keeps each render under a second; the real renderer runs, wrapped so the
tests can count its calls (observable without timing).
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from virtcurso import handout_cache
from virtcurso.handout import (
    FONTS,
    TEMPLATES,
    Edition,
    HandoutJob,
    HandoutMeta,
    HandoutPage,
    render_handout,
)
from virtcurso.handout_cache import cached_render

SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><title>Caja</title>'
       b'<rect width="40" height="20" fill="#3949ab"/></svg>')
CHAPTER = ('<h1 id="uno">Capítulo uno</h1><p>Ver la <a href="../dos/#mas">sección de más</a>.'
           '</p><p><img alt="Una caja" src="../img/caja.svg"></p>')
SECOND = '<h1 id="dos">Capítulo dos</h1><h2 id="mas">Más</h2><p>Texto de prueba.</p>'


class Counter:
    """The real renderer, counting its calls."""

    def __init__(self):
        self.calls: list[HandoutJob] = []

    def __call__(self, job):
        self.calls.append(job)
        return render_handout(job)


def make_job(assets: dict[str, bytes] | None = None, templates: Path = TEMPLATES,
             fonts: Path = FONTS, **changes) -> HandoutJob:
    files = {"img/caja.svg": SVG, **(assets or {})}
    pages = [HandoutPage("uno/", "uno.md", changes.pop("chapter", CHAPTER)),
             HandoutPage("dos/", "dos.md", SECOND)]
    meta = HandoutMeta("Prueba", "Autor", "Descripción", changes.pop("keywords", ("a",)),
                       "https://example.org/")
    edition = Edition("abc1234", changes.pop("date_label", "1 de enero de 2026"),
                      "2026-01-01T00:00:00Z")
    return HandoutJob(pages, meta, edition, files.get, templates, fonts)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> tuple[Path, bytes]:
    """A cache folder holding the render of the base job, and that PDF."""
    folder = tmp_path_factory.mktemp("cache")
    result = cached_render(make_job(), folder)
    assert not result.reused
    return folder, result.handout.pdf


@pytest.fixture
def cache(seeded, tmp_path) -> Path:
    return Path(shutil.copytree(seeded[0], tmp_path / "cache"))


def test_unchanged_inputs_reuse_the_pdf_without_rendering(cache, seeded):
    render = Counter()
    result = cached_render(make_job(), cache, render)
    assert result.reused and render.calls == []
    assert result.handout.pdf == seeded[1]
    assert len(PdfReader(result.path).pages) == result.handout.page_count


def _edited_copy(source: Path, dest: Path, name: str, old: bytes, new: bytes) -> Path:
    copy = Path(shutil.copytree(source, dest))
    data = (copy / name).read_bytes()
    assert old in data
    (copy / name).write_bytes(data.replace(old, new, 1))
    return copy


def _swapped_font(tmp_path: Path) -> Path:
    # Another file's bytes under the same name: the font files are part of the key.
    fonts = Path(shutil.copytree(FONTS, tmp_path / "fonts"))
    bold = fonts / "vendor" / "dejavu" / "DejaVuSans-Bold.ttf"
    bold.write_bytes((fonts / "vendor" / "dejavu" / "DejaVuSans-BoldOblique.ttf").read_bytes())
    return fonts


CHANGES = {
    "one character in a chapter": lambda tmp: make_job(chapter=CHAPTER.replace("uno<", "unó<")),
    "one character in the CSS": lambda tmp: make_job(templates=_edited_copy(
        TEMPLATES, tmp / "t", "handout.css", b"line-height: 1.42", b"line-height: 1.43")),
    "a template": lambda tmp: make_job(templates=_edited_copy(
        TEMPLATES, tmp / "t", "cover.html", b"Manual del alumno", b"Manual de la alumna")),
    "a font file": lambda tmp: make_job(fonts=_swapped_font(tmp)),
    "the data (keywords)": lambda tmp: make_job(keywords=("a", "b")),
    "the printed date": lambda tmp: make_job(date_label="2 de enero de 2026"),
    "an image of the site": lambda tmp: make_job(assets={"img/caja.svg": SVG.replace(
        b"#3949ab", b"#3949ac")}),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_every_kind_of_input_change_renders_again(cache, tmp_path, change):
    job = CHANGES[change](tmp_path)
    render = Counter()
    result = cached_render(job, cache, render)
    assert not result.reused and len(render.calls) == 1
    again = cached_render(job, cache, render)
    assert again.reused and len(render.calls) == 1
    assert again.handout.pdf == result.handout.pdf


def test_another_weasyprint_renders_again(cache, monkeypatch):
    identity = handout_cache._weasyprint_identity()
    monkeypatch.setattr(handout_cache, "_weasyprint_identity", lambda: identity + ".1")
    render = Counter()
    assert not cached_render(make_job(), cache, render).reused
    assert len(render.calls) == 1


LDCONFIG = """\t5 libs found in cache `/etc/ld.so.cache'
\tlibpango-1.0.so.0 (libc6,x86-64) => /lib/libpango-1.0.so.0
\tlibpangoft2-1.0.so.0 (libc6,x86-64) => /lib/libpangoft2-1.0.so.0
\tlibharfbuzz.so.0 (libc6,x86-64) => /lib/libharfbuzz.so.0
{subset}\tlibfontconfig.so.1 (libc6,x86-64) => /lib/libfontconfig.so.1
"""


def test_installing_a_system_library_renders_again(cache, monkeypatch):
    """A cache made before HarfBuzz-Subset was installed holds WeasyPrint's warning that it is
    missing; once it is installed, the same inputs must not replay that warning."""
    listings = iter([LDCONFIG.format(subset=""), LDCONFIG.format(
        subset="\tlibharfbuzz-subset.so.0 (libc6,x86-64) => /lib/libharfbuzz-subset.so.0\n")])

    def ldconfig(command, **kwargs):
        assert command[-1] == "-p"
        return handout_cache.subprocess.CompletedProcess(command, 0, next(listings), "")

    monkeypatch.setattr(handout_cache.subprocess, "run", ldconfig)
    without = handout_cache._weasyprint_identity()
    with_subset = handout_cache._weasyprint_identity()
    assert "/lib/libharfbuzz-subset.so.0" in with_subset
    assert "/lib/libharfbuzz-subset.so.0" not in without
    monkeypatch.setattr(handout_cache, "_weasyprint_identity", lambda: without)
    before = handout_cache.job_digest(make_job())
    monkeypatch.setattr(handout_cache, "_weasyprint_identity", lambda: with_subset)
    assert handout_cache.job_digest(make_job()) != before


def _damage_truncate(pdf: Path) -> None:
    pdf.write_bytes(pdf.read_bytes()[: pdf.stat().st_size // 2])


def _damage_flip(pdf: Path) -> None:
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01  # same size, one bit different
    pdf.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_damage_truncate, _damage_flip, Path.unlink],
                         ids=["truncated", "one-bit", "missing"])
def test_a_damaged_cache_file_is_rendered_again_never_handed_out(cache, seeded, damage):
    (entry,) = cache.glob("*.pdf")
    damage(entry)
    render = Counter()
    result = cached_render(make_job(), cache, render)
    assert not result.reused and len(render.calls) == 1
    assert result.handout.pdf == seeded[1]  # the render of the same inputs, not the damage
    assert entry.read_bytes() == seeded[1]  # and the entry is repaired
    assert result.note


def test_a_damaged_record_is_rendered_again(cache, seeded):
    (record,) = cache.glob("*.json")
    record.write_text("{not json", encoding="utf-8")
    render = Counter()
    result = cached_render(make_job(), cache, render)
    assert not result.reused and result.handout.pdf == seeded[1]


def test_old_entries_are_pruned(cache):
    for number in range(handout_cache.KEEP + 1):
        cached_render(make_job(keywords=(f"k{number}",)), cache)
    assert len(list(cache.glob("*.json"))) == handout_cache.KEEP
    assert len(list(cache.glob("*.pdf"))) == handout_cache.KEEP


def test_the_key_covers_every_field_of_a_page():
    page = make_job().pages[0]
    for name in (field.name for field in dataclasses.fields(page)):
        value = getattr(page, name)
        changed = (value + 1) if isinstance(value, int) and not isinstance(value, bool) \
            else (not value) if isinstance(value, bool) else f"{value}x"
        job = make_job()
        job.pages = [dataclasses.replace(page, **{name: changed}), job.pages[1]]
        assert handout_cache.job_digest(job) != handout_cache.job_digest(make_job()), name


def test_a_page_that_exists_only_in_the_handout_is_numbered_and_linked():
    job = make_job(chapter=CHAPTER + '<p>Las <a href="../soluciones/#s1">soluciones</a>.</p>')
    extra = HandoutPage("soluciones/", "soluciones (folleto)",
                        '<h1 id="sol">Soluciones</h1><h2 id="s1">Pregunta 1</h2><p>La b.</p>')
    job.pages = [*job.pages, extra]
    texts = [" ".join((page.extract_text() or "").split())
             for page in PdfReader(io.BytesIO(render_handout(job).pdf)).pages]
    where = [number for number, text in enumerate(texts, start=1) if "Pregunta 1" in text]
    printed = re.search(r"soluciones\W+\(pág\W+(\d+)\)", "\n".join(texts))
    assert where and printed, texts
    assert int(printed[1]) == where[-1]  # the last hit: the TOC lists it too
    assert any("Soluciones" in text and "Índice" in text for text in texts)


def test_builds_at_the_same_time_render_the_same_inputs_once(tmp_path):
    """The second build waits for the first one's render and reuses it: one call in all."""
    import threading

    cache, job, results = tmp_path / "cache", make_job(keywords=("a la vez",)), {}
    render, second = Counter(), threading.Event()

    def slow_render(job):
        second.set()  # the other build starts while this one is rendering
        threading.Event().wait(0.5)  # time for it to reach the lock (not a timed assertion)
        return render(job)

    def build(name):
        results[name] = cached_render(job, cache, slow_render)

    first = threading.Thread(target=build, args=("first",))
    first.start()
    assert second.wait(30)
    build("second")
    first.join(30)
    assert len(render.calls) == 1
    assert (results["first"].reused, results["second"].reused) == (False, True)
    assert results["second"].handout.pdf == results["first"].handout.pdf
