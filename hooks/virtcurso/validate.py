"""The checks on the data files: their JSON Schemas and the rules a schema cannot say, together.

Semantic rules (data/FORMATO.md): unique ids, cited source keys exist, statements that claim
support cite a source (so does a `no` that contradicts the 2016 table), yes / partial and the
licence rest on an official source, `checked` dates are not in the future, a partial statement
says what is missing, mixed licences and disputed types explain themselves, and every row of
the 2016 table is present. Every rule runs wherever the file parses, next to the schema, so a
contributor sees every mistake in one pass; each rule looks only at values of the right shape
and leaves malformed ones to the schema's message, so nothing is reported twice.
"""

from __future__ import annotations

import copy
import os
import time
from collections.abc import Collection, Iterator
from pathlib import Path

from .describe import describer, entries
from .errors import Problem
from .schemacheck import Describe, load_schema, schema_problems
from .sourcerules import Finding, cited_keys, future_dates, official_finding, unknown_citations
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
OFFICIAL_CLAIMS = ("yes", "partial")  # ... and that must cite an official one
SUPPORT_VALUES = ("yes", "no", "partial", "unknown")
_STATEMENT = {"$ref": "#/$defs/statement"}  # the schema of one technique of a system


def _build_time() -> time.struct_time:
    """SOURCE_DATE_EPOCH's time when set, so a rebuild of a commit judges years alike."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return time.gmtime(int(epoch) if epoch.isdigit() else None)


def current_year() -> int:
    return _build_time().tm_year


def today() -> str:
    """The latest date a `checked` may hold: the later of the clock and SOURCE_DATE_EPOCH.

    `make` sets SOURCE_DATE_EPOCH to the last commit, so a source checked (and dated) today,
    before the commit that records it, must still pass.
    """
    return max(time.strftime("%Y-%m-%d", time.gmtime()), time.strftime("%Y-%m-%d", _build_time()))


def check_techniques(document: Document, schema_dir: Path) -> list[Problem]:
    schema = load_schema(schema_dir / "techniques.schema.json")
    describe = describer(document, "techniques", "técnica")
    check = schema_problems(document, schema, describe)
    problems = [p for (path, _), p in check.problems.items() if not _inside(path, document.flagged)]
    findings: list[Finding] = []
    for index, entry in enumerate(entries(document, "techniques")):
        if isinstance(entry, dict):
            at = ("techniques", index, "sources")
            findings += future_dates(at, entry.get("sources"), today())
    findings = [f for f in findings if not _inside(f.at, document.flagged)]
    problems += _problems(document, describe, findings)
    return (
        problems
        + _duplicates(document, "techniques", "id", "id de técnica")
        + _duplicates(document, "techniques", "slug", "slug de técnica")
    )


def check_hypervisors(
    document: Document,
    technique_ids: list[str] | None,
    schema_dir: Path,
    required_ids: Collection[str] = TABLE_2016_IDS,
) -> list[Problem]:
    """`technique_ids` None: techniques.yml cannot be read, so the technique names go unchecked."""
    schema = _systems_schema(load_schema(schema_dir / "hypervisors.schema.json"), technique_ids)
    describe = describer(document, "systems", "sistema")
    check = schema_problems(document, schema, describe)
    misplaced = _misplaced_2016_tables(document, required_ids)
    skipped = document.flagged | misplaced
    problems = [p for (path, _), p in check.problems.items() if not _inside(path, skipped)]
    findings: list[Finding] = []
    for index, entry in enumerate(entries(document, "systems")):
        if isinstance(entry, dict):
            findings += _system_rules(index, entry, technique_ids, required_ids)
    findings = [f for f in findings if not _inside(f.at, check.misindented | document.flagged)]
    problems += _problems(document, describe, findings)
    problems += _duplicates(document, "systems", "id", "id de sistema")
    return problems + _missing_rows(document, required_ids)


def _problems(document: Document, describe: Describe, findings: list[Finding]) -> list[Problem]:
    problems = []
    for finding in findings:
        about = finding.about or (finding.at[:-1] if finding.on_key else finding.at)
        message = f"{describe(about)}{finding.message}"
        problems.append(document.problem(finding.at, message, key=finding.on_key))
    return problems


def _inside(path: JsonPath, parents: set[JsonPath]) -> bool:
    return any(path[: len(parent)] == parent for parent in parents)


def _systems_schema(schema: dict, technique_ids: list[str] | None) -> dict:
    """The schema with the techniques of techniques.yml and this year as the latest release."""
    schema = copy.deepcopy(schema)
    techniques = schema["$defs"]["techniques"]
    system = schema["$defs"]["system"]["properties"]
    system["first_release"]["maximum"] = current_year()
    if technique_ids is None:  # any name goes: techniques.yml's own errors come first
        techniques.update(properties={}, required=[], additionalProperties=_STATEMENT)
        return schema
    known = techniques["properties"]
    techniques["properties"] = {t: known.get(t, _STATEMENT) for t in technique_ids}
    techniques["required"] = list(technique_ids)
    system["table_2016"]["properties"]["techniques"]["items"]["enum"] = list(technique_ids)
    return schema


def _system_rules(
    index: int, entry: dict, technique_ids: list[str] | None, required_ids: Collection[str]
) -> Iterator[Finding]:
    at = ("systems", index)
    sources = entry.get("sources")
    techniques = entry.get("techniques")
    table = entry.get("table_2016")
    ticked = table.get("techniques") if isinstance(table, dict) else None
    ticked = ticked if isinstance(ticked, list) else []
    if isinstance(techniques, dict):
        for technique, raw in techniques.items():
            if technique_ids is None or technique in technique_ids:
                where = (*at, "techniques", technique)
                yield from _statement_rules(where, raw, sources, technique in ticked)
    yield from _license_rules((*at, "license"), entry.get("license"), sources)
    yield from _hypervisor_rules((*at, "hypervisor"), entry.get("hypervisor"))
    yield from future_dates((*at, "sources"), sources, today())
    yield from _table_2016_rules(at, entry, required_ids)


def _statement_rules(at: JsonPath, raw: object, sources: object, ticked: bool) -> Iterator[Finding]:
    statement = {"support": raw} if isinstance(raw, str) else raw
    if not isinstance(statement, dict) or statement.get("support") not in SUPPORT_VALUES:
        return  # the schema reports a malformed statement
    support = statement["support"]
    cited = cited_keys(statement.get("sources", []))
    if cited is None:
        pass  # a malformed `sources:` is the schema's; whether it is needed waits for it
    elif not cited and "sources" not in statement and support in CLAIMS:
        official = ", al menos una oficial" if support in OFFICIAL_CLAIMS else ""
        expected = f"se esperaba sources con claves de las fuentes de este sistema{official}"
        yield Finding(at, f"support '{support}' necesita fuentes ({expected})")
    elif not cited and "sources" not in statement and support == "no" and ticked:
        expected = "se esperaba sources con las claves de las fuentes que lo respaldan"
        message = f"support 'no' contradice la tabla de 2016, así que necesita fuentes ({expected})"
        yield Finding(at, message)
    else:
        yield from unknown_citations((*at, "sources"), statement.get("sources", []), sources)
        if support in OFFICIAL_CLAIMS:
            finding = official_finding(at, cited, sources, f"support '{support}'")
            yield from [finding] if finding else []
    if support == "partial" and "note" not in statement:
        message = "support 'partial' necesita una nota (se esperaba note que diga qué falta)"
        yield Finding(at, message)


def _license_rules(at: JsonPath, license_: object, sources: object) -> Iterator[Finding]:
    if not isinstance(license_, dict):
        return
    if license_.get("kind") == "mixta" and "note" not in license_:
        message = (
            "'mixta' necesita una nota (se esperaba license.note que diga qué es libre y qué no)"
        )
        yield Finding((*at, "kind"), message)
    if "sources" not in license_:
        message = "no cita fuentes (se esperaba sources con al menos una fuente oficial)"
        yield Finding(at, message)
        return
    yield from unknown_citations((*at, "sources"), license_["sources"], sources)
    cited = cited_keys(license_["sources"]) or []
    finding = official_finding(at, cited, sources, "")
    yield from [finding] if finding else []


def _hypervisor_rules(at: JsonPath, hypervisor: object) -> Iterator[Finding]:
    if not isinstance(hypervisor, dict) or hypervisor.get("type") != "disputed":
        return
    if "note" not in hypervisor:
        expected = "se esperaba hypervisor.note que diga quién dice qué"
        yield Finding((*at, "type"), f"'disputed' necesita una nota ({expected})")


def _table_2016_rules(
    at: JsonPath, entry: dict, required_ids: Collection[str]
) -> Iterator[Finding]:
    system_id = entry.get("id")
    if not isinstance(system_id, str):
        return
    if system_id in required_ids and "table_2016" not in entry:
        yield Finding(at, "falta el campo 'table_2016' (es una fila de la tabla de 2016)")
    if system_id not in required_ids and "table_2016" in entry:
        message = (
            "table_2016 solo va en las filas de la tabla de 2016 "
            "(se esperaba sin table_2016: bórralo de este sistema)"
        )
        yield Finding((*at, "table_2016"), message, on_key=True)


def _misplaced_2016_tables(document: Document, required_ids: Collection[str]) -> set[JsonPath]:
    """The table_2016 of systems that are not 2016 rows: their fields are not worth checking."""
    return {
        ("systems", index, "table_2016")
        for index, entry in enumerate(entries(document, "systems"))
        if isinstance(entry, dict)
        and isinstance(entry.get("id"), str)
        and entry["id"] not in required_ids
    }


def _duplicates(document: Document, list_key: str, field: str, noun: str) -> list[Problem]:
    first_line: dict[str, int] = {}
    problems = []
    for index, entry in enumerate(entries(document, list_key)):
        value = entry.get(field) if isinstance(entry, dict) else None
        if not isinstance(value, str):
            continue
        line = document.where((list_key, index, field))[0]
        if value in first_line:
            message = f"{noun} repetido '{value}' (ya se usa en la línea {first_line[value]})"
            problems.append(document.problem((list_key, index, field), message))
        first_line.setdefault(value, line)
    return problems


def _missing_rows(document: Document, required_ids: Collection[str]) -> list[Problem]:
    if not isinstance(document.data, dict) or not isinstance(document.data.get("systems"), list):
        return []  # the schema reports the missing or malformed list
    entries = document.data["systems"]
    present = {e.get("id") for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)}
    message = "falta el sistema '{}' (es una fila de la tabla de 2016)"
    return [
        document.problem(("systems",), message.format(i), key=True)
        for i in required_ids
        if i not in present
    ]
