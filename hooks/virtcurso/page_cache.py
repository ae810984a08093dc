"""`mkdocs serve`: each page's Markdown->HTML conversion kept from one rebuild to the next.

Converting the chapters' Markdown is most of a rebuild, yet saving a chapter changes one page.
`CONVERSIONS` keeps, per page, what MkDocs' `Page.render` produced (the HTML, the table of
contents, the title found in it, the anchors it has and its links to other pages' anchors) and
every log record the conversion emitted, under a key made of everything the conversion reads:

- the page's Markdown as `on_page_markdown` left it, its source path, URL and inclusion level;
- the Markdown extensions and their configuration, `use_directory_urls`, the validation levels,
  the log level and the working folder (snippets' `base_path` is relative to it);
- every file of the site (path, URL, inclusion): links are checked and rewritten against them;
- the content of the snippets added to every page (pymdownx.snippets' `auto_append`).

A page found under the same key gets the stored results back and its log records are handled
again, so link warnings, `--strict` and the preview's error page see the same messages as after
a real conversion. MkDocs checks links to anchors after all pages, against this build's pages:
a link to an anchor that the edited chapter has just removed still warns on that rebuild.

Conservative on purpose: a page whose Markdown names a snippet itself (`--8<--`) is always
converted, and so is every page of a build that uses a Markdown extension not known to read only
its page (`PURE_EXTENSIONS`, and the extensions of this package). Only `mkdocs serve` uses it
(`start("serve")` from `on_startup`): `mkdocs build` converts every page. One entry per page, so
memory does not grow with rebuilds. This module does not import MkDocs: it is handed MkDocs'
page, config and files objects.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

# Extensions whose output depends only on the page and their configuration (snippets: see above).
PURE_EXTENSIONS = frozenset({
    "abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html",
    "tables", "toc", "pymdownx.details", "pymdownx.highlight", "pymdownx.inlinehilite",
    "pymdownx.keys", "pymdownx.snippets", "pymdownx.superfences", "pymdownx.tabbed",
})
SNIPPET_MARK = "-8<-"  # in every pymdownx.snippets marker: `--8<-- "file"`, `-8<-`


@dataclass(frozen=True)
class Conversion:
    """What `Page.render` left on a page, and what it logged."""

    key: str
    content: str
    toc: object
    title: str | None
    anchors: frozenset[str]
    links: tuple[tuple[str, dict[str, str]], ...] | None  # (target src_uri, {anchor: link})
    records: tuple[logging.LogRecord, ...]

    @classmethod
    def of(cls, page, key: str, records: list[logging.LogRecord]) -> Conversion:
        links = page.__dict__.get("links_to_anchors")  # set only above DEBUG, as MkDocs does
        return cls(key, page.content, copy.deepcopy(page.toc), page._title_from_render,
                   frozenset(page.present_anchor_ids),
                   None if links is None else tuple((target.src_uri, dict(by_anchor))
                                                    for target, by_anchor in links.items()),
                   tuple(records))

    def apply(self, page, files) -> None:
        page.content = self.content
        page.toc = copy.deepcopy(self.toc)
        page._title_from_render = self.title
        page.present_anchor_ids = set(self.anchors)
        if self.links is not None:  # the same files (they are in the key), this build's objects
            page.links_to_anchors = {files.get_file_from_path(uri): dict(by_anchor)
                                     for uri, by_anchor in self.links}
        for record in self.records:
            logging.getLogger(record.name).handle(record)


class PageConversions:
    """The conversions of one `mkdocs serve` process, one per page (by source path)."""

    def __init__(self) -> None:
        self.enabled = False
        self._stored: dict[str, Conversion] = {}
        self._build: tuple[object, str | None] = (None, None)  # (files, its build key)

    def start(self, command: str) -> None:
        self.stop()
        self.enabled = command == "serve"

    def stop(self) -> None:
        self.enabled = False
        self._stored.clear()
        self._build = (None, None)

    def attach(self, page, config, files):
        """Make `page.render` look up its conversion first (while serving)."""
        if self.enabled:
            page.render = functools.partial(self._render, page, page.render)
        return page

    def _render(self, page, render, config, files) -> None:
        key = self._page_key(page, config, files)
        stored = self._stored.get(page.file.src_uri)
        if key is not None and stored is not None and stored.key == key:
            stored.apply(page, files)
            return
        with _Recorder() as records:
            render(config, files)
        if key is not None:
            self._stored[page.file.src_uri] = Conversion.of(page, key, records)

    def _page_key(self, page, config, files) -> str | None:
        if self._build[0] is not files:
            self._build = (files, build_key(config, files))
            self._forget_missing(files)
        build = self._build[1]
        if build is None or page.markdown is None or SNIPPET_MARK in page.markdown:
            return None
        file = page.file
        return _digest([build, file.src_uri, file.url, file.inclusion.name, page.markdown])

    def _forget_missing(self, files) -> None:  # pages deleted or renamed since
        for uri in [uri for uri in self._stored if files.get_file_from_path(uri) is None]:
            del self._stored[uri]


def build_key(config, files) -> str | None:
    """What every page's conversion in this build reads besides the page; None: do not reuse."""
    extensions = [_extension_name(extension) for extension in config["markdown_extensions"]]
    snippets = _snippet_inputs(config["mdx_configs"].get("pymdownx.snippets"))
    if None in extensions or snippets is None:
        return None
    site = "\n".join(f"{file.src_uri}\t{file.url}\t{file.inclusion.name}" for file in files)
    level = logging.getLogger("mkdocs.structure.pages").getEffectiveLevel()
    return _digest([repr(extensions), repr(config["mdx_configs"]), repr(config["validation"]),
                    repr(config["use_directory_urls"]), str(level), os.getcwd(), snippets, site])


