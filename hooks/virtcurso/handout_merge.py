"""Joining the handout's parts (tagged PDFs written by WeasyPrint) into one tagged PDF.

Each part is a whole WeasyPrint PDF: pages, a structure tree (StructTreeRoot -> Document ->
elements), a ParentTree (page i -> its marked content's elements at key i, then one key per
link annotation), an outline, named destinations.

In every part, what the page margin boxes print (the running header, «Página N de M») becomes
a pagination artifact, as PDF/UA asks of running headers and footers: WeasyPrint tags it as
the content of structure elements that hang from nowhere (they name the Document element as
their parent, but it does not list them, so a screen reader never reaches them).

The first part keeps its catalog (language, metadata, viewer preferences); every later part
brings:

- its pages, with `StructParents` (pages) and `StructParent` (links) moved past the keys taken;
- its Document element's children, under the first part's Document element;
- its ParentTree entries, at the moved keys;
- the `ID`s of its table headers (and the `Headers` that name them), prefixed with the part,
  since WeasyPrint numbers them per file;
- its outline items, chained after the ones before;
- its named destinations. A link to an anchor of another part was written with a stand-in
  destination (`Renderer.write_pdf`); `owners` says which part really holds each anchor, and
  only that part's destination is kept.

pikepdf (QPDF) copies the objects; saving with a deterministic ID makes the bytes a function of
the parts alone.
"""

from __future__ import annotations

import io
import re
import warnings
import zlib
from collections import defaultdict
from collections.abc import Mapping, Sequence

from .handout_layout import HandoutError

