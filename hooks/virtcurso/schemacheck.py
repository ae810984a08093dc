"""Validate a loaded document against its JSON Schema and word each error like a compiler.

The schemas in `data/schema/` are the ones editors use while a contributor types; here the
same schemas run through `jsonschema`, and each error is mapped back to the line and column
of the YAML node it concerns, with a "did you mean" hint for misspelt keys and values.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .errors import Problem
from .yamlsource import Document, JsonPath

# Describes where a path points, e.g. ("systems", 3, "license") -> "sistema 'kvm': license: ".
Describe = Callable[[JsonPath], str]

_TYPE_NAMES = {
    "string": "texto",
    "integer": "un número entero",
    "number": "un número",
    "object": "campos (clave: valor)",
    "array": "una lista",
    "boolean": "true o false",
    "null": "nada",
}


def read_schema(file: Path) -> str:
    """The schema's text, read on every load: a schema edited under `mkdocs serve` counts.

    (The loader skips the whole validation when no input changed; a validator object is not
    worth keeping: building one is free next to validating, which reuse does not speed up.)
    """
    return file.read_text(encoding="utf-8")


@dataclass
class SchemaCheck:
    """The schema's verdict on a document."""

    # Every problem, keyed by (path, message) so overlapping errors are reported once.
    problems: dict[tuple[JsonPath, str], Problem] = field(default_factory=dict)
    # Mappings whose keys were written one level too shallow: rules on them would only
    # repeat the indentation mistake in other words.
    misindented: set[JsonPath] = field(default_factory=set)


def schema_problems(document: Document, schema: dict, describe: Describe) -> SchemaCheck:
    """Every schema error of the document, worded and placed."""
    errors = list(Draft202012Validator(schema).iter_errors(document.data))
    check = SchemaCheck()
    explained: set[JsonPath] = set()  # paths a misindentation already accounts for
    for at, parent, keys in misindented(errors, schema):
        message = _indentation_message(parent, keys)
        problem = document.problem((*at, keys[0]), f"{describe((*at, parent))}{message}", key=True)
        check.problems[((*at, parent), message)] = problem
        check.misindented.add((*at, parent))
        explained |= {(*at, parent), *((*at, key) for key in keys)}
    for error in errors:
        for path, message, on_key in _explain(error, schema):
            if path in explained:
                continue
            prefix = describe(path[:-1] if on_key else path)
            problem = document.problem(path, f"{prefix}{message}", key=on_key)
            check.problems.setdefault((path, message), problem)
    return check


def misindented(
    errors: list[ValidationError], schema: dict
) -> Iterator[tuple[JsonPath, str, list[str]]]:
    """(mapping path, key, keys) where keys written flush with `key` belong inside it.

    `support`, `note` and `sources` written at the level of their technique are one
    indentation mistake, not an empty technique plus three unknown techniques.
    """
    for error in errors:
        if error.validator != "additionalProperties":
            continue
        known = error.schema.get("properties", {})
        moved: dict[str, list[str]] = {}
        parent = None
        for key, value in error.instance.items():
            if key in known:
                parent = key if value is None or isinstance(value, dict) else None
                continue
            inner = (error.instance.get(parent) if parent else None) or {}
            deeper = parent is not None and key in _property_names(known[parent], schema)
            # A near miss of a key of this level is a typo, not an indentation mistake.
            if deeper and key not in inner and _close(key, list(known)) is None:
                moved.setdefault(parent, []).append(key)
        for parent, keys in moved.items():
            yield tuple(error.absolute_path), parent, keys


def _property_names(node: dict, root: dict) -> set[str]:
    """The keys a schema accepts by name, following local $refs and if/then/else branches."""
    names: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if "$ref" in current:
            stack.append(_resolve(current, root))
        names |= set(current.get("properties", {}))
        stack += [current[k] for k in ("then", "else") if isinstance(current.get(k), dict)]
        stack += [s for k in ("allOf", "anyOf", "oneOf") for s in current.get(k, [])]
    return names


def _resolve(node: dict, root: dict) -> dict:
    """Follow local `$ref`s ("#/$defs/statement"), the only kind our schemas use."""
    while node.get("$ref", "").startswith("#/"):
        target = root
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


def _indentation_message(parent: str, keys: list[str]) -> str:
    names = _and([f"'{key}'" for key in keys])
    verb = "está" if len(keys) == 1 else "están"
    return (
        f"error de sangría: {names} {verb} a la altura de '{parent}' (se esperaba dentro de "
        f"'{parent}', con dos espacios más de sangría que '{parent}')"
    )


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} y {words[-1]}"


def load_schema(file: Path) -> dict:
    return json.loads(read_schema(file))


def suggest(word: object, choices: list[str]) -> str:
    """' (¿quisiste decir 'x'?)' for a near miss, else ' (se esperaba uno de: a, b, ...)'."""
    close = _close(word, choices)
    if close:
        return f" (¿quisiste decir '{close}'?)"
    return f" (se esperaba uno de: {', '.join(choices)})"