def _extension_name(extension) -> str | None:
    if isinstance(extension, str):
        name = extension.removeprefix("markdown.extensions.")
        return name if name in PURE_EXTENSIONS else None
    kind = type(extension)
    if not kind.__module__.startswith(f"{__package__}."):  # ours, such as TableCaptions
        return None
    return f"{kind.__module__}.{kind.__qualname__}{extension.getConfigs()!r}"


def _snippet_inputs(options: dict | None) -> str | None:
    """The auto-appended snippets' content wherever snippets could find them; None when one of
    them includes more snippets (then nothing is reused)."""
    if options is None:
        return ""
    bases = options.get("base_path", ["."])
    bases = [bases] if isinstance(bases, str) else bases
    parts = []
    for base in map(os.path.abspath, bases):
        names = options.get("auto_append", []) if os.path.isdir(base) else [""]
        for name in names:
            path = Path(base, name)
            text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
            if SNIPPET_MARK in text:
                return None
            parts.append(f"{path}\t{path.is_file()}\t{text}")
    return _digest(parts)


def _digest(parts: list[str]) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part.encode("utf-8", "surrogatepass"))
        hashed.update(b"\0")
    return hashed.hexdigest()


class _Recorder:
    """Keeps every record this thread creates while it is open. Recording where records are made
    (the record factory), not where they are handled, leaves handling as it was: a handled-again
    record goes through the same loggers, filters and handlers as the first time."""

    def __init__(self) -> None:
        self.records: list[logging.LogRecord] = []
        self._thread = threading.get_ident()  # the dev server's other threads log too
        self._factory = logging.getLogRecordFactory()

    def _record(self, *args, **kwargs) -> logging.LogRecord:
        record = self._factory(*args, **kwargs)
        if threading.get_ident() == self._thread:
            self.records.append(record)
        return record

    def __enter__(self) -> list[logging.LogRecord]:
        logging.setLogRecordFactory(self._record)
        return self.records

    def __exit__(self, *exc) -> None:
        logging.setLogRecordFactory(self._factory)


CONVERSIONS = PageConversions()
