"""The labs (docs/practicas/<slug>.md): their front matter, validated like the data files.

Each lab's front matter goes through `yamlsource` (positions, YAML 1.2) and the JSON Schema
`data/schema/lab.schema.json`, then the rules a schema cannot say (the chapters exist, no two
labs share a number, the page has a title). Problems carry the Markdown file's own line and
column, and every lab's problems are reported at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, Problem
from .schemacheck import load_schema, schema_problems
from .yamlsource import Document, JsonPath, parse_document

LABS_DIR = "practicas"
LABS_INDEX = f"{LABS_DIR}/index.md"
SCHEMA = Path(__file__).resolve().parents[2] / "data" / "schema" / "lab.schema.json"
# As MkDocs finds the front matter (mkdocs.utils.meta.YAML_RE).
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_H1 = re.compile(r"^# +(?P<title>\S.*?)\s*#*\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Chapter:
    src_uri: str  # "tecnicas/emulacion.md"
    title: str  # its H1


@dataclass(frozen=True)
class Package:
    debian: str  # Debian 13 (trixie)
    ubuntu: str  # Ubuntu 24.04 LTS


@dataclass(frozen=True)
class Lab:
    src_uri: str  # "practicas/tcg-kvm.md"
    title: str  # the page's H1
    number: int
    minutes: int
    level: str  # inicial | intermedio | avanzado
    chapters: tuple[Chapter, ...]
    hosts: tuple[str, ...]  # linux | windows | macos
    cpu: str
    disk: str
    memory: str = ""
    software: str = ""
    packages: tuple[Package, ...] = ()


def load_labs(docs_dir: Path, shown_docs: str = "docs",
              generated: Mapping[str, str] | None = None, schema_file: Path = SCHEMA):
    """Every lab under `docs_dir/practicas/`, by number; DataError lists every problem.

    `generated` maps the pages the build generates (technique pages without a prose file)
    to their titles: a lab may practise those chapters too.
    """
    schema = load_schema(schema_file)
    chapters = {**(generated or {}), **_chapter_files(docs_dir)}
    labs, problems = [], []
    for file in sorted((docs_dir / LABS_DIR).glob("*.md")):
        if file.name == "index.md":
            continue
        src_uri = f"{LABS_DIR}/{file.name}"
        found, trouble = _load_lab(file, src_uri, f"{shown_docs}/{src_uri}", chapters, schema)
        problems += trouble
        if found is not None:
            labs.append(found)
    problems += _duplicate_numbers(labs)
    if problems:
        raise DataError(problems)
    return tuple(sorted((lab for lab, _ in labs), key=lambda lab: lab.number))


def _load_lab(file: Path, src_uri: str, shown: str, chapters: dict[str, str], schema: dict):
    text = file.read_text(encoding="utf-8-sig")
    match = _FRONT_MATTER.match(text)
    if match is None:
        message = ("faltan los metadatos de la práctica: un bloque entre dos líneas '---' al "
                   "principio del archivo")
        return None, [Problem(shown, 1, 1, message)]
    try:  # one blank line stands for the opening '---': lines count as in the file
        document = parse_document("\n" + match.group(1), shown)
    except DataError as error:
        return None, list(error.problems)
    problems = list(schema_problems(document, schema, _describe).problems.values())
    if problems:
        return None, problems
    title = page_title(text[match.end():])
    if not title:
        line = match.group(0).count("\n") + 1
        return None, [Problem(shown, line, 1, "falta el título: una línea '# Práctica N: …'")]
    problems = _chapter_problems(document, sorted(chapters))
    if problems:
        return None, problems
    return (_lab(document.data, src_uri, title, chapters), document), []


def page_title(markdown: str) -> str:
    """The text of the page's first level-1 heading outside code blocks, or ''."""
    fence = ""
    for line in markdown.splitlines():
        found = _FENCE.match(line)
        if fence:  # a fence closes with the same character, at least as many times
            if found and found.group(1)[0] == fence[0] and len(found.group(1)) >= len(fence):
                fence = ""
        elif found:
            fence = found.group(1)
        elif heading := _H1.match(line):
            return heading["title"]
    return ""


def _describe(path: JsonPath) -> str:
    """("lab", "chapters", 0) -> "lab.chapters elemento 1: " (counted from 1, as people do)."""
    keys, words = [], []
    for part in path:
        if isinstance(part, int):
            words.append(f"{'.'.join(keys)} elemento {part + 1}")
            keys = []
        else:
            keys.append(str(part))
    return "".join(f"{word}: " for word in [*words, ".".join(keys)] if word)


def _chapter_files(docs_dir: Path) -> dict[str, str]:
    """Every page a lab may practise (not the labs themselves), with its title."""
    files = (p for p in docs_dir.rglob("*.md")
             if p.relative_to(docs_dir).parts[0] not in (LABS_DIR, "_includes"))
    return {p.relative_to(docs_dir).as_posix(): page_title(_read(p)) or p.stem for p in files}


def _chapter_problems(document: Document, existing: list[str]) -> list[Problem]:
    problems = []
    for index, chapter in enumerate(document.data["lab"]["chapters"]):
        if chapter not in existing:
            close = difflib.get_close_matches(chapter, existing, n=1, cutoff=0.6)
            hint = f" (¿quisiste decir '{close[0]}'?)" if close else ""
            message = (f"lab.chapters elemento {index + 1}: no existe el capítulo "
                       f"docs/{chapter}{hint}")
            problems.append(document.problem(("lab", "chapters", index), message))
    return problems


def _duplicate_numbers(labs: list[tuple[Lab, Document]]) -> list[Problem]:
    first: dict[int, str] = {}
    problems = []
    for lab, document in labs:
        if lab.number in first:
            message = f"lab.number: el número {lab.number} ya lo tiene {first[lab.number]}"
            problems.append(document.problem(("lab", "number"), message))
        first.setdefault(lab.number, document.path)
    return problems


def _lab(data: dict, src_uri: str, title: str, titles: dict[str, str]) -> Lab:
    lab, needs = data["lab"], data["lab"]["needs"]
    chapters = tuple(Chapter(uri, titles[uri]) for uri in lab["chapters"])
    packages = tuple(Package(p["debian"], p["ubuntu"]) for p in needs.get("packages", []))
    return Lab(src_uri=src_uri, title=title, number=lab["number"], minutes=lab["minutes"],
               level=lab["level"], chapters=chapters, hosts=tuple(lab["hosts"]),
               cpu=needs["cpu"], disk=needs["disk"], memory=needs.get("memory", ""),
               software=needs.get("software", ""), packages=packages)


def _read(file: Path) -> str:
    text = file.read_text(encoding="utf-8-sig")
    match = _FRONT_MATTER.match(text)
    return text[match.end():] if match else text
