"""What MkDocs would publish that no reader loads: left out of site/.

- The theme folder holds the templates the package renders itself (overrides/fragments/):
  MkDocs copies every file of a theme folder that is not HTML or Markdown into the site
  (handout.css, fonts.css of the PDF handout).
- A polyfill used only by the offline copy (`make offline`): when the hook drops it from the
  config, its vendored folder (the script and its licence) goes too.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable

THEME_FRAGMENTS = "fragments/"


def unused_files(files: Iterable, theme_dirs: Iterable[str], dropped: Iterable[str]) -> list:
    """The MkDocs `File`s to remove: theme fragments and the folders of dropped polyfills."""
    dirs = {os.path.normpath(folder) for folder in theme_dirs}
    folders = tuple(posixpath.dirname(path).rstrip("/") + "/" for path in dropped)
    return [file for file in files
            if (file.src_uri.startswith(THEME_FRAGMENTS)
                and os.path.normpath(file.src_dir or "") in dirs)
            or (folders and file.src_uri.startswith(folders))]
