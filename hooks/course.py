"""MkDocs hooks for the course: each handler only wires an event to the virtcurso package.

The package's folder is on sys.path only while MkDocs executes this file, so every
import of virtcurso happens here, at the top.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel
from virtcurso.errors import DataError
from virtcurso.loader import load_course
from virtcurso.pages import expand_markers, expand_nav, generated_pages

log = get_plugin_logger("virtcurso")

# Per-build state, replaced (never extended) in on_config so `mkdocs serve` rebuilds start clean.
_state: dict = {}


def _project_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config):
    root = _project_root(config)
    try:
        course = load_course(root / "data")
    except DataError as error:
        raise PluginError(f"the course data is invalid:\n{error}") from None
    config.nav = expand_nav(config.nav, course)
    _state.clear()
    _state.update(root=root, course=course)
    return config


def on_files(files, config):
    for page in generated_pages(_state["course"]):
        file = File.generated(config, page.src_uri, content=page.content)
        file.edit_uri = page.edit_uri
        files.append(file)
    return files


def on_page_markdown(markdown, page, config, files):
    try:
        return expand_markers(markdown, page.file.src_uri, _state["course"])
    except DataError as error:
        raise PluginError(str(error)) from None
