"""Spell check of the course's Spanish prose (chapters in docs/ and the text in data/) with
hunspell's es_ES dictionary. Used by `make revisar` and by tests/test_spelling.py.

Markup that is not Spanish prose (front matter, code, URLs, link targets, HTML, attribute lists,
text marked with another `lang`; in YAML every value that is not prose) is blanked first,
keeping line numbers. A word is accepted when the dictionary knows it, when it is in the
reviewed project word list (tests/spelling/palabras.txt) or when it is an abbreviation defined
in docs/_includes/abreviaturas.md.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from .errors import Problem

DICTIONARY = "es_ES"
WORD_LIST = Path("tests/spelling/palabras.txt")
ABBREVIATIONS = Path("docs/_includes/abreviaturas.md")

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
# YAML keys whose values are Spanish prose (names, ids, titles of sources and URLs are not).
_PROSE_KEYS = ("description", "note", "changes", "definition", "hardware", "hypervisor_type",
               "typical_use", "advantages", "drawbacks", "reason")
_YAML_KEY = re.compile(r"^(?P<indent>\s*)(?:-\s+)?(?P<key>[a-z_0-9]+):\s*(?P<value>.*)$")


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


def data_prose_lines(text: str) -> list[str]:
    """The Spanish prose of a YAML data file (values of prose keys), one entry per line."""
    lines = text.split("\n")
    out = [""] * len(lines)
    block = None  # (indent of the key, "scalar" or "list") while a prose value goes on
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        if block and (not line.strip() or indent > block[0]):
            item = re.match(r"^\s*-\s+(?!\{)(.*)$", line)
            if block[1] == "scalar":
                out[i] = line.strip()
            elif item:  # a list of sentences (advantages, drawbacks), not of mappings
                out[i] = item.group(1).strip().strip("\"'")
            continue
        block = None
        found = _YAML_KEY.match(line)
        if found and found["key"] in _PROSE_KEYS:
            value = found["value"].strip()
            if value in (">-", ">", "|", "|-"):
                block = (len(found["indent"]), "scalar")
            elif value == "":
                block = (len(found["indent"]), "list")
            else:
                out[i] = value.strip("\"'")
    return [_VERBATIM.sub(_blank, line) for line in out]


# In data prose, text quoted verbatim («Personal Use and Educational License», an error
# message), URLs and file names (lxcore.sys) are not Spanish to check.
_VERBATIM = re.compile(r"«[^»]*»|https?://\S+|\b[\w-]+\.(?:sys|dll|exe|ko|c|h|md|txt|yml)\b")


def words_of(line: str, known_compounds: set[str]) -> list[str]:
    """Words to check: no single letters, no tokens with digits or underscores; compounds
    split unless listed."""
    words = []
    for token in _TOKEN.findall(line):
        if len(token) == 1 or any(ch.isdigit() or ch == "_" for ch in token):
            continue  # single letters: ESX(i), «la opción a»
        if token in known_compounds:
            words.append(token)
        else:
            words.extend(part for part in re.split(r"[-'’]", token) if part)
    return words


def read_word_list(root: Path) -> list[str]:
    lines = (root / WORD_LIST).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def abbreviation_keys(root: Path) -> set[str]:
    text = (root / ABBREVIATIONS).read_text(encoding="utf-8")
    return {m.group(1) for line in text.splitlines() if (m := _ABBR_KEY.match(line))}


def is_listed(word: str, accepted: set[str]) -> bool:
    # A listed lowercase word may start a sentence or a glossary entry with a capital.
    return word in accepted or (word[:1].isupper() and word[:1].lower() + word[1:] in accepted)


def find_hunspell() -> tuple[str | None, str]:
    """(hunspell's path, "") or (None, why it cannot be used, in Spanish)."""
    binary = shutil.which("hunspell")
    if binary is None:
        return None, "hunspell no está instalado (Debian/Ubuntu: apt install hunspell hunspell-es)"
    probe = subprocess.run([binary, "-d", DICTIONARY, "-l"], input="hola\n",
                           capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        return None, f"hunspell no tiene el diccionario {DICTIONARY} (Debian/Ubuntu: hunspell-es)"
    return binary, ""


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


def checked_files(root: Path) -> list[Path]:
    """The hand-written sources checked: every chapter in docs/ and every data file."""
    return sorted((root / "docs").rglob("*.md")) + sorted((root / "data").glob("*.yml"))


def misspellings(root: Path, binary: str, files: list[Path] | None = None) -> list[Problem]:
    """Every unknown word of the course's prose, as a Problem at its file:line:column."""
    accepted = set(read_word_list(root)) | abbreviation_keys(root)
    compounds = {w for w in accepted if re.search(r"[-'’]", w)}
    located: list[tuple[str, int, str, str]] = []
    for path in files if files is not None else checked_files(root):
        text = path.read_text(encoding="utf-8")
        lines = data_prose_lines(text) if path.suffix == ".yml" else prose_lines(text)
        where = path.relative_to(root).as_posix()
        pairs = zip(lines, text.split("\n"), strict=True)  # same length: lines are kept
        for number, (line, original) in enumerate(pairs, start=1):
            located += [(where, number, w, original) for w in words_of(line, compounds)]
    unknown = unknown_words(binary, [w for *_, w, _ in located if not is_listed(w, accepted)])
    return [Problem(where, number, _column(original, word),
                    f"palabra desconocida «{word}» (corrígela; si es un término técnico o un "
                    f"nombre propio, añádela a {WORD_LIST})")
            for where, number, word, original in located if word in unknown]


def _column(line: str, word: str) -> int:
    found = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", line)
    return found.start() + 1 if found else 0
