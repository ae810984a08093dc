"""Check (or fix) whitespace in text files: trailing spaces, final newline, CRLF, tabs in YAML.

Usage: python scripts/check_whitespace.py [--fix] FILE...

Prints one `path:line:col: problem` line per problem (like a compiler) and exits 1 if any.
A local replacement for the pre-commit-hooks repository, so pre-commit needs no network.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Files kept byte for byte as their authors published them.
VENDOR = "vendor"
YAML_SUFFIXES = {".yml", ".yaml"}


def line_problems(path: Path, lines: list[str]) -> list[str]:
    problems = []
    for number, line in enumerate(lines, start=1):
        body = line.rstrip("\n")
        if body.endswith("\r"):
            problems.append(f"{path}:{number}:{len(body)}: Windows line ending (CRLF)")
            body = body[:-1]
        stripped = body.rstrip(" \t")
        if stripped != body:
            problems.append(f"{path}:{number}:{len(stripped) + 1}: trailing whitespace")
        if path.suffix in YAML_SUFFIXES and "\t" in body:
            problems.append(f"{path}:{number}:{body.index(chr(9)) + 1}: tab in YAML")
    return problems


def file_problems(path: Path, text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    problems = line_problems(path, lines)
    if text and not text.endswith("\n"):
        problems.append(f"{path}:{len(lines)}:{len(lines[-1]) + 1}: no newline at end of file")
    elif text.endswith("\n\n"):
        problems.append(f"{path}:{len(lines)}:1: blank lines at end of file")
    return problems


def fixed(text: str) -> str:
    lines = [line.rstrip("\r\n").rstrip(" \t") for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


def main(argv: list[str]) -> int:
    fix = "--fix" in argv
    paths = [Path(arg) for arg in argv if arg != "--fix"]
    found = 0
    for path in paths:
        if VENDOR in path.parts or not path.is_file():
            continue
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            print(f"{path}:1:1: not valid UTF-8")
            found += 1
            continue
        problems = file_problems(path, text)
        if problems and fix and fixed(text) != text:
            path.write_text(fixed(text), encoding="utf-8", newline="")
            problems = file_problems(path, fixed(text))  # what --fix cannot fix (tabs)
        for problem in problems:
            print(problem)
        found += len(problems)
    if found:
        print(f"{found} whitespace problem(s); fix them with: "
              "python scripts/check_whitespace.py --fix FILE...", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
