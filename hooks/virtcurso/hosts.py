"""Host kinds for the comparison table's «Anfitrión» filter, derived from the free-text `hosts`.

The data says where each system runs in Spanish prose ("Windows 10 y 11 (Pro, ...)",
"Sobre el hardware (dom0 Linux)"). A reader choosing a system asks a coarser question (does it
run on my Windows laptop?), so each host string is mapped here to one or more kinds by
keyword. A string that starts with «Sobre el hardware» is bare metal and nothing else: Xen
installs its own dom0 Linux, but it does not run on the Linux the student already has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# (id, label) in the order the filter lists them; the id is what ?anfitrion= takes.
HOST_KINDS: tuple[tuple[str, str], ...] = (
    ("linux", "Linux"),
    ("windows", "Windows"),
    ("macos", "macOS"),
    ("bsd", "FreeBSD y otros BSD"),
    ("solaris", "Solaris e illumos"),
    ("ios", "iOS y iPadOS"),
    ("metal", "Sobre el hardware (sin anfitrión)"),
    ("otros", "Otros"),
)
OTHER = "otros"
BARE_METAL = "metal"

_BARE_METAL = re.compile(r"^\s*(sobre el hardware|directamente sobre|hardware desnudo|"
                         r"bare[ -]?metal)", re.IGNORECASE)
_KEYWORDS: tuple[tuple[str, re.Pattern], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in (
        ("linux", r"\blinux\b"),
        ("windows", r"\bwindows\b"),
        ("macos", r"\bmac\s?os\b|\bos x\b"),
        ("bsd", r"\b\w*bsd\b|\bdragonfly\b"),
        ("solaris", r"\bsolaris\b|\billumos\b|\bopenindiana\b|\bsmartos\b|\bomnios\b"),
        ("ios", r"\bi(?:pad)?os\b"),
    ))
_ORDER = {kind: n for n, (kind, _) in enumerate(HOST_KINDS)}


def kinds_of_host(host: str) -> tuple[str, ...]:
    """The kinds one host string names; ("otros",) when no keyword matches."""
    if _BARE_METAL.match(host):
        return (BARE_METAL,)
    found = tuple(kind for kind, pattern in _KEYWORDS if pattern.search(host))
    return found or (OTHER,)


def host_kinds(hosts: Iterable[str]) -> tuple[str, ...]:
    """The kinds of a system's hosts, without repeats, in HOST_KINDS order."""
    kinds = {kind for host in hosts for kind in kinds_of_host(host)}
    return tuple(sorted(kinds, key=_ORDER.__getitem__))


def host_options(systems) -> tuple[tuple[str, str], ...]:
    """The (id, label) pairs of the kinds some system has: the filter offers no empty choice."""
    present = {kind for system in systems for kind in host_kinds(system.hosts)}
    return tuple(pair for pair in HOST_KINDS if pair[0] in present)
