"""The handout's fonts: only the files shipped in fonts/vendor/, never the machine's.

WeasyPrint finds fonts through fontconfig. `font_configuration()` builds its font
configuration from fonts/fonts.conf, a configuration without font folders, so the only fonts
it knows are the @font-face rules of fonts.css; those load files through `virtcurso-font:`
URLs that `read_font()` serves from fonts/vendor/. The same inputs give the same PDF bytes on
any machine, whatever fonts it has installed.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

FONTS = Path(__file__).resolve().parents[2] / "fonts"
FONT_SCHEME = "virtcurso-font:"
_ENV_LOCK = threading.Lock()  # FONTCONFIG_FILE is process-wide: one reader at a time


def font_configuration(weasyprint, fonts: Path = FONTS):
    """A WeasyPrint FontConfiguration that has no system fonts (fontconfig reads fonts.conf)."""
    with _ENV_LOCK:
        saved = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(fonts / "fonts.conf")
        try:
            return weasyprint.text.fonts.FontConfiguration()
        finally:
            if saved is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = saved


def read_font(url: str, fonts: Path = FONTS) -> bytes | None:
    """The bytes of a `virtcurso-font:family/File.ttf` URL, or None outside fonts/vendor/."""
    if not url.startswith(FONT_SCHEME):
        return None
    vendor = (fonts / "vendor").resolve()
    path = (vendor / url[len(FONT_SCHEME):]).resolve()
    if not path.is_relative_to(vendor) or not path.is_file():
        return None
    return path.read_bytes()


def font_files(fonts: Path = FONTS) -> list[Path]:
    """Every file the fonts depend on (for the handout cache's digest), in a stable order."""
    return sorted(path for path in fonts.rglob("*") if path.is_file())
