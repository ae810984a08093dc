"""The handout rendered as PARTS documents at once, in forked processes, then joined.

WeasyPrint lays a document out and writes it in one thread. The handout is cut into PARTS
documents before chapters (a chapter always starts a sheet, so a part ends where the whole
document would turn a page); each part is laid out and written by its own process, and
`handout_merge.join` makes one PDF of them. The cut depends on the pages only, never on the
machine: PARTS is fixed, and where forking is not possible or not safe (a process with other
threads, such as `mkdocs serve`), or with VIRTCURSO_HANDOUT_PROCESSES=1, the parts are rendered
one after the other in this process, giving the same bytes.

Every part needs the handout's numbers, known only once every part is laid out:

1. each part is laid out with the numbers it was assembled with (0 at first), and says how
   many pages it has and where its anchors are;
2. the parent numbers the pages across the parts, and each part prints those numbers into its
   page references and its «Página N de M» (`handout_layout.print_numbers`); a part whose
   numbers do not fit is laid out again with them in its HTML, and step 2 repeats;
3. each part writes its PDF.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import re
import threading
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .handout_layout import HandoutError, anchor_pages, print_numbers

PARTS = 2
PROCESSES_ENV = "VIRTCURSO_HANDOUT_PROCESSES"  # "1": render the parts in this process
MAX_LAYOUTS = 4  # layouts of a part: 1 unless a number does not fit its box


# What a part costs to lay out and write, in characters of text: each tag (a box, often a
# table cell) costs as much as TAG_WEIGHT characters, each entry of the contents as much as
# TOC_ENTRY_WEIGHT (its HTML weighs about 165, plus its leader and its number). Fitted on this
# course's chapters (render time per chapter and per part).
TAG_WEIGHT = 23
TOC_ENTRY_WEIGHT = 200
_TAG = re.compile(r"<[^>]*>")


def weight(html: str) -> int:
    """The cost model above for a page's handout HTML."""
    return len(_TAG.sub("", html)) + TAG_WEIGHT * html.count("<")


def split(weights: Sequence[int], cuttable: Sequence[bool], parts: int = PARTS) -> list[range]:
    """Ranges of consecutive items of about the same total weight, cut only before an item
    that is `cuttable` (a chapter: it starts a sheet and the running header)."""
    cuts = [index for index in range(1, len(weights)) if cuttable[index]]
    before = list(itertools.accumulate(weights, initial=0))
    bounds, start = [], 0
    for part in range(1, parts):
        goal = before[-1] * part / parts
        options = [cut for cut in cuts if cut > start]
        if not options:
            break
        cut = min(options, key=lambda c: (abs(before[c] - goal), c))
        bounds.append(range(start, cut))
        start = cut
    bounds.append(range(start, len(weights)))
    return bounds


class PartRender:
    """One part, in whatever process runs it: `assemble(numbers)` gives its HTML and the
    anchors its links point at; `renderer` is a handout_layout.Renderer."""

    def __init__(self, renderer, assemble: Callable[[Mapping[str, int]], tuple[str, set[str]]]):
        self.renderer, self.assemble = renderer, assemble
        self.document, self.complaints, self.targets = None, [], set()

    def lay_out(self, numbers: Mapping[str, int]) -> tuple[int, dict[str, int], set[str]]:
        """(pages, page of each anchor here (1-based, in this part), anchors linked to)."""
        html, self.targets = self.assemble(numbers)
        self.document, self.complaints = self.renderer.lay_out(html)
        return len(self.document.pages), anchor_pages(self.document.pages), self.targets

    def print(self, numbers: Mapping[str, int], first: int, total: int) -> bool:
        return print_numbers(self.document.pages, numbers, first, total)

    def write(self, stand_ins: Iterable[str]) -> tuple[bytes, list[str], dict[str, str]]:
        """(PDF, warnings, site files read -> SHA-256)."""
        pdf, complaints = self.renderer.write_pdf(self.document, stand_ins)
        complaints = self.complaints + complaints + self.renderer.missing_assets
        return pdf, complaints, self.renderer.assets


@dataclass
class Rendered:
    pdfs: list[bytes]
    owners: dict[str, int]  # anchor -> the part that holds it
    page_count: int
    layouts: int
    complaints: list[str] = field(default_factory=list)
    assets: dict[str, str] = field(default_factory=dict)


