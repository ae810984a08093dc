"""The course's typed data model: what `data/*.yml` holds once loaded and validated.

Everything downstream (the comparison table, the technique and system pages, the handout)
reads these dataclasses and never the raw YAML. Instances are frozen so that one build's
model cannot be mutated by another stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Support = Literal["yes", "no", "partial", "unknown"]
LicenseKind = Literal["libre", "privativa", "mixta"]
HypervisorType = Literal["1", "2", "none", "disputed"]

SUPPORT_VALUES: tuple[str, ...] = ("yes", "no", "partial", "unknown")
LICENSE_KINDS: tuple[str, ...] = ("libre", "privativa", "mixta")
HYPERVISOR_TYPES: tuple[str, ...] = ("1", "2", "none", "disputed")


@dataclass(frozen=True)
class Source:
    """A reference that backs a fact: `key` is how statements cite it."""

    key: str
    title: str
    url: str
    kind: str = ""  # "official" or "secondary" (required by validation)
    checked: str = ""  # when it was last checked: "2026-12" or "2026-12-01"

    @property
    def official(self) -> bool:
        return self.kind == "official"


@dataclass(frozen=True)
class Statement:
    """How one system supports one technique (modelled on MDN's support statements)."""

    technique: str  # a Technique.id
    support: Support
    note: str = ""  # Spanish prose, plain text
    since: str = ""  # version or year, free text ("6.1", "2016")
    until: str = ""
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class License:
    kind: LicenseKind
    spdx: str = ""  # SPDX expression; "" when the licence has none (proprietary EULA)
    note: str = ""  # required by validation when kind == "mixta"
    sources: tuple[Source, ...] = ()  # what backs the licence: at least one official


@dataclass(frozen=True)
class Hypervisor:
    type: HypervisorType
    note: str = ""  # required by validation when type == "disputed"


@dataclass(frozen=True)
class Table2016:
    """What the 2016 slides' comparison table said about a system."""

    label: str  # the row's name in 2016 ("Qemu", "Containers", ...)
    techniques: tuple[str, ...]  # Technique ids ticked in 2016
    license: str  # the licence cell verbatim ("Libre", "Mixta", "Libre?")
    changes: str  # Spanish prose: what changed since and why


@dataclass(frozen=True)
class System:
    id: str
    name: str
    developer: str
    first_release: int
    website: str
    license: License
    hypervisor: Hypervisor
    statements: tuple[Statement, ...]  # one per technique, in techniques.yml order
    hosts: tuple[str, ...]
    description: str
    sources: tuple[Source, ...]
    line: int  # where the system starts in data/hypervisors.yml ("edit this page", errors)
    first_release_note: str = ""
    uncertain: tuple[str, ...] = ()  # claims still unverified: shown as "por verificar"
    table_2016: Table2016 | None = None

    def statement(self, technique_id: str) -> Statement:
        for statement in self.statements:
            if statement.technique == technique_id:
                return statement
        raise KeyError(technique_id)


@dataclass(frozen=True)
class Layer:
    """One layer of a technique's stack diagram, listed bottom (hardware) to top (apps)."""

    label: str
    role: str  # hardware | hypervisor | host-os | kernel | emulator | guest-os | runtime | app
    repeat: int = 1  # boxes side by side (e.g. two guests)
    highlight: bool = False  # the layer that defines the technique


@dataclass(frozen=True)
class Technique:
    id: str  # emulation | full | paravirtualization | hardware | containers
    slug: str  # URL segment: /tecnicas/<slug>/
    name: str  # "Emulación"
    short_name: str  # column header abbreviation as in 2016 ("Emu")
    definition: str
    hardware: str
    hypervisor_type: str
    advantages: tuple[str, ...]
    drawbacks: tuple[str, ...]
    typical_use: str
    stack: tuple[Layer, ...]
    line: int
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Course:
    """The whole validated data set."""

    techniques: tuple[Technique, ...]
    systems: tuple[System, ...]  # sorted by id for deterministic output

    def technique(self, technique_id: str) -> Technique:
        for technique in self.techniques:
            if technique.id == technique_id:
                return technique
        raise KeyError(technique_id)

    def systems_using(self, technique_id: str) -> tuple[System, ...]:
        """Systems whose statement for the technique is yes or partial."""
        return tuple(
            s for s in self.systems if s.statement(technique_id).support in ("yes", "partial")
        )
