"""WeasyPrint's side of the handout: loading it, serving it files, laying a document out (with
one text per leader: `merge_leaders`), printing the page numbers into the laid-out pages,
writing the PDF.

Page references («p. 12», the table of contents) are not CSS `target-counter()`: WeasyPrint
resolves a forward `target-counter()` by laying out again every page that holds one, twice
(221 page layouts for 99 pages). Each reference is an element with `data-page` whose `::after`
prints that attribute in a fixed-width inline block. A document is laid out with the numbers it
was assembled with (0 when unknown); `print_numbers` then writes the real number into each box,
re-shaping only that bit of text. A box is as wide as before whatever the number, so nothing
else on the page moves. Only when a number does not fit its box, or has no box of its own (a
stylesheet that prints it inline), must the document be laid out again, with the real numbers
in the HTML. `print_numbers` also renumbers the margin boxes that print `counter(page)` and
`counter(pages)` («Página 3 de 120»), for a document that is one part of the handout
(`handout_parts`).
WeasyPrint is imported lazily so that a machine without Pango gets a clear message instead of
a traceback at hook import time.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import mimetypes
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .handout_fonts import FONT_SCHEME, font_configuration, read_font
from .handout_html import ASSET_SCHEME

PDF_VARIANT = "pdf/ua-1"
SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
MAX_LAYOUTS = 4  # 1 unless a number does not fit its box


class HandoutError(Exception):
    """The handout cannot be produced; the message says why and what to do."""


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

    def lay_out(self, html: str):
        """(WeasyPrint document, its warnings): `html` laid out once."""
        with _captured_warnings() as complaints:
            document = self.weasyprint.HTML(
                string=html, base_url=ASSET_SCHEME, url_fetcher=self.fetcher,
            ).render(font_config=self.font_config, **self.options)
        merge_leaders(document.pages)
        return document, complaints

    def write_pdf(self, document, stand_ins: Iterable[str] = ()) -> tuple[bytes, list[str]]:
        """(PDF, warnings). `stand_ins` are anchors this document links to but does not hold
        (another part has them): WeasyPrint drops a link to a missing anchor, so each one gets a
        stand-in destination on the first page, which joining the parts replaces."""
        first = document.pages[0].anchors
        for anchor in stand_ins:
            first.setdefault(anchor, (0, 0, 0, 0))
        with _captured_warnings() as complaints, _page_references_built_once():
            pdf = document.write_pdf(**self.options)
        # A missing image is already a broken link for MkDocs (a warning --strict counts).
        complaints = [c for c in complaints if f"'{ASSET_SCHEME}" not in c]
        return pdf, complaints

    @property
    def missing_assets(self) -> list[str]:
        return [f"image not found in the site: {url.removeprefix(ASSET_SCHEME)}"
                for url in sorted(set(self.fetcher.missing))]

    @property
    def options(self) -> dict:
        return {"pdf_variant": PDF_VARIANT, "stylesheets": self.stylesheets}

    @property
    def assets(self) -> dict[str, str]:
        """SHA-256 of every site file the render read, by site path (for the cache)."""
        return dict(sorted(self.fetcher.fetched.items()))


def merge_leaders(pages) -> None:
    """One text box per leader. WeasyPrint fills a `leader()` with one copy of its text box per
    dot, each drawn and tagged on its own: the contents' leaders were 4,870 boxes, a tenth of
    the render and 15 % of the PDF. The copies sit side by side, one string's width apart, so
    the string repeated and shaped once, where the leftmost copy starts, prints the same dots.
    A leader whose copies are not side by side, or whose repeated string shapes to another
    width (kerning), is left as it is."""
    from weasyprint.text.line_break import split_first_line

    for page in pages:
        for leader in _leaders(page._page_box):
            copies = sorted(leader.children, key=lambda copy: copy.position_x)
            first = copies[0] if len(copies) > 1 else None
            if first is None or any(
                    abs(copy.position_x - first.position_x - index * first.width) > 1e-6
                    or copy.text != first.text for index, copy in enumerate(copies)):
                continue
            text = first.text * len(copies)
            layout, _, resume, width, _, _ = split_first_line(
                text, first.style, None, None, first.justification_spacing)
            if resume is not None or abs(width - len(copies) * first.width) > 1e-3:
                continue
            merged = first.copy()
            merged.text, merged.pango_layout, merged.width = text, layout, width
            leader.children = (merged,)


def _leaders(box):
    for child in getattr(box, "children", ()):
        if getattr(child, "is_leader", False):
            yield child
        else:
            yield from _leaders(child)


def anchor_pages(pages) -> dict[str, int]:
    """Page number (1-based) of every anchor: the first page it appears on."""
    found: dict[str, int] = {}
    for number, page in enumerate(pages, start=1):
        for anchor in page.anchors:
            found.setdefault(anchor, number)
    return found


def print_numbers(pages, numbers: Mapping[str, int], first: int = 1,
                  total: int | None = None) -> bool:
    """Write each reference's page from `numbers` into its laid-out box (see the module's
    docstring), and number the pages from `first` out of `total` (default: these pages alone).
    False, with nothing changed, when a number does not fit its box: the document must then be
    laid out again with the numbers in its HTML. It can be called again with other numbers."""
    total = len(pages) if total is None else total
    edits = []
    for index, page in enumerate(pages):
        for box in _number_boxes(page._page_box):
            target = box.element.get("href", "").removeprefix("#")
            edit = _number_edit(box, str(numbers.get(target, 0)))
            if edit is None:
                return False
            edits.append(edit)
        counters = {"page": first + index, "pages": total}
        edits += [_counter_edit(box, index + 1, len(pages), counters)
                  for box in page._page_box.children if _counts_pages(box)]
    for edit in edits:
        edit.apply()
    return True


@dataclass
class _Edit:
    """New text for one laid-out line of text, shaped, and how far it moves to stay aligned."""

    box: object  # the box around the line (its place is kept)
    text: object  # the TextBox
    new_text: str
    layout: object = None  # Pango layout of new_text; None when nothing changes
    width: float = 0.0
    shift: float = 0.0
    resize_box: bool = False  # the box is as wide as its text (a margin box): it follows it
    printed: tuple[str, object] | None = None  # (attribute, value) kept on the text: what it shows

    def apply(self) -> None:
        if self.layout is None:
            return
        text, line = self.text, self.box.children[0]
        setattr(text, *self.printed)
        if self.resize_box:
            self.box.width = self.width
            self.box.position_x += self.shift
        text.text, text.pango_layout, text.width = self.new_text, self.layout, self.width
        text.position_x += self.shift
        line.position_x += self.shift
        line.width = self.width


def _single_text(box):
    """The only TextBox of a box holding one line with one piece of text, else None."""
    line = box.children[0] if len(box.children) == 1 else None
    text = line.children[0] if line is not None and len(line.children) == 1 else None
    return text if text is not None and hasattr(text, "pango_layout") else None


def _shaped(box, text, new_text: str, bounded: bool) -> _Edit | None:
    """`new_text` shaped in place of `text`'s; None when it needs a second line or, if
    `bounded`, more room than the box has."""
    from weasyprint.text.line_break import split_first_line

    if new_text == text.text:
        return _Edit(box, text, new_text)
    layout, _, resume, width, _, _ = split_first_line(
        new_text, text.style, None, None, text.justification_spacing)
    if resume is not None or (bounded and width > box.width):
        return None
    # The text keeps its left edge, its centre or its right edge, as the box aligns it.
    align = text.style["text_align_all"]
    share = 1 if align in ("right", "end") else 0.5 if align == "center" else 0
    return _Edit(box, text, new_text, layout, width, (text.width - width) * share)


def _number_edit(box, real: str) -> _Edit | None:
    from weasyprint.formatting_structure.boxes import InlineBlockBox

    text = _single_text(box) if isinstance(box, InlineBlockBox) else None
    printed = getattr(text, "virtcurso_number", None) or box.element.get("data-page")
    if printed == real:
        return _Edit(box, text, real)  # nothing to change
    if text is None or text.text.count(printed) != 1:
        return None  # not one line of text in a box of its own: only a layout can place it
    edit = _shaped(box, text, text.text.replace(printed, real), bounded=True)
    if edit is not None:
        edit.printed = ("virtcurso_number", real)
    return edit


def _counts_pages(box) -> bool:
    """A margin box whose content holds counter(page) or counter(pages)."""
    return (getattr(box, "at_keyword", None) is not None and isinstance(box.style["content"], tuple)
            and any(kind == "counter()" and value[0] in ("page", "pages")
                    for kind, value in box.style["content"]))


def _counter_edit(box, page: int, pages: int, counters: dict[str, int]) -> _Edit:
    """«Página 3 de 50» of a part's page rewritten with the handout's numbers."""
    text = _single_text(box)
    printed = getattr(text, "virtcurso_counters", None) or {"page": page, "pages": pages}
    if printed == counters:
        return _Edit(box, text, "")  # nothing to change
    if text is None or text.text != _content_text(box.style["content"], printed):
        raise HandoutError(
            f"handout.css: the {box.at_keyword} box of @page prints the page counter in a way "
            "the handout cannot renumber (expected strings and counter(page) or "
            "counter(pages) on one line, and no counter-reset of page)")
    edit = _shaped(box, text, _content_text(box.style["content"], counters), bounded=False)
    edit.resize_box = abs(box.width - text.width) < 1e-6
    edit.printed = ("virtcurso_counters", dict(counters))
    return edit


def _content_text(content, counters: Mapping[str, int]) -> str | None:
    """The text of a `content` made of strings and page counters (in any predefined counter
    style), or None for anything else."""
    from weasyprint.html import UA_COUNTER_STYLE  # the predefined counter styles

    parts = []
    for kind, value in content:
        if kind == "string":
            parts.append(value)
        elif kind == "counter()" and value[0] in counters:
            parts.append(UA_COUNTER_STYLE.render_value(counters[value[0]], value[1]))
        else:
            return None
    return "".join(parts)


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
