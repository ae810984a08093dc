"""The checks on the data files: their JSON Schemas first, then the rules a schema cannot say.

Semantic rules (DATA-FORMAT.md): unique ids, cited source keys exist, statements that claim
support cite a source (so does a `no` that contradicts the 2016 table), a partial statement
says what is missing, mixed licences and disputed types explain themselves, and every row of
the 2016 table is present. Entries with schema errors skip the semantic rules, which assume
well-formed values; their schema errors are reported instead.
"""

from __future__ import annotations

import copy
import os
import time
from collections.abc import Collection
from pathlib import Path

from .errors import Problem
from .schemacheck import load_schema, schema_problems, suggest
from .yamlsource import Document, JsonPath

# The rows of the 2016 slides' comparison table, by today's system id.
TABLE_2016_IDS: tuple[str, ...] = (
    "qemu",
    "xen",
    "virtualbox",
    "lxc",
    "freebsd-jails",
    "solaris-zones",
    "kvm",
    "vmware-esxi",
    "hyper-v",
    "xenserver",
    "virtuozzo",
)
CLAIMS = ("yes", "partial", "unknown")  # support values that must cite a source


def current_year() -> int:
    """The build's year: SOURCE_DATE_EPOCH's when set, so a rebuild of a commit judges alike."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return time.gmtime(int(epoch) if epoch.isdigit() else None).tm_year


def check_techniques(document: Document, schema_dir: Path) -> list[Problem]:
    schema = load_schema(schema_dir / "techniques.schema.json")
    problems = schema_problems(document, schema, _describer(document, "techniques", "technique"))
    if problems:
        return list(problems.values())
    return _duplicates(document, "techniques", "id", "technique id") + _duplicates(
        document, "techniques", "slug", "technique slug"
    )


def check_hypervisors(
    document: Document,
    technique_ids: list[str],
    schema_dir: Path,
    required_ids: Collection[str] = TABLE_2016_IDS,
) -> list[Problem]:
    schema = _systems_schema(load_schema(schema_dir / "hypervisors.schema.json"), technique_ids)
    found = schema_problems(document, schema, _describer(document, "systems", "system"))
    problems = list(found.values())
    if not isinstance(document.data, dict) or not isinstance(document.data.get("systems"), list):
        return problems
    broken = {path[1] for path, _ in found if len(path) > 1 and path[0] == "systems"}
    for index, entry in enumerate(document.data["systems"]):
        if index not in broken:
            problems += _system_rules(document, index, entry, required_ids)
    problems += _duplicates(document, "systems", "id", "system id")
    return problems + _missing_rows(document, required_ids)


def _systems_schema(schema: dict, technique_ids: list[str]) -> dict:
    """The schema with the techniques of techniques.yml and this year as the latest release."""
    schema = copy.deepcopy(schema)
    techniques = schema["$defs"]["techniques"]
    known = techniques["properties"]
    techniques["properties"] = {
        t: known.get(t, {"$ref": "#/$defs/statement"}) for t in technique_ids
    }
    techniques["required"] = list(technique_ids)
    system = schema["$defs"]["system"]["properties"]
    system["table_2016"]["properties"]["techniques"]["items"]["enum"] = list(technique_ids)
    system["first_release"]["maximum"] = current_year()
    return schema


def _describer(document: Document, list_key: str, noun: str):
    """Words for where a path points: "system 'kvm': technique 'full': sources: "."""

    def describe(path: JsonPath) -> str:
        if len(path) < 2 or path[0] != list_key or not isinstance(path[1], int):
            return "".join(f"{part}: " for part in _words(path))
        entries = document.data[list_key]
        entry = entries[path[1]] if path[1] < len(entries) else None
        entry_id = entry.get("id") if isinstance(entry, dict) else None
        label = f"{noun} '{entry_id}'" if isinstance(entry_id, str) else f"{noun} #{path[1] + 1}"
        rest = path[2:]
        if list_key == "systems" and rest[:1] == ("techniques",):
            label += f": technique '{rest[1]}'" if len(rest) > 1 else ""
            rest = rest[2:]
        return "".join(f"{part}: " for part in (label, *_words(rest)))

    return describe


def _words(path: JsonPath) -> list[str]:
    """("stack", 1, "role") -> ["stack item 2", "role"]: positions counted from 1, as people do."""
    words: list[str] = []
    keys: list[str] = []
    for part in path:
        if isinstance(part, int):
            words.append(" ".join([".".join(keys), f"item {part + 1}"]).strip())
            keys = []
        else:
            keys.append(str(part))
    return words + ([".".join(keys)] if keys else [])


def _system_rules(
    document: Document, index: int, entry: dict, required_ids: Collection[str]
) -> list[Problem]:
    at = ("systems", index)
    name = f"system '{entry['id']}'"
    problems = []
    for technique, raw in entry["techniques"].items():
        problems += _statement_rules(document, (*at, "techniques", technique), entry, raw)
    if entry["license"]["kind"] == "mixta" and "note" not in entry["license"]:
        message = f"{name}: license kind 'mixta' needs a note saying what is free and what is not"
        problems.append(document.problem((*at, "license", "kind"), message))
    if entry["hypervisor"]["type"] == "disputed" and "note" not in entry["hypervisor"]:
        message = f"{name}: hypervisor type 'disputed' needs a note saying who says what"
        problems.append(document.problem((*at, "hypervisor", "type"), message))
    in_2016 = entry["id"] in required_ids
    if in_2016 and "table_2016" not in entry:
        message = f"{name}: missing field 'table_2016' (it is a row of the 2016 table)"
        problems.append(document.problem(at, message))
    if not in_2016 and "table_2016" in entry:
        message = f"{name}: table_2016 is only for the rows of the 2016 table"
        problems.append(document.problem((*at, "table_2016"), message, key=True))
    return problems


def _statement_rules(document: Document, at: JsonPath, entry: dict, raw: str | dict) -> list:
    statement = {"support": raw} if isinstance(raw, str) else raw
    support, cited = statement["support"], statement.get("sources", [])
    where = f"system '{entry['id']}': technique '{at[-1]}'"
    problems = []
    for position, key in enumerate(cited):
        if key not in entry["sources"]:
            hint = suggest(key, list(entry["sources"]))
            message = f"{where}: cites unknown source '{key}'{hint}"
            problems.append(document.problem((*at, "sources", position), message))
    ticked_2016 = at[-1] in entry.get("table_2016", {}).get("techniques", [])
    if not cited and support in CLAIMS:
        message = f"{where}: support '{support}' needs sources (keys of this system's sources)"
        problems.append(document.problem(at, message))
    elif not cited and support == "no" and ticked_2016:
        message = f"{where}: support 'no' contradicts the 2016 table, so it needs sources"
        problems.append(document.problem(at, message))
    if support == "partial" and "note" not in statement:
        problems.append(document.problem(at, f"{where}: support 'partial' needs a note"))
    return problems


def _duplicates(document: Document, list_key: str, field: str, noun: str) -> list[Problem]:
    first_line: dict[str, int] = {}
    problems = []
    for index, entry in enumerate(document.data[list_key]):
        value = entry.get(field) if isinstance(entry, dict) else None
        if not isinstance(value, str):
            continue
        line = document.where((list_key, index, field))[0]
        if value in first_line:
            message = f"duplicate {noun} '{value}' (first used at line {first_line[value]})"
            problems.append(document.problem((list_key, index, field), message))
        first_line.setdefault(value, line)
    return problems


def _missing_rows(document: Document, required_ids: Collection[str]) -> list[Problem]:
    entries = document.data["systems"]
    present = {e.get("id") for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)}
    return [
        document.problem(("systems",), f"missing system '{i}' (a row of the 2016 table)", key=True)
        for i in required_ids
        if i not in present
    ]
