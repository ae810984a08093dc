"""Validate a loaded document against its JSON Schema and word each error like a compiler.

The schemas in `data/schema/` are the ones editors use while a contributor types; here the
same schemas run through `jsonschema`, and each error is mapped back to the line and column
of the YAML node it concerns, with a "did you mean" hint for misspelt keys and values.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .errors import Problem
from .yamlsource import Document, JsonPath

# Describes where a path points, e.g. ("systems", 3, "license") -> "system 'kvm': license".
Describe = Callable[[JsonPath], str]

_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "object": "a mapping",
    "array": "a list",
    "boolean": "true or false",
    "null": "nothing",
}


def read_schema(file: Path) -> str:
    """The schema's text, read on every load: a schema edited under `mkdocs serve` counts.

    (The loader skips the whole validation when no input changed; a validator object is not
    worth keeping: building one is free next to validating, which reuse does not speed up.)
    """
    return file.read_text(encoding="utf-8")


def schema_problems(
    document: Document, schema: dict, describe: Describe
) -> dict[tuple[JsonPath, str], Problem]:
    """Every schema error, keyed by (path, message) so overlapping errors are reported once."""
    validator = Draft202012Validator(schema)
    problems: dict[tuple[JsonPath, str], Problem] = {}
    for error in validator.iter_errors(document.data):
        for path, message, on_key in _explain(error):
            prefix = describe(path[:-1] if on_key else path)
            problem = document.problem(path, f"{prefix}{message}", key=on_key)
            problems.setdefault((path, message), problem)
    return problems


def load_schema(file: Path) -> dict:
    return json.loads(read_schema(file))


def suggest(word: object, choices: list[str]) -> str:
    """' (did you mean 'x'?)' for a near miss, else ' (expected one of: a, b, ...)'."""
    close = _close(word, choices)
    if close:
        return f" (did you mean '{close}'?)"
    return f" (expected one of: {', '.join(choices)})"


def _close(word: object, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.7)
    return close[0] if close else None


def _explain(error: ValidationError) -> Iterator[tuple[JsonPath, str, bool]]:
    """(path, message, points at the key?) for each problem one jsonschema error stands for."""
    path = tuple(error.absolute_path)
    kind = error.validator
    if kind == "additionalProperties":
        yield from _unknown_keys(error, path)
    elif kind == "required":
        yield from _missing_keys(error, path)
    elif list(error.schema_path)[-2:-1] == ["propertyNames"]:  # jsonschema keeps no key path
        yield (*path, error.instance), f"invalid key '{error.instance}'{_pattern_hint(error)}", True
    else:
        yield path, _message(error), False


def _unknown_keys(error: ValidationError, path: JsonPath) -> Iterator[tuple[JsonPath, str, bool]]:
    known = list(error.schema.get("properties", {}))
    noun = "technique" if path[-1:] == ("techniques",) and len(path) > 1 else "field"
    for key in error.instance:
        if key not in known:
            yield (*path, key), f"unknown {noun} '{key}'{suggest(key, known)}", True


def _missing_keys(error: ValidationError, path: JsonPath) -> Iterator[tuple[JsonPath, str, bool]]:
    noun = "technique" if path[-1:] == ("techniques",) and len(path) > 1 else "field"
    known = list(error.schema.get("properties", {}))
    # A key missing because it is misspelt is reported once, as the unknown key with its hint.
    misspelt = {_close(key, known) for key in error.instance if key not in known}
    for key in error.validator_value:
        if key not in error.instance and key not in misspelt:
            yield path, f"missing {noun} '{key}'", False


def _message(error: ValidationError) -> str:
    kind, value, instance = error.validator, error.validator_value, error.instance
    if kind == "type" and "errorMessage" in error.schema:  # the schema words it for editors too
        return f"{error.schema['errorMessage']}, got {_kind(instance)}"
    if kind == "type":
        return _type_message(value, instance)
    if kind == "enum":
        choices = list(dict.fromkeys(str(v) for v in value))  # "1" and 1 read the same
        return f"invalid value {_show(instance)}{suggest(instance, choices)}"
    if kind in ("minLength", "pattern") and isinstance(instance, str) and not instance.strip():
        return "must not be empty"
    if kind == "pattern":
        return f"invalid value {_show(instance)}{_pattern_hint(error)}"
    if kind in ("minimum", "maximum"):
        low, high = error.schema.get("minimum"), error.schema.get("maximum")
        return f"implausible value {instance} (expected {low} to {high})"
    if kind in ("minItems", "minProperties"):
        return f"must have at least {value} {'item' if value == 1 else 'items'}"
    if kind == "uniqueItems":
        return "the list repeats an item"
    return error.message  # not reachable with our schemas; kept so nothing is lost


def _type_message(expected: str | list[str], instance: object) -> str:
    names = [_TYPE_NAMES[t] for t in ([expected] if isinstance(expected, str) else expected)]
    message = f"expected {' or '.join(dict.fromkeys(names))}, got {_kind(instance)}"
    if isinstance(instance, float) and "text" in names:
        message += ': write it in quotes, e.g. "6.1"'
    return message


def _pattern_hint(error: ValidationError) -> str:
    hint = error.schema.get("patternErrorMessage")
    return f" ({hint})" if hint else f" (expected text matching {error.schema.get('pattern')})"


def _kind(instance: object) -> str:
    if instance is None:
        return "nothing"
    if isinstance(instance, bool):
        return f"{str(instance).lower()} (a boolean)"
    if isinstance(instance, (int, float)):
        return f"the number {instance}"
    if isinstance(instance, str):
        return f"the text {_show(instance)}"
    return "a list" if isinstance(instance, list) else "a mapping"


def _show(value: object) -> str:
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 60 else f"'{value[:57]}...'"
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    return str(value) if isinstance(value, (int, float)) else _kind(value)
