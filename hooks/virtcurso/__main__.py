"""Command line: `python -m virtcurso check|fuentes [--data DIR]`.

`check` (`make check`, pre-commit) loads and validates data/ (systems, techniques and the
question bank) and the labs' front matter (docs/practicas/) exactly as the build does,
without building the site, and exits 1 with compiler-style messages when something is wrong.
`fuentes` (`make fuentes`) validates the same way, then prints how each system's claims are
sourced (sources_report); a claim without the official source it needs fails validation.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import DataError
from .lab_pages import lab_pages
from .loader import load_course
from .model import Course
from .quiz_load import load_quiz
from .quiz_model import QuestionBank
from .sources_report import format_report, report


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        course = load_course(args.data)
        bank = load_quiz(args.data, course)
        if args.command == "check" and args.docs.is_dir():
            lab_pages(course, args.docs, args.docs.as_posix())
    except DataError as error:
        print(error, file=sys.stderr)
        count = len(error.problems)
        print(
            f"{count} {'error' if count == 1 else 'errores'} en los datos del curso",
            file=sys.stderr,
        )
        return 1
    print(_OUTPUT[args.command](course, bank), end="")
    return 0


def _checked(course: Course, bank: QuestionBank) -> str:
    return (f"Correcto: {len(course.systems)} sistemas, {len(course.techniques)} técnicas, "
            f"{len(bank.questions)} preguntas\n")


_OUTPUT = {"check": _checked, "fuentes": lambda course, bank: format_report(report(course))}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m virtcurso")
    commands = parser.add_subparsers(dest="command", required=True)
    helps = {
        "check": "valida data/ (esquema y reglas) sin generar el sitio",
        "fuentes": "informe de fuentes por sistema (afirmaciones, fuentes oficiales, fechas)",
    }
    for name, text in helps.items():
        command = commands.add_parser(name, help=text)
        command.add_argument(
            "--data", type=Path, default=Path("data"), help="carpeta de datos (por defecto: data)"
        )
        command.add_argument(
            "--docs", type=Path, default=Path("docs"), help="capítulos (por defecto: docs)"
        )
    return parser


if __name__ == "__main__":
    sys.exit(main())
