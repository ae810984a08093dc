"""Handout measurements for `make bench`: builds with and without the PDF, the cache, the render.

- Builds are timed as a person runs them: `mkdocs build --strict` in a fresh process (what
  `make` runs), with the handout cache in a temporary folder, so "cold" really renders.
- The render is timed from the job the hook kept (`render_handout(job)`), in wall time: it runs
  in as many processes as the machine has cores (handout_parts), so CPU time of this process
  says nothing. It counts WeasyPrint's page layouts (calls of its `make_page`, in every
  process) to show re-layouts, and reports the CPU time of all the processes as well.
- The baseline: commit BASELINE (before issue #14) builds its own handout in a subprocess, times
  its own render (wall time; it used one process), and hands its pages over; this code renders
  the same pages.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
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
    """Counts WeasyPrint's page layouts while active, in this process and in the processes it
    forks: yields a shared counter (its `.value`)."""
    import multiprocessing

    import weasyprint.layout.page as page_module

    original, count = page_module.make_page, multiprocessing.Value("i", 0)

    def counting(*args, **kwargs):
        with count.get_lock():
            count.value += 1
        return original(*args, **kwargs)

    page_module.make_page = counting
    try:
        yield count
    finally:
        page_module.make_page = original


def timed_render(job):
    """(result, wall seconds, CPU seconds of this process and of the processes it waited for)."""
    from virtcurso.handout import render_handout

    def cpu() -> float:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    start_wall, start_cpu = time.perf_counter(), cpu()
    result = render_handout(job)
    return result, time.perf_counter() - start_wall, cpu() - start_cpu


def render_rows(job, runs: int) -> list[tuple[str, str, str]]:
    """The render of today's handout: seconds, pages per second, page layouts per page."""
    seconds, cpus, layouts, result = [], [], [], None
    for _ in range(runs):
        with counted_layouts() as count:
            result, wall, cpu = timed_render(job)
        seconds.append(wall)
        cpus.append(cpu)
        layouts.append(count.value)
    median, pages = statistics.median(seconds), result.page_count
    return [
        ("2", f"Handout render, nothing cached ({pages} A4 pages), wall time",
         f"{median:.2f} s (CPU {statistics.median(cpus):.2f} s, {os.cpu_count()} cores)"),
        ("2", "  pages per second; page layouts per page",
         f"{pages / median:.1f}; {statistics.median(layouts) / pages:.2f}"),
    ]


# The last commit before issue #14's work: "today's time" of the issue, for the same pages.
BASELINE = "e589a7d"
_BASELINE_JOB = """
import dataclasses, json, os, sys, tempfile, time
sys.path.insert(0, "hooks")
from mkdocs.commands.build import build
from mkdocs.config import load_config
site = sys.argv[2]
os.environ.update(VIRTCURSO_PDF="true", VIRTCURSO_CACHE_DIR=tempfile.mkdtemp())
config = load_config("mkdocs.yml", site_dir=site, strict=True)
build(config)
job = config.hooks["hooks/course.py"]._state["handout_job"]
from virtcurso.handout import render_handout
seconds = []
for _ in range(int(sys.argv[3])):
    start = time.perf_counter()
    pages = render_handout(job).page_count
    seconds.append(time.perf_counter() - start)
json.dump({"pages": [dataclasses.asdict(page) for page in job.pages],
           "meta": dataclasses.asdict(job.meta), "edition": dataclasses.asdict(job.edition),
           "site": site, "seconds": seconds, "page_count": pages}, open(sys.argv[1], "w"))
"""


def baseline_rows(root: Path, work: Path, runs: int) -> list[tuple[str, str, str]]:
    """The baseline commit's handout rendered by its own code and by today's, in wall seconds
    (medians of `runs`): the issue's "half of today's time for the same pages"."""
    from virtcurso.handout import Edition, HandoutJob, HandoutMeta, HandoutPage

    label = f"Render of {BASELINE}'s handout (the same pages), wall time: its code vs today's"
    old = work / "baseline"
    old.mkdir()
    archive = subprocess.run(["git", "-C", str(root), "archive", BASELINE],
                             capture_output=True)
    if archive.returncode != 0:
        return [("2", label, f"not measured: commit {BASELINE} is not in this clone")]
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
    dump = work / "baseline.json"
    done = subprocess.run([sys.executable, "-c", _BASELINE_JOB, str(dump),
                           str(work / "baseline-site"), str(runs)], cwd=old,
                          capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if done.returncode != 0:
        return [("2", label, f"not measured: the baseline did not build ({done.stderr[-300:]})")]
    data = json.loads(dump.read_text(encoding="utf-8"))
    site = Path(data["site"])

    def read_asset(path: str) -> bytes | None:
        file = site / path
        return file.read_bytes() if file.is_file() else None

    job = HandoutJob([HandoutPage(**page) for page in data["pages"]],
                     HandoutMeta(**{**data["meta"], "keywords": tuple(data["meta"]["keywords"])}),
                     Edition(**data["edition"]), read_asset)
    today, pages = [], 0
    for _ in range(runs):
        result, wall, _ = timed_render(job)
        pages = result.page_count
        today.append(wall)
    before, now = statistics.median(data["seconds"]), statistics.median(today)
    verdict = "meets" if now / before <= 0.5 else "misses"
    return [("2", label,
             f"{before:.2f} s ({data['page_count']} pages) vs {now:.2f} s ({pages} pages): "
             f"ratio {now / before:.2f} ({verdict} the target <= 0.5)")]


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
