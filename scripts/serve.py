"""`make serve`: the live preview. Checks the port first (one clear Spanish line when it is
busy), then replaces this process with MkDocs' dev server, which dies with its parent (make),
so stopping `make serve` in any way stops the server too.

Usage: python scripts/serve.py PORT   (VIRTCURSO_PDF=true to include the PDF handout)
"""

from __future__ import annotations

import ctypes
import os
import re
import signal
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _fail(message: str) -> None:
    print(f"Error: {message}", file=sys.stderr)
    sys.exit(2)


def _port(argv: list[str]) -> int:
    text = argv[1] if len(argv) > 1 else "8000"
    if not text.isdigit() or not 0 < int(text) < 65536:
        _fail(f"«{text}» no es un puerto válido (se esperaba un número entre 1 y 65535, "
              "por ejemplo: make serve PUERTO=8001).")
    return int(text)


def _check_free(port: int) -> None:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            _fail(f"el puerto {port} de {HOST} ya está ocupado, seguramente por otra vista "
                  "previa. Ciérrala con Ctrl+C en su terminal o usa otro puerto: "
                  f"make serve PUERTO={port + 1}")


def _site_path() -> str:
    # The dev server serves the site under site_url's path, as it is published.
    found = re.search(r"^site_url:\s*\S+?://[^/\s]+(/\S*)?\s*$",
                      (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    path = (found and found.group(1)) or "/"
    return path if path.endswith("/") else path + "/"


def _die_with_parent() -> None:
    # Linux: the kernel sends SIGTERM when make (our parent) ends; it survives the exec below.
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() == 1:  # the parent is already gone
            sys.exit(0)


def main(argv: list[str]) -> None:
    port = _port(argv)
    _check_free(port)
    print(f"Vista previa en http://{HOST}:{port}{_site_path()} (Ctrl+C para pararla)",
          flush=True)
    _die_with_parent()
    os.chdir(ROOT)
    os.execv(sys.executable, [sys.executable, "-m", "mkdocs", "serve", "--strict",
                              "--dev-addr", f"{HOST}:{port}"])


if __name__ == "__main__":
    main(sys.argv)
