"""Read a YAML data file into plain Python values that remember where each one was written.

PyYAML's loaders forget positions, silently keep the last of two duplicate keys and follow
YAML 1.1 (`no` is a boolean). This module composes the node graph itself and converts it with
YAML 1.2 core-schema scalars, so `support: no` stays the string "no", and records the line and
column of every key and value for compiler-style messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .errors import DataError, Problem
from .yamlsyntax import syntax_problem

Location = tuple[int, int]  # 1-based line and column
JsonPath = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
NO_ALIASES = "no se admiten anclas ni alias de YAML (&, *): escribe el valor completo"
_MAX_NODES = 200_000  # a data file is a few thousand nodes; this stops alias bombs early
_MAX_DEPTH = 30  # valid files nest 6 levels


class _CoreResolver(BaseResolver):
    """YAML 1.2 core schema: only true/false are booleans, no sexagesimals, no timestamps."""


for _tag, _pattern, _first in (
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (_NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (_INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        _FLOAT,
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
):
    _CoreResolver.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


class _NodeLoader(Reader, Scanner, Parser, Composer, _CoreResolver):
    """Composes nodes only (never constructs objects), so no YAML tag can run code."""

    def __init__(self, text: str):
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _CoreResolver.__init__(self)


try:  # libyaml composes ~10x faster, which keeps `make check` well under a second
    from yaml._yaml import CParser

    class _FastNodeLoader(CParser, _CoreResolver):
        def __init__(self, text: str):
            CParser.__init__(self, text)
            _CoreResolver.__init__(self)

except ImportError:  # PyYAML built without libyaml
    _FastNodeLoader = _NodeLoader  # type: ignore[misc]


@dataclass
class Document:
    """A loaded data file: its values plus where each value and mapping key was written."""

    path: str  # as shown in messages, relative to the project root
    data: object
    values: dict[JsonPath, Location] = field(default_factory=dict)
    keys: dict[JsonPath, Location] = field(default_factory=dict)
    # What the file holds that YAML allows and the data does not (a repeated key, an alias, a
    # tag); the rest of the file is still checked, except the values at `flagged` paths.
    problems: list[Problem] = field(default_factory=list)
    flagged: set[JsonPath] = field(default_factory=set)

    def where(self, path: JsonPath, *, key: bool = False) -> Location:
        """The position of the value at `path` (or of its key), else of its nearest ancestor."""
        if key and path in self.keys:
            return self.keys[path]
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, (0, 0))

    def problem(self, path: JsonPath, message: str, *, key: bool = False) -> Problem:
        line, column = self.where(path, key=key)
        return Problem(self.path, line, column, message)


def load_document(file: Path, shown_as: str) -> Document:
    """Parse one YAML file; raise DataError with every problem found in it."""
    return parse_document(_read_text(file, shown_as), shown_as)


def parse_document(text: str, shown_as: str) -> Document:
    """Parse YAML text already read (e.g. a page's front matter, padded to keep line numbers);
    raise DataError with every problem found in it."""
    document = _parse_text(text, shown_as)
    if document.problems:
        raise DataError(document.problems)
    return document


def read_document(file: Path, shown_as: str) -> Document:
    """Parse one YAML file, keeping its problems in `problems` so the rest can be checked too.

    Raises DataError only when nothing can be read: a missing, empty or non-UTF-8 file, tabs in
    the indentation or a syntax error.
    """
    return _parse_text(_read_text(file, shown_as), shown_as)


def _parse_text(text: str, shown_as: str) -> Document:
    tab_problems = _tab_problems(text, shown_as)
    if tab_problems:  # the parser would stop at the first tab with a vaguer message
        raise DataError(tab_problems)
    root = _compose(text, shown_as)
    if root is None:
        raise DataError([Problem(shown_as, 0, 0, "el fichero está vacío")])
    document = Document(shown_as, None)
    document.data = _Converter(document).convert(root, ())
    return document


def _read_text(file: Path, shown_as: str) -> str:
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(shown_as, 0, 0, "no se encuentra el fichero")]) from None
    except OSError as error:
        raise DataError(
            [Problem(shown_as, 0, 0, f"no se puede leer el fichero: {error.strerror}")]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        byte = raw[error.start]
        message = f"no es UTF-8 válido (byte 0x{byte:02x}): guarda el fichero como UTF-8"
        raise DataError([Problem(shown_as, line, column, message)]) from None
    if not text.strip():
        raise DataError([Problem(shown_as, 0, 0, "el fichero está vacío")])
    return text


def _tab_problems(text: str, shown_as: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            column = indent.index("\t") + 1
            message = "tabulador en la sangría (se esperaban espacios)"
            problems.append(Problem(shown_as, number, column, message))
    return problems


def _compose(text: str, shown_as: str) -> Node | None:
    try:
        return _compose_with(_FastNodeLoader, text)
    except yaml.YAMLError as fast_error:
        error = fast_error
    # Syntax errors are worded by the pure-Python parser, the same on every machine.
    try:
        _compose_with(_NodeLoader, text)
    except yaml.YAMLError as slow_error:
        error = slow_error
    except RecursionError:  # absurdly deep nesting: libyaml's own message says so
        pass
    if isinstance(error, yaml.MarkedYAMLError):
        raise DataError([syntax_problem(error, text, shown_as)]) from None
    if isinstance(error, ReaderError):  # a control character: point at it
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        message = f"carácter de control U+{error.character:04X} no permitido (bórralo)"
        raise DataError([Problem(shown_as, line, column, message)]) from None
    raise DataError([Problem(shown_as, 0, 0, f"error de sintaxis YAML: {error}")]) from None


def _compose_with(loader_class: type, text: str) -> Node | None:
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


class _Converter:
    """Turns a node graph into dicts, lists and scalars, collecting problems as it goes."""

    def __init__(self, document: Document):
        self.document = document
        self.seen: set[int] = set()  # ids of nodes already converted: a repeat is an alias
        self.count = 0

    def convert(self, node: Node, path: JsonPath) -> object:
        self.document.values[path] = _location(node)
        self.count += 1
        if id(node) in self.seen or self.count > _MAX_NODES:
            # An alias is the anchored node itself: its key is what stands where it is used.
            self._report(node, NO_ALIASES, path, at=self.document.keys.get(path))
            return None
        if len(path) > _MAX_DEPTH:  # deeper than any valid file; stops runaway recursion later
            self._report(node, f"anidado a más de {_MAX_DEPTH} niveles de profundidad", path)
            return None
        self.seen.add(id(node))
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return self._sequence(node, path)
        return self._scalar(node, path)

    def _mapping(self, node: MappingNode, path: JsonPath) -> dict:
        if node.tag != _MAP:
            self._report(node, _unsupported(node), path)
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self._report(key_node, "una clave debe ser un texto simple")
                continue
            key = key_node.value
            if key in result:
                first = self.document.keys[(*path, key)][0]
                self._report(key_node, f"clave repetida '{key}' (ya aparece en la línea {first})")
                continue
            self.document.keys[(*path, key)] = _location(key_node)
            result[key] = self.convert(value_node, (*path, key))
        return result

    def _sequence(self, node: SequenceNode, path: JsonPath) -> list:
        if node.tag != _SEQ:
            self._report(node, _unsupported(node), path)
        return [self.convert(item, (*path, index)) for index, item in enumerate(node.value)]

    def _scalar(self, node: ScalarNode, path: JsonPath) -> object:
        value = node.value
        if node.tag == _STR:
            return value
        if node.tag == _NULL:
            return None
        if node.tag == _BOOL:
            return value.lower() == "true"
        if node.tag == _INT:
            return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
        if node.tag == _FLOAT:
            return _float(value)
        self._report(node, _unsupported(node), path)
        return value

    def _report(
        self, node: Node, message: str, path: JsonPath | None = None, at: Location | None = None
    ) -> None:
        """A problem at the node; its value at `path` is then left out of the other checks."""
        line, column = at or _location(node)
        self.document.problems.append(Problem(self.document.path, line, column, message))
        if path is not None:
            self.document.flagged.add(path)


def _unsupported(node: Node) -> str:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    return f"etiqueta YAML no admitida {tag} (escribe un valor normal)"


def _float(text: str) -> float:
    lowered = text.lower()
    if lowered.endswith(".nan"):
        return float("nan")
    if lowered.endswith(".inf"):  # YAML spells infinity ".inf"; Python's float() wants "inf"
        return float(lowered.replace(".inf", "inf"))
    return float(text)


def _location(node: Node) -> Location:
    return node.start_mark.line + 1, node.start_mark.column + 1
