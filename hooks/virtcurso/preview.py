"""The live preview's error page.

When a `mkdocs serve` rebuild fails, MkDocs keeps the browser waiting for a site that never
comes and prints a repeated message only once. `PreviewGuard` wraps the dev server's builder:
a failed rebuild makes every page of the preview an error page (in Spanish) that lists each
problem with its `file:line:column`, the offending line and what was expected, and that page
reloads by itself when the next rebuild finishes. This module does not import MkDocs: it only
uses the server object it is given (`builder`, `root`, `error_handler`).
"""

from __future__ import annotations

import logging
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .render import TEMPLATES, plain_environment

# "data/hypervisors.yml:57:7: message" (column optional), as errors.Problem prints it.
_LOCATED = re.compile(r"^(?P<path>[\w./-]+\.\w+):(?P<line>\d+)(?::(?P<column>\d+))?: (?P<text>.+)$")
# Lines that only introduce the list that follows ("the course data is invalid:").
_HEADING = re.compile(r":\s*$")


@dataclass(frozen=True)
class ShownProblem:
    """One problem as the error page shows it."""

    where: str  # "data/hypervisors.yml:57:7", or "" when the message names no file
    message: str
    line_number: int = 0
    excerpt: str = ""  # the offending source line, as written
    column: int = 0  # 1-based, 0 when unknown: where the caret under the excerpt points


def problems_from_messages(messages: list[str], root: Path) -> list[ShownProblem]:
    """Split logged error messages into problems, each with its source line when it has one."""
    shown: list[ShownProblem] = []
    for message in messages:
        for text in message.splitlines():
            text = text.strip()
            if not text or (_HEADING.search(text) and not _LOCATED.match(text)):
                continue
            shown.append(_problem(text, root))
    return list(dict.fromkeys(shown))  # the same message logged twice is one problem


def _problem(text: str, root: Path) -> ShownProblem:
    found = _LOCATED.match(text)
    if not found:
        return ShownProblem("", text)
    where = text[: found.start("text") - 2]
    line, column = int(found["line"]), int(found["column"] or 0)
    excerpt = _source_line(root / found["path"], line)
    return ShownProblem(where, found["text"], line, excerpt, column if excerpt else 0)


def _source_line(path: Path, line: int) -> str:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    return lines[line - 1] if 0 < line <= len(lines) else ""


def error_page(problems: list[ShownProblem]) -> str:
    """The standalone HTML page listing the problems (no theme: the build that makes it failed)."""
    template = plain_environment(TEMPLATES).get_template("preview/error.html")
    return template.render(problems=problems)


class CollectMessages(logging.Handler):
    """Keeps the text of every warning and error logged while it is attached."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


class PreviewGuard:
    """Wraps a LiveReloadServer's builder so that a failed rebuild shows an error page."""

    def __init__(self, server, root: Path, log: logging.Logger):
        self._server, self._root, self._log = server, root, log
        self._site_root = server.root
        # An empty folder to serve while the site is broken: every page is then a "404",
        # answered with the error page. The last good site stays untouched in _site_root.
        self._error_root = tempfile.mkdtemp(prefix="virtcurso-preview-")
        self._page: bytes | None = None
        self._build = server.builder
        self._not_found = server.error_handler
        server.builder = self.build
        server.error_handler = self._error_handler

    def build(self, *args, **kwargs) -> None:
        collect = CollectMessages()
        logging.getLogger("mkdocs").addHandler(collect)
        _forget_printed_messages()
        try:
            self._build(*args, **kwargs)
        except (Exception, SystemExit) as error:  # MkDocs' Abort is a SystemExit
            self._show(collect.messages or [str(error)])
            return  # the server then reloads the browsers, which get the error page
        finally:
            logging.getLogger("mkdocs").removeHandler(collect)
        self._page = None
        self._server.root = self._site_root

    def _show(self, messages: list[str]) -> None:
        problems = problems_from_messages(messages, self._root)
        html = error_page(problems).encode("utf-8")
        # The epoch the server is about to publish: the page polls for the next one.
        epoch = getattr(self._server, "_wanted_epoch", 0)
        self._page = self._server._inject_js_into_html(html, epoch)
        self._server.root = self._error_root
        self._log.error("La vista previa muestra %d problema(s) en el navegador; se recargará "
                        "sola cuando los corrijas.", len(problems))

    def _error_handler(self, code: int) -> bytes | None:
        return self._page if self._page is not None else self._not_found(code)


def _forget_printed_messages() -> None:
    # `mkdocs serve` filters repeated log messages on the build logger; a mistake made again
    # later in the session must be printed again, so the filter forgets between rebuilds.
    for flt in logging.getLogger("mkdocs.commands.build").filters:
        if hasattr(flt, "msgs"):
            flt.msgs.clear()
