"""Word a YAML syntax error for a teacher, on the line where the mistake was made.

PyYAML reports where it got stuck, which is often lines below the mistake (an unclosed quote
swallows the next lines until another quote) and in parser jargon (`<block end>`). This module
finds the likely mistake and says, in Spanish, what is wrong there and what was expected.
"""

from __future__ import annotations

import re

import yaml
from yaml.reader import Reader
from yaml.scanner import Scanner
from yaml.tokens import ScalarToken

from .errors import Problem

Location = tuple[int, int]
_PREFIX = "error de sintaxis YAML: "
# A line swallowed by an unclosed quote: it looks like a key (`name:`) or a list item.
_KEY_LINE = re.compile(r"\n[ ]*(?:- |[A-Za-z_][\w-]*:(?:[ ]|\n|$))")
_CLOSERS = {"flow sequence": ("el corchete", "[", "]"), "flow mapping": ("la llave", "{", "}")}


class _TokenScanner(Reader, Scanner):
    """Only the scanner: enough to see where each quoted text starts and ends."""

    def __init__(self, text: str):
        Reader.__init__(self, text)
        Scanner.__init__(self)


def syntax_problem(error: yaml.MarkedYAMLError, text: str, shown_as: str) -> Problem:
    """One Problem at the line of the likely mistake, worded in Spanish."""
    at, message = _unclosed_quote(error, text) or _explain(error, text)
    return Problem(shown_as, at[0], at[1], _PREFIX + message)


def _mark(mark) -> Location:
    return (mark.line + 1, mark.column + 1) if mark else (0, 0)


def _unclosed_quote(error: yaml.MarkedYAMLError, text: str) -> tuple[Location, str] | None:
    """A quoted text that runs over lines that look like keys: its quote was never closed."""
    if error.context == "while scanning a quoted scalar" and error.context_mark:
        message = "las comillas que se abren aquí no se cierran (ciérralas al final del valor)"
        return _mark(error.context_mark), message
    stop = error.problem_mark.index if error.problem_mark else len(text)
    for token in _tokens_before(text, stop):
        start, end = token.start_mark, token.end_mark
        quoted_over_lines = token.style in ('"', "'") and start.line != end.line
        if quoted_over_lines and _KEY_LINE.search(text, start.index, end.index):
            message = (
                f"las comillas que se abren aquí no se cierran en esta línea, así que el texto "
                f"sigue hasta la línea {end.line + 1} (cierra las comillas al final del valor)"
            )
            return _mark(start), message
    return None


def _tokens_before(text: str, stop: int) -> list[ScalarToken]:
    scanner = _TokenScanner(text)
    tokens = []
    try:
        while scanner.check_token():
            token = scanner.get_token()
            if token.start_mark.index >= stop:
                break
            if isinstance(token, ScalarToken):
                tokens.append(token)
    except yaml.YAMLError:
        pass  # the scanner stops at the same mistake: what it read before is enough
    return tokens


def _explain(error: yaml.MarkedYAMLError, text: str) -> tuple[Location, str]:
    problem, context = error.problem or "", error.context or ""
    at = _mark(error.problem_mark or error.context_mark)
    started = error.context_mark.line + 1 if error.context_mark else 0
    collection = context.removeprefix("while parsing a ")
    if problem.startswith("expected ',' or ") and collection in _CLOSERS:
        return _unclosed_flow(error, collection)
    if problem.startswith("expected <block end>"):
        return at, _block_end(error, text, started)
    if problem == "mapping values are not allowed here":
        return at, _colon(error, text)
    if problem == "could not find expected ':'" and error.context_mark:
        return _mark(error.context_mark), (
            "falta ':' detrás de la clave de esta línea (se esperaba clave: valor; si es la "
            "continuación de un texto, ponlo entre comillas)"
        )
    found = re.match(r"found character '(.+)' that cannot start any token", problem)
    if found:
        return at, f"un valor no puede empezar por '{found[1]}' (pon el texto entre comillas)"
    if problem.startswith("found unknown escape character"):
        return at, (
            "barra invertida '\\' no válida dentro de comillas dobles (usa comillas simples "
            "o escribe '\\\\')"
        )
    if "expected a single document" in context:
        return at, "aquí empieza un segundo documento ('---'): el fichero debe tener uno solo"
    if problem.startswith("found undefined alias"):
        return at, "no se admiten anclas ni alias de YAML (&, *): escribe el valor completo"
    return at, _untranslated(problem, context, started)


def _unclosed_flow(error: yaml.MarkedYAMLError, kind: str) -> tuple[Location, str]:
    noun, opener, closer = _CLOSERS[kind]
    if error.context_mark and error.context_mark.line != error.problem_mark.line:
        message = f"{noun} '{opener}' que se abre aquí no se cierra en esta línea"
        return _mark(error.context_mark), f"{message} (se esperaba '{closer}' al final)"
    return _mark(error.problem_mark), f"se esperaba ',' o '{closer}' aquí"


def _block_end(error: yaml.MarkedYAMLError, text: str, started: int) -> str:
    mark = error.problem_mark
    line = text.splitlines()[mark.line] if mark else ""
    before = line[: mark.column].rstrip() if mark else ""
    if "'<scalar>'" in (error.problem or "") and before.endswith(('"', "'")):
        return "hay texto detrás de las comillas de cierre (pon el valor entero entre comillas)"
    if re.match(r"[ ]*-[^ \n]", line):
        return "falta un espacio detrás del guion (se esperaba '- clave: valor')"
    if (error.problem or "").endswith("'-'"):
        return (
            "un elemento de lista ('- ') donde se esperaba una clave (revisa la sangría de "
            f"esta línea o quita el guion; el bloque empieza en la línea {started})"
        )
    return (
        "la sangría de esta línea no encaja con la de las anteriores (alinéala con las claves "
        f"del mismo nivel; el bloque empieza en la línea {started})"
    )


def _colon(error: yaml.MarkedYAMLError, text: str) -> str:
    mark = error.problem_mark
    line = text.splitlines()[mark.line][: mark.column]
    if re.fullmatch(r"[ ]*(?:- )?[A-Za-z_][\w-]*", line):  # the line's own key: over-indented
        return (
            "esta línea tiene más sangría que la anterior, que la lee como continuación de "
            "su valor (alinéala con las claves del mismo nivel)"
        )
    return "hay ': ' dentro de un texto sin comillas (pon el texto entre comillas)"


def _untranslated(problem: str, context: str, started: int) -> str:
    """PyYAML's own words, for the rare mistakes above do not cover."""
    where = f" (en la línea {started}: {context})" if context and started else ""
    return f"{problem or context}{where}"
