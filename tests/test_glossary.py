"""The glossary grows with the course: each term is used somewhere outside the glossary, the
terms the December 2026 review found undefined have entries, and every acronym among the terms
shows its tooltip (an abbreviation of docs/_includes/abreviaturas.md)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from bs4 import BeautifulSoup

GLOSSARY = "glosario/"

# Terms the chapters used without defining them, as listed by the teacher's review
# (shared/research/chapters-review-2026-12.md, «glosario.md»), each under the entry it needs.
REVIEW_UNDEFINED = [
    "Anillo de privilegio", "Modo núcleo", "Atrapar y emular", "Instrucción sensible",
    "Salida de máquina virtual", "Entrada de máquina virtual", "Tablas de páginas en la sombra",
    "vCPU", "P2V", "OVF", "OVA", "Asignación directa de dispositivos", "Imagen de contenedor",
    "Sobreasignación", "WSL", "Wine",
]

# An acronym: capitals and digits, maybe a leading «v» (vCPU) and a hyphenated tail (VT-x).
_ACRONYM = re.compile(r"v?[A-Z][A-Z0-9]+(?:-[A-Za-z]+)?")


def _fold(text: str) -> str:
    """Case and accents ignored, whitespace collapsed: how a reader would search."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def _article(built_site, url: str):
    soup = BeautifulSoup(built_site.page(url).read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.md-content__inner")
    assert article is not None, f"{url}: no article"
    return article


def _terms(built_site) -> list:
    return _article(built_site, GLOSSARY).select("dl > dt")


def _used_pattern(term: str) -> re.Pattern:
    """The term as running text: word for word, each word maybe in the plural."""
    words = [re.escape(word) + r"(?:e?s)?" for word in _fold(term).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


@pytest.fixture(scope="module")
def course_text(built_site) -> str:
    """The folded text of every page of the site except the glossary."""
    texts = []
    for path in built_site.html_pages():
        url = path.relative_to(built_site.dir).as_posix()
        if url.startswith(GLOSSARY) or url == "404.html":
            continue
        article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one(
            "article.md-content__inner")
        if article is not None:
            texts.append(_fold(article.get_text(" ")))
    assert len(texts) > 10, "the site should have more than ten pages"
    return "\n".join(texts)


def test_every_glossary_term_is_used_in_the_course(built_site, course_text):
    unused = [dt.get_text(" ", strip=True) for dt in _terms(built_site)
              if not _used_pattern(dt.get_text(" ", strip=True)).search(course_text)]
    assert unused == [], f"glossary terms no page uses: {unused}"


@pytest.mark.parametrize("term", REVIEW_UNDEFINED)
def test_terms_the_review_found_undefined_have_an_entry(built_site, term):
    entries = {_fold(dt.get_text(" ", strip=True)): dt for dt in _terms(built_site)}
    assert _fold(term) in entries, f"the glossary has no entry «{term}»"
    definition = entries[_fold(term)].find_next_sibling("dd")
    assert definition is not None and len(definition.get_text(strip=True)) > 40, (
        f"«{term}» needs a real definition")


def test_acronyms_in_the_glossary_show_their_tooltip(built_site):
    missing = []
    for dt in _terms(built_site):
        term = dt.get_text(" ", strip=True)
        if not _ACRONYM.fullmatch(term):
            continue
        abbr = dt.find("abbr")
        if abbr is None or abbr.get_text() != term or not abbr.get("title", "").strip():
            missing.append(term)
    assert missing == [], f"acronyms without a tooltip: {missing}"


def test_every_entry_points_to_where_the_course_explains_it(built_site):
    """The glossary promises a link to the chapter of each term (or a «Ver» to another entry)."""
    terms = {_fold(dt.get_text(" ", strip=True)) for dt in _terms(built_site)}
    lonely = []
    for dt in _terms(built_site):
        dd = dt.find_next_sibling("dd")
        internal = [a for a in dd.find_all("a", href=True) if "://" not in a["href"]]
        see_also = [em for em in dd.find_all("em") if _fold(em.get_text()) in terms]
        if not internal and not see_also:
            lonely.append(dt.get_text(" ", strip=True))
    assert lonely == [], f"entries with no link to the course: {lonely}"


@pytest.mark.parametrize("term, expected", [
    ("Instrucción sensible", "las instrucciones sensibles"),
    ("Ataque de canal lateral", "los ataques de canal lateral permiten"),
    ("Jaula", "las jaulas de freebsd"),
    ("OVF", "ovf"),
])
def test_used_pattern_accepts_plurals_and_accents(term, expected):
    assert _used_pattern(term).search(_fold(expected))


@pytest.mark.parametrize("term, text", [
    ("Modo usuario", "modo de usuario"),  # word for word, nothing in between
    ("PV", "pvh"),  # whole words only
    ("Zona", "zonal"),
])
def test_used_pattern_rejects_other_words(term, text):
    assert not _used_pattern(term).search(_fold(text))
