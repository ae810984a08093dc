"""MkDocs hooks for the course: each handler only wires an event to the virtcurso package.

The package's folder is on sys.path only while MkDocs executes this file, so every
import of virtcurso happens here, at the top.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel
from virtcurso import handout, handout_cache, handout_site, preview, published, rebuild
from virtcurso.errors import DataError
from virtcurso.lab_pages import lab_pages
from virtcurso.loader import load_course
from virtcurso.markdown_ext import TableCaptions
from virtcurso.page_cache import CONVERSIONS
from virtcurso.pages import CoursePages, clean_edit_url
from virtcurso.quiz_load import load_quiz
from virtcurso.quiz_pages import build_quiz_site
from virtcurso.search_cache import ENTRIES

log = get_plugin_logger("virtcurso")

# Per-build state, replaced (never extended) in on_config so `mkdocs serve` rebuilds start clean.
_state: dict = {}


def _project_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def _relative(path: str, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def on_startup(command, dirty):
    rebuild.start(command)  # `mkdocs serve` reuses unchanged pages' HTML and search entries


def on_shutdown():
    rebuild.stop()


def on_config(config):
    root = _project_root(config)
    try:
        course = load_course(root / "data")
        quiz = load_quiz(root / "data", course)  # data/preguntas.yml: the question bank
        labs = lab_pages(course, Path(config.docs_dir), _relative(config.docs_dir, root))
    except DataError as error:
        raise PluginError(f"los datos del curso no son válidos:\n{error}") from None
    docs_to_root = Path(os.path.relpath(root, config.docs_dir)).as_posix()
    pages = CoursePages(course, data_prefix=f"{docs_to_root}/")
    config.nav = labs.nav(pages.nav(config.nav))
    config.markdown_extensions.append(TableCaptions())  # <caption> in generated tables
    dropped = _keep_polyfills_offline_only(config)
    _state.clear()
    _state.update(root=root, course=course, pages=pages, quiz=quiz, labs=labs, page_problems=[],
                  dropped_polyfills=dropped)
    return config


def _keep_polyfills_offline_only(config):
    # The vendored iframe-worker shim only matters opened from disk (`make offline`): the
    # offline plugin's on_config has run by now, so drop it from the site served over http.
    offline = config.plugins.get("material/offline")
    if not (offline and offline.config.enabled):
        return config.extra.pop("polyfills", None) or []
    return []


def on_files(files, config):
    existing = frozenset(file.src_uri for file in files)
    for page in _state["pages"].generated(existing):
        _append_page(files, config, page)
    _add_quiz_files(files, config)
    files.append(_handout_placeholder(config))
    for file in published.unused_files(files, config.theme.dirs, _state["dropped_polyfills"]):
        files.remove(file)  # theme fragments (handout.css), the offline-only polyfill
    return files


def _append_page(files, config, page) -> None:
    level = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
    file = File.generated(config, page.src_uri, content=page.content, inclusion=level)
    file.edit_uri = page.edit_uri
    files.append(file)


def _add_quiz_files(files, config) -> None:
    # Every page's Markdown is known here: the bank's sections are checked against it.
    markdown = {file.src_uri: file.content_string for file in files.documentation_pages()}
    try:
        quiz, pages, downloads = build_quiz_site(_state["quiz"], markdown, config.site_name,
                                                 config.site_url or "/",
                                                 _state["pages"].data_prefix)
    except DataError as error:
        raise PluginError(f"el banco de preguntas no es válido:\n{error}") from None
    _state["quiz_pages"] = quiz
    for page in pages:
        _append_page(files, config, page)
    for download in downloads:
        files.append(File.generated(config, download.uri, content=download.content))


def _handout_placeholder(config) -> File:
    # Links to the PDF must resolve under --strict although on_env writes it; without the
    # PDF (`make serve`) the placeholder is excluded so no empty file is published.
    level = InclusionLevel.UNDEFINED if config.extra.get("handout") else InclusionLevel.EXCLUDED
    return File.generated(config, handout.HANDOUT_URI, content=b"", inclusion=level)


def on_nav(nav, config, files):
    _state["nav"] = nav
    return nav


def on_pre_page(page, config, files):
    return CONVERSIONS.attach(page, config, files)


def on_page_markdown(markdown, page, config, files):
    page.edit_url = clean_edit_url(page.edit_url)  # generated pages: no "docs/../" in it
    try:
        source = page.file.content_string  # with its front matter: errors count its lines
        markdown = _state["pages"].expand(markdown, page.file.src_uri, source=source)
        markdown = _state["labs"].expand(markdown, page.file.src_uri)  # «Practica lo aprendido»
        markdown = _state["quiz_pages"].expand(markdown, page.file.src_uri)  # «Autoevaluación»
        enabled = bool(config.extra.get("handout"))
        return handout_site.expand_download_marker(markdown, page.file.src_uri, enabled)
    except DataError as error:
        # Collected, not raised: the build goes on to report every page's mistakes (and its
        # broken links) in one pass; on_post_build then fails with all of them.
        _state["page_problems"].extend(error.problems)
        return markdown


def on_env(env, config, files):
    env.bytecode_cache = rebuild.THEME_BYTECODE  # `mkdocs serve`: compile the theme once
    ENTRIES.attach(config.plugins.get("material/search"))  # and index unchanged pages once
    # Every page's HTML exists now and no page is written yet: render the PDF here so the
    # pages can show its size; MkDocs then writes it through the placeholder File.
    result = _handout(config, files) if config.extra.get("handout") else None
    _state["handout"] = handout_site.download_info(result)
    env.globals["virtcurso_handout"] = _state["handout"]
    return env


def _handout(config, files):
    if _state["page_problems"] or handout_site.strict_build_failing(config.strict):
        log.info("PDF handout: skipped, the strict build already has warnings and will stop")
        return None
    items = _state["pages"].handout_nav(_state["nav"].items,  # + the system pages
                                        lambda uri: files.get_file_from_path(uri).page)
    job = handout_site.job_for_site(items, files, config, _state["course"], _state["root"])
    job = _state["quiz_pages"].handout(job)  # questions after each page, «Soluciones» appendix
    try:
        cached = handout_cache.cached_render(job, handout_site.cache_folder(_state["root"]))
    except handout.HandoutError as error:
        raise PluginError(f"the PDF handout cannot be built: {error}") from None
    log.info("PDF handout: %s", handout_site.cache_report(cached))
    for message in cached.handout.warnings:
        log.warning("PDF handout: %s", message)
    files.get_file_from_path(handout.HANDOUT_URI).content_bytes = cached.handout.pdf
    _state["handout_job"] = job  # `make bench` re-renders it: handout.render_handout(job)
    return cached.handout


def on_post_build(config):
    if _state["page_problems"]:
        raise PluginError(str(DataError(_state["page_problems"])))


def on_serve(server, config, builder):
    # A failed rebuild shows its problems in the browser instead of a page that never loads.
    preview.PreviewGuard(server, _project_root(config), log)
    return rebuild.poll_faster(server)  # a saved file is noticed in 0.1 s, not 0.5 s


def on_post_page(output, page, config):
    return handout_site.fill_download_size(output, _state["handout"])
