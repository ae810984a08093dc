"""What `mkdocs serve` can keep from one rebuild to the next.

`start` and `stop` (from `on_startup`/`on_shutdown`) turn on, for `mkdocs serve` only, the
caches of each page's Markdown conversion (`page_cache`) and search entries (`search_cache`).
MkDocs makes a new Jinja environment for the theme on every build, so every rebuild parses
and compiles Material's templates again (a sixth of a rebuild). `THEME_BYTECODE` keeps their
compiled code in memory for the life of the process: Jinja checks each template's source
checksum before using it, so an edited template is compiled again. One entry per template.
"""

from __future__ import annotations

import jinja2

from .page_cache import CONVERSIONS
from .search_cache import ENTRIES


def start(command: str) -> None:
    """`command` is MkDocs' (build, gh-deploy, serve): only serve reuses pages' work."""
    CONVERSIONS.start(command)
    ENTRIES.start(command)


def stop() -> None:
    CONVERSIONS.stop()
    ENTRIES.stop()


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Jinja bytecode kept in a dict (by template), shared by the builds of one process."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()


THEME_BYTECODE = MemoryBytecodeCache()

POLL_SECONDS = 0.1


def poll_faster(server, seconds: float = POLL_SECONDS):
    """`mkdocs serve` looks for changed files every 0.5 s, so a saved chapter waits a quarter of
    a second on average before its rebuild starts. Poll every `seconds` instead: each poll
    lists the watched folders (about a hundred files), which costs next to nothing. watchdog's
    emitters read their timeout on every loop; the ones scheduled later take the observer's."""
    observer = getattr(server, "observer", None)
    if observer is None or not hasattr(observer, "_timeout"):
        return server  # another watchdog or MkDocs: keep its polling as it is
    observer._timeout = seconds
    for emitter in observer.emitters:
        emitter._timeout = seconds
    return server
