"""The printable handout: the site's pages, in navigation order, as one tagged A4 PDF.

`render_handout(job)` is the whole pipeline and the benchmark's entry point: it assembles one
HTML document from Jinja templates (cover, table of contents, every page rewritten by
`handout_html`) and lays it out with WeasyPrint (`handout_layout`), with the fonts shipped in
fonts/ only (`handout_fonts`). `handout_cache` skips all of it when no input changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .handout_fonts import FONTS
from .handout_html import Heading, PageLinks, page_key, rewrite_page
from .handout_layout import PDF_VARIANT, SYSTEM_PACKAGES, HandoutError, Renderer, import_weasyprint
from .handout_merge import join
from .handout_parts import TOC_ENTRY_WEIGHT, PartRender, split, weight
from .handout_parts import render as render_parts
from .render import plain_environment

TEMPLATES = Path(__file__).resolve().parents[2] / "overrides/fragments/virtcurso/handout"
HANDOUT_URI = "descargas/introduccion-virtualizacion.pdf"
STYLESHEETS = ("fonts.css", "handout.css")  # in the templates folder, in this order
__all__ = ["PDF_VARIANT", "SYSTEM_PACKAGES", "HandoutError"]  # re-exported for the hook


@dataclass(frozen=True)
class HandoutPage:
    """One page of the site as the handout receives it (after MkDocs rendered its Markdown)."""

    url: str  # site URL: "" for the home page, "tecnicas/emulacion/"
    src_uri: str  # "tecnicas/emulacion.md" (for messages)
    html: str  # page.content: the body HTML, without the theme
    depth: int = 0  # 0 = a chapter; 1 = a page inside a chapter (a technique, a system)
    title: str = ""  # replaces the page's own <h1> when set (the home page: «Presentación»)
    flow: bool = False  # continue on the same sheet instead of starting a new one


@dataclass(frozen=True)
class Edition:
    version: str  # short commit hash, or "sin versión"
    date_label: str  # "26 de noviembre de 2026", or "" when unknown
    iso_date: str  # "2026-11-26T21:03:02Z" for dcterms.*, or "" (then no dates in the PDF)


@dataclass(frozen=True)
class HandoutMeta:
    title: str
    author: str
    description: str
    keywords: tuple[str, ...]
    site_url: str  # absolute, ends with "/"


@dataclass
class HandoutJob:
    """Everything the renderer needs; `read_asset(site_path)` returns a file's bytes or None."""

    pages: Sequence[HandoutPage]
    meta: HandoutMeta
    edition: Edition
    read_asset: Callable[[str], bytes | None]
    templates: Path = TEMPLATES
    fonts: Path = FONTS


@dataclass(frozen=True)
class Handout:
    pdf: bytes
    page_count: int
    seconds: float  # wall time of assembly + layout + PDF writing
    warnings: tuple[str, ...] = ()  # what WeasyPrint complained about
    layouts: int = 1  # passes over the whole document (1 unless a page number did not fit)
    assets: Mapping[str, str] = field(default_factory=dict)  # site files read -> SHA-256


@dataclass
class _Chapter:
    key: str
    depth: int
    flow: bool
    title: str
    title_id: str
    html: Markup
    headings: list[Heading] = field(default_factory=list)
    targets: set[str] = field(default_factory=set)


def render_handout(job: HandoutJob, processes: int | None = None) -> Handout:
    """Assemble and lay out the handout; the PDF is deterministic for the same job, whatever
    `processes` (default: the machine's cores; see handout_parts)."""
    weasyprint = import_weasyprint()
    start = time.perf_counter()
    css = [(job.templates / name).read_text(encoding="utf-8") for name in STYLESHEETS]
    chapters = _chapters(job, {})
    toc = _toc(chapters)

    def maker(index: int, pages: range):
        def make() -> PartRender:
            def assemble_part(numbers: Mapping[str, int]) -> tuple[str, set[str]]:
                mine = chapters[pages.start:pages.stop] if not numbers else \
                    _chapters(job, numbers, pages)
                return _document(job, numbers, mine, toc if index == 0 else None,
                                 last=pages.stop == len(chapters))

            return PartRender(Renderer(weasyprint, job.read_asset, css, job.fonts), assemble_part)
        return make

    # The first part has the cover and the contents too.
    weights = [weight(chapter.html) + (TOC_ENTRY_WEIGHT * len(toc) if index == 0 else 0)
               for index, chapter in enumerate(chapters)]
    cuttable = [chapter.depth == 0 and not chapter.flow for chapter in chapters]
    parts = split(weights, cuttable) if chapters else [range(0)]
    rendered = render_parts([maker(index, pages) for index, pages in enumerate(parts)],
                            processes)
    pdf = join(rendered.pdfs, rendered.owners)
    return Handout(pdf, rendered.page_count, time.perf_counter() - start,
                   tuple(rendered.complaints), rendered.layouts, rendered.assets)


def build_document(job: HandoutJob, page_numbers: Mapping[str, int] | None = None) -> str:
    """The handout as one HTML document (what WeasyPrint would lay out in one part)."""
    return assemble(job, page_numbers or {})[0]


def assemble(job: HandoutJob, page_numbers: Mapping[str, int]) -> tuple[str, set[str]]:
    """(the whole handout as one document, anchors its internal links point at); links print
    `page_numbers`."""
    chapters = _chapters(job, page_numbers)
    return _document(job, page_numbers, chapters, _toc(chapters))


def _document(job: HandoutJob, page_numbers: Mapping[str, int], chapters: list[_Chapter],
              toc: list[tuple[int, str, str]] | None, last: bool = True) -> tuple[str, set[str]]:
    """(HTML, link targets) of `chapters`, after the cover and the contents when `toc` is given;
    `last`: no part of the handout comes after these chapters."""
    targets = {anchor for _, anchor, _ in toc or ()}
    for chapter in chapters:
        targets |= chapter.targets
    html = plain_environment(job.templates).get_template("document.html").render(
        meta=job.meta, edition=job.edition, chapters=chapters, toc=toc,
        page_numbers=page_numbers, last=last)
    return html, targets


def _chapters(job: HandoutJob, page_numbers: Mapping[str, int],
              which: range | None = None) -> list[_Chapter]:
    keys = {page.url: page_key(page.url) for page in job.pages}
    chapters = []
    for page in job.pages[which.start:which.stop] if which is not None else job.pages:
        links = PageLinks(keys[page.url], page.url, keys, job.meta.site_url, page_numbers)
        result = rewrite_page(page.html, links, demote=page.depth)
        title = page.title or result.title or page.src_uri
        chapters.append(_Chapter(keys[page.url], page.depth, page.flow, title,
                                 result.title_id, Markup(result.html), result.headings,
                                 result.targets))
    return chapters


def _toc(chapters: list[_Chapter]) -> list[tuple[int, str, str]]:
    """(level, anchor, text): chapters, the pages inside them and the chapters' sections."""
    entries = []
    for chapter in chapters:
        entries.append((chapter.depth + 1, chapter.key, chapter.title))
        if chapter.depth == 0:
            entries += [(2, h.id, h.text) for h in chapter.headings if h.level == 2]
    return entries
