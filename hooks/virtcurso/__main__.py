"""Command line: `python -m virtcurso check [--data DIR]` validates the course data.

Used by `make check` and pre-commit: it loads and validates data/ exactly as the build does,
without building the site, and exits 1 with compiler-style messages when something is wrong.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import DataError
from .loader import load_course
from .quiz_load import load_quiz


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m virtcurso")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate data/ (schema and semantic checks)")
    check.add_argument(
        "--data", type=Path, default=Path("data"), help="data folder (default: data)"
    )
    args = parser.parse_args(argv)
    try:
        course = load_course(args.data)
        bank = load_quiz(args.data, course)
    except DataError as error:
        print(error, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} error{'s' if count != 1 else ''} in the course data", file=sys.stderr)
        return 1
    print(f"OK: {len(course.systems)} systems, {len(course.techniques)} techniques, "
          f"{len(bank.questions)} questions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
