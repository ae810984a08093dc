"""The Jinja environment that turns the model into page markup.

Templates live in `overrides/fragments/virtcurso/`. Their output is Markdown or HTML that
Python-Markdown reads next, so data must be inert for both: every string printed with
`{{ }}` is HTML-escaped and its Markdown-significant punctuation becomes a numeric character
reference (`*` -> `&#42;`). Python-Markdown passes character references through untouched and
browsers show the character, so a `<script>`, `|` or `*` in the YAML comes out literally.
Values that are already safe (relative links, external URLs) go through the `uri` and `href`
filters, which return Markup and are left alone.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

TEMPLATES = Path(__file__).resolve().parents[2] / "overrides" / "fragments" / "virtcurso"

# HTML specials, Markdown/extension syntax characters and line breaks (which would end a
# table row or a raw HTML block).
_INERT = {ord(c): f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#+-.!|~^=:\n\r\t"}

SUPPORT_SYMBOLS = {"yes": "✓", "no": "✗", "partial": "◐", "unknown": "?"}
SUPPORT_WORDS = {"yes": "sí", "no": "no", "partial": "parcial", "unknown": "desconocido"}
LICENSE_WORDS = {"libre": "Libre", "privativa": "Privativa", "mixta": "Mixta"}
HYPERVISOR_WORDS = {
    "1": "Tipo 1",
    "2": "Tipo 2",
    "none": "No es un hipervisor",
    "disputed": "Discutido",
}


def inert(value) -> Markup:
    """Text that neither HTML nor Markdown will read as markup."""
    if isinstance(value, Markup):
        return value
    return Markup(str(value).translate(_INERT))


def _finalize(value):
    # Runs on every {{ }} before autoescape: plain strings become inert text.
    return inert(value) if isinstance(value, str) else value


def uri(path: str) -> Markup:
    """A link target built by our code (a relative .md path with an optional #anchor)."""
    return Markup(quote(path, safe="/#.-_~"))


def href(url: str) -> Markup:
    """An external URL from the data, for an HTML attribute (validated as http(s) upstream)."""
    return escape(url)


_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre")
SOURCE_KIND_WORDS = {"official": "fuente oficial", "secondary": "fuente secundaria"}


def spanish_date(value: str) -> str:
    """"2026-12" -> "diciembre de 2026"; "2026-12-01" -> "1 de diciembre de 2026"."""
    year, month, *day = value.split("-")
    text = f"{_MONTHS[int(month) - 1]} de {year}"
    return f"{int(day[0])} de {text}" if day else text


def brief(name: str) -> str:
    """A name without its parenthesised gloss, for narrow headers: "Contenedores (...)"."""
    return name.split(" (", 1)[0]


def yaml_string(text: str) -> Markup:
    """A YAML front-matter scalar whose value is HTML-escaped (the theme prints it raw)."""
    return Markup(json.dumps(str(escape(text)), ensure_ascii=False))


def relative(target: str, here: str) -> Markup:
    """The Markdown link from page `here` to page `target` (both docs-relative src URIs)."""
    path, _, anchor = target.partition("#")
    link = posixpath.relpath(path, posixpath.dirname(here) or ".")
    return uri(f"{link}#{anchor}" if anchor else link)


# One environment per templates folder, kept across builds: `mkdocs serve` rebuilds and
# repeated builds in one process reuse the compiled templates. Bounded by the folders used.
_ENVIRONMENTS: dict[tuple[str, Path], Environment] = {}


def environment(templates: Path = TEMPLATES) -> Environment:
    """The shared environment of a templates folder; hold no per-build state in its globals."""
    return _cached(("pages", Path(templates).resolve()), _new_environment)


def plain_environment(templates: Path) -> Environment:
    """A shared environment with Jinja's default whitespace and no course filters (handout)."""
    return _cached(("plain", Path(templates).resolve()), _new_plain_environment)


def export_environment(templates: Path = TEMPLATES) -> Environment:
    """A shared environment for downloads (Moodle XML, GIFT): HTML/XML autoescaping, trimmed
    block tags (a stray blank line would end a GIFT question), no Markdown escaping."""
    return _cached(("export", Path(templates).resolve()), _new_export_environment)


def _new_export_environment(templates: Path) -> Environment:
    return Environment(loader=FileSystemLoader(str(templates)), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True, auto_reload=True)


def _cached(key: tuple[str, Path], factory) -> Environment:
    env = _ENVIRONMENTS.get(key)
    if env is None:
        env = _ENVIRONMENTS[key] = factory(key[1])
    return env


def _new_plain_environment(templates: Path) -> Environment:
    return Environment(loader=FileSystemLoader(str(templates)), autoescape=True,
                       undefined=StrictUndefined, keep_trailing_newline=True, auto_reload=True)


def _new_environment(templates: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,  # a template edited under `mkdocs serve` is recompiled (one stat)
    )
    env.filters.update(uri=uri, href=href, yaml_string=yaml_string, inert=inert, brief=brief,
                       spanish_date=spanish_date)
    env.globals.update(
        relative=relative,
        SUPPORT_SYMBOLS=SUPPORT_SYMBOLS,
        SUPPORT_WORDS=SUPPORT_WORDS,
        LICENSE_WORDS=LICENSE_WORDS,
        HYPERVISOR_WORDS=HYPERVISOR_WORDS,
        SOURCE_KIND_WORDS=SOURCE_KIND_WORDS,
    )
    return env


def render(env: Environment, name: str, **context) -> str:
    return env.get_template(name).render(**context)
