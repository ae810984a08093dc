"""The real course data: it loads, and the rules that make it trustworthy hold.

Expectations come from the YAML parsed here with PyYAML's BaseLoader (every scalar a string),
independently of the loader under test.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from virtcurso.loader import load_course

DATA = Path(__file__).resolve().parent.parent / "data"
# The 11 rows of the 2016 slides' table, by system id.
ROWS_2016 = {
    "qemu",
    "xen",
    "virtualbox",
    "lxc",
    "freebsd-jails",
    "solaris-zones",
    "kvm",
    "vmware-esxi",
    "hyper-v",
    "xenserver",
    "virtuozzo",
}
TECHNIQUE_ORDER = ["emulation", "full", "paravirtualization", "hardware", "containers"]


def _raw(name: str):
    with open(DATA / name, encoding="utf-8") as file:
        return yaml.load(file, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds only str/list/dict


@pytest.fixture(scope="module")
def course():
    return load_course(DATA)


@pytest.fixture(scope="module")
def raw_systems():
    return _raw("hypervisors.yml")["systems"]


def _statements(system: dict):
    for technique, value in system["techniques"].items():
        yield technique, value if isinstance(value, dict) else {"support": value}


def test_every_system_loads_sorted_by_id(course, raw_systems):
    assert [s.id for s in course.systems] == sorted(s["id"] for s in raw_systems)


def test_techniques_load_in_the_2016_order(course):
    assert [t.id for t in course.techniques] == TECHNIQUE_ORDER
    for system in course.systems:
        assert [s.technique for s in system.statements] == TECHNIQUE_ORDER


def test_every_2016_row_is_present_with_what_2016_said(raw_systems):
    by_id = {s["id"]: s for s in raw_systems}
    assert set(by_id) >= ROWS_2016
    for system_id in ROWS_2016:
        assert by_id[system_id]["table_2016"]["changes"].strip()
    assert {s["id"] for s in raw_systems if "table_2016" in s} == ROWS_2016


def test_the_model_carries_the_2016_table(course):
    assert {s.id for s in course.systems if s.table_2016} == ROWS_2016


def test_every_claim_of_support_cites_a_source(raw_systems):
    for system in raw_systems:
        for technique, statement in _statements(system):
            if statement["support"] in ("yes", "partial", "unknown"):
                assert statement.get("sources"), (system["id"], technique)
            for key in statement.get("sources", []):
                assert key in system["sources"], (system["id"], technique, key)


def test_statement_sources_resolve_to_the_cited_entries(course, raw_systems):
    raw = {s["id"]: s for s in raw_systems}
    for system in course.systems:
        for statement in system.statements:
            cited = dict(_statements(raw[system.id]))[statement.technique].get("sources", [])
            urls = [raw[system.id]["sources"][key]["url"] for key in cited]
            assert [source.url for source in statement.sources] == urls


def test_every_system_has_a_source(raw_systems):
    for system in raw_systems:
        assert len(system["sources"]) >= 1, system["id"]


def _urls(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("url", "website") and isinstance(value, str):
                yield value
            else:
                yield from _urls(value)
    elif isinstance(node, list):
        for item in node:
            yield from _urls(item)


@pytest.mark.parametrize("name", ["hypervisors.yml", "techniques.yml"])
def test_every_url_is_https(name):
    urls = list(_urls(_raw(name)))
    assert urls
    for url in urls:
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.netloc, url


def test_partial_and_disputed_and_mixed_explain_themselves(raw_systems):
    for system in raw_systems:
        for technique, statement in _statements(system):
            if statement["support"] == "partial":
                assert statement.get("note"), (system["id"], technique)
        if system["hypervisor"]["type"] == "disputed":
            assert system["hypervisor"].get("note"), system["id"]
        if system["license"]["kind"] == "mixta":
            assert system["license"].get("note"), system["id"]


def test_a_no_that_contradicts_2016_cites_a_source(raw_systems):
    for system in raw_systems:
        ticked = system.get("table_2016", {}).get("techniques", [])
        for technique, statement in _statements(system):
            if technique in ticked and statement["support"] == "no":
                assert statement.get("sources"), (system["id"], technique)


def test_the_yaml_points_editors_at_its_schema():
    for name, schema in (("hypervisors.yml", "hypervisors"), ("techniques.yml", "techniques")):
        first_line = (DATA / name).read_text(encoding="utf-8").splitlines()[0]
        assert first_line == f"# yaml-language-server: $schema=schema/{schema}.schema.json"
        assert (DATA / "schema" / f"{schema}.schema.json").is_file()


def _technique_sources():
    for technique in _raw("techniques.yml")["techniques"]:
        for number, source in enumerate(technique.get("sources", []), start=1):
            yield f"{technique['id']} #{number}", source


def test_every_source_says_its_kind_and_when_it_was_checked(raw_systems):
    sources = [(f"{s['id']}: {key}", v) for s in raw_systems for key, v in s["sources"].items()]
    for where, source in sources + list(_technique_sources()):
        assert source.get("kind") in ("official", "secondary"), where
        assert re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])(-\d{2})?", source.get("checked", "")), where


def test_yes_partial_and_licences_rest_on_an_official_source(raw_systems):
    for system in raw_systems:
        official = {k for k, v in system["sources"].items() if v.get("kind") == "official"}
        assert official & set(system["license"].get("sources", [])), (system["id"], "license")
        for technique, statement in _statements(system):
            if statement["support"] in ("yes", "partial"):
                assert official & set(statement.get("sources", [])), (system["id"], technique)


# The systems a 2026 student meets (issue 11): the 2016 rows plus these, at least 30 in all.
REQUIRED_2026 = {"cloud-hypervisor", "incus", "openvz", "vmware-fusion", "apple-virtualization",
                 "nutanix-ahv", "bochs", "xcp-ng", "kvm", "hyper-v", "proxmox-ve", "docker",
                 "podman", "firecracker", "wsl2"}


def test_the_table_has_the_systems_a_2026_student_meets(raw_systems):
    ids = {system["id"] for system in raw_systems}
    assert len(ids) >= 30
    assert ids >= REQUIRED_2026, sorted(REQUIRED_2026 - ids)


def test_at_most_two_claims_remain_to_verify_each_with_its_reason(raw_systems):
    uncertain = [(system["id"], claim) for system in raw_systems
                 for claim in system.get("uncertain", [])]
    assert len(uncertain) <= 2, uncertain
    # A reason is a sentence: it says why no source settles the claim.
    assert all(len(claim.split()) >= 8 for _, claim in uncertain), uncertain
