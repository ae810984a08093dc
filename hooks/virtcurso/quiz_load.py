"""Load data/preguntas.yml through the same path as the systems: yamlsource (positions, YAML
1.2), its JSON Schema (schemacheck), the rules of quiz_check, and frozen model classes.

`load_quiz` needs the loaded `Course`: generated questions read the systems' statements.
Everything it finds wrong is raised at once as one DataError of `file:line:column` problems.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .errors import DataError, Problem
from .loader import DEFAULT_SCHEMA_DIR
from .model import Course
from .quiz_check import describer, duplicate_ids, entry_rules, minimum_rules
from .quiz_generate import generated_question
from .quiz_model import TRUE_FALSE_WORDS, Option, PageQuiz, Question, QuestionBank
from .schemacheck import load_schema, schema_problems
from .yamlsource import Document, JsonPath, load_document

QUIZ_FILE = "preguntas.yml"
QUIZ_SCHEMA = "preguntas.schema.json"

# The last bank loaded from each data folder, with the bytes it came from and the course it was
# checked against (the loader gives back the same Course while the data is unchanged): `mkdocs
# serve` rebuilds skip re-validating an unchanged bank. A bank with problems is never kept.
_LOADED: dict[Path, tuple[tuple, Course, QuestionBank]] = {}


def load_quiz(data_dir: Path, course: Course) -> QuestionBank:
    """The validated question bank of `data_dir`; DataError lists every problem found."""
    data_dir = Path(data_dir)
    file = data_dir / QUIZ_FILE
    shown = f"{data_dir.name}/{QUIZ_FILE}"
    try:
        schema = _schema_dir(data_dir) / QUIZ_SCHEMA
        inputs = (shown, str(schema), _bytes_of(file), _bytes_of(schema))
        kept = _LOADED.get(data_dir.resolve())
        if kept is not None and kept[0] == inputs and kept[1] is course:
            return kept[2]  # frozen dataclasses and tuples: safe to share
        document = load_document(file, shown)
        problems = check_quiz(document, schema.parent, course)
        if problems:
            raise DataError(problems)
        bank = build_bank(document, course)
        _LOADED[data_dir.resolve()] = (inputs, course, bank)
        return bank
    except DataError:
        raise
    except Exception as error:  # a bug here must still end the build like a data error
        raise DataError([Problem(shown, 0, 0, f"error interno: {error!r}")]) from error


def _bytes_of(file: Path) -> bytes | None:
    try:
        return file.read_bytes()
    except OSError:  # missing or unreadable: loading it reports it
        return None


def _schema_dir(data_dir: Path) -> Path:
    schema_dir = data_dir / "schema"
    return schema_dir if (schema_dir / QUIZ_SCHEMA).is_file() else DEFAULT_SCHEMA_DIR


def check_quiz(document: Document, schema_dir: Path, course: Course) -> list[Problem]:
    schema = load_schema(schema_dir / QUIZ_SCHEMA)
    found = schema_problems(document, schema, describer(document)).problems
    problems = list(found.values())
    if not isinstance(document.data, dict) or not isinstance(document.data.get("pages"), dict):
        return problems
    broken = {path[:3] for path, _ in found if len(path) >= 3 and path[0] == "pages"}
    located = []
    for path, entry in _entries(document):
        if path not in broken and isinstance(entry, dict):
            problems += entry_rules(document, path, entry, course)
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            located.append((path, entry["id"]))
    problems += duplicate_ids(document, located)
    if not found:
        problems += minimum_rules(document)
    return problems


def _entries(document: Document):
    for page, entries in document.data["pages"].items():
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            yield ("pages", page, index), entry


def build_bank(document: Document, course: Course) -> QuestionBank:
    pages = []
    for page, entries in document.data["pages"].items():
        questions = tuple(_question(document, ("pages", page, index), entry, course)
                          for index, entry in enumerate(entries))
        pages.append(PageQuiz(page, questions, document.where(("pages", page), key=True)))
    return QuestionBank(pages=tuple(pages), minimum=document.data["minimum_per_page"],
                        required=tuple(document.data["required_pages"]))


def _question(document: Document, at: JsonPath, entry: dict, course: Course) -> Question:
    page, line = at[1], document.where(at)[0]
    if "system" in entry:
        question = generated_question(entry, course, page, line)
        return replace(question, section_at=document.where((*at, "system")))
    if entry["type"] == "truefalse":
        options = (Option(TRUE_FALSE_WORDS[0], entry["answer"], entry["feedback_true"]),
                   Option(TRUE_FALSE_WORDS[1], not entry["answer"], entry["feedback_false"]))
    else:
        options = tuple(Option(o["text"], bool(o.get("correct")), o["feedback"])
                        for o in entry["options"])
    return Question(id=entry["id"], page=page, type=entry["type"], text=entry["question"],
                    options=options, section=entry["section"], difficulty=entry["difficulty"],
                    line=line, section_at=document.where((*at, "section")))
