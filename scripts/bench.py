"""`make bench`: how fast the course builds and how heavy its pages are, as a Markdown table.

Usage: python scripts/bench.py [--runs N] [--sizes 11,100,1000]

Every figure is the median of N runs (default 3) in this one invocation. Nothing is asserted:
the table is for people to read and compare between commits. Builds run on copies of the
project in a temporary folder; progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import bench_browser
import bench_builds
import bench_handout

CHAPTER = "introduccion.md"  # the chapter edited under `mkdocs serve`
WEIGHED_PAGES = {"home page": "", "chapter (introduccion)": "introduccion/",
                 "comparison page": "comparativa/"}
COMPARISON_HTML = "comparativa/index.html"
RATIO_TARGET = 1.10


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def median_build(project: Path, site_dir: Path, runs: int, pdf: bool = False):
    """(median seconds, config of the last build)."""
    timings, config = [], None
    for _ in range(runs):
        seconds, config = bench_builds.timed_build(project, site_dir, pdf=pdf)
        timings.append(seconds)
    return statistics.median(timings), config


def hooks_vs_plain(project: Path, work: Path, runs: int) -> list[tuple[str, str, str]]:
    progress("(1) site build with hooks vs the same pages as plain Markdown")
    plain = bench_builds.plain_project(project, work / "plain")
    hooks_times, plain_times = [], []
    for _ in range(runs):  # interleaved, so a busy moment of the machine hits both alike
        hooks_times.append(bench_builds.timed_build(project, work / "site-hooks")[0])
        plain_times.append(bench_builds.timed_build(plain, work / "site-plain")[0])
    with_hooks, without = statistics.median(hooks_times), statistics.median(plain_times)
    ratio = with_hooks / without
    verdict = "meets" if ratio <= RATIO_TARGET else "misses"
    return [
        ("1", "Site build with hooks (PDF off)", f"{with_hooks:.2f} s"),
        ("1", "Same pages as plain Markdown, no hooks", f"{without:.2f} s"),
        ("1", "Ratio hooks / plain", f"{ratio:.2f} ({verdict} the target <= {RATIO_TARGET})"),
    ]


def handout(project: Path, work: Path, runs: int) -> list[tuple[str, str, str]]:
    progress("(2) the PDF handout: builds, the cache, the render")
    rows = bench_handout.build_rows(project, work, runs)
    _, config = bench_builds.timed_build(project, work / "site-pdf", pdf=True,
                                         VIRTCURSO_CACHE_DIR=str(work / "cache-render"))
    job = getattr(config.hooks.get(bench_builds.HOOKS), "_state", {}).get("handout_job")
    if job is None:
        return rows + [("2", "Handout render", "not measured: the hook kept no handout job")]
    return (rows + bench_handout.render_rows(job, runs)
            + bench_handout.baseline_rows(bench_builds.ROOT, work, runs))


def scaling(project: Path, work: Path, runs: int, sizes: list[int]) -> list[tuple[str, str, str]]:
    rows, previous = [], None
    for size in sizes:
        progress(f"(3) synthetic data: {size} systems")
        copy = bench_builds.snapshot(work / f"scale-{size}", project)
        count = bench_builds.write_synthetic_data(copy, size)
        seconds, _ = median_build(copy, work / f"site-{size}", runs)
        weight = (work / f"site-{size}" / COMPARISON_HTML).stat().st_size
        growth = ""
        if previous:
            growth = (f"; x{seconds / previous[1]:.1f} time, x{weight / previous[2]:.1f} size "
                      f"for x{count / previous[0]:.1f} systems")
        label = f"{count} systems" + (f" (asked {size}: the course's own are kept)"
                                      if count != size else "")
        rows.append(("3", f"Build with {label}",
                     f"{seconds:.2f} s; comparison page {weight / 1024:.0f} KiB{growth}"))
        previous = (count, seconds, weight)
    return rows


def serve_rebuild(project: Path, work: Path, runs: int) -> list[tuple[str, str, str]]:
    progress("(4) `mkdocs serve`: rebuild after a chapter is edited")
    copy = bench_builds.snapshot(work / "serve", project)
    seconds = statistics.median(bench_browser.serve_rebuilds(copy, CHAPTER, runs))
    return [("4", f"`mkdocs serve` rebuild after editing {CHAPTER} (PDF off)", f"{seconds:.2f} s")]


def page_weight(work: Path, runs: int) -> list[tuple[str, str, str]]:
    progress("(5) bytes downloaded on first load")
    site = work / "site-hooks"  # built by (1), without the PDF (not downloaded on load)
    samples = [bench_browser.page_weights(site, WEIGHED_PAGES) for _ in range(runs)]
    if not samples[0]:
        return [("5", "First-load weight", "not measured: /usr/bin/chromium is missing")]
    rows = []
    for label in WEIGHED_PAGES:
        requests = samples[-1][label][0]
        raw = statistics.median(sample[label][1] for sample in samples)
        zipped = statistics.median(sample[label][2] for sample in samples)
        result = f"{raw / 1024:.0f} KiB ({zipped / 1024:.0f} KiB gzipped), {requests} requests"
        rows.append(("5", f"First load of the {label}", result))
    return rows


def table(rows: list[tuple[str, str, str]], runs: int) -> str:
    lines = [f"| # | Measure (median of {runs} runs) | Result |", "|---|---|---|"]
    lines += [f"| {number} | {measure} | {result} |" for number, measure, result in rows]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (default 3)")
    parser.add_argument("--sizes", default="11,100,1000", help="synthetic system counts")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="virtcurso-bench-") as tmp:
        work = Path(tmp)
        project = bench_builds.snapshot(work / "project")
        rows += hooks_vs_plain(project, work, args.runs)
        rows += handout(project, work, args.runs)
        rows += scaling(project, work, args.runs, sizes)
        rows += serve_rebuild(project, work, args.runs)
        rows += page_weight(work, args.runs)
    print(table(rows, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
