"""A Python-Markdown extension the generated tables need.

md_in_html treats unknown tags as inline text, so a `<caption>` inside `<table markdown>` would
be wrapped in `<p>` (invalid HTML). Declaring `caption` block-level keeps it a raw block.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension


class TableCaptions(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        if "caption" not in md.block_level_elements:
            md.block_level_elements.append("caption")
