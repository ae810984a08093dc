"""A small threaded HTTP server that publishes the built site under its URL prefix."""

from __future__ import annotations

import contextlib
import gzip
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"}


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves `directory` at `prefix`, with 404.html for missing files, like GitHub Pages;
    with `compress`, also gzip and a 10-minute cache lifetime, as Pages does."""

    def __init__(self, *args, prefix: str, compress: bool = False, **kwargs):
        self.prefix = prefix
        self.compress = compress
        super().__init__(*args, **kwargs)

    def do_GET(self):
        url_path = self.path.split("?")[0].split("#")[0]
        path = Path(self.translate_path(url_path))
        if path.is_dir() and url_path.endswith("/"):  # else the stdlib redirects to add the /
            path = path / "index.html"
        gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.compress and gzip_ok and path.suffix in _COMPRESSIBLE and path.is_file()):
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        self.wfile.write(body)

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or self.command != "GET" or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 (the stdlib's name)
        pass  # keep the test output clean


@contextlib.contextmanager
def serve_site(directory: Path, prefix: str = "/", compress: bool = False):
    """Yield the site's base URL, e.g. 'http://127.0.0.1:41234/introduccion-virtualizacion/'."""
    handler = partial(_SiteHandler, directory=str(directory), prefix=prefix, compress=compress)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
