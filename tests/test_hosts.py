"""Host kinds of the comparison table's «Anfitrión» filter: each free-text host of the data
mapped by hand here (golden cases), bare metal kept apart, and no real host left unclassified."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from virtcurso.hosts import HOST_KINDS, host_kinds, host_options, kinds_of_host

ROOT = Path(__file__).resolve().parent.parent

# Host strings as the data writes them (and as new rows may), with the kinds a reader expects.
GOLDEN = [
    ("Linux", ("linux",)),
    ("Windows (Docker Desktop)", ("windows",)),
    ("macOS (con podman machine)", ("macos",)),
    ("Windows Server", ("windows",)),
    ("Windows 10 y 11 (Pro, Enterprise y Education)", ("windows",)),
    ("Windows 10 (versión 2004 o posterior) y Windows 11", ("windows",)),
    ("Linux con KVM (x86-64 y ARM64)", ("linux",)),
    ("Linux (x86-64, ARM64, ppc64le, s390x)", ("linux",)),
    ("macOS (Intel y Apple silicon)", ("macos",)),
    ("iOS y iPadOS", ("ios",)),
    ("FreeBSD", ("bsd",)),
    ("OpenBSD", ("bsd",)),
    ("Oracle Solaris", ("solaris",)),
    ("Distribuciones illumos (OmniOS, SmartOS, OpenIndiana)", ("solaris",)),
    ("Sobre el hardware (x86-64)", ("metal",)),
    # Bare metal even when the text names the Linux that comes with it.
    ("Sobre el hardware (dom0: Linux, FreeBSD o NetBSD)", ("metal",)),
    ("Sobre el hardware (Virtuozzo Linux, basado en RHEL)", ("metal",)),
    ("sobre el hardware (distribución basada en Debian)", ("metal",)),
    ("Linux y Windows", ("linux", "windows")),
    ("Haiku", ("otros",)),
    # Words that merely contain a keyword are not that system.
    ("Linuxbrew", ("otros",)),
]


@pytest.mark.parametrize("host, kinds", GOLDEN)
def test_kinds_of_a_host(host, kinds):
    assert kinds_of_host(host) == kinds


def test_kinds_of_a_system_are_unique_and_in_filter_order():
    assert host_kinds(["Windows", "Linux", "Windows Server", "Linux"]) == ("linux", "windows")


@dataclass(frozen=True)
class _System:
    hosts: tuple[str, ...]


def test_options_list_only_the_kinds_present():
    systems = [_System(("macOS",)), _System(("Sobre el hardware",)), _System(("Linux",))]
    assert host_options(systems) == (("linux", "Linux"), ("macos", "macOS"),
                                     ("metal", dict(HOST_KINDS)["metal"]))


def test_every_host_of_the_real_data_has_a_known_kind():
    systems = yaml.safe_load((ROOT / "data" / "hypervisors.yml").read_text(encoding="utf-8"))
    unknown = sorted({h for s in systems["systems"] for h in s["hosts"]
                      if kinds_of_host(h) == ("otros",)})
    assert unknown == [], ("hosts the «Anfitrión» filter cannot classify (write them as "
                           "Linux, Windows, macOS... or «Sobre el hardware (...)»): "
                           f"{unknown}")
