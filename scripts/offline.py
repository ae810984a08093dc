"""Build the offline copy of the site: a zip that works opened from disk (file://).

Usage: python scripts/offline.py [OUTPUT.zip]
(default: dist/introduccion-virtualizacion-offline.zip)

The site is built strictly with Material's offline plugin on (VIRTCURSO_OFFLINE=true), into a
temporary folder, then zipped under one top folder. The zip is reproducible: entries are sorted
and stamped with SOURCE_DATE_EPOCH (the commit's date under `make`), never the clock.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "dist" / "introduccion-virtualizacion-offline.zip"
TOP_FOLDER = "introduccion-virtualizacion"
# Zip timestamps cannot predate 1980; this fallback matches the Makefile's (2026-01-01).
FALLBACK_EPOCH = 1767225600
# Only a web server shows it (with links absolute to site_url): from disk it is dead weight.
SERVER_ONLY = {"404.html"}


def build_offline_site(site_dir: Path) -> None:
    """Build the project strictly with the offline plugin on; exit with mkdocs' status on error."""
    env = {**os.environ, "VIRTCURSO_OFFLINE": "true", "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict",
               "--site-dir", str(site_dir)]
    done = subprocess.run(command, cwd=ROOT, env=env)
    if done.returncode != 0:
        sys.exit(done.returncode)


def zip_timestamp() -> tuple[int, int, int, int, int, int]:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or FALLBACK_EPOCH)
    return time.gmtime(max(epoch, 315532800))[:6]  # 315532800 = 1980-01-01, zip's epoch


def write_zip(site_dir: Path, output: Path) -> int:
    """Zip site_dir under TOP_FOLDER/, sorted, with a fixed date; returns the file count."""
    stamp = zip_timestamp()
    files = sorted(p for p in site_dir.rglob("*")
                   if p.is_file() and p.relative_to(site_dir).as_posix() not in SERVER_ONLY)
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{TOP_FOLDER}/{path.relative_to(site_dir).as_posix()}", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return len(files)


def main(argv: list[str]) -> int:
    output = Path(argv[1]).resolve() if len(argv) > 1 else DEFAULT_OUTPUT
    with tempfile.TemporaryDirectory(prefix="virtcurso-offline-") as tmp:
        site_dir = Path(tmp) / "site"
        build_offline_site(site_dir)
        count = write_zip(site_dir, output)
    shown = output.relative_to(ROOT) if output.is_relative_to(ROOT) else output
    size_mib = output.stat().st_size / 2**20
    print(f"Copia sin conexión: {shown} ({count} ficheros, {size_mib:.1f} MiB).")
    print(f"Descomprímela y abre {TOP_FOLDER}/index.html en el navegador.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
