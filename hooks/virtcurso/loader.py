"""Load `data/*.yml`, validate them and build the typed course model.

`load_course` is the only entry point: it reads both files, runs the schema and semantic
checks of `validate`, and raises a single DataError listing every problem. Nothing else
escapes it: an unexpected failure is reported as a problem too, never as a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

from .errors import DataError, Problem
from .model import (
    Course,
    Hypervisor,
    Layer,
    License,
    Source,
    Statement,
    System,
    Table2016,
    Technique,
)
from .validate import TABLE_2016_IDS, check_hypervisors, check_techniques, current_year, today
from .yamlsource import Document, read_document

TECHNIQUES_FILE = "techniques.yml"
SYSTEMS_FILE = "hypervisors.yml"
# The project's schemas, used when a data folder (a test fixture) has no schema/ of its own.
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
DEFAULT_SCHEMA_DIR = Path(__file__).resolve().parents[2] / "data" / "schema"

# The last course loaded from each data folder, with the inputs it came from: `mkdocs serve`
# rebuilds and repeated builds in one process skip re-validating unchanged data. One entry
# per folder; data with problems is never kept.
_LOADED: dict[Path, tuple[tuple, Course]] = {}


def load_course(data_dir: Path, *, required_systems: Collection[str] = TABLE_2016_IDS) -> Course:
    """The validated course data in `data_dir`; DataError lists every problem found.

    `required_systems` are the ids that must be present with their `table_2016` (the rows of
    the 2016 slides); small test fixtures pass their own short list.
    """
    try:
        return _load_unless_unchanged(Path(data_dir), tuple(required_systems))
    except DataError:
        raise
    except Exception as error:  # a bug here must still end the build like a data error
        where = _shown_path(Path(data_dir) / SYSTEMS_FILE)
        raise DataError([Problem(where, 0, 0, f"error interno: {error!r}")]) from error


def _load_unless_unchanged(data_dir: Path, required_systems: tuple[str, ...]) -> Course:
    inputs = _inputs(data_dir, required_systems)
    folder = data_dir.resolve()
    kept = _LOADED.get(folder)
    if kept is not None and kept[0] == inputs:
        return kept[1]  # the model is immutable (frozen dataclasses, tuples): safe to share
    course = _load(data_dir, required_systems)
    _LOADED[folder] = (inputs, course)
    return course


def _inputs(data_dir: Path, required_systems: tuple[str, ...]) -> tuple:
    """Everything a load depends on: the files' bytes, the required rows, the year and day."""
    schema_dir = _schema_dir(data_dir)
    files = [data_dir / TECHNIQUES_FILE, data_dir / SYSTEMS_FILE, *sorted(schema_dir.glob("*"))]
    return (required_systems, current_year(), today(), str(schema_dir), *map(_bytes_of, files))


def _bytes_of(file: Path) -> tuple[str, bytes | None]:
    try:
        return file.name, file.read_bytes()
    except OSError:  # missing or unreadable: _load reports it
        return file.name, None


def _schema_dir(data_dir: Path) -> Path:
    schema_dir = data_dir / "schema"
    return schema_dir if schema_dir.is_dir() else DEFAULT_SCHEMA_DIR


def _load(data_dir: Path, required_systems: tuple[str, ...]) -> Course:
    schema_dir = _schema_dir(data_dir)
    techniques_doc, problems = _read(data_dir / TECHNIQUES_FILE)
    systems_doc, more = _read(data_dir / SYSTEMS_FILE)
    if techniques_doc is not None:
        problems += check_techniques(techniques_doc, schema_dir)
    if systems_doc is not None:  # checked even when techniques.yml has errors: all in one pass
        ids = _technique_ids(techniques_doc)
        more += check_hypervisors(systems_doc, ids, schema_dir, required_systems)
        if ids is None:
            more.append(Problem(systems_doc.path, 0, 0, _unchecked(data_dir)))
    problems += more
    if problems:
        raise DataError(problems)
    techniques = build_techniques(techniques_doc)
    systems = build_systems(systems_doc, [t.id for t in techniques])
    return Course(techniques=techniques, systems=systems)


def _unchecked(data_dir: Path) -> str:
    """Says which rule waits for which file, so fixing one file first makes sense."""
    techniques = _shown_path(data_dir / TECHNIQUES_FILE)
    return (
        "no se han comprobado los nombres de las técnicas de cada sistema: dependen de la "
        f"lista de {techniques}, que tiene errores (corrígela antes)"
    )


