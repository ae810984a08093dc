"""The `<!-- virtcurso:NAME -->` markers of hand-written Markdown: finding and replacing them.

A marker stands on a line of its own (at most three spaces of indent, as Markdown allows
before a block); markers inside fenced code blocks are examples and are left alone. Errors
name the line of the file as the author sees it, front matter included.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import DataError, Problem

KNOWN = ("comparison", "download", "labs", "quiz", "technique", "then-and-now")
_MARKER = re.compile(r"<!--\s*virtcurso:(?P<name>[^\s>]*)\s*-->")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")


@dataclass(frozen=True)
class MarkerSlot:
    name: str
    line: int | None  # 0-based line index; None = append at the end of the page


def _outside_fences(lines: list[str]) -> Iterator[tuple[int, str]]:
    fence = ""
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence:
            if match and match["fence"][0] == fence[0] and len(match["fence"]) >= len(fence):
                fence = ""
        elif match:
            fence = match["fence"]
        else:
            yield index, line


def _check(line: str, match: re.Match, technique_page: bool, seen: dict) -> str | None:
    name = match["name"]
    if name not in KNOWN:
        return f"marcador desconocido 'virtcurso:{name}' (se esperaba uno de: {', '.join(KNOWN)})"
    if line.strip() != match.group(0) or len(line) - len(line.lstrip(" ")) > 3:
        marker = f"el marcador 'virtcurso:{name}'"
        return f"{marker} comparte la línea con otro texto (se esperaba solo en su línea)"
    if name == "technique" and not technique_page:
        return (
            "el marcador 'virtcurso:technique' solo funciona en la página de una técnica "
            "(se esperaba tecnicas/<slug>.md)"
        )
    if name in seen and name != "download":
        first = f"la primera está en la línea {seen[name]}"
        return f"el marcador 'virtcurso:{name}' aparece dos veces (se esperaba una vez; {first})"
    return None


def body_offset(source: str, markdown: str) -> int:
    """How many lines of the source file precede `markdown`: the front matter MkDocs strips."""
    if markdown and source.endswith(markdown):
        return source[: len(source) - len(markdown)].count("\n")
    return 0


def find_markers(
    markdown: str, path: str, technique_page: bool, line_offset: int = 0
) -> list[MarkerSlot]:
    """The page's markers in order; DataError naming `path:line:col` for every bad one.

    `line_offset` is the number of lines (front matter) the file has before `markdown`.
    """
    slots: list[MarkerSlot] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}  # marker name -> the line of the file it is first on
    for index, line in _outside_fences(markdown.splitlines()):
        for match in _MARKER.finditer(line):
            error = _check(line, match, technique_page, seen)
            if error:
                problems.append(Problem(path, line_offset + index + 1, match.start() + 1, error))
                continue
            seen.setdefault(match["name"], line_offset + index + 1)
            slots.append(MarkerSlot(match["name"], index))
    if problems:
        raise DataError(problems)
    return slots


def splice(markdown: str, blocks: list[tuple[MarkerSlot, str]]) -> str:
    """Put each block in place of its marker line (or at the end), between blank lines."""
    if not blocks:
        return markdown
    lines = markdown.splitlines()
    by_line = {slot.line: block for slot, block in blocks if slot.line is not None}
    out = [f"\n{by_line[i].strip()}\n" if i in by_line else line for i, line in enumerate(lines)]
    out += [f"\n{block.strip()}\n" for slot, block in blocks if slot.line is None]
    return "\n".join(out) + "\n"
