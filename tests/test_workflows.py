"""The GitHub Actions workflows and templates: actionlint passes, and it really catches errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ISSUE_FORMS = ROOT / ".github" / "ISSUE_TEMPLATE"


def actionlint() -> str:
    """The actionlint binary installed by requirements-dev.txt (beside this Python), else PATH."""
    beside = Path(sys.executable).parent / "actionlint"
    found = str(beside) if beside.exists() else shutil.which("actionlint")
    if not found:
        pytest.fail("actionlint is missing: run `make test` (it installs requirements-dev.txt)")
    return found


def run_actionlint(*files: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([actionlint(), "-no-color", *map(str, files)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def load(path: Path) -> dict:
    # BaseLoader keeps `on:` a string key (YAML 1.1 would turn it into True).
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def test_there_are_workflows_for_tests_and_pages():
    assert {path.name for path in WORKFLOWS} >= {"test.yml", "pages.yml"}


def test_workflows_pass_actionlint():
    done = run_actionlint(*WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_reports_a_broken_workflow(tmp_path):
    """A copy of test.yml with a misspelt key must fail, naming the file and the line."""
    copy = tmp_path / ".github" / "workflows" / "test.yml"
    copy.parent.mkdir(parents=True)
    text = (ROOT / ".github" / "workflows" / "test.yml").read_text(encoding="utf-8")
    broken = text.replace("    runs-on: ubuntu-latest\n", "    run-on: ubuntu-latest\n", 1)
    assert broken != text, "test.yml no longer has the line this test edits"
    copy.write_text(broken, encoding="utf-8")
    line = broken.splitlines().index("    run-on: ubuntu-latest") + 1
    done = run_actionlint(copy, cwd=tmp_path)
    assert done.returncode == 1
    assert f"test.yml:{line}:5:" in done.stdout and '"run-on"' in done.stdout


def test_test_workflow_runs_ci_script_on_pull_requests():
    workflow = load(ROOT / ".github" / "workflows" / "test.yml")
    assert "pull_request" in workflow["on"] and "push" in workflow["on"]
    commands = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "bash .ci/run" in commands  # one list of system packages, the same as our CI


def test_pages_workflow_deploys_with_the_official_actions():
    workflow = load(ROOT / ".github" / "workflows" / "pages.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    uses = [step.get("uses", "").split("@")[0]
            for job in workflow["jobs"].values() for step in job["steps"]]
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses)
    deploy = next(job for job in workflow["jobs"].values()
                  if any("deploy-pages" in step.get("uses", "") for step in job["steps"]))
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "group" in workflow["concurrency"]


def test_correction_form_requires_a_source():
    form = load(ISSUE_FORMS / "corregir-dato.yml")
    fields = {item.get("id"): item for item in form["body"]}
    assert fields["fuente"]["validations"]["required"] == "true"


@pytest.mark.parametrize("name", ["corregir-dato.yml", "proponer-sistema.yml"])
def test_issue_forms_have_unique_ids_and_labels(name):
    form = load(ISSUE_FORMS / name)
    assert form["name"] and form["description"]
    ids = [item["id"] for item in form["body"] if item["type"] != "markdown"]
    assert len(ids) == len(set(ids))
    assert all(item["attributes"]["label"] for item in form["body"] if item["type"] != "markdown")


def test_system_proposal_form_asks_what_the_data_records():
    """Every technique of the schema gets the four support values and a source; the form also
    asks for the hypervisor type (every type of the schema), developer, year, hosts, licence."""
    schema = json.loads((ROOT / "data" / "schema" / "hypervisors.schema.json").read_text())
    techniques = schema["$defs"]["techniques"]["properties"]
    supports = schema["$defs"]["support"]["enum"]
    form = load(ISSUE_FORMS / "proponer-sistema.yml")
    fields = {item.get("id"): item for item in form["body"]}
    dropdowns = [item for item in form["body"] if item["type"] == "dropdown"
                 and item["attributes"]["label"].startswith("Técnica")]
    assert len(dropdowns) == len(techniques)
    for item in dropdowns:
        options = item["attributes"]["options"]
        assert sorted(o[o.rindex("(") + 1:-1] for o in options) == sorted(supports)
        assert fields[f"{item['id']}-fuente"]["type"] == "input"
    types = fields["tipo-hipervisor"]["attributes"]["options"]
    enum = schema["$defs"]["system"]["properties"]["hypervisor"]["properties"]["type"]["enum"]
    assert len(types) == len({str(value) for value in enum}) + 1  # + «No lo sé»
    assert {"desarrollador", "primera-version", "anfitriones", "licencia"} <= set(fields)


def test_pull_request_template_tells_browser_edits_from_local_ones():
    text = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    browser, local = text.index("en el navegador"), text.index("en mi ordenador")
    # The make targets are asked only of those who worked locally.
    assert all(text.index(target) > local for target in ("make revisar", "make test"))
    assert browser < local


def test_link_workflow_checks_data_and_docs_monthly_and_reports_in_one_issue():
    workflow = load(ROOT / ".github" / "workflows" / "enlaces.yml")
    assert "workflow_dispatch" in workflow["on"]
    (cron,) = [entry["cron"] for entry in workflow["on"]["schedule"]]
    minute, hour, day, month, weekday = cron.split()
    assert (day, month, weekday) != ("*", "*", "*") and month == "*"  # monthly, not daily
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    lychee = next(step for step in steps if step.get("uses", "").startswith(
        "lycheeverse/lychee-action@"))
    assert "data/" in lychee["with"]["args"] and "docs/" in lychee["with"]["args"]
    report = next(step for step in steps if step.get("uses", "").startswith(
        "peter-evans/create-issue-from-file@"))
    assert report["with"]["issue-number"]  # an open report is updated, not duplicated
