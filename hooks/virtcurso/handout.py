"""The printable handout: the site's pages, in navigation order, as one tagged A4 PDF.

`render_handout(job)` is the whole pipeline and the benchmark's entry point: it assembles one
HTML document from Jinja templates (cover, table of contents, every page rewritten by
`handout_html`) and lays it out with WeasyPrint. WeasyPrint is imported lazily so that a
machine without Pango gets a clear message instead of a traceback at hook import time.
"""

from __future__ import annotations

import logging
import mimetypes
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .handout_html import ASSET_SCHEME, Heading, PageLinks, page_key, rewrite_page
from .render import plain_environment

TEMPLATES = Path(__file__).resolve().parents[2] / "overrides/fragments/virtcurso/handout"
HANDOUT_URI = "descargas/introduccion-virtualizacion.pdf"
PDF_VARIANT = "pdf/ua-1"
SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"


class HandoutError(Exception):
    """The handout cannot be produced; the message says why and what to do."""


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


@dataclass(frozen=True)
class Handout:
    pdf: bytes
    page_count: int
    seconds: float  # wall time of assembly + layout + PDF writing
    warnings: tuple[str, ...] = ()  # what WeasyPrint complained about


@dataclass
class _Chapter:
    key: str
    depth: int
    flow: bool
    title: str
    title_id: str
    html: Markup
    headings: list[Heading] = field(default_factory=list)


def render_handout(job: HandoutJob) -> Handout:
    """Assemble and lay out the handout; the PDF is deterministic for the same job."""
    weasyprint = _import_weasyprint()
    start = time.perf_counter()
    document = build_document(job)
    fetcher = _fetcher(weasyprint, job.read_asset)
    css = (job.templates / "handout.css").read_text(encoding="utf-8")
    with _captured_warnings() as complaints:
        html = weasyprint.HTML(string=document, base_url=ASSET_SCHEME, url_fetcher=fetcher)
        options = {"pdf_variant": PDF_VARIANT,
                   "stylesheets": [weasyprint.CSS(string=css, url_fetcher=fetcher)]}
        rendered = html.render(**options)
        pdf = rendered.write_pdf(**options)
    # A missing image is already a broken link for MkDocs (a warning that --strict counts).
    complaints[:] = [c for c in complaints if f"'{ASSET_SCHEME}" not in c]  # reported below
    complaints += [f"image not found in the site: {url.removeprefix(ASSET_SCHEME)}"
                   for url in sorted(set(fetcher.missing))]
    return Handout(pdf, len(rendered.pages), time.perf_counter() - start, tuple(complaints))


def build_document(job: HandoutJob) -> str:
    """The handout as one HTML document (what WeasyPrint lays out)."""
    chapters = _chapters(job)
    return plain_environment(job.templates).get_template("document.html").render(
        meta=job.meta, edition=job.edition, chapters=chapters, toc=_toc(chapters))


def _chapters(job: HandoutJob) -> list[_Chapter]:
    keys = {page.url: page_key(page.url) for page in job.pages}
    chapters = []
    for page in job.pages:
        links = PageLinks(keys[page.url], page.url, keys, job.meta.site_url)
        result = rewrite_page(page.html, links, demote=page.depth)
        title = page.title or result.title or page.src_uri
        chapters.append(_Chapter(keys[page.url], page.depth, page.flow, title,
                                 result.title_id, Markup(result.html), result.headings))
    return chapters


def _toc(chapters: list[_Chapter]) -> list[tuple[int, str, str]]:
    """(level, anchor, text): chapters, the pages inside them and the chapters' sections."""
    entries = []
    for chapter in chapters:
        entries.append((chapter.depth + 1, chapter.key, chapter.title))
        if chapter.depth == 0:
            entries += [(2, h.id, h.text) for h in chapter.headings if h.level == 2]
    return entries


def _import_weasyprint():
    try:
        import weasyprint
    except OSError as error:  # Pango, HarfBuzz or fontconfig missing
        raise HandoutError(
            f"WeasyPrint cannot load its system libraries ({error}).\n"
            f"Install them (Debian/Ubuntu): sudo apt-get install {SYSTEM_PACKAGES}\n"
            "or build without the PDF handout: VIRTCURSO_PDF=false") from None
    except ImportError as error:
        raise HandoutError(f"WeasyPrint is not installed ({error}): "
                           "run `make` to install requirements.txt") from None
    return weasyprint


def _fetcher(weasyprint, read_asset: Callable[[str], bytes | None]):
    """A URL fetcher that serves the site's own files and refuses the network."""

    class AssetFetcher(weasyprint.urls.URLFetcher):
        missing: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = url[len(ASSET_SCHEME):] if url.startswith(ASSET_SCHEME) else None
            data = read_asset(path) if path is not None else None
            if data is None:
                self.missing.append(url)
                raise ValueError(f"not part of the site: {url}")
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(url, data, {"Content-Type": kind})

    fetcher = AssetFetcher()
    fetcher.missing = []
    return fetcher


class _captured_warnings:
    """Collects WeasyPrint's warnings during a render (they go to the build log)."""

    def __enter__(self) -> list[str]:
        self.records: list[str] = []
        self.handler = logging.Handler(logging.WARNING)
        self.handler.emit = lambda record: self.records.append(record.getMessage())
        self.logger = logging.getLogger("weasyprint")
        self.logger.addHandler(self.handler)
        self.propagate, self.logger.propagate = self.logger.propagate, False
        return self.records

    def __exit__(self, *exc):
        self.logger.removeHandler(self.handler)
        self.logger.propagate = self.propagate
        return False