def render(makers: Sequence[Callable[[], PartRender]], processes: int | None = None) -> Rendered:
    """Render the parts `makers` build (each called in the process that renders its part)."""
    workers = _start(makers, processes)
    try:
        return _render(workers)
    finally:
        for worker in workers:
            worker.close()


def _render(workers) -> Rendered:
    laid_out = _each(workers, "lay_out", [({},)] * len(workers))
    layouts = 1
    while True:
        counts = [count for count, _, _ in laid_out]
        starts = [sum(counts[:index]) for index in range(len(counts))]
        owners: dict[str, int] = {}
        found: dict[str, int] = {}
        for index, (_, anchors, _) in enumerate(laid_out):
            for anchor, page in anchors.items():
                if anchor not in found:
                    owners[anchor], found[anchor] = index, starts[index] + page
        targets = set().union(*(targets for _, _, targets in laid_out))
        numbers = {anchor: found.get(anchor, 0) for anchor in targets}
        total = sum(counts)
        printed = _each(workers, "print", [(numbers, start + 1, total) for start in starts])
        again = [index for index, done in enumerate(printed) if not done]
        if not again:
            break
        if layouts == MAX_LAYOUTS:
            raise HandoutError(f"the page numbers did not settle after {MAX_LAYOUTS} layouts")
        layouts += 1
        for index, result in zip(again, _each([workers[i] for i in again], "lay_out",
                                              [(numbers,)] * len(again)), strict=True):
            laid_out[index] = result
    stand_ins = [sorted(anchor for anchor in part_targets
                        if anchor in owners and owners[anchor] != index)
                 for index, (_, _, part_targets) in enumerate(laid_out)]
    written = _each(workers, "write", [(names,) for names in stand_ins])
    complaints = [message for _, messages, _ in written for message in messages]
    complaints += [f"link to a missing anchor: #{anchor}"
                   for anchor in sorted(targets - found.keys())]
    assets = {path: digest for _, _, files in written for path, digest in files.items()}
    return Rendered([pdf for pdf, _, _ in written], owners, total, layouts,
                    list(dict.fromkeys(complaints)), dict(sorted(assets.items())))


def _each(workers, method: str, arguments: list[tuple]) -> list:
    """Call `method` on every worker at once (each in its process) and wait for all."""
    for worker, args in zip(workers, arguments, strict=True):
        worker.send(method, args)
    return [worker.receive() for worker in workers]


def _start(makers, processes: int | None):
    if processes is None:
        setting = os.environ.get(PROCESSES_ENV, "")
        processes = int(setting) if setting.isdigit() else (os.cpu_count() or 1)
        if threading.active_count() > 1:
            processes = 1  # `mkdocs serve` has server threads: forking them is not safe
    forking = processes > 1 and "fork" in multiprocessing.get_all_start_methods()
    return [(_Forked if forking else _Local)(maker) for maker in makers]


class _Local:
    """A part rendered in this process, when its turn comes."""

    def __init__(self, maker):
        self.worker = maker()

    def send(self, method: str, args: tuple) -> None:
        self.result = getattr(self.worker, method)(*args)

    def receive(self):
        return self.result

    def close(self) -> None:
        self.worker = None


class _Forked:
    """A part rendered by a forked process, which answers one call at a time over a pipe."""

    def __init__(self, maker):
        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, maker), daemon=True)
        self.process.start()
        child.close()

    def send(self, method: str, args: tuple) -> None:
        self.connection.send((method, args))

    def receive(self):
        try:
            status, value = self.connection.recv()
        except EOFError:
            self.process.join(timeout=10)  # for its exit code
            raise HandoutError("a process rendering part of the handout stopped without an "
                               f"answer (exit code {self.process.exitcode}): out of memory?"
                               ) from None
        if status == "error":
            raise HandoutError(value)
        return value

    def close(self) -> None:
        with contextlib.suppress(OSError):  # the process has already gone
            self.connection.send(("stop", ()))
        self.connection.close()
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def _serve(connection, maker) -> None:
    """The forked process: build the part, then answer calls until told to stop."""
    worker = None
    while True:
        try:
            method, args = connection.recv()
        except EOFError:
            return
        if method == "stop":
            return
        try:
            worker = worker or maker()
            connection.send(("ok", getattr(worker, method)(*args)))
        except HandoutError as error:
            connection.send(("error", str(error)))
        except Exception:  # a bug: its traceback, for the parent to show
            connection.send(("error", traceback.format_exc()))
