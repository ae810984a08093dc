"""Nothing the built site loads comes from another origin (links to read elsewhere are fine)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

# Attributes whose URL the browser fetches by itself when the page loads.
_LOADED = [("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"),
           ("audio", "src"), ("video", "src"), ("embed", "src"), ("object", "data"),
           ("video", "poster"), ("input", "src"), ("track", "src")]
_LINK_RELS_LOADED = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest",
                     "apple-touch-icon", "preconnect", "dns-prefetch"}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")


def _remote(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme in ("http", "https")


def _loaded_urls(soup: BeautifulSoup):
    for tag, attr in _LOADED:
        for element in soup.find_all(tag):
            if element.get(attr):
                yield f"<{tag} {attr}>", element[attr]
    for element in soup.find_all(["img", "source"], srcset=True):
        for candidate in element["srcset"].split(","):
            yield "srcset", candidate.strip().split(" ")[0]
    for element in soup.find_all("link", href=True):
        if _LINK_RELS_LOADED & set(element.get("rel", [])):
            yield f"<link rel={element.get('rel')}>", element["href"]
    for element in soup.find_all(style=True):
        for match in _CSS_URL.finditer(element["style"]):
            yield "style", match.group(1) or match.group(2)
    for element in soup.find_all("style"):
        for match in _CSS_URL.finditer(element.get_text()):
            yield "<style>", match.group(1) or match.group(2)


def test_pages_load_nothing_from_other_origins(built_site):
    offenders = []
    for path in built_site.html_pages():
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for what, url in _loaded_urls(soup):
            if _remote(url):
                offenders.append(f"{path.relative_to(built_site.dir)}: {what} {url}")
    assert offenders == []


def test_stylesheets_load_nothing_from_other_origins(built_site):
    offenders = []
    for path in sorted(built_site.dir.rglob("*.css")):
        for match in _CSS_URL.finditer(path.read_text(encoding="utf-8")):
            url = match.group(1) or match.group(2)
            if _remote(url) and not url.startswith("http://www.w3.org/"):
                offenders.append(f"{path.relative_to(built_site.dir)}: {url}")
    assert offenders == []
