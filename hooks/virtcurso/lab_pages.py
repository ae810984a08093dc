"""Where the labs' front matter shows: the labs' nav, their table, each lab's card and the
line on every chapter a lab practises (added to the chapter's Markdown, so chapter files
need not list their labs).
"""

from __future__ import annotations

from pathlib import Path

from .labs import LABS_DIR, LABS_INDEX, Lab, load_labs
from .markers import MarkerSlot, find_markers, splice
from .model import Course
from .pages import technique_uri
from .render import TEMPLATES, environment, render

MARKER = "labs"
NAV_PLACEHOLDER = f"{LABS_DIR}/"
LEVEL_WORDS = {"inicial": "Inicial", "intermedio": "Intermedio", "avanzado": "Avanzado"}
HOST_WORDS = {"linux": "Linux", "windows": "Windows", "macos": "macOS"}
# A chapter's lab line goes before this section when the chapter has no `labs` marker.
BEFORE_HEADING = "## Para saber más"


def duration(minutes: int) -> str:
    """45 -> "45 min", 90 -> "1 h 30 min", 120 -> "2 h"."""
    hours, rest = divmod(minutes, 60)
    parts = ([f"{hours} h"] if hours else []) + ([f"{rest} min"] if rest else [])
    return " ".join(parts)


def lab_pages(course: Course, docs_dir: Path, shown_docs: str = "docs") -> LabPages:
    """The labs of `docs_dir`, which may practise technique pages generated from the data."""
    generated = {technique_uri(t): t.name for t in course.techniques}
    return LabPages(load_labs(docs_dir, shown_docs, generated))


class LabPages:
    """Renders the labs' blocks into pages; one instance per build."""

    def __init__(self, labs: tuple[Lab, ...], templates: Path = TEMPLATES):
        self.labs = labs
        self.env = environment(templates)
        self.context = dict(duration=duration, LEVEL_WORDS=LEVEL_WORDS, HOST_WORDS=HOST_WORDS)

    def nav(self, nav):
        """A copy of `nav` with `practicas/` replaced by the index and the labs, by number."""
        pages = [LABS_INDEX, *(lab.src_uri for lab in self.labs)]
        if isinstance(nav, list):
            return [self.nav(item) for item in nav]
        if isinstance(nav, dict):
            return {title: self.nav(target) for title, target in nav.items()}
        return pages if nav == NAV_PLACEHOLDER else nav

    def expand(self, markdown: str, src_uri: str, docs_dir: str = "docs") -> str:
        """The page with its labs' block: the table, a lab's card or a chapter's lab line."""
        if src_uri == LABS_INDEX:
            block = self._render("labs_index.html", src_uri, labs=self.labs)
        elif lab := self._lab_at(src_uri):
            return _after_title(markdown, self._render("lab_card.md", src_uri, lab=lab))
        elif practised := [lab for lab in self.labs if src_uri in _uris(lab)]:
            block = self._render("lab_chapter.md", src_uri, labs=practised)
        else:
            return markdown
        slots = [s for s in find_markers(markdown, f"{docs_dir}/{src_uri}", True)
                 if s.name == MARKER]
        if slots or src_uri == LABS_INDEX:
            return splice(markdown, [(slot, block) for slot in slots or [MarkerSlot(MARKER, None)]])
        return _before_heading(markdown, block)

    def _lab_at(self, src_uri: str) -> Lab | None:
        return next((lab for lab in self.labs if lab.src_uri == src_uri), None)

    def _render(self, name: str, here: str, **context) -> str:
        return render(self.env, name, **self.context, here=here, **context)


def _uris(lab: Lab) -> list[str]:
    return [chapter.src_uri for chapter in lab.chapters]


def _after_title(markdown: str, block: str) -> str:
    lines = markdown.splitlines()
    at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
    return "\n".join([*lines[:at], "", block.strip(), "", *lines[at:]]) + "\n"


def _before_heading(markdown: str, block: str) -> str:
    lines = markdown.splitlines()
    at = next((i for i, line in enumerate(lines) if line.strip() == BEFORE_HEADING), len(lines))
    return "\n".join([*lines[:at], "", block.strip(), "", *lines[at:]]) + "\n"