def _close(word: object, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.7)
    return close[0] if close else None


def _explain(error: ValidationError, root: dict) -> Iterator[tuple[JsonPath, str, bool]]:
    """(path, message, points at the key?) for each problem one jsonschema error stands for."""
    path = tuple(error.absolute_path)
    kind = error.validator
    if kind == "additionalProperties":
        yield from _unknown_keys(error, path)
    elif kind == "required":
        yield from _missing_keys(error, path, root)
    elif list(error.schema_path)[-2:-1] == ["propertyNames"]:  # jsonschema keeps no key path
        message = f"clave no válida '{error.instance}'{_pattern_hint(error)}"
        yield (*path, error.instance), message, True
    else:
        yield path, _message(error), False


def _is_techniques(path: JsonPath) -> bool:
    return path[-1:] == ("techniques",) and len(path) > 1


def _unknown_keys(error: ValidationError, path: JsonPath) -> Iterator[tuple[JsonPath, str, bool]]:
    known = list(error.schema.get("properties", {}))
    noun = "técnica desconocida" if _is_techniques(path) else "campo desconocido"
    for key in error.instance:
        if key not in known:
            yield (*path, key), f"{noun} '{key}'{suggest(key, known)}", True


def _missing_keys(
    error: ValidationError, path: JsonPath, root: dict
) -> Iterator[tuple[JsonPath, str, bool]]:
    noun = "la técnica" if _is_techniques(path) else "el campo"
    properties = error.schema.get("properties", {})
    known = list(properties)
    # A key missing because it is misspelt is reported once, as the unknown key with its hint.
    misspelt = {_close(key, known) for key in error.instance if key not in known}
    for key in error.validator_value:
        if key not in error.instance and key not in misspelt:
            hint = _expected(properties.get(key, {}), root)
            yield path, f"falta {noun} '{key}'{f' ({hint})' if hint else ''}", False


def _expected(node: dict, root: dict) -> str:
    """What a missing field should hold, when its schema says it in a few words."""
    node = _resolve(node, root)
    if "enum" in node:
        return f"se esperaba uno de: {', '.join(dict.fromkeys(str(v) for v in node['enum']))}"
    return node.get("patternErrorMessage", "")


def _message(error: ValidationError) -> str:
    kind, value, instance = error.validator, error.validator_value, error.instance
    if kind == "type" and "errorMessage" in error.schema:  # the schema words it for editors too
        return f"{error.schema['errorMessage']}, pero hay {_kind(instance)}"
    if kind == "type":
        return _type_message(value, instance)
    if kind == "enum":
        choices = list(dict.fromkeys(str(v) for v in value))  # "1" and 1 read the same
        return f"valor no válido {_show(instance)}{suggest(instance, choices)}"
    if kind in ("minLength", "pattern") and isinstance(instance, str) and not instance.strip():
        return "está vacío (se esperaba un texto)"
    if kind == "pattern":
        return f"valor no válido {_show(instance)}{_pattern_hint(error)}"
    if kind in ("minimum", "maximum"):
        low, high = error.schema.get("minimum"), error.schema.get("maximum")
        return f"valor inverosímil {instance} (se esperaba entre {low} y {high})"
    if kind in ("minItems", "minProperties"):
        items = "elemento" if value == 1 else "elementos"
        return f"está vacío (se esperaba al menos {value} {items})"
    if kind == "uniqueItems":
        return "la lista repite un elemento (se esperaba cada uno una sola vez)"
    return error.message  # not reachable with our schemas; kept so nothing is lost


def _type_message(expected: str | list[str], instance: object) -> str:
    names = [_TYPE_NAMES[t] for t in ([expected] if isinstance(expected, str) else expected)]
    message = f"se esperaba {' o '.join(dict.fromkeys(names))}, pero hay {_kind(instance)}"
    if isinstance(instance, float) and "texto" in names:
        message += ' (escríbelo entre comillas, por ejemplo "6.1")'
    return message


def _pattern_hint(error: ValidationError) -> str:
    hint = error.schema.get("patternErrorMessage")
    pattern = error.schema.get("pattern")
    return f" ({hint})" if hint else f" (se esperaba un texto con la forma {pattern})"


def _kind(instance: object) -> str:
    if instance is None:
        return "un valor vacío"
    if isinstance(instance, bool):
        return f"{str(instance).lower()} (un booleano)"
    if isinstance(instance, (int, float)):
        return f"el número {instance}"
    if isinstance(instance, str):
        return f"el texto {_show(instance)}"
    return "una lista" if isinstance(instance, list) else "campos (clave: valor)"


def _show(value: object) -> str:
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 60 else f"'{value[:57]}...'"
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    return str(value) if isinstance(value, (int, float)) else _kind(value)
