"""Rewrites one page's rendered HTML (MkDocs' page.content) for the printed handout.

A streaming pass over the HTML (stdlib parser, no extra dependency) that:
- prefixes every id with the page's key so ids stay unique in the single document,
- turns links between pages into internal `#anchors`, and links to pages or files that are not
  in the handout into absolute URLs of the website,
- points images at the assets the renderer can fetch (`virtcurso:` URLs),
- marks every internal link with `data-page` (the page its target is on, 0 until the renderer
  knows it: the stylesheet prints it, the renderer writes the real number after the layout;
  no forward references for WeasyPrint to resolve),
- opens <details>, labels content tabs, marks external links whose URL must be printed,
- drops site chrome (permalinks, form controls, scripts, blocks marked as screen-only),
- lifts the first <h1> out (the template prints the chapter heading) and lists the headings.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape, unescape
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

ASSET_SCHEME = "virtcurso:"
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr"}
# Elements and classes that only make sense on screen.
_DROP_TAGS = {"script", "noscript", "form", "input", "button", "select", "textarea", "template"}
_DROP_CLASSES = {"headerlink", "md-source-file", "virtcurso-download", "handout-omit",
                 "tabbed-labels", "footnote-backref", "md-clipboard"}
_ID_LIST_ATTRS = ("aria-labelledby", "aria-describedby", "aria-controls", "headers", "for")
_URL_REF = re.compile(r"url\(\s*#([^)\s]+)\s*\)")


@dataclass(frozen=True)
class Heading:
    level: int  # after demotion: 1 = chapter, 2 = section or sub-page
    id: str  # prefixed, unique in the handout
    text: str


@dataclass
class PageLinks:
    """What a page needs to resolve its links: where it is and where the others are."""

    key: str  # unique prefix for the page, e.g. "p-tecnicas-emulacion"
    url: str  # the page's site URL, e.g. "tecnicas/emulacion/"
    page_keys: dict[str, str]  # site URL of every page in the handout -> its key
    site_url: str  # absolute base of the website, ending with "/"
    page_numbers: Mapping[str, int] = field(default_factory=dict)  # anchor -> page, if known


@dataclass
class RewrittenPage:
    html: str
    title: str  # text of the first <h1> (lifted out of html)
    title_id: str
    headings: list[Heading] = field(default_factory=list)
    targets: set[str] = field(default_factory=set)  # anchors the page's internal links point at


def page_key(url: str) -> str:
    """A stable id prefix from a site URL: "" -> "p-inicio", "tecnicas/emulacion/" -> ..."""
    slug = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-")
    return f"p-{slug or 'inicio'}"


def resolve_href(href: str, links: PageLinks) -> str:
    """Where a link of the page points in the handout (an anchor or an absolute URL)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:")):
        return href
    if not parts.path:  # "#anchor" on the same page
        return f"#{links.key}--{parts.fragment}" if parts.fragment else f"#{links.key}"
    target = _site_path(parts.path, links.url)
    key = links.page_keys.get(target)
    if key is None:  # a page or file outside the handout: send the reader to the website
        suffix = f"#{parts.fragment}" if parts.fragment else ""
        return links.site_url + target + suffix
    return f"#{key}--{parts.fragment}" if parts.fragment else f"#{key}"


def resolve_src(src: str, links: PageLinks) -> str:
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        return src  # data: URIs pass; remote images are refused by the fetcher
    return ASSET_SCHEME + _site_path(parts.path, links.url)


def _site_path(path: str, page_url: str) -> str:
    """A path relative to the page's URL, as a path from the site root (keeps a final /)."""
    # "conceptos/" is a folder; "conceptos.html" (the offline copy's URLs) is a file in "".
    folder = page_url if page_url.endswith("/") else posixpath.dirname(page_url) + "/"
    base = "/" if path.startswith("/") else "/" + folder.lstrip("/")
    joined = posixpath.normpath(posixpath.join(base, path)).lstrip("/")
    if path.endswith("/") and joined and not joined.endswith("/"):
        joined += "/"
    if joined.endswith("index.html"):
        joined = joined[: -len("index.html")]
    return joined


def rewrite_page(html: str, links: PageLinks, demote: int = 0) -> RewrittenPage:
    rewriter = _Rewriter(links, demote)
    rewriter.feed(html)
    rewriter.close()
    return RewrittenPage("".join(rewriter.out).strip(), rewriter.title, rewriter.title_id,
                         rewriter.headings, rewriter.targets)


