"""The geometry of a technique's stack diagram (the SVG markup is in `stack.html`).

Layers come bottom (hardware) to top (applications); the drawing puts the first layer at the
bottom. A layer with `repeat: n` is drawn as n boxes side by side (e.g. two guests).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from .model import Layer, Technique

WIDTH = 480
FONT = 13  # font size in user units (the template's font-size)
LINE = 16  # line height of a label
ROW = 40  # minimum height of a layer's boxes
GAP = 8  # space between layers and between repeated boxes
PAD = 2  # room for the highlighted layer's thicker stroke
CHAR = 0.56 * FONT  # average glyph width, to wrap labels without measuring fonts
# Fill opacity over currentColor: darker towards the hardware, strongest for the defining layer.
TINTS = {"hardware": 0.2, "hypervisor": 0.13, "kernel": 0.13, "host-os": 0.11, "emulator": 0.13,
         "runtime": 0.1, "guest-os": 0.07, "app": 0.03}
HIGHLIGHT_TINT = 0.28


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    label: str
    lines: tuple[str, ...]  # the label wrapped to the box's width
    role: str
    highlight: bool

    @property
    def tint(self) -> float:
        return HIGHLIGHT_TINT if self.highlight else TINTS.get(self.role, 0.07)

    @property
    def text_x(self) -> float:
        return round(self.x + self.width / 2, 2)

    @property
    def first_line_y(self) -> float:
        """Baseline-centre of the first line, so the block of lines is centred vertically."""
        return round(self.y + self.height / 2 - (len(self.lines) - 1) * LINE / 2, 2)


@dataclass(frozen=True)
class Diagram:
    id: str  # prefix for the ids of <title> and <desc>
    width: int
    height: int
    boxes: tuple[Box, ...]
    description: str  # the layers in words, bottom to top, for <desc>
    font_size: int = FONT
    line_height: int = LINE


def _box_width(layer: Layer) -> float:
    count = max(layer.repeat, 1)
    return (WIDTH - 2 * PAD - GAP * (count - 1)) / count


def _wrap(layer: Layer) -> tuple[str, ...]:
    columns = max(int((_box_width(layer) - 12) // CHAR), 8)
    return tuple(textwrap.wrap(layer.label, columns, break_long_words=False)) or ("",)


def _row_height(layer: Layer) -> int:
    return max(ROW, len(_wrap(layer)) * LINE + 14)


def _row(layer: Layer, y: float) -> list[Box]:
    width = _box_width(layer)
    lines = _wrap(layer)
    return [
        Box(round(PAD + i * (width + GAP), 2), y, round(width, 2), _row_height(layer),
            layer.label, lines, layer.role, layer.highlight)
        for i in range(max(layer.repeat, 1))
    ]


def _describe(layers: tuple[Layer, ...]) -> str:
    parts = []
    for layer in layers:
        text = layer.label if layer.repeat <= 1 else f"{layer.repeat} × {layer.label}"
        parts.append(f"{text} (capa destacada)" if layer.highlight else text)
    return "De abajo arriba: " + "; ".join(parts) + "."


def stack_diagram(technique: Technique) -> Diagram:
    """Boxes for the technique's layers, hardware at the bottom of the drawing."""
    layers = technique.stack
    heights = [_row_height(layer) for layer in layers]
    height = PAD * 2 + sum(heights) + max(len(layers) - 1, 0) * GAP
    boxes: list[Box] = []
    bottom = height - PAD
    for layer, row_height in zip(layers, heights, strict=True):
        boxes.extend(_row(layer, bottom - row_height))
        bottom -= row_height + GAP
    return Diagram(f"pila-{technique.slug}", WIDTH, height, tuple(boxes), _describe(layers))
