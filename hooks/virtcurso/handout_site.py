"""Where the handout meets the site: its input from the nav, its edition, its download link.

Nothing here imports MkDocs: the nav is read through the attributes MkDocs' Page and Section
objects have (duck typing), so tests can pass simple stand-ins.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import posixpath
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from .handout import HANDOUT_URI, TEMPLATES, Edition, Handout, HandoutJob, HandoutMeta, HandoutPage
from .handout_cache import CachedHandout
from .markers import find_markers, splice
from .render import plain_environment, spanish_date

HOME_TITLE = "Presentación"  # the home page's H1 repeats the cover's title
# Sections that are catalogues of short pages: their pages follow each other on the same sheet.
FLOWING_SECTIONS = ("sistemas/",)
SIZE_SLOT = '<span class="virtcurso-handout-size"></span>'
CACHE_ENV = "VIRTCURSO_CACHE_DIR"  # where the handout cache lives (default: .cache/handout)


@dataclass(frozen=True)
class DownloadInfo:
    """What the site shows next to a link to the handout (templates read it)."""

    path: str  # site path of the PDF
    available: bool  # False when the build skipped the PDF (`make serve`)
    label: str  # "PDF, 1,3 MB, 64 páginas", or why there is no file


def job_for_site(nav_items, files, config, course, root: Path,
                 extra: Sequence[HandoutPage] = ()) -> HandoutJob:
    """The handout's input from a site held in memory (MkDocs' nav, files and config).

    `extra` are pages that exist only in the handout (an appendix of solutions, say), put
    after the site's pages: HandoutPage(url="soluciones/", src_uri="soluciones (folleto)",
    html=...). Their `url` needs no page on the site: links to it, from any page, become
    internal links with the page number printed, like links between the site's pages.
    """
    by_dest = {file.dest_uri: file for file in files}

    def read_asset(path: str) -> bytes | None:
        file = by_dest.get(path)
        return file.content_bytes if file is not None else None

    meta = HandoutMeta(config.site_name, config.site_author or "",
                       config.site_description or "", keywords(course), config.site_url or "")
    return HandoutJob([*pages_from_nav(nav_items), *extra], meta, edition_for(root), read_asset)


def keywords(course) -> tuple[str, ...]:
    """PDF keywords: the subject, then the techniques' names from the data."""
    base = ("virtualización", "hipervisor", "máquina virtual")
    return base + tuple(technique.name for technique in course.techniques)


def pages_from_nav(items) -> list[HandoutPage]:
    """The handout's pages in navigation order; a section's index page opens its chapter."""
    pages: list[HandoutPage] = []
    for item in items:
        if getattr(item, "is_page", False):
            pages.append(_page(item, depth=0))
        elif getattr(item, "is_section", False):
            members = _section_pages(item.children)
            index = next((p for p in members if _is_index(p)), None)
            if index is not None:
                pages.append(_page(index, depth=0))
            for page in members:
                if page is not index:
                    pages.append(_page(page, depth=1 if index is not None else 0))
    return pages


def _section_pages(children) -> list:
    found = []
    for child in children:
        if getattr(child, "is_page", False):
            found.append(child)
        elif getattr(child, "is_section", False):
            found += _section_pages(child.children)
    return found


def _is_index(page) -> bool:
    return posixpath.basename(page.file.src_uri) in ("index.md", "README.md")


def _page(page, depth: int) -> HandoutPage:
    flow = depth > 0 and page.url.startswith(FLOWING_SECTIONS)
    title = HOME_TITLE if getattr(page, "is_homepage", False) else ""
    return HandoutPage(page.url, page.file.src_uri, page.content or "", depth, title, flow)


def edition_for(root: Path, environ: Mapping[str, str] = os.environ) -> Edition:
    """Version and date of the sources: the commit and SOURCE_DATE_EPOCH, never the clock."""
    version = _git(root, "rev-parse", "--short", "HEAD") or "sin versión"
    epoch = environ.get("SOURCE_DATE_EPOCH") or _git(root, "log", "-1", "--format=%ct")
    if not epoch or not epoch.strip().isdigit():
        return Edition(version, "", "")
    moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    label = spanish_date(moment.strftime("%Y-%m-%d"))
    return Edition(version, label, moment.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                                timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def expand_download_marker(markdown: str, src_uri: str, enabled: bool) -> str:
    """Replaces `<!-- virtcurso:download -->` with the download link (or a note without PDF).

    Runs after the other markers are expanded, so only download markers are left to find
    (markers inside code fences are examples and stay).
    """
    if "virtcurso:download" not in markdown:
        return markdown
    slots = [s for s in find_markers(markdown, src_uri, True) if s.name == "download"]
    href = posixpath.relpath(HANDOUT_URI, posixpath.dirname(src_uri) or ".")
    template = plain_environment(TEMPLATES).get_template("download.md")
    block = template.render(href=href, enabled=enabled).strip("\n")
    return splice(markdown, [(slot, block) for slot in slots])


def download_info(handout: Handout | None) -> DownloadInfo:
    if handout is None:
        return DownloadInfo(HANDOUT_URI, False, "se genera al construir el sitio con «make»")
    label = f"PDF, {format_size(len(handout.pdf))}, {handout.page_count} páginas"
    return DownloadInfo(HANDOUT_URI, True, label)


def fill_download_size(html: str, info: DownloadInfo) -> str:
    """Writes the size into the slots the download marker left (known only after rendering)."""
    if SIZE_SLOT not in html:
        return html
    filled = f'<span class="virtcurso-handout-size">{escape(info.label)}</span>'
    return html.replace(SIZE_SLOT, filled)


def format_size(size: int) -> str:
    """Bytes in Spanish notation: 845 kB, 1,3 MB (decimal units, comma as separator)."""
    if size < 1000 * 1000:
        return f"{max(1, round(size / 1000))} kB"
    return f"{size / 1e6:.1f} MB".replace(".", ",")


def cache_folder(root: Path, environ: Mapping[str, str] = os.environ) -> Path:
    """The handout cache: .cache/handout in the project (gitignored), or $VIRTCURSO_CACHE_DIR."""
    return Path(environ.get(CACHE_ENV) or root / ".cache" / "handout")


def cache_report(cached: CachedHandout) -> str:
    """One line for the build log: was the PDF reused or rendered, and why."""
    handout = cached.handout
    if cached.reused:
        return (f"inputs unchanged, reused {cached.path.name[:12]}… ({handout.page_count} pages, "
                f"{handout.layouts} layout(s))")
    why = f" ({cached.note})" if cached.note else ""
    return (f"rendered {handout.page_count} pages in {handout.seconds:.1f} s, "
            f"{handout.layouts} layout(s){why}")



def strict_build_failing(strict: bool, logger: str = "mkdocs") -> bool:
    """True when a strict build has already logged a warning: MkDocs will stop it at the end,
    so rendering the PDF would be time thrown away. MkDocs counts them with a handler that has
    `get_counts()` on its logger (duck typing: no MkDocs import here)."""
    if not strict:
        return False
    handlers = logging.getLogger(logger).handlers
    return any(callable(getattr(handler, "get_counts", None)) and handler.get_counts()
               for handler in handlers)
