"""WeasyPrint's side of the handout: loading it, serving it files, laying the document out.

Page references («p. 12», the table of contents) are printed from `data-page` attributes that
the assembly writes from the previous layout, instead of CSS `target-counter()`: WeasyPrint
resolves a forward `target-counter()` by laying out again every page that holds one, twice
(221 page layouts for 99 pages). Here a layout is one pass over the pages; `lay_out` reads where
each anchor landed and, when a number was wrong, lays the document out again with the right
ones. The number boxes have a fixed width, so the second pass is the last one: numbers never
move text. WeasyPrint is imported lazily so that a machine without Pango gets a clear message
instead of a traceback at hook import time.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .handout_fonts import FONT_SCHEME, font_configuration, read_font
from .handout_html import ASSET_SCHEME

PDF_VARIANT = "pdf/ua-1"
SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
MAX_LAYOUTS = 4  # 2 when nothing is known, 1 when the previous numbers still hold


class HandoutError(Exception):
    """The handout cannot be produced; the message says why and what to do."""


@dataclass
class Layout:
    """A laid-out document and what the next steps need from it."""

    document: object  # weasyprint.Document
    layouts: int  # passes over the whole document
    page_numbers: dict[str, int]  # referenced anchor -> page it is on
    complaints: list[str] = field(default_factory=list)


def import_weasyprint():
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


class Renderer:
    """One handout render: fonts, stylesheets and the URL fetcher, shared by every pass."""

    def __init__(self, weasyprint, read_asset: Callable[[str], bytes | None],
                 stylesheets: list[str], fonts: Path):
        self.weasyprint = weasyprint
        self.fetcher = _fetcher(weasyprint, read_asset, fonts)
        self.font_config = font_configuration(weasyprint, fonts)
        self.stylesheets = [weasyprint.CSS(string=css, url_fetcher=self.fetcher,
                                           font_config=self.font_config)
                            for css in stylesheets]

    def lay_out(self, assemble: Callable[[Mapping[str, int]], tuple[str, set[str]]],
                hints: Mapping[str, int]) -> Layout:
        """Lay out `assemble(numbers)` until the numbers it prints are the real ones."""
        numbers = dict(hints)
        for layouts in range(1, MAX_LAYOUTS + 1):
            html, targets = assemble(numbers)
            with _captured_warnings() as complaints:
                document = self.weasyprint.HTML(
                    string=html, base_url=ASSET_SCHEME, url_fetcher=self.fetcher,
                ).render(font_config=self.font_config, **self.options)
            found = anchor_pages(document.pages)
            actual = {anchor: found.get(anchor, 0) for anchor in targets}
            if all(numbers.get(anchor, 0) == page for anchor, page in actual.items()):
                missing = sorted(anchor for anchor, page in actual.items() if not page)
                complaints += [f"link to a missing anchor: #{anchor}" for anchor in missing]
                return Layout(document, layouts, actual, complaints)
            numbers = actual
        raise HandoutError(f"the page numbers did not settle after {MAX_LAYOUTS} layouts")

    def write_pdf(self, layout: Layout) -> bytes:
        with _captured_warnings() as complaints:
            pdf = layout.document.write_pdf(**self.options)
        layout.complaints += complaints
        # A missing image is already a broken link for MkDocs (a warning --strict counts).
        layout.complaints[:] = [c for c in layout.complaints if f"'{ASSET_SCHEME}" not in c]
        layout.complaints += [f"image not found in the site: {url.removeprefix(ASSET_SCHEME)}"
                              for url in sorted(set(self.fetcher.missing))]
        return pdf

    @property
    def options(self) -> dict:
        return {"pdf_variant": PDF_VARIANT, "stylesheets": self.stylesheets}

    @property
    def assets(self) -> dict[str, str]:
        """SHA-256 of every site file the render read, by site path (for the cache)."""
        return dict(sorted(self.fetcher.fetched.items()))


def anchor_pages(pages) -> dict[str, int]:
    """Page number (1-based) of every anchor: the first page it appears on."""
    found: dict[str, int] = {}
    for number, page in enumerate(pages, start=1):
        for anchor in page.anchors:
            found.setdefault(anchor, number)
    return found


def _fetcher(weasyprint, read_asset: Callable[[str], bytes | None], fonts: Path):
    """A URL fetcher that serves the site's own files and the shipped fonts, nothing else."""

    class AssetFetcher(weasyprint.urls.URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            data = self._read(url)
            if data is None:
                self.missing.append(url)
                raise ValueError(f"not part of the site: {url}")
            kind = mimetypes.guess_type(url.partition(":")[2])[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(url, data, {"Content-Type": kind})

        def _read(self, url: str) -> bytes | None:
            if url.startswith(FONT_SCHEME):
                return read_font(url, fonts)
            if not url.startswith(ASSET_SCHEME):
                return None
            path = url[len(ASSET_SCHEME):]
            data = read_asset(path)
            if data is not None:
                self.fetched[path] = hashlib.sha256(data).hexdigest()
            return data

    fetcher = AssetFetcher()
    fetcher.missing, fetcher.fetched = [], {}
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
