"""Spell check of the hand-written Markdown in docs/ with hunspell's Spanish (es_ES) dictionary.

Markup that is not Spanish prose (front matter, code, URLs, link targets, HTML, attribute
lists, text marked with another `lang`) is blanked out first, keeping line numbers. A word
is accepted when the dictionary knows it, when it is in the reviewed project word list
(tests/spelling/palabras.txt) or when it is an abbreviation defined in
docs/_includes/abreviaturas.md.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
WORD_LIST = ROOT / "tests" / "spelling" / "palabras.txt"
ABBREVIATIONS = DOCS / "_includes" / "abreviaturas.md"
DICTIONARY = "es_ES"

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_ABBR_KEY = re.compile(r"^\*\[([^\]]+)\]:")
# Whole-text patterns blanked before checking, in this order (order matters: comments and
# foreign-language spans go before generic tags, link targets before bare URLs).
_BLANKED = [
    re.compile(r"\A---\n.*?\n---\n", re.S),  # front matter
    re.compile(r"<!--.*?-->", re.S),  # HTML comments (and virtcurso markers)
    re.compile(r"<(\w+)[^>]*\blang=[\"'](?!es)[^\"']*[\"'][^>]*>.*?</\1>", re.S),  # other lang
    re.compile(r"(\*{1,2}|_{1,2})[^*_]+?\1\{:?\s*lang=[\"']?(?!es)[\w-]+[\"']?\s*\}"),
    re.compile(r"\[[^\]]+\]\([^)\s]*\)\{:?\s*lang=[\"']?(?!es)[\w-]+[\"']?\s*\}"),  # links
    re.compile(r"(`+)(?:(?!\1).)+?\1"),  # inline code
    re.compile(r"(?<=\])\([^)\s]*(?:\s+\"[^\"]*\")?\)"),  # inline link targets
    re.compile(r"^\s*\[[^\]^]+\]:\s*\S+.*$", re.M),  # reference link definitions
    re.compile(r"<https?://[^>]+>|https?://[^\s)>\]]+"),  # autolinks and bare URLs
    re.compile(r"</?[A-Za-z][^>]*>"),  # HTML tags
    re.compile(r"\{[:#.]?[^{}\n]*\}"),  # attribute lists
    re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+[\w-]+)*", re.M),  # admonition types
    re.compile(r"&#?\w+;"),  # HTML entities
    re.compile(r"^\s*-+8<-+.*$", re.M),  # snippet includes
]
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*")


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _blank_code_blocks(text: str) -> str:
    lines, fence = text.split("\n"), None
    for i, line in enumerate(lines):
        found = _FENCE.match(line)
        if fence is None:
            if not found:
                continue
            fence = found.group(1)
        # A fence closes with the same character, at least as long as the opening one.
        elif found and found.group(1)[0] == fence[0] and len(found.group(1)) >= len(fence):
            fence = None
        lines[i] = ""
    return "\n".join(lines)


def _blank_abbreviation_keys(text: str) -> str:
    """Keep the Spanish text of `*[KEY]: texto (original)` lines; drop the key and (original)."""
    out = []
    for line in text.split("\n"):
        if _ABBR_KEY.match(line):
            line = re.sub(r"\([^)]*\)", " ", _ABBR_KEY.sub(" ", line))
        out.append(line)
    return "\n".join(out)


def prose_lines(text: str) -> list[str]:
    """The Spanish prose of a Markdown file, one entry per source line."""
    text = _blank_code_blocks(text)
    text = _blank_abbreviation_keys(text)
    for pattern in _BLANKED:
        text = pattern.sub(_blank, text)
    return text.split("\n")


def words_of(line: str, known_compounds: set[str]) -> list[str]:
    """Words to check: no tokens with digits or underscores; compounds split unless listed."""
    words = []
    for token in _TOKEN.findall(line):
        if any(ch.isdigit() or ch == "_" for ch in token):
            continue
        if token in known_compounds:
            words.append(token)
        else:
            words.extend(part for part in re.split(r"[-'’]", token) if part)
    return words


def read_word_list() -> list[str]:
    lines = WORD_LIST.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def abbreviation_keys() -> set[str]:
    text = ABBREVIATIONS.read_text(encoding="utf-8")
    return {m.group(1) for line in text.splitlines() if (m := _ABBR_KEY.match(line))}


def is_listed(word: str, accepted: set[str]) -> bool:
    # A listed lowercase word may start a sentence or a glossary entry with a capital.
    return word in accepted or (word[:1].isupper() and word[:1].lower() + word[1:] in accepted)


def require_hunspell() -> str:
    """hunspell's path; skip (or fail under CI=true) when it or the dictionary is missing."""
    in_ci = os.environ.get("CI", "").lower() == "true"
    binary = shutil.which("hunspell")
    problem = None
    if binary is None:
        problem = "hunspell is not installed (Debian: apt-get install hunspell hunspell-es)"
    else:
        probe = subprocess.run([binary, "-d", DICTIONARY, "-l"], input="hola\n",
                               capture_output=True, text=True, check=False)
        if probe.returncode != 0:
            problem = f"hunspell has no '{DICTIONARY}' dictionary (Debian: hunspell-es)"
    if problem:
        (pytest.fail if in_ci else pytest.skip)(f"spell check not run: {problem}")
    return binary


