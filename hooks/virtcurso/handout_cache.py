"""The handout cache: a build whose handout inputs did not change reuses the last PDF.

The key is a SHA-256 over everything the render reads: every page's HTML as handed to the
handout (so chapters and data), the metadata and the edition (version and printed date), the
templates and stylesheets, the font files, the handout's own code and which renderer (where
WeasyPrint is, its version and pikepdf's, the system libraries they load). The site files the
render fetched (images) are listed in the entry with their own digests and checked on every
lookup. An entry is a PDF plus a JSON record of its size
and SHA-256: a truncated or altered PDF does not match and is rendered again, never published.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import dataclasses
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .handout import Handout, HandoutJob, render_handout
from .handout_fonts import font_files

FORMAT = "virtcurso-handout-cache 2"
CODE = sorted(Path(__file__).parent.glob("handout*.py")) + [Path(__file__).with_name("render.py")]
KEEP = 3  # entries kept: the newest ones (a branch switch back and forth stays cheap)


@dataclass(frozen=True)
class CachedHandout:
    handout: Handout
    reused: bool  # True: taken from the cache, the renderer did not run
    path: Path  # the cache entry's PDF
    note: str = ""  # why an entry was not used ("" when there was none to use)


def cached_render(job: HandoutJob, folder: Path,
                  render: Callable[..., Handout] = render_handout) -> CachedHandout:
    """The job's handout from `folder` when its inputs are unchanged, else rendered and stored.

    Builds running at once (two terminals, parallel tests) render the same inputs once: the
    render holds a lock on the folder, and whoever waited for it looks the entry up again."""
    key = job_digest(job)
    found, note = _lookup(folder, key, job)
    if found is not None:
        return found
    with _locked(folder):
        found, note = _lookup(folder, key, job)
        if found is not None:
            return found
        handout = render(job)
        _store(folder, key, handout)
    return CachedHandout(handout, False, folder / f"{key}.pdf", note)


def _lookup(folder: Path, key: str, job: HandoutJob) -> tuple[CachedHandout | None, str]:
    """The stored entry for `key`, or None and why it could not be used ("" if none)."""
    pdf_path, record_path = folder / f"{key}.pdf", folder / f"{key}.json"
    record = _read_json(record_path)
    if record is None:
        return None, ""
    handout, note = _load(record, pdf_path, job)
    if handout is None:
        return None, note
    _touch(record_path)
    return CachedHandout(handout, True, pdf_path), ""


@contextlib.contextmanager
def _locked(folder: Path):
    """An exclusive lock on the cache folder (flock; on systems without it, no lock)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not POSIX: concurrent builds may both render, each one still correct
        yield
        return
    with open(folder / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def job_digest(job: HandoutJob) -> str:
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode() + data)

    add("format", FORMAT.encode())
    add("weasyprint", _weasyprint_identity().encode())
    for page in job.pages:
        add("page", _json(dataclasses.asdict(page)))
    add("meta", _json(dataclasses.asdict(job.meta)))
    add("edition", _json(dataclasses.asdict(job.edition)))
    for label, root, paths in (("template", job.templates, _files(job.templates)),
                               ("font", job.fonts, font_files(job.fonts)),
                               ("code", CODE[0].parent, CODE)):
        for path in paths:
            add(f"{label}:{path.relative_to(root).as_posix()}", path.read_bytes())
    return digest.hexdigest()


def _weasyprint_identity() -> str:
    """The renderer: where WeasyPrint is found (no import: it takes half a second) and the
    versions of it and of pikepdf, then the system libraries it loads. A library installed or
    upgraded (HarfBuzz-Subset, whose absence WeasyPrint warns about) is another renderer."""
    spec = importlib.util.find_spec("weasyprint")
    versions = []
    for package in ("weasyprint", "pikepdf"):
        try:
            versions.append(importlib.metadata.version(package))
        except importlib.metadata.PackageNotFoundError:
            versions.append("?")
    return " ".join([str(spec.origin if spec else None), *versions, *_system_libraries()])


SYSTEM_LIBRARIES = ("pango-1.0", "pangoft2-1.0", "harfbuzz", "harfbuzz-subset", "fontconfig")


def _system_libraries() -> list[str]:
    """The file each of SYSTEM_LIBRARIES resolves to (its name carries the version), from the
    dynamic loader's cache; where there is none (not Linux), what ctypes finds by name."""
    try:
        ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"  # not in a user's PATH
        listing = subprocess.run([ldconfig, "-p"], capture_output=True, text=True,
                                 timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        listing = ""
    found = {}
    for line in listing.splitlines():
        name, _, path = line.strip().partition(" => ")
        found.setdefault(name.split(" ", 1)[0], path)
    names = []
    for library in SYSTEM_LIBRARIES:
        path = next((found[name] for name in found
                     if name.startswith(f"lib{library}.so")), None)
        names.append(os.path.realpath(path) if path else
                     f"{library}:{ctypes.util.find_library(library)}")
    return names


def _load(record: dict, pdf_path: Path, job: HandoutJob) -> tuple[Handout | None, str]:
    """The stored handout, or None and why it cannot be used."""
    try:
        pdf = pdf_path.read_bytes()
    except OSError:
        return None, f"{pdf_path.name} is missing"
    if len(pdf) != record.get("size") or hashlib.sha256(pdf).hexdigest() != record.get("sha256"):
        return None, f"{pdf_path.name} is damaged (size or SHA-256 differs from its record)"
    for path, expected in record.get("assets", {}).items():
        data = job.read_asset(path)
        if data is None or hashlib.sha256(data).hexdigest() != expected:
            return None, f"the site file {path} changed"
    try:
        handout = Handout(pdf, int(record["page_count"]), 0.0, tuple(record["warnings"]),
                          int(record["layouts"]), dict(record["assets"]))
    except (KeyError, TypeError, ValueError):
        return None, f"{pdf_path.name}'s record is incomplete"
    return handout, ""


def _store(folder: Path, key: str, handout: Handout) -> None:
    """Write the entry atomically (PDF first, then its record), then drop the oldest ones."""
    folder.mkdir(parents=True, exist_ok=True)
    record = {"format": FORMAT, "size": len(handout.pdf),
              "sha256": hashlib.sha256(handout.pdf).hexdigest(),
              "page_count": handout.page_count, "warnings": list(handout.warnings),
              "layouts": handout.layouts, "assets": dict(handout.assets)}
    _write_atomic(folder / f"{key}.pdf", handout.pdf)
    _write_atomic(folder / f"{key}.json", _json(record))
    records = sorted(folder.glob("*.json"), key=lambda path: path.stat().st_mtime, reverse=True)
    for old in records[KEEP:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".pdf").unlink(missing_ok=True)


def _files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def _read_json(path: Path) -> dict | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) and value.get("format") == FORMAT else None


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True).encode()


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _touch(path: Path) -> None:
    with contextlib.suppress(OSError):  # newest first when pruning; a read-only cache is fine
        os.utime(path)
