"""WeasyPrint's side of the handout: loading it, serving it files, laying the document out.

Page references («p. 12», the table of contents) are not CSS `target-counter()`: WeasyPrint
resolves a forward `target-counter()` by laying out again every page that holds one, twice
(221 page layouts for 99 pages). Each reference is an element with `data-page` whose `::after`
prints that attribute in a fixed-width inline block. The document is laid out once with the
numbers it was assembled with (0 when unknown); `lay_out` then reads where each anchor landed
and writes the real number into its box, re-shaping only that bit of text (`print_numbers`).
A box is as wide as before whatever the number, so nothing else on the page moves. Only when a
number does not fit its box, or has no box of its own (a stylesheet that prints it inline), is
the document laid out again, with the real numbers in the HTML.
WeasyPrint is imported lazily so that a machine without Pango gets a clear message instead of
a traceback at hook import time.
"""

from __future__ import annotations

import contextlib
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
MAX_LAYOUTS = 4  # 1 unless a number does not fit its box


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

    def lay_out(self, assemble: Callable[[Mapping[str, int]], tuple[str, set[str]]]) -> Layout:
        """Lay out `assemble(numbers)` and print the real page numbers into it."""
        numbers: dict[str, int] = {}
        for layouts in range(1, MAX_LAYOUTS + 1):
            html, targets = assemble(numbers)
            with _captured_warnings() as complaints:
                document = self.weasyprint.HTML(
                    string=html, base_url=ASSET_SCHEME, url_fetcher=self.fetcher,
                ).render(font_config=self.font_config, **self.options)
            found = anchor_pages(document.pages)
            actual = {anchor: found.get(anchor, 0) for anchor in targets}
            if print_numbers(document.pages, actual):
                missing = sorted(anchor for anchor, page in actual.items() if not page)
                complaints += [f"link to a missing anchor: #{anchor}" for anchor in missing]
                return Layout(document, layouts, actual, complaints)
            numbers = actual
        raise HandoutError(f"the page numbers did not settle after {MAX_LAYOUTS} layouts")

    def write_pdf(self, layout: Layout) -> bytes:
        with _captured_warnings() as complaints, _page_references_built_once():
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


def print_numbers(pages, numbers: Mapping[str, int]) -> bool:
    """Write each reference's page from `numbers` into its laid-out box (see the module's
    docstring); False, with nothing reliable printed, when a number does not fit its box."""
    from weasyprint.formatting_structure.boxes import InlineBlockBox
    from weasyprint.text.line_break import split_first_line

    for page in pages:
        for box in _number_boxes(page._page_box):
            printed = box.element.get("data-page")
            real = str(numbers.get(box.element.get("href", "").removeprefix("#"), 0))
            if real == printed:
                continue
            if not isinstance(box, InlineBlockBox):
                return False  # a number in the flow of the text: only a layout can place it
            line = box.children[0] if len(box.children) == 1 else None
            text = line.children[0] if line is not None and len(line.children) == 1 else None
            if text is None or not hasattr(text, "pango_layout") or text.text.count(printed) != 1:
                return False  # not one line of text holding the number once: lay out again
            new_text = text.text.replace(printed, real)
            layout, _, resume, width, _, _ = split_first_line(
                new_text, text.style, None, None, text.justification_spacing)
            if resume is not None or width > box.width:
                return False
            # The box keeps its place; the text keeps its left edge, or its right edge when
            # the box aligns it to the right (its line box moves with it).
            end = text.style["text_align_all"] in ("right", "end")
            shift = text.width - width if end else 0
            text.text, text.pango_layout, text.width = new_text, layout, width
            text.position_x += shift
            line.position_x += shift
            line.width = width
    return True


def _number_boxes(box):
    """The outermost `::after` boxes of elements with `data-page`, in the box tree of a page."""
    for child in getattr(box, "children", ()):
        tag = getattr(child, "element_tag", None) or ""
        if (tag.endswith("::after") and child.element is not None
                and child.element.get("data-page") is not None):
            yield child
        else:
            yield from _number_boxes(child)


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


@contextlib.contextmanager
def _page_references_built_once():
    """pydyf's `PDF.page_references` builds a tuple of every page's reference on each read, and
    WeasyPrint's tagging reads it for every structure element: 45,000 reads of 242 references
    for this handout, a tenth of the render. While WeasyPrint writes, the tuple is built again
    only when a page was added (pages are only ever appended to `Kids`); same values, same PDF."""
    import pydyf

    original = pydyf.PDF.__dict__["page_references"]

    def page_references(pdf):
        kids = pdf.pages["Kids"]
        cached = pdf.__dict__.get("_virtcurso_page_references")
        if cached is None or cached[0] != len(kids):
            cached = (len(kids), original.fget(pdf))
            pdf.__dict__["_virtcurso_page_references"] = cached
        return cached[1]

    pydyf.PDF.page_references = property(page_references)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original


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
