"""Joining the handout's parts (tagged PDFs written by WeasyPrint) into one tagged PDF.

Each part is a whole WeasyPrint PDF: pages, a structure tree (StructTreeRoot -> Document ->
elements), a ParentTree (page i -> its marked content's elements at key i, then one key per
link annotation), an outline, named destinations. The first part keeps its catalog (language,
metadata, viewer preferences); every later part brings:

- its pages, with `StructParents` (pages) and `StructParent` (links) moved past the keys taken;
- its Document element's children, under the first part's Document element (and the
  elements that name it as parent without being its children, as WeasyPrint writes some);
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
import warnings
from collections.abc import Mapping, Sequence


def join(parts: Sequence[bytes], owners: Mapping[str, int]) -> bytes:
    """One PDF from `parts` in order; `owners[anchor]` is the part whose page has the anchor."""
    import pikepdf

    pdfs = [pikepdf.open(io.BytesIO(data)) for data in parts]
    out = pdfs[0]
    tree = out.Root.StructTreeRoot
    document = tree.K[0]
    nums = tree.ParentTree.Nums
    dests = _destinations(out, owners, 0)
    for index, part in enumerate(pdfs[1:], start=1):
        offset = max(int(key) for key in nums[::2]) + 1
        children = _detach_from_document(part, f"p{index}-")
        kids = list(part.Root.StructTreeRoot.K[0].K)
        start = len(out.pages)
        with warnings.catch_warnings():  # named destinations and outline: done here, below
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            out.pages.extend(part.pages)
        for page in out.pages[start:]:
            page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", ()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        for child in _copy(out, part, children):
            child.P = document
        for kid in _copy(out, part, kids):
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


def _detach_from_document(pdf, prefix: str) -> list:
    """The elements whose parent is the part's Document element, with that parent removed (so
    that copying them does not copy the part's whole tree root; the caller sets the joined
    one). WeasyPrint also gives that parent to elements it lists only in the ParentTree.
    On the way, table header IDs (and the Headers lists naming them) get `prefix`, since
    WeasyPrint makes them from object numbers, which repeat from one part to the next."""
    import pikepdf

    document = pdf.Root.StructTreeRoot.K[0]
    children = []
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/StructElem":
            continue
        if "/P" in obj and obj.P.is_indirect and obj.P.objgen == document.objgen:
            del obj.P
            children.append(obj)
        if "/ID" in obj:
            obj.ID = pikepdf.String(prefix + str(obj.ID))
        attributes = obj.get("/A")
        if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
            attributes.Headers = pikepdf.Array(
                [pikepdf.String(prefix + str(name)) for name in attributes.Headers])
    return children
