"""What is kept between builds in one process (`mkdocs serve`, `make bench`) changes with its input.

The loader keeps the last course of each data folder and the renderer one Jinja environment per
templates folder; an edited data file, schema or template must still be read again.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest
from virtcurso.errors import DataError
from virtcurso.loader import load_course
from virtcurso.pages import CoursePages
from virtcurso.quiz_load import load_quiz
from virtcurso.render import environment, render

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data(tmp_path) -> Path:
    return Path(shutil.copytree(ROOT / "data", tmp_path / "data"))


def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unchanged_data_is_not_loaded_again(data):
    assert load_course(data) is load_course(data)


def test_edited_data_is_loaded_again(data):
    first = load_course(data)
    name = first.systems[0].name
    _edit(data / "hypervisors.yml", f"name: {name}\n", f"name: {name} cambiado\n")
    second = load_course(data)
    assert second is not first
    assert second.systems[0].name == f"{name} cambiado"


def test_edited_data_with_a_problem_fails_after_a_good_load(data):
    load_course(data)
    _edit(data / "hypervisors.yml", "kind: libre", "kind: gratis")
    with pytest.raises(DataError, match="gratis"):
        load_course(data)


def test_edited_schema_is_read_again(data):
    load_course(data)
    schema = data / "schema" / "hypervisors.schema.json"
    _edit(schema, '"libre"', '"libre-del-todo"')
    with pytest.raises(DataError, match="libre"):
        load_course(data)


def test_another_year_validates_again(data, monkeypatch):
    load_course(data)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1104537600")  # 2005: later releases are implausible
    with pytest.raises(DataError, match="valor inverosímil"):
        load_course(data)


def test_unchanged_question_bank_is_not_loaded_again(data):
    course = load_course(data)
    assert load_quiz(data, course) is load_quiz(data, course)


def test_edited_question_bank_is_loaded_again(data):
    course = load_course(data)
    first = load_quiz(data, course)
    question = first.pages[0].questions[0]
    _edit(data / "preguntas.yml", f"- id: {question.id}\n", f"- id: {question.id}-bis\n")
    second = load_quiz(data, course)
    assert second is not first
    assert second.pages[0].questions[0].id == f"{question.id}-bis"


def test_question_bank_is_checked_again_against_another_course(data):
    course = load_course(data)
    load_quiz(data, course)
    assert "system: kvm\n" in (data / "preguntas.yml").read_text(encoding="utf-8")
    without_kvm = dataclasses.replace(
        course, systems=tuple(system for system in course.systems if system.id != "kvm"))
    with pytest.raises(DataError, match="kvm"):
        load_quiz(data, without_kvm)


def test_one_environment_per_templates_folder(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert environment(tmp_path / "a") is environment(tmp_path / "a" / ".")
    assert environment(tmp_path / "a") is not environment(tmp_path / "b")


def test_edited_template_is_compiled_again(tmp_path):
    template = tmp_path / "page.md"
    template.write_text("antes {{ x }}\n", encoding="utf-8")
    env = environment(tmp_path)
    assert render(env, "page.md", x="1") == "antes 1\n"
    template.write_text("después {{ x }}\n", encoding="utf-8")
    later = template.stat().st_mtime + 5  # an edit within the same mtime tick must count too
    os.utime(template, (later, later))
    assert render(environment(tmp_path), "page.md", x="1") == "después 1\n"


def test_two_courses_render_their_own_data_with_the_shared_environment():
    course = load_course(ROOT / "data")
    dropped = course.systems[-1]
    smaller = dataclasses.replace(course, systems=course.systems[:-1])
    full, small = CoursePages(course), CoursePages(smaller)
    before = full.comparison("comparativa.md")
    assert f"sistema-{dropped.id}" not in small.comparison("comparativa.md")
    assert full.comparison("comparativa.md") == before
    assert f"sistema-{dropped.id}" in before


# ---- what `mkdocs serve` keeps between rebuilds -----------------------------------------------
def test_theme_templates_are_compiled_once_per_process_and_again_when_edited(tmp_path,
                                                                            monkeypatch):
    import jinja2
    from virtcurso.rebuild import MemoryBytecodeCache

    (tmp_path / "base.html").write_text("<p>{{ title }}</p>\n", encoding="utf-8")
    shared = MemoryBytecodeCache()
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)

    def render_in_a_new_environment() -> str:  # what MkDocs does on every build
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path))
        env.bytecode_cache = shared
        return env.get_template("base.html").render(title="Hola")

    assert render_in_a_new_environment() == "<p>Hola</p>"
    assert render_in_a_new_environment() == "<p>Hola</p>"
    assert compiled == ["base.html"]
    (tmp_path / "base.html").write_text("<h1>{{ title }}</h1>\n", encoding="utf-8")
    assert render_in_a_new_environment() == "<h1>Hola</h1>"
    assert compiled == ["base.html", "base.html"]


def test_serve_polls_every_watched_folder_faster(tmp_path):
    from types import SimpleNamespace

    from virtcurso.rebuild import POLL_SECONDS, poll_faster
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers.polling import PollingObserver

    observer = PollingObserver(timeout=0.5)  # as mkdocs.livereload makes it
    observer.schedule(FileSystemEventHandler(), str(tmp_path / "."), recursive=True)
    server = poll_faster(SimpleNamespace(observer=observer))
    (tmp_path / "later").mkdir()
    observer.schedule(FileSystemEventHandler(), str(tmp_path / "later"), recursive=True)
    assert server.observer is observer
    assert sorted(emitter.timeout for emitter in observer.emitters) == [POLL_SECONDS] * 2