class _Rewriter(HTMLParser):
    def __init__(self, links: PageLinks, demote: int):
        super().__init__(convert_charrefs=False)
        self.links, self.demote = links, demote
        self.out: list[str] = []
        self.skip: list[str] = []  # stack of open tags inside a dropped element
        self.tab_labels: list[str] = []
        self.label_text: list[str] | None = None
        self.link_stack: list[tuple[list[str], str, dict]] = []  # buffered external links
        self.heading: tuple[int, str, list[str]] | None = None
        self.title = self.title_id = ""
        self.headings: list[Heading] = []
        self.targets: set[str] = set()
        self.lifting_title = False

    # -- structure -----------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        self._start(tag, dict(attrs), self.get_starttag_text(), closed=False)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, dict(attrs), self.get_starttag_text(), closed=True)

    def _start(self, tag, attrs, raw, closed):
        if self.skip:
            if tag == "label" and self.label_text is None and "tabbed-labels" in self.skip[0]:
                self.label_text = []
            if not closed and tag not in _VOID:
                self.skip.append(tag)
            return
        classes = set((attrs.get("class") or "").split())
        if tag in _DROP_TAGS or classes & _DROP_CLASSES or attrs.get("data-handout") == "omit" \
                or (tag == "a" and (attrs.get("id") or "").startswith("__codelineno")):
            if not closed and tag not in _VOID:
                self.skip.append(f"{tag} {' '.join(sorted(classes))}")
            return
        attrs, changed = self._rewrite_attrs(tag, attrs, classes)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._open_heading(tag, attrs)
            return
        text = _tag(tag, attrs, closed) if changed else raw
        if tag == "a" and not closed and _is_external(attrs.get("href", "")):
            self.link_stack.append((self.out, tag, attrs))
            self.out = []
            return
        self.out.append(text)

    def handle_endtag(self, tag):
        if self.skip:
            if tag == "label" and self.label_text is not None:
                self.tab_labels.append(" ".join("".join(self.label_text).split()))
                self.label_text = None
            if tag == self.skip[-1].split(" ")[0]:
                self.skip.pop()
            return
        if tag == "a" and self.link_stack and self._closing_external():
            return
        if self.heading and tag == f"h{self.heading[0] - self.demote}":
            self._close_heading()
            return
        if tag not in _VOID:
            self.out.append(f"</{_heading_tag(tag, self.demote)}>")

    # -- text ----------------------------------------------------------------------------
    def handle_data(self, data):
        if self.skip:
            if self.label_text is not None:
                self.label_text.append(data)
            return
        self.out.append(data)
        if self.heading:
            self.heading[2].append(data)

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")

    def handle_comment(self, data):
        pass  # markers and build comments have no place on paper

    def handle_decl(self, decl):
        pass

    # -- helpers -------------------------------------------------------------------------
    def _rewrite_attrs(self, tag, attrs, classes):
        new = dict(attrs)
        key = self.links.key
        if "id" in new:
            new["id"] = f"{key}--{new['id']}"
        if tag == "a" and "name" in new:
            del new["name"]  # duplicates the id; WeasyPrint would see two anchors
        for name in ("href", "xlink:href"):
            value = new.get(name)
            if value is None:
                continue
            if tag == "a":
                new[name] = resolve_href(value, self.links)
                self._number_internal_link(new, new[name])
            elif value.startswith("#"):  # an SVG <use> of a shape of the same page
                new[name] = f"#{key}--{value[1:]}"
            else:
                new[name] = resolve_src(value, self.links)
        if tag in ("img", "image", "source") and new.get("src"):
            new["src"] = resolve_src(new["src"], self.links)
        for name in _ID_LIST_ATTRS:
            if new.get(name):
                new[name] = " ".join(f"{key}--{ref}" for ref in new[name].split())
        for name, value in new.items():
            if value and "url(#" in value:
                new[name] = _URL_REF.sub(lambda m: f"url(#{key}--{m.group(1)})", value)
        if tag == "details":
            new["open"] = ""
        if "tabbed-block" in classes and self.tab_labels:
            new["data-tab-label"] = self.tab_labels.pop(0)
        return new, new != attrs

    def _number_internal_link(self, attrs, href):
        if href.startswith("#") and len(href) > 1:
            self.targets.add(href[1:])
            attrs["data-page"] = str(self.links.page_numbers.get(href[1:], 0))

    def _open_heading(self, tag, attrs):
        level = min(int(tag[1]) + self.demote, 6)
        if level == 1 + self.demote and not self.title and not self.lifting_title:
            self.lifting_title = True
            self.title_id = attrs.get("id", "")
            self.heading = (int(tag[1]) + self.demote, attrs.get("id", ""), [])
            self._lift_start = len(self.out)
            return
        self.heading = (level, attrs.get("id", ""), [])
        self.out.append(_tag(f"h{level}", attrs, False))

    def _close_heading(self):
        level, ident, parts = self.heading
        text = " ".join(unescape("".join(parts)).split())
        self.heading = None
        if self.lifting_title:
            del self.out[self._lift_start:]  # the template prints the chapter heading
            self.title, self.lifting_title = text, False
            return
        self.out.append(f"</h{level}>")
        if ident and level <= 3:
            self.headings.append(Heading(level, ident, text))

    def _closing_external(self) -> bool:
        inner = self.out
        self.out, tag, attrs = self.link_stack.pop()
        text = " ".join(unescape(re.sub(r"<[^>]+>", "", "".join(inner))).split())
        if _same_url(text, attrs["href"]):
            attrs = {**attrs}
        else:
            # Printed after the text on paper: decoded (no %C3%B3) and without the scheme.
            shown = re.sub(r"^https?://", "", unquote(attrs["href"]))
            classes = " ".join(filter(None, [attrs.get("class"), "handout-ext"]))
            attrs = {**attrs, "class": classes, "data-url": shown}
        self.out.append(_tag(tag, attrs, False) + "".join(inner) + "</a>")
        return True


def _heading_tag(tag: str, demote: int) -> str:
    if demote and len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
        return f"h{min(int(tag[1]) + demote, 6)}"
    return tag


def _is_external(href: str) -> bool:
    return href.startswith(("http://", "https://"))


def _same_url(text: str, href: str) -> bool:
    """True when the link text already shows the URL (no need to print it twice)."""
    def bare(url):
        return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")
    return bare(text) == bare(href)


def _tag(tag: str, attrs: dict, closed: bool) -> str:
    parts = [tag] + [name if value is None else f'{name}="{escape(value, quote=True)}"'
                     for name, value in attrs.items()]
    return f"<{' '.join(parts)}{' /' if closed else ''}>"
