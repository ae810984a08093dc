"""Spell check of the hand-written Spanish: the Markdown in docs/ and the prose in data/, with
hunspell's es_ES dictionary (the checker is virtcurso.spelling, shared with `make revisar`)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from virtcurso import spelling

ROOT = Path(__file__).resolve().parent.parent


def require_hunspell() -> str:
    """hunspell's path; skip (or fail under CI=true) when it or the dictionary is missing."""
    binary, problem = spelling.find_hunspell()
    if binary is None:
        in_ci = os.environ.get("CI", "").lower() == "true"
        (pytest.fail if in_ci else pytest.skip)(f"spell check not run: {problem}")
    return binary


def _report(problems) -> str:
    return ("Unknown words (fix the spelling, or add technical terms and proper names to "
            "tests/spelling/palabras.txt):\n" + "\n".join(map(str, problems)))


def test_docs_have_no_unknown_words():
    binary = require_hunspell()
    problems = spelling.misspellings(ROOT, binary, sorted((ROOT / "docs").rglob("*.md")))
    assert not problems, _report(problems)


def test_data_text_has_no_unknown_words():
    binary = require_hunspell()
    problems = spelling.misspellings(ROOT, binary, sorted((ROOT / "data").glob("*.yml")))
    assert not problems, _report(problems)


def test_a_misspelling_is_found_at_its_line_and_column(tmp_path):
    binary = require_hunspell()
    for name in (spelling.WORD_LIST, spelling.ABBREVIATIONS):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text((ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")
    chapter, data = tmp_path / "docs" / "x.md", tmp_path / "data" / "x.yml"
    data.parent.mkdir()
    chapter.write_text("# Título\n\nLa virtualisación es útil.\n", encoding="utf-8")
    data.write_text("id: x\nname: Zzyzx\nnote: >-\n  Una nota\n  con un herror.\n",
                    encoding="utf-8")
    found = [(p.path, p.line, p.column, p.message.split("»")[0])
             for p in spelling.misspellings(tmp_path, binary, [chapter, data])]
    assert found == [("docs/x.md", 3, 4, "palabra desconocida «virtualisación"),
                     ("data/x.yml", 5, 10, "palabra desconocida «herror")]


def test_word_list_is_sorted_and_unique():
    words = spelling.read_word_list(ROOT)
    assert all(w == w.strip() and " " not in w for w in words), "one word per line, no spaces"
    assert len(words) == len(set(words)), "duplicated entries in tests/spelling/palabras.txt"
    assert words == sorted(words, key=lambda w: (w.casefold(), w)), (
        "tests/spelling/palabras.txt must be sorted (case-insensitive)")


def test_word_list_has_only_words_the_dictionary_lacks():
    binary = require_hunspell()
    words = spelling.read_word_list(ROOT)
    redundant = sorted(set(words) - spelling.unknown_words(binary, words))
    assert not redundant, f"the dictionary already knows these words: {redundant}"


@pytest.mark.parametrize("source, expected", [
    ("---\ndescription: Zxq\n---\nHola", ["", "", "", "Hola"]),
    ("uno `código` dos", ["uno dos"]),
    ("[texto](https://ejemplo.org/ruta)", ["texto"]),
    ("*Wine Is Not*{lang=en} sí", ["sí"]),
    ('<span lang="en">host</span> anfitrión', ["anfitrión"]),
    ("[*The Title*](https://x.org/a){lang=en} y más", ["más"]),  # no single letters
    ("```\nzzz\n```\nfin", ["", "", "", "fin"]),
    ('!!! abstract "Objetivos"', ["Objetivos"]),
    ("*[VM]: Máquina virtual (virtual machine)", ["Máquina virtual"]),
    ("<!-- virtcurso:comparison -->", [""]),
])
def test_prose_lines_strip_markup(source, expected):
    got = [" ".join(spelling.words_of(line, set())) for line in spelling.prose_lines(source)]
    assert got == expected


@pytest.mark.parametrize("source, expected", [
    ("id: qemu\nname: QEMU\nwebsite: https://www.qemu.org/", ["", "", ""]),
    ('note: "Una nota"', ["Una nota"]),
    ("description: >-\n  Dos\n  líneas\nhosts: [Linux]", ["", "Dos", "líneas", ""]),
    ("drawbacks:\n  - \"Lenta\"\n  - Cara\nstack:\n  - {label: x}", ["", "Lenta", "Cara", "", ""]),
    ("    note: \"Véase https://x.org/a b\"", ["Véase b"]),
    ("      sources: [qemu-intro]\n      note: Sí", ["", "Sí"]),
    ('note: "La PUEL («Personal Use License») y lxcore.sys"', ["La PUEL ( ) y"]),
])
def test_data_prose_lines_keep_only_prose_values(source, expected):
    got = [re.sub(r"\s+", " ", line).strip() for line in spelling.data_prose_lines(source)]
    assert got == expected
