"""Handout measurements for `make bench`: builds with and without the PDF, the cache, the render.

- Builds are timed as a person runs them: `mkdocs build --strict` in a fresh process (what
  `make` runs), with the handout cache in a temporary folder, so "cold" really renders.
- The render is timed in this process from the job the hook kept (`render_handout(job)`),
  counting WeasyPrint's page layouts (calls of its `make_page`) to show re-layouts.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def command_build(project: Path, site_dir: Path, pdf: bool, cache: Path) -> float:
    """Seconds of `mkdocs build --strict --quiet` in a new process (as `make` runs it)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "VIRTCURSO_PDF": "true" if pdf else "false",
           "VIRTCURSO_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
               "--site-dir", str(site_dir)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"build failed:\n{done.stderr[-3000:]}")
    return seconds


@contextlib.contextmanager
def counted_layouts():
    """Counts WeasyPrint's page layouts while active: yields a one-item list."""
    import weasyprint.layout.page as page_module

    original, count = page_module.make_page, [0]

    def counting(*args, **kwargs):
        count[0] += 1
        return original(*args, **kwargs)

    page_module.make_page = counting
    try:
        yield count
    finally:
        page_module.make_page = original


def render_rows(job, runs: int) -> list[tuple[str, str, str]]:
    """Cold render (no page numbers known) and the render after an edit (numbers known)."""
    from virtcurso.handout import render_handout

    rows = []
    hints = None
    for label, use_hints in (("cold: no page numbers known", False),
                             ("after an edit: page numbers of the last render", True)):
        seconds, layouts, result = [], [], None
        for _ in range(runs):
            with counted_layouts() as count:
                result = render_handout(job, hints if use_hints else None)
            seconds.append(result.seconds)
            layouts.append(count[0])
            hints = result.page_numbers
        median = statistics.median(seconds)
        pages = result.page_count
        rows += [
            ("2", f"Handout render, {label} ({pages} A4 pages)", f"{median:.2f} s"),
            ("2", f"  pages per second; page layouts per page ({label.split(':')[0]})",
             f"{pages / median:.1f}; {statistics.median(layouts) / pages:.2f}"),
        ]
    return rows


def build_rows(project: Path, work: Path, runs: int) -> list[tuple[str, str, str]]:
    """Builds with the PDF (cold cache) and without it, then warm builds with nothing changed."""
    cold, plain, warm = [], [], []
    for run in range(runs):  # interleaved, so a busy moment of the machine hits all alike
        cache = work / f"cache-{run}"
        cold.append(command_build(project, work / "b-pdf", True, cache))
        plain.append(command_build(project, work / "b-nopdf", False, cache))
        warm.append(command_build(project, work / "b-warm", True, cache))
    cold_s, plain_s, warm_s = (statistics.median(x) for x in (cold, plain, warm))
    return [
        ("2", "`mkdocs build` with the PDF, empty handout cache", f"{cold_s:.2f} s"),
        ("2", "`mkdocs build` without the PDF", f"{plain_s:.2f} s"),
        ("2", "Ratio with / without the PDF", f"{cold_s / plain_s:.1f}"),
        ("2", "`mkdocs build` with the PDF, nothing changed (cache hit)", f"{warm_s:.2f} s"),
        ("2", "Ratio nothing changed / without the PDF",
         f"{warm_s / plain_s:.2f} ({'meets' if warm_s / plain_s <= 1.3 else 'misses'} "
         "the target <= 1.3)"),
    ]
