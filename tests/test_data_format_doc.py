"""data/FORMATO.md, the data format document: every pointer to it resolves, it names every
field of both JSON Schemas, and its complete examples pass those schemas."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from virtcurso.yamlsource import load_document

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "data" / "FORMATO.md"
SCHEMA_DIR = ROOT / "data" / "schema"
SCHEMAS = {name: SCHEMA_DIR / f"{name}.schema.json" for name in ("hypervisors", "techniques")}
# Files that tell contributors where the format is written down.
POINTING = [
    ROOT / "data" / "hypervisors.yml",
    ROOT / "data" / "techniques.yml",
    *SCHEMAS.values(),
]
SEARCHED = [*POINTING, ROOT / "CONTRIBUTING.md", ROOT / "README.md", ROOT / ".yamllint",
            *sorted((ROOT / "hooks").rglob("*.py"))]
# A mention of a format document: DATA-FORMAT.md, FORMATO.md, data/FORMATO.md, /x/y/FORMAT.md...
MENTION = re.compile(r"[\w./-]*FORMATO?[\w-]*\.md")


def _mentions(file: Path) -> list[str]:
    return MENTION.findall(file.read_text(encoding="utf-8"))


@pytest.mark.parametrize("file", POINTING, ids=lambda f: f.name)
def test_data_files_and_schemas_point_at_the_format(file):
    assert _mentions(file), f"{file.relative_to(ROOT)} does not say where its format is described"


@pytest.mark.parametrize("file", SEARCHED, ids=lambda f: str(f.relative_to(ROOT)))
def test_every_pointer_to_the_format_resolves(file):
    for mention in _mentions(file):
        candidates = [ROOT / mention.lstrip("/"), file.parent / mention]
        assert not mention.startswith("/") and any(c.is_file() for c in candidates), (
            f"{file.relative_to(ROOT)} points at {mention}, which does not exist"
        )


def _property_names(node) -> set[str]:
    """Every key any `properties` of the schema declares, at any depth."""
    names: set[str] = set()
    if isinstance(node, dict):
        names |= set(node.get("properties", {}))
        for value in node.values():
            names |= _property_names(value)
    elif isinstance(node, list):
        for value in node:
            names |= _property_names(value)
    return names


@pytest.mark.parametrize("name", SCHEMAS)
def test_the_format_names_every_field_of_the_schema(name):
    text = DOC.read_text(encoding="utf-8")
    schema = json.loads(SCHEMAS[name].read_text(encoding="utf-8"))
    missing = sorted(key for key in _property_names(schema) if f"`{key}`" not in text)
    assert missing == [], f"data/FORMATO.md does not describe {missing} of {name}"


def _yaml_examples(tmp_path: Path) -> list[object]:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    examples = []
    for number, block in enumerate(blocks):
        file = tmp_path / f"example-{number}.yml"
        file.write_text(block, encoding="utf-8")
        examples.append(load_document(file, file.name).data)  # YAML 1.2, as the build reads
    return examples


def _validator(name: str, definition: str) -> Draft202012Validator:
    schema = json.loads(SCHEMAS[name].read_text(encoding="utf-8"))
    return Draft202012Validator({"$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"})


def test_complete_examples_pass_the_schemas(tmp_path):
    entries = [e for ex in _yaml_examples(tmp_path) if isinstance(ex, list) for e in ex]
    systems = [e for e in entries if "techniques" in e]
    techniques = [e for e in entries if "slug" in e]
    assert systems and techniques
    for entry in systems:
        assert list(_validator("hypervisors", "system").iter_errors(entry)) == []
    for entry in techniques:
        assert list(_validator("techniques", "technique").iter_errors(entry)) == []


def test_source_examples_carry_kind_and_checked(tmp_path):
    blocks = [ex["sources"] for ex in _yaml_examples(tmp_path)
              if isinstance(ex, dict) and isinstance(ex.get("sources"), dict)]
    assert blocks
    validator = _validator("hypervisors", "source")
    for sources in blocks:
        for source in sources.values():
            assert list(validator.iter_errors(source)) == []
