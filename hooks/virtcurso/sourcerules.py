"""The rules about sources: what a claim cites exists, rests on an official source, is dated.

A yes / partial statement and a licence cite at least one source whose `kind` is official;
a source's `checked` date is not later than today. Each rule looks only at values of the
right shape: a malformed one is the schema's to report, so no mistake is reported twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from .schemacheck import suggest
from .yamlsource import JsonPath


class Finding(NamedTuple):
    """A rule's verdict; the caller turns it into a Problem that names where it is."""

    at: JsonPath  # where it is reported
    message: str
    on_key: bool = False  # at the key's position rather than the value's
    about: JsonPath | None = None  # what the message's prefix names (default: `at`)


OFFICIAL = "official"
SOURCE_KINDS = ("official", "secondary")
_KEY = re.compile(r"[a-z0-9][a-z0-9-]*")
_DATE = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?")


def cited_keys(raw: object) -> list[str] | None:
    """The well-formed keys a `sources:` list cites; None when the list itself is malformed."""
    if not isinstance(raw, list):
        return None
    return [key for key in raw if isinstance(key, str) and _KEY.fullmatch(key)]


def unknown_citations(at: JsonPath, cited: list, sources: object) -> Iterator[Finding]:
    """Each cited key that is not a key of the system's `sources`."""
    if not isinstance(cited, list) or not isinstance(sources, dict):
        return  # the schema reports a malformed list or mapping
    if not all(_KEY.fullmatch(key) for key in sources):
        return  # a malformed source key is the schema's; citations of it wait for the fix
    for position, key in enumerate(cited):
        if isinstance(key, str) and _KEY.fullmatch(key) and key not in sources:
            hint = suggest(key, list(sources))
            message = f"cita la fuente '{key}', que no existe en sources{hint}"
            yield Finding((*at, position), message, about=at[:-1])


def official_finding(at: JsonPath, cited: list[str], sources: object, what: str) -> Finding | None:
    """An error when every cited source is known, has a kind, and none is official.

    When a cited source is unknown or its kind is missing or misspelt, that is reported on its
    own, and this rule waits for it: it cannot tell yet whether the claim rests on an official
    source.
    """
    if not isinstance(sources, dict) or not cited:
        return None
    kinds = [_kind(sources.get(key)) for key in cited]
    if OFFICIAL in kinds or None in kinds:
        return None
    message = (
        f"{what} solo cita fuentes secundarias".lstrip()
        + " (se esperaba al menos una fuente oficial, con kind: official)"
    )
    return Finding(at, message)


def _kind(source: object) -> str | None:
    kind = source.get("kind") if isinstance(source, dict) else None
    return kind if kind in SOURCE_KINDS else None


def future_dates(at: JsonPath, sources: object, today: str) -> Iterator[Finding]:
    """Each well-formed `checked` date later than today (a typo such as 2062 for 2026)."""
    if isinstance(sources, dict):
        items = list(sources.items())
    elif isinstance(sources, list):
        items = list(enumerate(sources))
    else:
        return
    for key, source in items:
        checked = source.get("checked") if isinstance(source, dict) else None
        well_formed = isinstance(checked, str) and _DATE.fullmatch(checked)
        if well_formed and checked > today[: len(checked)]:
            message = (
                f"la fecha '{checked}' es posterior a hoy "
                f"(se esperaba la fecha en que se comprobó la fuente, no una futura)"
            )
            yield Finding((*at, key, "checked"), message)
