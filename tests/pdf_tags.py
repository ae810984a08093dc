"""A tagged PDF as a screen reader meets it, read with pypdf (not with the pikepdf code that
writes the handout): which structure elements hang from the structure tree root, and what each
page's content stream marks as tagged content, as artifacts, or leaves unmarked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NullObject


def reachable_elements(reader: PdfReader) -> set[int]:
    """Object numbers of the structure elements reached from the StructTreeRoot through /K."""
    seen: set[int] = set()
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]["/K"]]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            element = item.get_object()
            if isinstance(element, DictionaryObject) and "/S" in element:
                seen.add(item.idnum)
                stack.append(element.get("/K"))
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return seen


@dataclass
class MarkedContent:
    """One page's content stream: text inside pagination artifacts, text of tagged content (an
    MCID), text in no marked content at all, and the MCIDs in order."""

    pagination: list[str] = field(default_factory=list)
    tagged: list[str] = field(default_factory=list)
    unmarked: list[str] = field(default_factory=list)
    mcids: list[int] = field(default_factory=list)


def marked_content(reader: PdfReader, index: int) -> MarkedContent:
    """What page `index` marks. Tagged content inside an artifact, or an artifact inside
    tagged content, fails (PDF/UA: content is one or the other)."""
    page = reader.pages[index]
    found, stack = MarkedContent(), []

    def before(operator, operands, *_):
        if operator == b"EMC":
            stack.pop()
            return
        if operator not in (b"BDC", b"BMC"):
            return
        properties = operands[1] if operator == b"BDC" else DictionaryObject()
        if isinstance(properties, NameObject):
            properties = page["/Resources"]["/Properties"][properties]
        if operands[0] == "/Artifact":
            kind = "pagination" if properties.get("/Type") == "/Pagination" else "artifact"
            assert "tagged" not in stack, f"page {index + 1}: an artifact inside tagged content"
        elif "/MCID" in properties:
            kind = "tagged"
            assert not {"pagination", "artifact"} & set(stack), \
                f"page {index + 1}: tagged content (MCID {properties['/MCID']}) in an artifact"
            found.mcids.append(int(properties["/MCID"]))
        else:
            kind = "other"
        stack.append(kind)

    def text(chunk, *_):
        if not chunk.strip():
            return
        if "pagination" in stack:
            found.pagination.append(chunk)
        elif "tagged" in stack:
            found.tagged.append(chunk)
        elif "artifact" not in stack:
            found.unmarked.append(chunk)

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return found


def unreached_mcids(reader: PdfReader, index: int, mcids: list[int],
                    reachable: set[int]) -> list[int]:
    """The MCIDs of page `index` whose ParentTree entry is missing, null, or an element the
    structure tree does not reach; a non-null entry for an MCID the page does not have counts
    too (as -1 - that MCID)."""
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"]
    parents = dict(zip((int(key) for key in nums[::2]), nums[1::2], strict=True))
    entries = parents[int(reader.pages[index]["/StructParents"])].get_object()
    bad = [mcid for mcid in mcids
           if mcid >= len(entries) or isinstance(entries[mcid], NullObject)
           or entries[mcid].idnum not in reachable]
    bad += [-1 - mcid for mcid, entry in enumerate(entries)
            if not isinstance(entry, NullObject) and mcid not in mcids]
    return bad


PAGE_NUMBER = re.compile(r"Página \d+ de \d+")


def page_problems(reader: PdfReader, index: int, reachable: set[int], numbered: bool) -> list[str]:
    """What a screen reader would get wrong on page `index`: the running footer («Página N de
    M», which a `numbered` page prints) read as text instead of skipped as a pagination
    artifact, text in no marked content, tagged content the structure tree does not reach."""
    found = marked_content(reader, index)
    problems = []
    if PAGE_NUMBER.search("".join(found.tagged)):
        problems.append("«Página N de M» is tagged as text")
    expected = f"Página {index + 1} de {len(reader.pages)}"
    if numbered and expected not in "".join(found.pagination):
        problems.append(f"«{expected}» is not in a pagination artifact")
    if found.unmarked:
        problems.append(f"text in no marked content: {''.join(found.unmarked)[:60]!r}")
    unreached = unreached_mcids(reader, index, found.mcids, reachable)
    if unreached:
        problems.append(f"MCIDs the structure tree does not reach: {unreached[:8]}")
    return [f"page {index + 1}: {problem}" for problem in problems]
