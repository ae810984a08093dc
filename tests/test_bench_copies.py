"""The project copies `make bench` measures are valid courses: the synthetic data loads, and the
plain-Markdown copy builds strictly into the same pages as the project (a bench that fails
half-way measures nothing)."""

from __future__ import annotations

import sys

from conftest import ROOT, copy_project, run_build
from virtcurso.loader import load_course
from virtcurso.quiz_load import load_quiz

sys.path.insert(0, str(ROOT / "scripts"))
import bench_builds  # noqa: E402  (scripts/ is not a package)


def test_synthetic_data_is_a_valid_course_of_the_size_asked(tmp_path):
    project = copy_project(tmp_path / "project")
    count = bench_builds.write_synthetic_data(project, 60)
    course = load_course(project / "data")
    assert count == len(course.systems) == 60
    assert len({system.id for system in course.systems}) == 60
    load_quiz(project / "data", course)  # the bank still finds every system it cites


def test_the_plain_markdown_copy_builds_the_same_pages(tmp_path):
    project = copy_project(tmp_path / "project")
    plain = bench_builds.plain_project(project, tmp_path / "plain")
    assert "hooks:" not in (plain / "mkdocs.yml").read_text(encoding="utf-8")
    # TableCaptions stays, by import path (the bench builds in a process that has hooks/).
    done = run_build(plain, tmp_path / "plain-site", VIRTCURSO_PDF="false",
                     PYTHONPATH=str(plain / "hooks"))
    assert done.returncode == 0, done.stderr[-3000:]
    hooked_site = tmp_path / "plain-hooked-site"  # the build the copy was taken from
    hooked = {p.relative_to(hooked_site).as_posix() for p in hooked_site.rglob("*.html")}
    built = {p.relative_to(tmp_path / "plain-site").as_posix()
             for p in (tmp_path / "plain-site").rglob("*.html")}
    assert built == hooked and len(built) > 50
