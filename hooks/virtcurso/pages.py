"""Pages built from the course data: the comparison table, technique and system pages.

`CoursePages` is rebuilt for every build (in `on_config`) from the loaded `Course`; the hook
asks it for the expanded nav, the generated pages and the Markdown of pages with markers.
"""

from __future__ import annotations

import json
import posixpath
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .diagram import stack_diagram
from .hosts import host_kinds, host_options
from .markers import MarkerSlot, find_markers, splice
from .model import Course, Statement, System, Technique
from .render import TEMPLATES, environment, render

COMPARISON_PAGE = "comparativa.md"
TECHNIQUES_INDEX = "tecnicas/index.md"
SYSTEMS_INDEX = "sistemas/index.md"
HYPERVISORS_DATA = "data/hypervisors.yml"
TECHNIQUES_DATA = "data/techniques.yml"
NAV_SECTIONS = ("tecnicas/", "sistemas/")
# Sorting columns in the table: supported first, then partial, unknown, none.
SUPPORT_RANK = {"yes": "1", "partial": "2", "unknown": "3", "no": "4"}
USED = ("yes", "partial")  # the statements that count as using a technique (Course.systems_using)


@dataclass(frozen=True)
class HandoutSection:
    """A nav section as the handout reads it (the attributes of MkDocs' Section it uses)."""

    title: str | None
    children: tuple
    is_section: bool = True
    is_page: bool = False


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    content: str
    edit_uri: str | None = None  # relative to the config's edit_uri (the docs/ folder)
    in_nav: bool = True  # system pages are not: every page would carry a nav of N links


def technique_uri(technique: Technique) -> str:
    return f"tecnicas/{technique.slug}.md"


def system_uri(system: System) -> str:
    return f"sistemas/{system.id}.md"


def plain_name(system: System) -> str:
    """The name without accents or case: how a reader expects names to be ordered."""
    plain = unicodedata.normalize("NFKD", system.name)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def sort_key(system: System) -> tuple[str, str]:
    return plain_name(system), system.id


def by_name(systems) -> tuple[System, ...]:
    return tuple(sorted(systems, key=sort_key))


def clean_edit_url(url: str | None) -> str | None:
    """`.../edit/main/docs/../data/x.yml#L4-L9` -> `.../blob/main/data/x.yml#L4-L9`.

    GitHub's editor ignores a line fragment, so an entry in a data file is opened in the file
    view, which scrolls to the entry and highlights it; its pencil edits the file from there.
    """
    if not url:
        return url
    parts = urlsplit(url)
    path = posixpath.normpath(parts.path) + ("/" if parts.path.endswith("/") else "")
    if parts.fragment.startswith("L") and "/data/" in path:
        path = path.replace("/edit/", "/blob/", 1)
    return urlunsplit(parts._replace(path=path))


