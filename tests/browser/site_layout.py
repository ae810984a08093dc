"""Where the built site is published: its URL path prefix and the URL path of each page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without resolving its !ENV and !relative tags."""


_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def site_url(config_file: Path = ROOT / "mkdocs.yml") -> str:
    """The public URL of the site, with a trailing slash ('/' when mkdocs.yml sets none)."""
    with config_file.open(encoding="utf-8") as stream:
        url = yaml.load(stream, Loader=_TolerantLoader).get("site_url") or "/"  # noqa: S506
    return url if url.endswith("/") else url + "/"


def site_prefix(config_file: Path = ROOT / "mkdocs.yml") -> str:
    """The URL path the site is published under, e.g. '/introduccion-virtualizacion/'."""
    return urlsplit(site_url(config_file)).path or "/"


def page_path(site_dir: Path, html_file: Path) -> str:
    """The URL path of a built HTML file relative to the site root ('conceptos/', '404.html')."""
    relative = html_file.relative_to(site_dir).as_posix()
    if relative == "index.html":
        return ""
    return relative[: -len("index.html")] if relative.endswith("/index.html") else relative
