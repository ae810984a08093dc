"""Link checker over the whole built site: every internal href, src, srcset, CSS url() and
sitemap entry resolves to a file of the site, and every #anchor to an id on the target page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

import material
from browser.site_layout import site_prefix, site_url
from bs4 import BeautifulSoup

# A stand-in origin to resolve relative URLs against; the site lives under its prefix there.
ORIGIN = "http://site.invalid"
URL_ATTRIBUTES = ("href", "src", "poster", "xlink:href", "action", "formaction")
SRCSET_ATTRIBUTES = ("srcset", "imagesrcset")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
NOT_FETCHED = ("mailto", "tel", "javascript", "data", "blob", "about")
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MATERIAL_ASSETS = Path(material.__file__).parent / "templates"


def html_refs(soup: BeautifulSoup) -> Iterator[tuple[str, str]]:
    """(where, url) for every URL an HTML page links to or loads."""
    for element in soup.find_all(True):
        for attribute in URL_ATTRIBUTES:
            if element.get(attribute):
                yield f"<{element.name} {attribute}>", element[attribute]
        if element.name == "object" and element.get("data"):
            yield "<object data>", element["data"]
        for attribute in SRCSET_ATTRIBUTES:
            for candidate in (element.get(attribute) or "").split(","):
                if candidate.strip():
                    yield f"<{element.name} {attribute}>", candidate.split()[0]
        for url in css_refs(element.get("style") or ""):
            yield f"<{element.name} style>", url
        if element.name == "style":
            yield from (("<style>", url) for url in css_refs(element.get_text()))
        if element.name == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            _, _, target = (element.get("content") or "").partition("url=")
            if target:
                yield "<meta refresh>", target.strip()


def css_refs(css: str) -> Iterator[str]:
    for match in CSS_URL.finditer(css):
        url = (match.group(2) or match.group(4)).strip()
        if not url.startswith("#"):  # references to SVG filters/masks inside the document
            yield url


@dataclass
class Site:
    """The built site seen through URLs: resolves references and knows each page's ids."""

    dir: Path
    prefix: str  # the URL path the site is published under
    public_url: str  # site_url: absolute links to it are internal too
    _ids: dict[Path, set[str]] = field(default_factory=dict)

    def url_of(self, file: Path) -> str:
        return f"{ORIGIN}{self.prefix}{file.relative_to(self.dir).as_posix()}"

    def check(self, base: str, url: str) -> str | None:
        """None when `url` (relative to `base`) is fine, else what is wrong with it."""
        url = url.strip()
        if url.startswith(self.public_url):
            url = self.prefix + url[len(self.public_url):]
        parts = urlsplit(urljoin(base, url))
        if parts.scheme in NOT_FETCHED or f"{parts.scheme}://{parts.netloc}" != ORIGIN:
            return None  # another site, or nothing to fetch
        if not parts.path.startswith(self.prefix):
            return f"points outside the site's path {self.prefix}"
        target = self.dir / unquote(parts.path[len(self.prefix):])
        if parts.path.endswith("/") or target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return f"no such file: {target.relative_to(self.dir).as_posix()}"
        fragment = unquote(parts.fragment)
        if fragment and target.suffix in (".html", ".svg") and fragment not in self.ids(target):
            return f"no id '{fragment}' in {target.relative_to(self.dir).as_posix()}"
        return None

    def ids(self, page: Path) -> set[str]:
        if page not in self._ids:
            if page.suffix == ".svg":
                self._ids[page] = {e.get("id") for e in ElementTree.parse(page).iter()} - {None}
            else:
                soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
                self._ids[page] = {tag["id"] for tag in soup.find_all(id=True)} | {
                    tag["name"] for tag in soup.find_all("a", attrs={"name": True})}
        return self._ids[page]


def broken_references(site: Site) -> tuple[list[str], int]:
    """Every broken internal reference of the site (as 'file: where url: problem'), and a count
    of the references checked."""
    problems, checked = [], 0
    for file, where, url in _all_references(site):
        checked += 1
        problem = site.check(site.url_of(file), url)
        if problem:
            problems.append(f"{file.relative_to(site.dir).as_posix()}: {where} {url!r}: {problem}")
    return problems, checked


def _all_references(site: Site) -> Iterator[tuple[Path, str, str]]:
    for page in sorted(site.dir.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        yield from ((page, where, url) for where, url in html_refs(soup))
    for sheet in _own_stylesheets(site.dir):
        yield from ((sheet, "url()", url) for url in css_refs(sheet.read_text(encoding="utf-8")))
    sitemap = site.dir / "sitemap.xml"
    if sitemap.is_file():
        locs = ElementTree.parse(sitemap).iter(f"{{{SITEMAP_NS}}}loc")
        yield from ((sitemap, "<loc>", (loc.text or "").strip()) for loc in locs)


def _own_stylesheets(site_dir: Path) -> list[Path]:
    """The site's CSS files, leaving out the ones copied unchanged from Material's theme."""
    return [css for css in sorted(site_dir.rglob("*.css"))
            if not (MATERIAL_ASSETS / css.relative_to(site_dir)).is_file()]


def _site(directory: Path) -> Site:
    return Site(directory, site_prefix(), site_url())


def test_every_internal_reference_resolves(built_site):
    problems, checked = broken_references(_site(built_site.dir))
    pages = len(built_site.html_pages())
    assert checked > 10 * pages  # every page has at least its navigation
    assert problems == [], "\n".join(problems)


def test_own_stylesheets_are_checked(built_site):
    sheets = [p.relative_to(built_site.dir).as_posix() for p in _own_stylesheets(built_site.dir)]
    assert "assets/css/curso.css" in sheets
    assert not any(p.startswith("assets/stylesheets/") for p in sheets)  # Material's own


def test_checker_finds_each_kind_of_breakage(tmp_path):
    """The checker itself can fail: a small site with one mistake of each kind."""
    prefix = site_prefix()
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<h1 id="top">A</h1><a href="../b/#top">ok</a><a href="../b/#nope">anchor</a>'
        '<img src="../missing.png" srcset="../a/ 1x, ../gone.png 2x">'
        '<p style="background: url(\'../nothing.svg\')"></p>'
        f'<a href="{site_url()}c/">public</a><a href="https://example.org/x">external</a>'
        '<a href="/elsewhere/">outside</a><a href="mailto:a@b.c">mail</a>', encoding="utf-8")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text('<p id="top">B</p>', encoding="utf-8")
    (tmp_path / "own.css").write_text("a { background: url(x.woff2) }", encoding="utf-8")
    problems, checked = broken_references(Site(tmp_path, prefix, site_url()))
    assert checked == 11
    assert [p.split(":")[0] + ":" + p.split("'")[1] for p in problems] == [
        "a/index.html:../b/#nope", "a/index.html:../missing.png", "a/index.html:../gone.png",
        "a/index.html:../nothing.svg", f"a/index.html:{site_url()}c/",
        "a/index.html:/elsewhere/", "own.css:x.woff2"]
