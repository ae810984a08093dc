"""`mkdocs serve`: each page's search index entries kept from one rebuild to the next.

Material's search plugin parses every page's HTML on every build to cut it into the sections of
the search index (a tenth of a rebuild once the Markdown conversions are reused). `ENTRIES` wraps
the build's index (`SearchIndex.add_entry_from_context(page)`, which appends to `entries`) and
keeps, per page, the entries that call appended, under a key made of all it reads: the page's
HTML, URL, title, table of contents (ids, URLs, titles) and the `search`, `tags` and `title` of
its front matter, and the index's configuration. A page under the same key gets copies of its
stored entries; anything else is indexed by Material as always. Only `mkdocs serve` uses it
(`start("serve")` from `on_startup`); a Material whose plugin lacks that index is left alone.
This module does not import MkDocs or Material: it is handed the plugin and the pages.
"""

from __future__ import annotations

import copy
import functools
import hashlib


class SearchEntries:
    """The search entries of one `mkdocs serve` process, one list per page (by source path)."""

    def __init__(self) -> None:
        self.enabled = False
        self._stored: dict[str, tuple[str, list[dict]]] = {}

    def start(self, command: str) -> None:
        self.stop()
        self.enabled = command == "serve"

    def stop(self) -> None:
        self.enabled = False
        self._stored.clear()

    def attach(self, plugin) -> None:
        """Make this build's index of the search plugin look up each page's entries first."""
        index = getattr(plugin, "search_index", None)
        if not self.enabled or not hasattr(index, "add_entry_from_context"):
            return
        if not isinstance(getattr(index, "entries", None), list):
            return
        index.add_entry_from_context = functools.partial(self._add, index,
                                                         index.add_entry_from_context)

    def _add(self, index, add, page) -> None:
        key = _page_key(index, page)
        stored = self._stored.get(page.file.src_uri)
        if stored is not None and stored[0] == key:
            index.entries.extend(copy.deepcopy(stored[1]))
            return
        before = len(index.entries)
        add(page)
        self._stored[page.file.src_uri] = (key, copy.deepcopy(index.entries[before:]))


def _page_key(index, page) -> str:
    meta = {name: page.meta.get(name) for name in ("search", "tags", "title")}
    parts = [repr(getattr(index, "config", None)), page.url, repr(page.title), repr(meta),
             repr(_toc_outline(page.toc)), page.content or ""]
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part.encode("utf-8", "surrogatepass"))
        hashed.update(b"\0")
    return hashed.hexdigest()


def _toc_outline(items) -> list:
    return [(item.id, item.url, item.title, _toc_outline(item.children)) for item in items]


ENTRIES = SearchEntries()