class CoursePages:
    """Renders the course's pages; one instance per build."""

    def __init__(self, course: Course, templates: Path = TEMPLATES, data_prefix: str = "../"):
        self.course = course
        self.data_prefix = data_prefix  # from the docs folder to the project root
        self.env = environment(templates)  # shared across builds: this course goes in the context
        self.context = dict(
            system_uri=system_uri, technique_uri=technique_uri, plain_name=plain_name,
            technique_of=self._technique_of, support_rank=SUPPORT_RANK,
            comparison_uri=COMPARISON_PAGE, systems_index_uri=SYSTEMS_INDEX,
            techniques=course.techniques,
        )

    def _technique_of(self, statement: Statement) -> Technique:
        return self.course.technique(statement.technique)

    def _render(self, name: str, here: str, **context) -> str:
        return render(self.env, name, **self.context, here=here, **context)

    # --- navigation ---------------------------------------------------------------------

    def nav(self, nav):
        """Replace the `tecnicas/` and `sistemas/` placeholders with their pages, in order.

        Only the systems index stands for the systems: Material renders the whole nav into
        every page, so listing N system pages would make the build grow with N squared.
        """
        sections = {
            "tecnicas/": [TECHNIQUES_INDEX, *(technique_uri(t) for t in self.course.techniques)],
            "sistemas/": SYSTEMS_INDEX,
        }
        return _expand(nav, sections)

    def handout_nav(self, items, page_at) -> list:
        """The nav's items with the system pages back after the systems index, for the handout.

        `page_at(src_uri)` gives the built page of a system; the systems index becomes a
        section that opens with it, as when the system pages were in the nav.
        """
        out = []
        for item in items:
            if getattr(item, "is_page", False) and item.file.src_uri == SYSTEMS_INDEX:
                systems = [page_at(system_uri(s)) for s in by_name(self.course.systems)]
                item = HandoutSection(item.title, (item, *systems))
            out.append(item)
        return out

    # --- generated files ----------------------------------------------------------------

    def generated(self, existing: frozenset[str] = frozenset()) -> list[GeneratedPage]:
        """Every generated page; a technique with a prose file in `existing` keeps that file."""
        pages = [self._techniques_index(), self._systems_index()]
        pages += [self._technique_page(t) for t in self.course.techniques
                  if technique_uri(t) not in existing]
        pages += [self._system_page(s) for s in self.course.systems]
        return pages

    def _data_edit_uri(self, data_file: str, line: int = 0, starts: tuple[int, ...] = ()) -> str:
        """The data file, at the entry starting on `line` (up to the next of `starts`)."""
        if not line:
            return f"{self.data_prefix}{data_file}"
        end = min((start - 1 for start in starts if start > line), default=0)
        return f"{self.data_prefix}{data_file}#L{line}" + (f"-L{end}" if end else "")

    def _techniques_index(self) -> GeneratedPage:
        rows = [{"technique": t, "count": len(self.course.systems_using(t.id))}
                for t in self.course.techniques]
        content = self._render("techniques_index.md", TECHNIQUES_INDEX, rows=rows)
        return GeneratedPage(TECHNIQUES_INDEX, content, self._data_edit_uri(TECHNIQUES_DATA))

    def _systems_index(self) -> GeneratedPage:
        content = self._render("systems_index.md", SYSTEMS_INDEX,
                               systems=by_name(self.course.systems))
        return GeneratedPage(SYSTEMS_INDEX, content, self._data_edit_uri(HYPERVISORS_DATA))

    def _technique_page(self, technique: Technique) -> GeneratedPage:
        uri = technique_uri(technique)
        content = self._render("technique_page.md", uri, technique=technique)
        starts = tuple(t.line for t in self.course.techniques)
        return GeneratedPage(uri, content,
                             self._data_edit_uri(TECHNIQUES_DATA, technique.line, starts))

    def _system_page(self, system: System) -> GeneratedPage:
        uri = system_uri(system)
        content = self._render("system_page.md", uri, system=system)
        starts = tuple(s.line for s in self.course.systems)
        return GeneratedPage(uri, content,
                             self._data_edit_uri(HYPERVISORS_DATA, system.line, starts),
                             in_nav=False)

    # --- markers in hand-written pages --------------------------------------------------

    def expand(self, markdown: str, src_uri: str, docs_dir: str = "docs") -> str:
        """Replace the virtcurso markers of a page; raises DataError on a misplaced one."""
        technique = self._technique_at(src_uri)
        slots = find_markers(markdown, f"{docs_dir}/{src_uri}", technique is not None)
        blocks = {
            "comparison": lambda: self.comparison(src_uri),
            "then-and-now": lambda: self.then_and_now(src_uri),
            "technique": lambda: self.technique_block(technique, src_uri),
        }
        # Pages that must carry a block get it at the end when their author left no marker.
        required = ["comparison", "then-and-now"] if src_uri == COMPARISON_PAGE else []
        required += ["technique"] if technique is not None else []
        present = {slot.name for slot in slots}
        slots += [MarkerSlot(name, None) for name in required if name not in present]
        return splice(markdown, [(s, blocks[s.name]()) for s in slots if s.name in blocks])

    def _technique_at(self, src_uri: str) -> Technique | None:
        for technique in self.course.techniques:
            if technique_uri(technique) == src_uri:
                return technique
        return None

    def comparison(self, here: str) -> str:
        # The host filter's choices travel as JSON text in an attribute (printed inert).
        options = json.dumps(host_options(self.course.systems), ensure_ascii=False)
        return self._render("comparison.html", here, systems=by_name(self.course.systems),
                            host_kinds=host_kinds, host_options=options)

    def then_and_now(self, here: str) -> str:
        rows = by_name(s for s in self.course.systems if s.table_2016 is not None)
        return self._render("then_and_now.html", here, rows=rows)

    def technique_block(self, technique: Technique, here: str) -> str:
        return self._render(
            "technique.html", here, technique=technique, diagram=stack_diagram(technique),
            systems=by_name(self.course.systems_using(technique.id)),
            noted=by_name(s for s in self.course.systems
                          if s.statement(technique.id).support not in USED
                          and s.statement(technique.id).note),
        )


def _expand(nav, sections: dict[str, list[str] | str]):
    """A copy of `nav` with each placeholder string replaced by its list of pages."""
    if isinstance(nav, list):
        return [_expand(item, sections) for item in nav]
    if isinstance(nav, dict):
        return {title: _expand(target, sections) for title, target in nav.items()}
    if nav in sections:
        pages = sections[nav]
        return list(pages) if isinstance(pages, list) else pages
    return nav


# Function forms of the above, for callers that hold only a Course.
def expand_nav(nav, course: Course):
    return CoursePages(course).nav(nav)


def generated_pages(course: Course, existing: frozenset[str] = frozenset()):
    return CoursePages(course).generated(existing)


def expand_markers(markdown: str, src_uri: str, course: Course) -> str:
    return CoursePages(course).expand(markdown, src_uri)
