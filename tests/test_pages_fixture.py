"""A modified copy of the project, built in a subprocess: the pages follow the data alone.

The copy gets one more system (tests/fixtures/pages/extra-system.yml), loses one technique's
prose file, and carries HTML/Markdown syntax in texts shown on many pages (a system, a 2016
row label, a technique name). That text must come out literally wherever it appears.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, copy_project, run_build

FIXTURES = Path(__file__).parent / "fixtures" / "pages"
EXTRA_TEXT = (FIXTURES / "extra-system.yml").read_text(encoding="utf-8")
EXTRA = yaml.safe_load(EXTRA_TEXT)["systems"][0]
LABEL_2016 = "Fila <script>alert(5)</script> | *2016* _x_"
TECHNIQUE_NAME = "Emulación <script>alert(6)</script> | *t* `c`"

pytestmark = pytest.mark.slow


def _orphan_technique(project: Path) -> str:
    """A technique whose prose file no page links into with an #anchor (safe to delete)."""
    techniques = yaml.safe_load((project / "data/techniques.yml").read_text(encoding="utf-8"))
    texts = "\n".join(p.read_text(encoding="utf-8") for p in (project / "docs").rglob("*.md"))
    for technique in reversed(techniques["techniques"]):
        if f"{technique['slug']}.md#" not in texts:
            return technique["slug"]
    pytest.skip("every technique prose file is linked with an anchor")


def _drop_questions(project: Path, page: str) -> None:
    """Remove a deleted page's questions from the copy's bank (they point into its sections)."""
    bank_file = project / "data/preguntas.yml"
    bank = yaml.safe_load(bank_file.read_text(encoding="utf-8"))
    bank["pages"].pop(page, None)
    bank["required_pages"] = [p for p in bank["required_pages"] if p != page]
    bank_file.write_text(yaml.safe_dump(bank, allow_unicode=True, sort_keys=False),
                         encoding="utf-8")


def _replace_first(path: Path, pattern: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(pattern, lambda m: m.group(1) + value, text, count=1, flags=re.M)
    assert count == 1, pattern
    path.write_text(new, encoding="utf-8")


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("pages-fixture")
    project = copy_project(base / "project")
    systems = project / "data/hypervisors.yml"
    entries = EXTRA_TEXT.split("\nsystems:\n", 1)[1]
    systems.write_text(systems.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + entries,
                       encoding="utf-8")
    _replace_first(systems, r"^(\s+label: ).*$", yaml.safe_dump(LABEL_2016).split("\n")[0])
    _replace_first(project / "data/techniques.yml", r"^(    name: ).*$",
                   yaml.safe_dump(TECHNIQUE_NAME).split("\n")[0])
    slug = _orphan_technique(project)
    (project / "docs/tecnicas" / f"{slug}.md").unlink()
    _drop_questions(project, f"tecnicas/{slug}.md")
    result = run_build(project, base / "site", VIRTCURSO_PDF="false")
    assert result.returncode == 0, result.stderr
    return base / "site", slug


def _soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def _target(page_url: str, href: str) -> str:
    return urlsplit(urljoin("http://site/" + page_url, href)).path.lstrip("/")


def test_extra_system_gets_a_row_and_a_page(fixture_site):
    site, _ = fixture_site
    row = _soup(site, "comparativa").find("tr", id=f"sistema-{EXTRA['id']}")
    assert row is not None and row.th.a.get_text() == EXTRA["name"]
    assert _target("comparativa/", row.th.a["href"]) == f"sistemas/{EXTRA['id']}/"
    words = [td.select_one(".vc-sr").get_text() for td in row.select("td.vc-cell")]
    assert words == ["sí", "no", "parcial", "desconocido", "no"]  # as in extra-system.yml
    page = _soup(site, f"sistemas/{EXTRA['id']}")
    assert page.h1.get_text().startswith(EXTRA["name"])
    index = _soup(site, "sistemas")
    listed = {_target("sistemas/", a["href"]) for a in index.select("article a")}
    assert f"sistemas/{EXTRA['id']}/" in listed


def test_technique_without_prose_gets_a_complete_page(fixture_site):
    site, slug = fixture_site
    soup = _soup(site, f"tecnicas/{slug}")
    assert soup.h1 is not None
    assert soup.select_one("dl.vc-facts") is not None
    assert soup.select_one("figure.vc-stack svg[role=img]") is not None
    assert soup.select_one("ul.vc-systems, article p") is not None
    assert "data/techniques.yml#L" in soup.find("a", rel="edit")["href"]


def _texts_with_pages(site: Path) -> dict[str, list[str]]:
    """Where each hostile text is expected: the pages that show that piece of data."""
    extra = f"sistemas/{EXTRA['id']}"
    return {
        EXTRA["name"]: ["comparativa", "sistemas", extra, "tecnicas/emulacion"],
        EXTRA["description"]: ["sistemas", extra],
        EXTRA["techniques"]["emulation"]["note"]: [extra, "tecnicas/emulacion"],
        EXTRA["license"]["note"]: [extra],
        EXTRA["hypervisor"]["note"]: [extra],
        EXTRA["uncertain"][0]: [extra],
        EXTRA["sources"]["web"]["title"]: [extra],
        EXTRA["developer"]: [extra],
        LABEL_2016: ["comparativa"],
        TECHNIQUE_NAME: ["comparativa", "tecnicas", "tecnicas/emulacion", extra],
    }


def test_html_and_markdown_in_data_come_out_literally(fixture_site):
    site, _ = fixture_site
    for text, urls in _texts_with_pages(site).items():
        for url in urls:
            soup = _soup(site, url)
            article = soup.find("article")
            assert text in article.get_text(), (url, text)
            # No element was made from the data: no script, emphasis or code with its words.
            assert all("alert" not in (s.string or "") for s in soup.find_all("script")), url
            made = [e.get_text() for e in article.find_all(["em", "strong", "code", "b", "i"])]
            assert not {"negrita", "x", "t", "c", "BSD", "compañía", "2016"} & set(made), url


def test_page_titles_and_nav_show_data_literally(fixture_site):
    site, _ = fixture_site
    soup = _soup(site, f"sistemas/{EXTRA['id']}")
    assert soup.title.get_text().startswith(EXTRA["name"])
    topic = soup.select_one("[data-md-component=header-topic]").get_text(" ", strip=True)
    assert topic == EXTRA["name"]  # Material prints the title raw: the hook escaped it
    # System pages stay out of the nav (it is written into every page).
    nav_texts = [a.get_text(" ", strip=True) for a in soup.select("nav.md-nav--primary a")]
    assert EXTRA["name"] not in nav_texts
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert description == EXTRA["description"]


def test_original_checkout_is_untouched():
    assert (ROOT / "data/hypervisors.yml").read_text(encoding="utf-8").count("zz-hostil") == 0
