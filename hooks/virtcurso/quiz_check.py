"""The rules of data/preguntas.yml that its JSON Schema cannot say, worded in Spanish.

The schema checks the shape (fields, types, ids, the list of types and difficulties); these
rules check the meaning: how many options are correct for each type, the fields each type
needs, unique ids, plain text that does not look like HTML, generated questions that name a
real system and technique, and the minimum number of questions of every required page.
Entries with schema errors skip these rules, which assume well-formed values.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

from .errors import Problem
from .model import Course
from .yamlsource import Document, JsonPath

# A tag such as <b>, </p> or <script src=x>, or a character reference such as &amp; or &#60;.
_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>|&(#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z]+);")
_TEXT_FIELDS = ("question", "feedback_true", "feedback_false")
_TRUE_FALSE_FIELDS = ("answer", "feedback_true", "feedback_false")
UNKNOWN = "unknown"  # a statement nobody could check: no question can be generated from it


def describer(document: Document) -> Callable[[JsonPath], str]:
    """Words for where a path points: "pregunta 'conceptos-vmm': opción 2: feedback: "."""

    def describe(path: JsonPath) -> str:
        if len(path) >= 3 and path[0] == "pages" and isinstance(path[2], int):
            return "".join(f"{part}: " for part in (_label(document, path), *_words(path[3:])))
        if len(path) == 2 and path[0] == "pages":
            return f"página '{path[1]}': "
        return "".join(f"{part}: " for part in _words(path))

    return describe


def _label(document: Document, path: JsonPath) -> str:
    entries = document.data["pages"][path[1]]
    entry = entries[path[2]] if isinstance(entries, list) and path[2] < len(entries) else None
    entry_id = entry.get("id") if isinstance(entry, dict) else None
    if isinstance(entry_id, str):
        return f"pregunta '{entry_id}'"
    return f"pregunta {path[2] + 1} de {path[1]}"


def _words(path: JsonPath) -> list[str]:
    """("options", 1, "feedback") -> ["opción 2", "feedback"]."""
    words: list[str] = []
    for index, part in enumerate(path):
        if isinstance(part, int):
            continue
        following = path[index + 1] if index + 1 < len(path) else None
        if part == "options" and isinstance(following, int):
            words.append(f"opción {following + 1}")
        elif isinstance(following, int):
            words.append(f"{part} {following + 1}")
        else:
            words.append(str(part))
    return words


def suggest(word: object, choices: list[str]) -> str:
    """' (¿querías decir 'x'?)' for a near miss, else ' (se esperaba uno de: a, b, ...)'."""
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.7)
    if close:
        return f" (¿querías decir '{close[0]}'?)"
    return f" (se esperaba uno de: {', '.join(choices)})"


def entry_rules(document: Document, at: JsonPath, entry: dict, course: Course) -> list[Problem]:
    """The rules for one well-formed entry at path `at`."""
    if "system" in entry:
        return _generated_rules(document, at, entry, course)
    problems = _html_rules(document, at, entry)
    if entry["type"] == "truefalse":
        return problems + _true_false_rules(document, at, entry)
    return problems + _choice_rules(document, at, entry)


def _html_rules(document: Document, at: JsonPath, entry: dict) -> list[Problem]:
    texts = [((*at, key), entry[key]) for key in _TEXT_FIELDS if key in entry]
    for index, option in enumerate(entry.get("options", [])):
        texts += [((*at, "options", index, key), option[key]) for key in ("text", "feedback")]
    problems = []
    for path, text in texts:
        found = _HTML.search(text)
        if found:
            where = describer(document)(path)
            message = (f"{where}el texto parece HTML ('{found.group(0)}'): escribe texto "
                       "plano (se muestra tal cual; si necesitas los signos < y >, sepáralos "
                       "con espacios)")
            problems.append(document.problem(path, message))
    return problems


def _choice_rules(document: Document, at: JsonPath, entry: dict) -> list[Problem]:
    where = describer(document)(at)
    kind = entry["type"]
    if "options" not in entry:
        return [document.problem(at, f"{where}falta el campo 'options' (una pregunta de tipo "
                                     f"{kind} necesita sus opciones, con correct: true en las "
                                     "correctas)")]
    problems = [
        document.problem((*at, key), f"{where}el campo '{key}' es solo para preguntas truefalse "
                                     "(se esperaba 'options')", key=True)
        for key in _TRUE_FALSE_FIELDS if key in entry
    ]
    options = entry["options"]
    correct = sum(1 for option in options if option.get("correct"))
    at_options = (*at, "options")
    if kind == "single" and correct != 1:
        found = "ninguna opción es correcta" if not correct else f"hay {correct} opciones correctas"
        hint = "" if not correct else "; si son varias, usa type: multiple"
        problems.append(document.problem(at_options, f"{where}{found} (se esperaba exactamente "
                                                     f"una, marcada con correct: true{hint})"))
    if kind == "multiple" and correct < 2:
        found = "ninguna opción es correcta" if not correct else "solo una opción es correcta"
        problems.append(document.problem(at_options, f"{where}{found} (se esperaban al menos dos "
                                                     "marcadas con correct: true; con una, usa "
                                                     "type: single)"))
    if kind == "multiple" and correct == len(options):
        problems.append(document.problem(at_options, f"{where}todas las opciones son correctas "
                                                     "(se esperaba al menos una incorrecta)"))
    return problems + _repeated_options(document, at, options)


def _repeated_options(document: Document, at: JsonPath, options: list[dict]) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for index, option in enumerate(options):
        text = option["text"].strip().casefold()
        if text in seen:
            message = (f"{describer(document)(at)}la opción {index + 1} repite la opción "
                       f"{seen[text] + 1} (se esperaban opciones distintas)")
            problems.append(document.problem((*at, "options", index, "text"), message))
        seen.setdefault(text, index)
    return problems


def _true_false_rules(document: Document, at: JsonPath, entry: dict) -> list[Problem]:
    where = describer(document)(at)
    problems = [
        document.problem(at, f"{where}falta el campo '{key}' (una pregunta truefalse necesita "
                             "answer, feedback_true y feedback_false)")
        for key in _TRUE_FALSE_FIELDS if key not in entry
    ]
    if "options" in entry:
        message = (f"{where}el campo 'options' no se usa en preguntas truefalse (se esperaban "
                   "answer, feedback_true y feedback_false)")
        problems.append(document.problem((*at, "options"), message, key=True))
    return problems


def _generated_rules(document: Document, at: JsonPath, entry: dict, course: Course) -> list:
    where = describer(document)(at)
    systems = [s.id for s in course.systems]
    techniques = [t.id for t in course.techniques]
    if entry["system"] not in systems:
        hint = suggest(entry["system"], systems)
        message = f"{where}sistema desconocido '{entry['system']}'{hint}"
        return [document.problem((*at, "system"), message)]
    asks_technique = entry["asks"] == "technique"
    if asks_technique and "technique" not in entry:
        return [document.problem(at, f"{where}falta el campo 'technique' (con asks: technique, "
                                     f"se esperaba uno de: {', '.join(techniques)})")]
    if not asks_technique and "technique" in entry:
        return [document.problem((*at, "technique"), f"{where}el campo 'technique' es solo para "
                                                     "asks: technique", key=True)]
    if asks_technique and entry["technique"] not in techniques:
        hint = suggest(entry["technique"], techniques)
        return [document.problem((*at, "technique"),
                                 f"{where}técnica desconocida '{entry['technique']}'{hint}")]
    return _unknown_statements(document, at, entry, course)


def _unknown_statements(document: Document, at: JsonPath, entry: dict, course: Course) -> list:
    system = next(s for s in course.systems if s.id == entry["system"])
    asked = [entry["technique"]] if entry["asks"] == "technique" else \
        [t.id for t in course.techniques] if entry["asks"] == "techniques" else []
    unknown = [t for t in asked if system.statement(t).support == UNKNOWN]
    if not unknown:
        return []
    message = (f"{describer(document)(at)}el soporte de '{system.id}' para {', '.join(unknown)} "
               "es 'unknown' y no tiene respuesta (se esperaba un sistema con datos comprobados)")
    return [document.problem((*at, "system"), message)]


def duplicate_ids(document: Document, located: list[tuple[JsonPath, str]]) -> list[Problem]:
    first_line: dict[str, int] = {}
    problems = []
    for path, question_id in located:
        line = document.where((*path, "id"))[0]
        if question_id in first_line:
            message = (f"id de pregunta '{question_id}' repetido (ya se usó en la línea "
                       f"{first_line[question_id]}; se esperaba un id único)")
            problems.append(document.problem((*path, "id"), message))
        first_line.setdefault(question_id, line)
    return problems


def minimum_rules(document: Document) -> list[Problem]:
    """Every required page has at least `minimum_per_page` questions."""
    minimum, pages = document.data["minimum_per_page"], document.data["pages"]
    problems = []
    for index, page in enumerate(document.data["required_pages"]):
        count = len(pages.get(page, []))
        if page not in pages:
            message = (f"la página '{page}' no tiene preguntas (se esperaban al menos {minimum} "
                       "en pages)")
            problems.append(document.problem(("required_pages", index), message))
        elif count < minimum:
            noun = "pregunta" if count == 1 else "preguntas"
            message = f"la página '{page}' tiene {count} {noun} (se esperaban al menos {minimum})"
            problems.append(document.problem(("pages", page), message, key=True))
    return problems
