"""Property tests: whatever is in the data files, load_course returns a Course or raises
DataError with at least one located problem, and never anything else (no traceback reaches
the build). Inputs are random text and bytes, and mutations of the real data files: lines
deleted, duplicated, swapped or cut, characters inserted, values replaced in the parsed tree.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from virtcurso.errors import DataError
from virtcurso.loader import load_course

DATA = Path(__file__).resolve().parent.parent / "data"
REAL = {
    name: (DATA / name).read_text(encoding="utf-8")
    for name in ("hypervisors.yml", "techniques.yml")
}
FILES = st.sampled_from(sorted(REAL))
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Values a contributor might plausibly type anywhere (and some they should not).
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(["yes", "no", "partial", "~", "<script>", "|", "*"]),
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


def _load_with(file: str, content: str | bytes) -> None:
    """Write `content` as one data file next to the other real one and load the folder."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(DATA, data)
        target = data / file
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        try:
            load_course(data)
        except DataError as error:
            assert error.problems, "a DataError must carry at least one problem"
            for problem in error.problems:
                assert problem.path in ("data/hypervisors.yml", "data/techniques.yml")
                # load_course wraps unexpected exceptions as "error interno": those are bugs
                assert not problem.message.startswith("error interno"), problem


@FAST
@given(FILES, st.text(max_size=400))
def test_random_text_only_raises_data_error(file, text):
    _load_with(file, text)


@FAST
@given(FILES, st.binary(max_size=200))
def test_random_bytes_only_raise_data_error(file, blob):
    _load_with(file, blob)


@FAST
@given(FILES, st.data())
def test_line_mutations_only_raise_data_error(file, data):
    lines = REAL[file].splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(lines) - 1))
        j = data.draw(st.integers(0, len(lines) - 1))
        operation = data.draw(st.sampled_from(["delete", "duplicate", "swap", "cut", "insert"]))
        if operation == "delete" and len(lines) > 1:
            del lines[i]
        elif operation == "duplicate":
            lines.insert(j, lines[i])
        elif operation == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif operation == "cut":
            lines[i] = lines[i][: data.draw(st.integers(0, len(lines[i])))]
        else:
            at = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + data.draw(st.text(max_size=5)) + lines[i][at:]
    _load_with(file, "".join(lines))


def _paths(node, prefix=()):
    """Every path into a parsed YAML tree (computed here, independently of the loader)."""
    yield prefix
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in children:
        yield from _paths(child, (*prefix, key))


@FAST
@given(FILES, st.data())
def test_tree_mutations_only_raise_data_error(file, data):
    tree = yaml.safe_load(REAL[file])
    paths = [p for p in _paths(tree) if p]
    target = data.draw(st.sampled_from(paths))
    parent = tree
    for key in target[:-1]:
        parent = parent[key]
    if data.draw(st.booleans()) and isinstance(parent, dict):
        del parent[target[-1]]
    else:
        parent[target[-1]] = data.draw(values)
    _load_with(file, yaml.safe_dump(tree, allow_unicode=True, sort_keys=False))
