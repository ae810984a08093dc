"""The `<!-- virtcurso:NAME -->` markers of hand-written Markdown: finding and replacing them.

A marker stands on a line of its own (at most three spaces of indent, as Markdown allows
before a block); markers inside fenced code blocks are examples and are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import DataError, Problem

KNOWN = ("comparison", "download", "labs", "technique", "then-and-now")
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
        return f"unknown marker 'virtcurso:{name}' (expected one of: {', '.join(KNOWN)})"
    if line.strip() != match.group(0) or len(line) - len(line.lstrip(" ")) > 3:
        return f"marker 'virtcurso:{name}' must stand on a line of its own"
    if name == "technique" and not technique_page:
        return "marker 'virtcurso:technique' only works in a technique page (tecnicas/<slug>.md)"
    if name in seen and name != "download":
        return f"marker 'virtcurso:{name}' appears twice (first at line {seen[name] + 1})"
    return None


def find_markers(markdown: str, path: str, technique_page: bool) -> list[MarkerSlot]:
    """The page's markers in order; DataError naming `path:line:col` for every bad one."""
    slots: list[MarkerSlot] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, line in _outside_fences(markdown.splitlines()):
        for match in _MARKER.finditer(line):
            error = _check(line, match, technique_page, seen)
            if error:
                problems.append(Problem(path, index + 1, match.start() + 1, error))
                continue
            seen.setdefault(match["name"], index)
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