def _read(file: Path) -> tuple[Document | None, list[Problem]]:
    """The document (None if unreadable) and the problems found while reading it."""
    try:
        document = read_document(file, _shown_path(file))
    except DataError as error:
        return None, list(error.problems)
    return document, list(document.problems)


def _shown_path(file: Path) -> str:
    """`data/hypervisors.yml`: the data folder's name and the file, as the project root sees it."""
    return f"{file.parent.name}/{file.name}"


def _technique_ids(document: Document | None) -> list[str] | None:
    """The ids techniques.yml declares; None unless every entry has a well-formed one."""
    data = document.data if document is not None else None
    entries = data.get("techniques") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        return None
    ids = [entry.get("id") if isinstance(entry, dict) else None for entry in entries]
    if not all(isinstance(i, str) and _SLUG.fullmatch(i) for i in ids):
        return None
    return list(dict.fromkeys(ids))


def build_techniques(document: Document) -> tuple[Technique, ...]:
    return tuple(
        _technique(entry, document.where(("techniques", i))[0])
        for i, entry in enumerate(document.data["techniques"])
    )


def _technique(entry: dict, line: int) -> Technique:
    sources = tuple(
        Source(str(n), s["title"], s["url"], s["kind"], s["checked"])
        for n, s in enumerate(entry.get("sources", []), start=1)
    )
    stack = tuple(
        Layer(
            label=layer["label"],
            role=layer["role"],
            repeat=layer.get("repeat", 1),
            highlight=layer.get("highlight", False),
        )
        for layer in entry["stack"]
    )
    return Technique(
        id=entry["id"],
        slug=entry["slug"],
        name=entry["name"],
        short_name=entry["short_name"],
        definition=entry["definition"],
        hardware=entry["hardware"],
        hypervisor_type=entry["hypervisor_type"],
        advantages=tuple(entry["advantages"]),
        drawbacks=tuple(entry["drawbacks"]),
        typical_use=entry["typical_use"],
        stack=stack,
        line=line,
        sources=sources,
    )


def build_systems(document: Document, technique_ids: list[str]) -> tuple[System, ...]:
    systems = [
        _system(entry, document.where(("systems", i))[0], technique_ids)
        for i, entry in enumerate(document.data["systems"])
    ]
    return tuple(sorted(systems, key=lambda system: system.id))


def _system(entry: dict, line: int, technique_ids: list[str]) -> System:
    sources = {
        key: Source(key, s["title"], s["url"], s["kind"], s["checked"])
        for key, s in entry["sources"].items()
    }
    license_ = entry["license"]
    hypervisor = entry["hypervisor"]
    return System(
        id=entry["id"],
        name=entry["name"],
        developer=entry["developer"],
        first_release=entry["first_release"],
        website=entry["website"],
        license=License(
            license_["kind"],
            license_.get("spdx", ""),
            license_.get("note", ""),
            tuple(sources[key] for key in license_.get("sources", [])),
        ),
        hypervisor=Hypervisor(str(hypervisor["type"]), hypervisor.get("note", "")),
        statements=tuple(_statement(t, entry["techniques"][t], sources) for t in technique_ids),
        hosts=tuple(entry["hosts"]),
        description=entry["description"],
        sources=tuple(sources.values()),
        line=line,
        first_release_note=entry.get("first_release_note", ""),
        uncertain=tuple(entry.get("uncertain", [])),
        table_2016=_table_2016(entry.get("table_2016")),
    )


def _statement(technique: str, raw: str | dict, sources: dict[str, Source]) -> Statement:
    if isinstance(raw, str):  # the shorthand `emulation: no`
        return Statement(technique=technique, support=raw)
    return Statement(
        technique=technique,
        support=raw["support"],
        note=raw.get("note", ""),
        since=str(raw.get("since", "")),
        until=str(raw.get("until", "")),
        sources=tuple(sources[key] for key in raw.get("sources", [])),
    )


def _table_2016(raw: dict | None) -> Table2016 | None:
    if raw is None:
        return None
    return Table2016(
        label=raw["label"],
        techniques=tuple(raw["techniques"]),
        license=raw["license"],
        changes=raw["changes"],
    )
