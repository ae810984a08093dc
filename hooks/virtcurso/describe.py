"""Words for where a JSON path points in a data file, the prefix of every data message.

("systems", 3, "techniques", "full", "sources", 0) -> "sistema 'kvm': técnica 'full': sources,
elemento 1: ": entries by their id, list positions counted from 1, as people count.
"""

from __future__ import annotations

from .schemacheck import Describe
from .yamlsource import Document, JsonPath


def entries(document: Document, list_key: str) -> list:
    """The document's top-level list (`systems`, `techniques`), or [] when it is malformed."""
    data = document.data
    found = data.get(list_key) if isinstance(data, dict) else None
    return found if isinstance(found, list) else []


def describer(document: Document, list_key: str, noun: str) -> Describe:
    """Words for where a path points: "sistema 'kvm': técnica 'full': sources: "."""

    def describe(path: JsonPath) -> str:
        if len(path) < 2 or path[0] != list_key or not isinstance(path[1], int):
            return "".join(f"{part}: " for part in _words(path))
        listed = entries(document, list_key)
        entry = listed[path[1]] if path[1] < len(listed) else None
        entry_id = entry.get("id") if isinstance(entry, dict) else None
        label = f"{noun} '{entry_id}'" if isinstance(entry_id, str) else f"{noun} n.º {path[1] + 1}"
        rest = path[2:]
        if list_key == "systems" and rest[:1] == ("techniques",):
            label += f": técnica '{rest[1]}'" if len(rest) > 1 else ""
            rest = rest[2:]
        return "".join(f"{part}: " for part in (label, *_words(rest)))

    return describe


def _words(path: JsonPath) -> list[str]:
    """("stack", 1, "role") -> ["stack, elemento 2", "role"]: positions counted from 1."""
    words: list[str] = []
    keys: list[str] = []
    for part in path:
        if isinstance(part, int):
            words.append(", ".join(filter(None, [".".join(keys), f"elemento {part + 1}"])))
            keys = []
        else:
            keys.append(str(part))
    return words + ([".".join(keys)] if keys else [])
