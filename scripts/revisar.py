"""`make revisar`: in seconds, what a change to a chapter or to data/ can break.

1. the data (schema and rules, as the build validates them);
2. spelling of the chapters and of the prose in data/ (hunspell es_ES);
3. a strict build without the PDF: markers, internal links and anchors.
Prints plain Spanish `file:line:column: message` lines, one per problem, all at once, and exits
1 when there is any. `make test` remains the full suite.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
os.environ["VIRTCURSO_PDF"] = "false"  # read by mkdocs.yml's !ENV when the config loads
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from virtcurso import spelling  # noqa: E402
from virtcurso.errors import DataError  # noqa: E402
from virtcurso.loader import load_course  # noqa: E402
from virtcurso.preview import CollectMessages, problems_from_messages  # noqa: E402

# MkDocs' link and anchor warnings, in the words a contributor needs.
_LINK = re.compile(r"Doc file '(?P<page>[^']+)' contains a link '(?P<target>[^']+)', but "
                   r"the target (?:'[^']*' )?is not found among documentation files\.")
_ANCHOR = re.compile(r"Doc file '(?P<page>[^']+)' contains a link '(?P<target>[^']+)', but "
                     r"(?:the doc '[^']+' does not contain an anchor '#[^']+'|there is no such "
                     r"anchor on this page)\.")


def check_data() -> list[str]:
    try:
        load_course(ROOT / "data")
    except DataError as error:
        return [str(problem) for problem in error.problems]
    return []


def check_spelling() -> list[str]:
    binary, why = spelling.find_hunspell()
    if binary is None:
        return [f"ortografía: no se ha podido revisar: {why}"]
    return [str(problem) for problem in spelling.misspellings(ROOT, binary)]


def check_build() -> list[str]:
    """A strict build without the PDF into a temporary folder; its warnings and errors."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    collect, logger = CollectMessages(), logging.getLogger("mkdocs")
    logger.addHandler(collect)  # also keeps MkDocs' own console output quiet
    logger.propagate = False
    os.chdir(ROOT)  # snippets' base_path is relative to the working directory
    try:
        with tempfile.TemporaryDirectory(prefix="virtcurso-revisar-") as site:
            build(load_config(str(ROOT / "mkdocs.yml"), site_dir=site, strict=True))
    except (Exception, SystemExit):  # MkDocs' Abort is a SystemExit; messages were logged
        pass
    finally:
        logger.removeHandler(collect)
    messages = [m for m in collect.messages if not m.startswith("Aborted with")]
    problems = problems_from_messages(messages, ROOT)
    broken = {p.where.split(":")[0] for p in problems if p.where.startswith("docs/")}
    return [_in_spanish(p) for p in problems if not _follows_from(p.message, broken)]


def _follows_from(message: str, broken_pages: set[str]) -> bool:
    """An anchor missing from a page whose own markers failed: a consequence, not a mistake."""
    found = _ANCHOR.fullmatch(message)
    if not found or "#" not in found["target"]:
        return False
    path = found["target"].split("#")[0] or found["page"]
    target = posixpath.normpath(posixpath.join(posixpath.dirname(found["page"]), path))
    return f"docs/{target}" in broken_pages


def _in_spanish(problem) -> str:
    if problem.where:
        return f"{problem.where}: {problem.message}"
    text = problem.message
    kinds = ((_ANCHOR, "ancla inexistente"), (_LINK, "enlace a una página que no existe"))
    for pattern, what in kinds:
        found = pattern.fullmatch(text)
        if found:
            page = f"docs/{found['page']}"
            line = _line_of(ROOT / page, found["target"])
            where = f"{page}:{line}" if line else page
            return f"{where}: {what}: «{found['target']}» (se esperaba un enlace a un " \
                   f"fichero .md de docs/ y, tras #, el ancla de uno de sus títulos)"
    return text


def _line_of(path: Path, target: str) -> int:
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except OSError:
        return 0
    return next((n for n, text in enumerate(lines, 1) if f"]({target}" in text or
                 f'"{target}"' in text), 0)


def main() -> int:
    data = check_data()
    steps = [("datos", data), ("ortografía", check_spelling()),
             # a build with broken data stops at the data: its messages are those above
             ("enlaces y marcadores", [] if data else check_build())]
    problems = [message for _, found in steps for message in found]
    for message in problems:
        print(message)
    summary = ", ".join(f"{name}: {len(found) or 'bien'}" for name, found in steps)
    if problems:
        print(f"\n{len(problems)} problema{'s' if len(problems) != 1 else ''} ({summary}).")
        return 1
    print(f"Todo correcto ({summary}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