def unknown_words(binary: str, words: list[str]) -> set[str]:
    """The words the dictionary does not know; a compound is unknown if any of its parts is."""
    parts = {w: [p for p in re.split(r"[-'’]", w) if p] for w in set(words)}
    asked = sorted({p for ps in parts.values() for p in ps})
    # -l lists the unknown words without computing suggestions (which is very slow for es_ES).
    run = subprocess.run([binary, "-d", DICTIONARY, "-i", "utf-8", "-l"],
                         input="".join(f"{w}\n" for w in asked), capture_output=True,
                         text=True, encoding="utf-8", check=True)
    unknown_parts = set(run.stdout.split())
    return {w for w, ps in parts.items() if unknown_parts.intersection(ps)}


def markdown_files() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md"))


def test_docs_have_no_unknown_words():
    binary = require_hunspell()
    accepted = set(read_word_list()) | abbreviation_keys()
    compounds = {w for w in accepted if re.search(r"[-'’]", w)}
    located: list[tuple[str, int, str]] = []
    for path in markdown_files():
        lines = prose_lines(path.read_text(encoding="utf-8"))
        for number, line in enumerate(lines, start=1):
            located += [(str(path.relative_to(ROOT)), number, w) for w in words_of(line, compounds)]
    to_ask = [w for _, _, w in located if not is_listed(w, accepted)]
    unknown = unknown_words(binary, to_ask)
    errors = [f"{file}:{line}: {word}" for file, line, word in located if word in unknown]
    assert not errors, (
        "Unknown words (fix the spelling, or add technical terms and proper names to "
        "tests/spelling/palabras.txt):\n" + "\n".join(errors))


def test_word_list_is_sorted_and_unique():
    words = read_word_list()
    assert all(w == w.strip() and " " not in w for w in words), "one word per line, no spaces"
    assert len(words) == len(set(words)), "duplicated entries in tests/spelling/palabras.txt"
    assert words == sorted(words, key=lambda w: (w.casefold(), w)), (
        "tests/spelling/palabras.txt must be sorted (case-insensitive)")


def test_word_list_has_only_words_the_dictionary_lacks():
    binary = require_hunspell()
    words = read_word_list()
    redundant = sorted(set(words) - unknown_words(binary, words))
    assert not redundant, f"the dictionary already knows these words: {redundant}"


@pytest.mark.parametrize("source, expected", [
    ("---\ndescription: Zxq\n---\nHola", ["", "", "", "Hola"]),
    ("uno `código` dos", ["uno dos"]),
    ("[texto](https://ejemplo.org/ruta)", ["texto"]),
    ("*Wine Is Not*{lang=en} sí", ["sí"]),
    ('<span lang="en">host</span> anfitrión', ["anfitrión"]),
    ("[*The Title*](https://x.org/a){lang=en} y más", ["y más"]),
    ("```\nzzz\n```\nfin", ["", "", "", "fin"]),
    ('!!! abstract "Objetivos"', ["Objetivos"]),
    ("*[VM]: Máquina virtual (virtual machine)", ["Máquina virtual"]),
    ("<!-- virtcurso:comparison -->", [""]),
])
def test_prose_lines_strip_markup(source, expected):
    got = [" ".join(words_of(line, set())) for line in prose_lines(source)]
    assert got == expected