# A marked-content sequence as pydyf writes it: `/Span <</MCID 3>> BDC`.
_MARKED = re.compile(rb"/(\w+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_PAGINATION = b"/Artifact <</Type /Pagination>> BDC"


def join(parts: Sequence[bytes], owners: Mapping[str, int]) -> bytes:
    """One PDF from `parts` in order; `owners[anchor]` is the part whose page has the anchor."""
    import pikepdf

    pdfs = [pikepdf.open(io.BytesIO(data)) for data in parts]
    elements = [_structure_elements(pdf) for pdf in pdfs]
    for number, (pdf, found) in enumerate(zip(pdfs, elements, strict=True), start=1):
        _margin_boxes_as_artifacts(pdf, found, number)
    out = pdfs[0]
    tree = out.Root.StructTreeRoot
    document = tree.K[0]
    nums = tree.ParentTree.Nums
    dests = _destinations(out, owners, 0)
    for index, part in enumerate(pdfs[1:], start=1):
        offset = max(int(key) for key in nums[::2]) + 1
        kids = _detach_from_document(part, elements[index], f"p{index}-")
        start = len(out.pages)
        with warnings.catch_warnings():  # named destinations and outline: done here, below
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            out.pages.extend(part.pages)
        for page in out.pages[start:]:
            page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", ()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        for kid in _copy(out, part, kids):
            kid.P = document
            document.K.append(kid)
        part_nums = part.Root.StructTreeRoot.ParentTree.Nums
        copied = _copy(out, part, part_nums[1::2])
        for key, value in zip(part_nums[::2], copied, strict=True):
            nums.extend([int(key) + offset, value])
        _chain_outlines(out, part)
        dests.update(_destinations(part, owners, index, out))
    if dests:
        names = pikepdf.Array()
        for name in sorted(dests):
            names.extend([pikepdf.String(name), dests[name]])
        out.Root.Names.Dests = out.make_indirect(pikepdf.Dictionary(Names=names))
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, compress_streams=True, fix_metadata_version=False,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def _destinations(pdf, owners: Mapping[str, int], index: int, out=None) -> dict:
    """The named destinations of part `index` that it owns, copied into `out` if given."""
    import pikepdf

    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return {}
    tree = pikepdf.NameTree(names.Dests)
    own = {str(name): dest for name, dest in tree.items() if owners.get(str(name), 0) == index}
    if out is None:
        return own
    copied = _copy(out, pdf, list(own.values()))
    return dict(zip(own, copied, strict=True))


def _copy(out, part, objects) -> list:
    """`objects` of `part` copied into `out` (QPDF copies foreign objects held indirectly; what
    was already copied, such as the pages, is reused)."""
    import pikepdf

    return list(out.copy_foreign(part.make_indirect(pikepdf.Array(list(objects)))))


def _chain_outlines(out, part) -> None:
    """The part's top-level outline items after the ones already in `out`."""
    if "/Outlines" not in part.Root:
        return
    theirs = out.copy_foreign(part.Root.Outlines)
    if "/Outlines" not in out.Root:
        out.Root.Outlines = theirs
        return
    ours = out.Root.Outlines
    item = theirs.First
    while True:
        item.Parent = ours
        if "/Next" not in item:
            break
        item = item.Next
    ours.Last.Next = theirs.First
    theirs.First.Prev = ours.Last
    ours.Last = theirs.Last
    ours.Count = int(ours.Count) + int(theirs.Count)


def _structure_elements(pdf) -> list:
    import pikepdf

    return [obj for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/StructElem"]


def _margin_boxes_as_artifacts(pdf, elements: list, part: int) -> None:
    """The marked content of the elements that name the Document element as their parent
    without being listed by it (WeasyPrint's margin boxes) becomes `/Artifact` of type
    Pagination, and its ParentTree entries become null: nothing refers to those elements any
    more, so they are not saved. `part` (1-based) is for the error message."""
    import pikepdf

    document = pdf.Root.StructTreeRoot.K[0]
    listed = {kid.objgen for kid in document.K}
    unlisted = [element for element in elements
                if element.get("/P") is not None and element.P.objgen == document.objgen
                and element.objgen not in listed]
    # page -> {MCID: the element it belongs to}
    marked: dict[tuple[int, int], dict[int, tuple[int, int]]] = defaultdict(dict)
    while unlisted:
        element = unlisted.pop()
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]:
            if isinstance(kid, int):
                marked[element.Pg.objgen][kid] = element.objgen
            else:
                unlisted.append(kid)
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    parents = dict(zip((int(key) for key in nums[::2]), nums[1::2], strict=True))
    for number, page in enumerate(pdf.pages, start=1):
        wanted = marked.pop(page.objgen, {})
        if not wanted:
            continue
        entries = parents[int(page.obj.StructParents)]
        stream = page.obj.Contents
        content, found = _as_artifacts(
            stream.read_bytes() if isinstance(stream, pikepdf.Stream) else b"", wanted.keys())
        if found != wanted.keys() or any(
                mcid >= len(entries) or entries[mcid].objgen != owner
                for mcid, owner in wanted.items()):
            raise HandoutError(
                f"part {part} of the handout, page {number}: the marked content of its margin "
                f"boxes (MCID {sorted(wanted)}) is not where WeasyPrint used to write it, in "
                "the content stream and the ParentTree; has WeasyPrint changed?")
        # compressed as WeasyPrint compresses it (QPDF's default level makes it 1 % larger)
        stream.write(zlib.compress(content, 9), filter=pikepdf.Name.FlateDecode)
        for mcid in wanted:
            entries[mcid] = None
        while len(entries) and entries[len(entries) - 1] is None:
            del entries[len(entries) - 1]
    if marked:
        raise HandoutError(f"part {part} of the handout: its margin boxes name pages it does "
                           "not have")


def _as_artifacts(content: bytes, mcids) -> tuple[bytes, set[int]]:
    """`content` with the marked content of `mcids` made pagination artifacts; the MCIDs found."""
    found = set()

    def artifact(match: re.Match) -> bytes:
        mcid = int(match[2])
        if mcid not in mcids:
            return match[0]
        found.add(mcid)
        return _PAGINATION

    return _MARKED.sub(artifact, content), found


def _detach_from_document(pdf, elements: list, prefix: str) -> list:
    """The Document element's children, with that parent removed (so that copying them does not
    copy the part's whole tree root; the caller sets the joined one). On the way, table header
    IDs (and the Headers lists naming them) of `elements` get `prefix`, since WeasyPrint makes
    them from object numbers, which repeat from one part to the next."""
    import pikepdf

    kids = list(pdf.Root.StructTreeRoot.K[0].K)
    for kid in kids:
        del kid.P
    for obj in elements:
        if "/ID" in obj:
            obj.ID = pikepdf.String(prefix + str(obj.ID))
        attributes = obj.get("/A")
        if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
            attributes.Headers = pikepdf.Array(
                [pikepdf.String(prefix + str(name)) for name in attributes.Headers])
    return kids
