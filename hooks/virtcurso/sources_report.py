"""`make fuentes`: how well each system's claims are sourced, from the validated model.

A claim is the licence, and every technique statement that says yes, partial or unknown or
that cites sources (a `no` backed by a source). The report counts them per system, how many
cite at least one official source, the oldest `checked` date among the system's sources and
the entries still marked `uncertain`. The rule that yes, partial and the licence rest on an
official source is part of validation, so data that breaks it never reaches this report:
`python -m virtcurso fuentes` prints the validation errors and fails instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Course, Source, System

CLAIMED = ("yes", "partial", "unknown")
_HEADERS = (
    "Sistema",
    "Afirmaciones",
    "Con fuente oficial",
    "Comprobación más antigua",
    "Por verificar",
)


@dataclass(frozen=True)
class SystemSources:
    id: str
    claims: int
    official: int  # claims that cite at least one official source
    oldest_checked: str  # the earliest `checked` of the system's sources
    uncertain: tuple[str, ...]


def claims(system: System) -> list[tuple[str, tuple[Source, ...]]]:
    """(what is claimed, the sources it cites) for each claim of a system."""
    found = [("licencia", system.license.sources)]
    for statement in system.statements:
        if statement.support in CLAIMED or statement.sources:
            found.append((statement.technique, statement.sources))
    return found


def system_sources(system: System) -> SystemSources:
    made = claims(system)
    official = sum(1 for _, sources in made if any(s.official for s in sources))
    dates = sorted(s.checked for s in system.sources if s.checked)
    return SystemSources(
        id=system.id,
        claims=len(made),
        official=official,
        oldest_checked=dates[0] if dates else "",
        uncertain=system.uncertain,
    )


def report(course: Course) -> list[SystemSources]:
    """One row per system, in id order (the model's order)."""
    return [system_sources(system) for system in course.systems]


def format_report(rows: list[SystemSources]) -> str:
    """The report as plain text: a table, the «por verificar» list and a total line."""
    table = [_HEADERS] + [
        (r.id, str(r.claims), str(r.official), r.oldest_checked or "-", str(len(r.uncertain)))
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(_HEADERS))]
    lines = [
        "  ".join(
            cell.ljust(width) if i == 0 or i == 3 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in table
    ]
    lines += ["", *_uncertain_lines(rows), "", _total_line(rows)]
    return "\n".join(lines) + "\n"


def _uncertain_lines(rows: list[SystemSources]) -> list[str]:
    pending = [(r.id, text) for r in rows for text in r.uncertain]
    if not pending:
        return ["Por verificar: nada."]
    return [f"Por verificar ({len(pending)}):"] + [f"  {key}: {text}" for key, text in pending]


def _total_line(rows: list[SystemSources]) -> str:
    total = sum(r.claims for r in rows)
    official = sum(r.official for r in rows)
    dated = [r for r in rows if r.oldest_checked]
    oldest = min(dated, key=lambda r: (r.oldest_checked, r.id)) if dated else None
    since = f"; la comprobación más antigua es de {oldest.oldest_checked} ({oldest.id})"
    return (
        f"{len(rows)} sistemas, {total} afirmaciones, {official} con fuente oficial"
        f"{since if oldest else ''}."
    )
