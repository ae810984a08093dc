"""Build measurements for `make bench`: timed in-process builds of snapshots of the project.

Every measurement works on a copy of the project in a temporary folder, so nothing here
touches docs/, data/ or site/ of the working tree.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import re
import shutil
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
HOOKS = "hooks/course.py"
COPY_IGNORE = shutil.ignore_patterns(".venv", "site", ".site-build", "dist", ".git", "__pycache__",
                                     ".pytest_cache", ".hypothesis", "node_modules", ".cache")


def snapshot(dest: Path, source: Path = ROOT) -> Path:
    """A copy of the sources; the first one also provides the virtcurso package to this process
    (a process imports it once: every later build and helper must use that same copy)."""
    shutil.copytree(source, dest, ignore=COPY_IGNORE)
    if "virtcurso" not in sys.modules and str(dest / "hooks") not in sys.path:
        sys.path.insert(0, str(dest / "hooks"))
    return dest


@contextlib.contextmanager
def environment(project: Path, **env: str):
    """cwd = project (snippets resolve from it) and extra env vars, restored afterwards."""
    saved_cwd, saved_env = os.getcwd(), dict(os.environ)
    os.chdir(project)
    os.environ.update(env, NO_MKDOCS_2_WARNING="1")
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def _show_build_problems() -> None:
    """Warnings and errors of the builds go to stderr (INFO would drown the progress lines)."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("  %(levelname)s %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)


def timed_build(project: Path, site_dir: Path, pdf: bool = False, **env: str):
    """Build strictly in this process; returns (seconds, config). Config loading is timed too."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    _show_build_problems()
    with environment(project, VIRTCURSO_PDF="true" if pdf else "false", **env):
        start = time.perf_counter()
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
        build(config)
        return time.perf_counter() - start, config


# --- (1) the same pages as plain Markdown, without hooks ------------------------------------

def plain_project(source: Path, dest: Path) -> Path:
    """A copy of `source` whose docs hold every page's Markdown as the hooks hand it to MkDocs
    (after `on_page_markdown`) and the files they generate, and whose config has no hooks."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.plugins import BasePlugin

    class Capture(BasePlugin):
        files = nav = None

        def on_nav(self, nav, config, files):
            self.nav = nav
            return nav

        def on_env(self, env, config, files):
            self.files = files
            return env

    snapshot_of = snapshot(dest, source)
    docs = snapshot_of / "docs"
    capture = Capture()
    hooked_site = dest.with_name(f"{dest.name}-hooked-site")
    with environment(snapshot_of, VIRTCURSO_PDF="false"):
        config = load_config(str(snapshot_of / "mkdocs.yml"), site_dir=str(hooked_site))
        config.plugins["bench-capture"] = capture  # registers its on_env after the hooks'
        build(config)
    for file in capture.files:
        page = file.page
        if page is not None and page.markdown is not None:
            text = page.markdown  # chapters and generated pages, expanded by the hooks
        elif file.generated_by is not None:
            text = file.content_bytes  # the question bank's downloads
        else:
            continue
        target = docs / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, str):
            target.write_text(text, encoding="utf-8")
        else:
            target.write_bytes(text)
    config_text = (source / "mkdocs.yml").read_text(encoding="utf-8")
    (snapshot_of / "mkdocs.yml").write_text(without_hooks(config_text, _nav_config(capture.nav)),
                                            encoding="utf-8")
    return snapshot_of


def _nav_config(items) -> list:
    """A built navigation written back as mkdocs.yml's `nav` (with the titles the pages got)."""
    entries = []
    for item in items:
        if item.is_section:
            entries.append({item.title: _nav_config(item.children)})
        elif item.is_page:
            entries.append({item.title: item.file.src_uri})
        else:
            entries.append({item.title: item.url})
    return entries


def without_hooks(config_text: str, nav) -> str:
    """mkdocs.yml minus `hooks:`, with the nav the hook would have expanded written out."""
    text = re.sub(r"^hooks:\n(?:[ \t]+.*\n|\n)*", "", config_text, flags=re.MULTILINE)
    text = re.sub(r"^nav:\n(?:[ \t#-].*\n|\n)*", "", text, flags=re.MULTILINE)
    # The extension the hook adds in on_config, by its import path (hooks/ is on sys.path).
    text = text.replace("markdown_extensions:\n",
                        "markdown_extensions:\n  - virtcurso.markdown_ext:TableCaptions\n", 1)
    return text + "\n" + yaml.safe_dump({"nav": nav}, allow_unicode=True, sort_keys=False)


# --- (3) synthetic data --------------------------------------------------------------------

class _Yaml12Loader(yaml.SafeLoader):
    """Only true/false are booleans (YAML 1.2), as in data/: `yes`/`no` stay strings."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def synthetic_systems(systems: list[dict], count: int) -> list[dict]:
    """`count` valid systems: the course's own first (chapters, the question bank and the 2016
    table cite them, so fewer is not a valid course), then numbered copies of them."""
    result = list(systems)
    number = 0
    while len(result) < count:
        model = systems[number % len(systems)]
        number += 1
        # A deep copy: shared objects would be dumped as YAML aliases, which data/ rejects.
        clone = {key: copy.deepcopy(value) for key, value in model.items() if key != "table_2016"}
        clone.update(id=f"{model['id']}-sint-{number}", name=f"{model['name']} (n.º {number})")
        result.append(clone)
    return result


def write_synthetic_data(project: Path, count: int) -> int:
    """Rewrite project/data/hypervisors.yml with `count` systems; returns how many it holds."""
    path = project / "data" / "hypervisors.yml"
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12Loader)
    document["systems"] = synthetic_systems(document["systems"], count)
    header = "".join(line for line in path.read_text("utf-8").splitlines(True)[:1]
                     if line.startswith("#"))
    path.write_text(header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False,
                                            width=100), encoding="utf-8")
    return len(document["systems"])
