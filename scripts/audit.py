"""`make audit`: Lighthouse scores of four pages and the Nu HTML Checker over the built site.

Slow, so not part of `make test`. The tools are npm packages installed on first use into
.cache/audit/ (Node 20 and Java 17 must be on the machine). The site is served locally the way
GitHub Pages serves it (under its path prefix, gzip). Usage: python scripts/audit.py [SITE_DIR]
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import material

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser.server import serve_site  # noqa: E402 (after the path set-up)
from browser.site_layout import site_prefix  # noqa: E402

CACHE = ROOT / ".cache" / "audit"
TOOLS = {"lighthouse": "12.2.3", "vnu-jar": "26.9.27"}
PAGES = {"Inicio": "", "Capítulo (Hipervisores)": "hipervisores/",
         "Cuadro comparativo": "comparativa/", "Técnica (Paravirtualización)":
         "tecnicas/paravirtualizacion/"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PRESETS = {"móvil": [], "escritorio": ["--preset=desktop"]}  # Lighthouse's default is mobile
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
MATERIAL = Path(material.__file__).parent / "templates"
METRICS = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index"]


@dataclass(frozen=True)
class MaterialError:
    """A Nu error known to come from Material's own templates, with the proof to look for."""

    message: str  # a regex over Nu's message
    template: str  # the Material template, relative to material/templates
    snippet: str  # the markup in that template that causes it


MATERIAL_ERRORS = [
    MaterialError(r"Attribute “autocomplete” is only allowed when the input type is",
                  "base.html", 'type="checkbox" id="__drawer" autocomplete="off"'),
    MaterialError(r"Attribute “autocomplete” is only allowed when the input type is",
                  "base.html", 'type="checkbox" id="__search" autocomplete="off"'),
    MaterialError(r"Bad value “” for attribute “tabindex” on element “label”",
                  "partials/nav-item.html", 'tabindex="{{ tabindex }}"'),
]


def ensure_tools() -> None:
    """Install the pinned npm tools into .cache/audit/ unless they are there already."""
    def installed(name: str) -> str | None:
        manifest = CACHE / "node_modules" / name / "package.json"
        return json.loads(manifest.read_text())["version"] if manifest.is_file() else None

    if all(installed(name) == version for name, version in TOOLS.items()):
        return
    CACHE.mkdir(parents=True, exist_ok=True)
    # --ignore-scripts: vnu-jar's postinstall would download a Java; Java 17 is already here.
    subprocess.run(["npm", "install", "--prefix", str(CACHE), "--no-audit", "--no-fund",
                    "--ignore-scripts", "--save-exact",
                    *(f"{name}@{version}" for name, version in TOOLS.items())], check=True)


def lighthouse(url: str, out: Path, preset: list[str]) -> tuple[dict[str, int], int]:
    """The four category scores (0-100) of one page, from a fresh headless Chromium, and
    Lighthouse's benchmark index of this machine (a typical desktop scores 1000-2500)."""
    cli = CACHE / "node_modules" / "lighthouse" / "cli" / "index.js"
    subprocess.run(
        ["node", str(cli), url, *preset, "--quiet", "--output=json", f"--output-path={out}",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
        check=True, env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH",
                                                                     "/usr/bin/chromium")})
    report = json.loads(out.read_text(encoding="utf-8"))
    failing = [f"{a['id']} ({a['score']})" for a in report["audits"].values()
               if a.get("scoreDisplayMode") == "binary" and a.get("score") == 0]
    metrics = ", ".join(f"{m}: {report['audits'][m].get('displayValue', '?')}" for m in METRICS)
    print(f"  {metrics}" + (f"\n  failing: {', '.join(failing)}" if failing else ""),
          file=sys.stderr)
    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    return scores, round(report["environment"]["benchmarkIndex"])


def lighthouse_table(site_dir: Path) -> list[str]:
    rows = ["| Página | Perfil | " + " | ".join(CATEGORIES) + " | benchmarkIndex |",
            "|---" * (len(CATEGORIES) + 3) + "|"]
    with serve_site(site_dir, site_prefix(), compress=True) as base, \
            tempfile.TemporaryDirectory() as tmp:
        for n, (label, path) in enumerate(PAGES.items()):
            for name, preset in PRESETS.items():
                print(f"Lighthouse ({name}): {label} ({base}{path})…", file=sys.stderr)
                scores, bench = lighthouse(base + path, Path(tmp) / f"{n}.json", preset)
                rows.append(f"| {label} | {name} | "
                            + " | ".join(str(scores[c]) for c in CATEGORIES) + f" | {bench} |")
    return rows


def nu_messages(site_dir: Path) -> list[dict]:
    """Nu's errors over every HTML page of the site."""
    jar = CACHE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    pages = sorted(str(p) for p in site_dir.rglob("*.html"))
    result = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json",
                             *pages], capture_output=True, text=True)
    return json.loads(result.stderr or '{"messages": []}')["messages"]  # Nu reports on stderr


def from_material(message: dict) -> MaterialError | None:
    """The Material template this error comes from, if its markup is there to prove it."""
    for known in MATERIAL_ERRORS:
        template = (MATERIAL / known.template).read_text(encoding="utf-8")
        extract = message.get("extract", "")
        shown = known.snippet.replace("{{ tabindex }}", "")  # how the snippet renders
        if re.search(known.message, message["message"]) and known.snippet in template \
                and shown in extract:
            return known
    return None


def nu_report(site_dir: Path) -> tuple[list[str], list[str]]:
    """(errors from our own markup, a summary of the errors traced to Material's templates)"""
    ours, theirs = [], {}
    for message in nu_messages(site_dir):
        known = from_material(message)
        if known:
            key = (known.template, known.message)
            theirs[key] = theirs.get(key, 0) + 1
            continue
        where = message.get("url", "").replace(f"file:{site_dir}/", "")
        ours.append(f"{where}:{message.get('lastLine', '?')}: {message['message']}")
    summary = [f"{count} × {regex.rstrip('“”')}… ← material/templates/{template}"
               for (template, regex), count in sorted(theirs.items())]
    return ours, summary


def main() -> int:
    site_dir = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "site").resolve()
    if not (site_dir / "index.html").is_file():
        print(f"Error: no hay sitio en {site_dir}; ejecuta antes `make`.", file=sys.stderr)
        return 2
    ensure_tools()
    table = lighthouse_table(site_dir)
    ours, material = nu_report(site_dir)
    pages = len(list(site_dir.rglob("*.html")))
    print(f"\n## Lighthouse {TOOLS['lighthouse']}\n", *table, sep="\n")
    print(f"\n## Nu HTML Checker {TOOLS['vnu-jar']}: {pages} páginas\n")
    print(f"Errores de nuestro marcado: {len(ours)}", *ours, sep="\n")
    print("\nErrores de las plantillas de Material (comprobado en su código):",
          *(material or ["ninguno"]), sep="\n")
    return 1 if ours else 0


if __name__ == "__main__":
    sys.exit(main())
