"""The generated pages of the real site agree with data/*.yml, read here with plain PyYAML."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, copy_project, run_build

WORDS = {"yes": "sí", "no": "no", "partial": "parcial", "unknown": "desconocido"}
SYMBOLS = {"yes": "✓", "no": "✗", "partial": "◐", "unknown": "?"}
LICENSES = {"libre": "Libre", "privativa": "Privativa", "mixta": "Mixta"}
HYPERVISOR_TEXT = "data/hypervisors.yml"


def _support(value) -> str:
    """A statement's support; PyYAML reads the bare yes/no of the data as booleans."""
    value = value.get("support") if isinstance(value, dict) else value
    return {True: "yes", False: "no"}[value] if isinstance(value, bool) else value


def _plain(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def data():
    systems = yaml.safe_load((ROOT / HYPERVISOR_TEXT).read_text(encoding="utf-8"))["systems"]
    techniques = yaml.safe_load((ROOT / "data/techniques.yml").read_text(encoding="utf-8"))
    return systems, techniques["techniques"]


def _soup(site, url: str) -> BeautifulSoup:
    return BeautifulSoup(site.page(url).read_text(encoding="utf-8"), "html.parser")


def _target(page_url: str, href: str) -> tuple[str, str]:
    """(site path, fragment) that a link on page_url points to."""
    parts = urlsplit(urljoin("http://site/" + page_url, href))
    return parts.path.lstrip("/"), parts.fragment


def test_every_system_is_in_the_table_exactly_once(built_site, data):
    systems, _ = data
    soup = _soup(built_site, "comparativa/")
    rows = soup.select("table#cuadro-comparativo > tbody > tr")
    linked = Counter(_target("comparativa/", row.th.a["href"])[0] for row in rows)
    assert linked == Counter(f"sistemas/{s['id']}/" for s in systems)
    names = Counter(_plain(row.th.a.get_text()) for row in rows)
    assert names == Counter(_plain(s["name"]) for s in systems)


def test_every_cell_matches_the_statement_in_the_yaml(built_site, data):
    systems, techniques = data
    soup = _soup(built_site, "comparativa/")
    headers = [th.get_text(strip=True) for th in soup.select("#cuadro-comparativo thead th")]
    assert len(headers) == 1 + len(techniques) + 3
    for system in systems:
        row = soup.find("tr", id=f"sistema-{system['id']}")
        cells = row.find_all("td", recursive=False)
        for technique, cell in zip(techniques, cells, strict=False):
            support = _support(system["techniques"][technique["id"]])
            assert cell.select_one(".vc-sr").get_text() == WORDS[support], (system["id"], technique)
            assert cell.select_one(".vc-symbol").get_text() == SYMBOLS[support]
        license_cell = cells[len(techniques) + 1].get_text(" ", strip=True)
        assert LICENSES[system["license"]["kind"]] in license_cell
        assert system["license"].get("spdx", "") in license_cell


def test_table_is_accessible_markup(built_site):
    table = _soup(built_site, "comparativa/").select_one("table#cuadro-comparativo")
    assert table.caption and table.caption.get_text(strip=True)
    assert all(th.get("scope") == "col" for th in table.thead.find_all("th"))
    assert all(row.th.get("scope") == "row" for row in table.tbody.find_all("tr"))
    scroller = table.find_parent(class_="vc-scroll")
    assert scroller["tabindex"] == "0" and scroller["role"] == "region"


def test_each_technique_page_lists_exactly_the_systems_using_it(built_site, data):
    systems, techniques = data
    for technique in techniques:
        url = f"tecnicas/{technique['slug']}/"
        items = _soup(built_site, url).select("ul.vc-systems > li")
        listed = {_target(url, li.a["href"])[0] for li in items}
        using = {s["id"]: s["techniques"][technique["id"]] for s in systems
                 if _support(s["techniques"][technique["id"]]) in ("yes", "partial")}
        assert listed == {f"sistemas/{sid}/" for sid in using}, technique["id"]
        for li in items:
            statement = using[_target(url, li.a["href"])[0].split("/")[1]]
            if _support(statement) == "partial":
                assert "parcial" in li.get_text()
                assert _plain(statement["note"]) in _plain(li.get_text())


def test_technique_pages_have_fact_sheet_and_accessible_diagram(built_site, data):
    _, techniques = data
    for technique in techniques:
        soup = _soup(built_site, f"tecnicas/{technique['slug']}/")
        facts = soup.select_one("dl.vc-facts").get_text(" ")
        for field in ("hardware", "hypervisor_type", "typical_use"):
            assert _plain(technique[field]) in _plain(facts)
        svg = soup.select_one("figure.vc-stack svg")
        assert svg["role"] == "img"
        title, desc = (soup.find(id=i) for i in svg["aria-labelledby"].split())
        assert title.name == "title" and desc.name == "desc"
        labels = [_plain(t.get_text(" ")) for t in svg.find_all("text")]
        for layer in technique["stack"]:
            assert labels.count(_plain(layer["label"])) == layer.get("repeat", 1)


def test_techniques_index_summarises_every_technique(built_site, data):
    systems, techniques = data
    rows = _soup(built_site, "tecnicas/").select("table#resumen-tecnicas > tbody > tr")
    assert [_plain(r.th.get_text()) for r in rows] == [_plain(t["name"]) for t in techniques]
    for technique, row in zip(techniques, rows, strict=True):
        count = sum(_support(s["techniques"][technique["id"]]) in ("yes", "partial")
                    for s in systems)
        assert row.find_all("td")[-1].get_text(" ", strip=True).split()[0] == str(count)


def _data_lines(system_id: str) -> str:
    """'#L<first>-L<last>' of a system's entry (the last entry: '#L<first>')."""
    text = (ROOT / HYPERVISOR_TEXT).read_text(encoding="utf-8").splitlines()
    pattern = re.compile(r"^\s*-\s+id:\s*['\"]?([a-z0-9-]+)['\"]?\s*$")
    starts = {m.group(1): i for i, line in enumerate(text, 1) if (m := pattern.match(line))}
    start = starts[system_id]
    later = [line for line in starts.values() if line > start]
    return f"#L{start}-L{min(later) - 1}" if later else f"#L{start}"


def test_every_system_page_exists_links_back_and_edits_the_data(built_site, data):
    systems, techniques = data
    comparison = _soup(built_site, "comparativa/")
    for system in systems:
        url = f"sistemas/{system['id']}/"
        soup = _soup(built_site, url)
        assert _plain(soup.h1.get_text()).startswith(_plain(system["name"]))
        targets = {_target(url, a["href"]) for a in soup.select("article a[href]")}
        assert ("comparativa/", f"sistema-{system['id']}") in targets
        assert comparison.find(id=f"sistema-{system['id']}") is not None
        for technique in techniques:
            assert (f"tecnicas/{technique['slug']}/", "") in targets
        edit = soup.find("a", rel="edit")["href"]
        # GitHub's file view, which scrolls to and highlights the entry (the editor would not)
        assert edit.endswith(f"/blob/main/data/hypervisors.yml{_data_lines(system['id'])}")
        assert "/docs/" not in edit and "/../" not in edit


def test_then_and_now_covers_the_2016_rows_with_their_reasons(built_site, data):
    systems, _ = data
    old = [s for s in systems if s.get("table_2016")]
    rows = _soup(built_site, "comparativa/").select("table#tabla-2016 > tbody > tr")
    assert len(rows) == len(old) == 11
    by_target = {_target("comparativa/", r.th.a["href"])[0]: r for r in rows}
    for system in old:
        row = by_target[f"sistemas/{system['id']}/"]
        assert _plain(system["table_2016"]["changes"]) in _plain(row.get_text(" "))
        assert _plain(system["table_2016"]["license"]) in row.get_text()


def _fold(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def test_nav_lists_techniques_in_data_order_and_only_the_systems_index(built_site, data):
    systems, techniques = data
    for url in ("", f"sistemas/{systems[0]['id']}/"):
        nav = _soup(built_site, url).select_one("nav.md-nav--primary")
        hrefs = [_target(url, a["href"])[0] for a in nav.find_all("a", href=True)]
        pages = list(dict.fromkeys(h for h in hrefs if h.startswith(("tecnicas/", "sistemas/"))))
        assert [p for p in pages if p.startswith("tecnicas/") and p != "tecnicas/"] == [
            f"tecnicas/{t['slug']}/" for t in techniques]
        # Material writes the nav into every page: N system pages in it would cost N squared.
        assert [p for p in pages if p.startswith("sistemas/")] == ["sistemas/"]


def test_systems_index_lists_every_system_by_name(built_site, data):
    systems, _ = data
    items = _soup(built_site, "sistemas/").select("article ul.vc-system-index > li")
    expected = sorted(systems, key=lambda s: (_fold(s["name"]), s["id"]))
    assert [_target("sistemas/", li.a["href"])[0] for li in items] == [
        f"sistemas/{s['id']}/" for s in expected]
    for item, system in zip(items, expected, strict=True):
        assert _plain(system["description"]) in _plain(item.get_text())


def test_every_system_page_links_up_to_the_systems_index(built_site, data):
    systems, _ = data
    for system in systems:
        url = f"sistemas/{system['id']}/"
        up = _soup(built_site, url).select_one("article a.vc-up")
        assert _target(url, up["href"]) == ("sistemas/", "")
        # Reached from the index, the table (checked above) and the technique pages.
        assert "Todos los sistemas" in up.get_text()


def _tree_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_two_builds_give_identical_files(tmp_path):
    # A snapshot of the sources, so edits made meanwhile in the checkout cannot differ the builds;
    # the handout is off here (its own tests check that its bytes are reproducible).
    project = copy_project(tmp_path / "project")
    for name in ("one", "two"):
        result = run_build(project, tmp_path / name, VIRTCURSO_PDF="false")
        assert result.returncode == 0, result.stderr
    first, second = _tree_hashes(tmp_path / "one"), _tree_hashes(tmp_path / "two")
    assert first.keys() == second.keys() and len(first) > 50
    assert [name for name in first if first[name] != second[name]] == []


def test_technique_pages_explain_systems_that_do_not_use_it_but_have_a_note(built_site, data):
    systems, techniques = data
    for technique in techniques:
        url = f"tecnicas/{technique['slug']}/"
        items = _soup(built_site, url).select("ul.vc-systems-noted > li")
        listed = {_target(url, li.a["href"])[0] for li in items}
        noted = {s["id"] for s in systems
                 if _support(s["techniques"][technique["id"]]) in ("no", "unknown")
                 and isinstance(s["techniques"][technique["id"]], dict)
                 and s["techniques"][technique["id"]].get("note")}
        assert listed == {f"sistemas/{sid}/" for sid in noted}, technique["id"]


MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "septiembre", "octubre", "noviembre", "diciembre"]


def test_system_pages_say_whether_each_source_is_official_and_when_it_was_checked(
        built_site, data):
    systems, _ = data
    for system in systems:
        soup = _soup(built_site, f"sistemas/{system['id']}/")
        for key, source in system["sources"].items():
            item = soup.find("li", id=f"fuente-{key}")
            year, month, *day = str(source["checked"]).split("-")
            when = f"{MONTHS[int(month) - 1]} de {year}"
            kind = {"official": "fuente oficial", "secondary": "fuente secundaria"}[source["kind"]]
            text = _plain(item.get_text(" "))
            assert f"({kind}, comprobada en " in text and when in text, (system["id"], text)
