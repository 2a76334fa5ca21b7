"""Flowables for platypus: bidi-aware paragraphs and label/value tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from fieldkit.typeset import reportlab_fence
from fieldkit.typeset.fonts import Face
from fieldkit.typeset.lines import Line, Text, is_rtl_text


@dataclass(frozen=True)
class Style:
    """How a paragraph looks. `align` is 'start' (left in LTR, right in RTL), 'end', 'center'."""

    size: float = 10.0
    leading: float | None = None  # default: 1.5 × size (room for Arabic marks)
    bold: bool = False
    align: str = "start"
    color: Any = colors.black
    space_before: float = 0.0
    space_after: float = 0.0

    @property
    def line_height(self) -> float:
        return self.leading if self.leading is not None else self.size * 1.5

    def but(self, **changes: Any) -> Style:
        return replace(self, **changes)


Spans = Sequence[tuple[str, bool]]  # (text, bold) pieces of one paragraph


class Paragraph(Flowable):  # type: ignore[misc]
    """A paragraph of any script: lines broken on the logical text, each line in visual order.

    `rtl` is the paragraph direction: True for Arabic documents, False for left-to-right ones,
    None to take it from the first strong character. `text` is a string or (text, bold) spans.
    """

    def __init__(self, text: str | Spans, style: Style | None = None,
                 rtl: bool | None = None) -> None:
        super().__init__()
        self.style = style or Style()
        spans: Spans = [(text, self.style.bold)] if isinstance(text, str) else text
        self.text = "".join(t for t, _b in spans)
        bold = [b for t, b in spans for _c in t]
        self.rtl = is_rtl_text(self.text) if rtl is None else rtl
        self._prepared = Text(self.text, bold, self.rtl, self.style.size)
        self._lines: list[Line] = []
        self._width = 0.0
        self.spaceBefore = self.style.space_before
        self.spaceAfter = self.style.space_after

    def lines(self, width: float) -> list[Line]:
        if not self._lines or abs(width - self._width) > 0.01:
            self._width = width
            self._lines = [self._prepared.line(s, e)
                           for s, e in self._prepared.break_lines(width)]
        return self._lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = len(self.lines(availWidth)) * self.style.line_height
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lines = self.lines(availWidth)
        fit = int(availHeight // self.style.line_height)
        if fit <= 0 or fit >= len(lines):
            return [] if fit <= 0 else [self]
        return [_LinesFlowable(self, lines[:fit]), _LinesFlowable(self, lines[fit:])]

    def draw(self) -> None:
        draw_lines(self.canv, self._lines, 0, self.height, self.width, self.style, self.rtl)


class _LinesFlowable(Flowable):  # type: ignore[misc]
    """Part of a paragraph split across frames."""

    def __init__(self, source: Paragraph, lines: list[Line]) -> None:
        super().__init__()
        self.source, self.line_list = source, lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = len(self.line_list) * self.source.style.line_height
        return availWidth, self.height

    def draw(self) -> None:
        draw_lines(self.canv, self.line_list, 0, self.height, self.width, self.source.style,
                   self.source.rtl)


def draw_lines(canvas: Canvas, lines: Sequence[Line], x: float, top: float, width: float,
               style: Style, rtl: bool) -> None:
    """Draw laid-out lines in a box whose top-left corner is (x, top)."""
    canvas.saveState()
    canvas.setFillColor(style.color)
    pieces = []
    outlines: list[tuple[Face, int, float, float]] = []
    for n, line in enumerate(lines):
        baseline = top - n * style.line_height - (style.line_height + style.size * 0.62) / 2
        free = width - line.width
        align = style.align
        if align == "start":
            align = "right" if rtl else "left"
        elif align == "end":
            align = "left" if rtl else "right"
        offset = {"left": 0.0, "right": free, "center": free / 2}[align]
        pieces += line.pieces(x + offset, baseline)
        outlines += line.outlines(x + offset, baseline)
    reportlab_fence.draw_pieces(canvas, pieces)
    _draw_outlines(canvas, outlines, style.size)
    canvas.restoreState()


def draw_text(canvas: Canvas, text: str, x: float, y: float, style: Style,
              rtl: bool | None = None, anchor: str = "start") -> float:
    """One line of text with its baseline at y; `anchor` 'start', 'end' or 'center' says what x
    is (the line's left, right or middle, mirrored for right-to-left). Returns the width."""
    direction = is_rtl_text(text) if rtl is None else rtl
    prepared = Text(text, [style.bold] * len(text), direction, style.size)
    line = prepared.line(0, len(text))
    side = {"start": "right" if direction else "left",
            "end": "left" if direction else "right", "center": "center"}[anchor]
    left = {"left": x, "right": x - line.width, "center": x - line.width / 2}[side]
    canvas.saveState()
    canvas.setFillColor(style.color)
    reportlab_fence.draw_pieces(canvas, line.pieces(left, y))
    _draw_outlines(canvas, line.outlines(left, y), style.size)
    canvas.restoreState()
    return line.width


def text_width(text: str, style: Style, rtl: bool | None = None) -> float:
    direction = is_rtl_text(text) if rtl is None else rtl
    return Text(text, [style.bold] * len(text), direction, style.size).line(0, len(text)).width


class _Pen:
    """Collects a glyph outline from HarfBuzz (fontTools pen protocol) into a ReportLab path."""

    def __init__(self, path: Any, x: float, y: float, scale: float) -> None:
        self.path, self.x, self.y, self.k = path, x, y, scale
        self.cur = (0.0, 0.0)

    def _p(self, p: tuple[float, float]) -> tuple[float, float]:
        return self.x + p[0] * self.k, self.y + p[1] * self.k

    def moveTo(self, p: tuple[float, float]) -> None:
        self.path.moveTo(*self._p(p))
        self.cur = p

    def lineTo(self, p: tuple[float, float]) -> None:
        self.path.lineTo(*self._p(p))
        self.cur = p

    def curveTo(self, a: tuple[float, float], b: tuple[float, float],
                p: tuple[float, float]) -> None:
        self.path.curveTo(*self._p(a), *self._p(b), *self._p(p))
        self.cur = p

    def qCurveTo(self, c: tuple[float, float], p: tuple[float, float]) -> None:
        (x0, y0), (cx, cy), (x, y) = self.cur, c, p
        self.curveTo((x0 + 2 * (cx - x0) / 3, y0 + 2 * (cy - y0) / 3),
                     (x + 2 * (cx - x) / 3, y + 2 * (cy - y) / 3), p)

    def closePath(self) -> None:
        self.path.close()


def _draw_outlines(canvas: Canvas, outlines: Sequence[tuple[Face, int, float, float]],
                   size: float) -> None:
    if not outlines:
        return
    path = canvas.beginPath()
    for face, gid, gx, gy in outlines:
        face.hb_font().draw_glyph_with_pen(gid, _Pen(path, gx, gy, size / face.upem))
    canvas.drawPath(path, stroke=0, fill=1)


def label_value_table(rows: Sequence[tuple[str, str]], width: float, rtl: bool,
                      style: Style | None = None, label_share: float = 0.35,
                      grid: bool = True) -> Grid:
    """Rows of (label, value): labels bold, the label column first in reading order (on the
    right in a right-to-left document)."""
    base = style or Style()
    label_style = base.but(bold=True)
    data = [[Paragraph(label, label_style, rtl), Paragraph(value, base, rtl)]
            for label, value in rows]
    return Grid(data, [width * label_share, width * (1 - label_share)], rtl, grid=grid)


def table(data: Sequence[Sequence[Flowable]], col_widths: Sequence[float], rtl: bool,
          grid: bool = True, header: bool = False) -> Grid:
    """A table of flowables in reading order (first column on the right when `rtl`)."""
    return Grid(data, col_widths, rtl, grid=grid, header=header)


class Grid(Flowable):  # type: ignore[misc]
    """Rows of cells given in reading order; mirrored on the page for right-to-left documents,
    and drawn in reading order so that extracted text reads label before value. Splits between
    rows; a header row repeats on each part."""

    pad = 4.0

    def __init__(self, rows: Sequence[Sequence[Flowable]], col_widths: Sequence[float],
                 rtl: bool, grid: bool = True, header: bool = False) -> None:
        super().__init__()
        self.rows = [list(r) for r in rows]
        self.col_widths, self.rtl, self.grid, self.header = list(col_widths), rtl, grid, header
        self._heights: list[float] = []

    def _row_height(self, row: Sequence[Flowable]) -> float:
        return float(max(cell.wrap(w - 2 * self.pad, 1e6)[1] for cell, w in
                         zip(row, self.col_widths, strict=False))) + 2 * self.pad

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._heights = [self._row_height(r) for r in self.rows]
        self.width, self.height = sum(self.col_widths), sum(self._heights)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        used, n = 0.0, 0
        for h in self._heights:
            if used + h > availHeight:
                break
            used, n = used + h, n + 1
        first = 1 if self.header else 0
        if n <= first or n >= len(self.rows):
            return []
        head = self.rows[:1] if self.header else []
        return [Grid(self.rows[:n], self.col_widths, self.rtl, self.grid, self.header),
                Grid(head + self.rows[n:], self.col_widths, self.rtl, self.grid, self.header)]

    def draw(self) -> None:
        canvas, top = self.canv, self.height
        lefts, x = [], 0.0
        for w in self.col_widths:
            lefts.append(self.width - x - w if self.rtl else x)
            x += w
        for r, (row, h) in enumerate(zip(self.rows, self._heights, strict=True)):
            if self.header and r == 0:
                canvas.saveState()
                canvas.setFillColor(colors.HexColor("#e8e8e8"))
                canvas.rect(0, top - h, self.width, h, stroke=0, fill=1)
                canvas.restoreState()
            for cell, left, w in zip(row, lefts, self.col_widths, strict=False):
                _cw, ch = cell.wrap(w - 2 * self.pad, 1e6)
                cell.drawOn(canvas, left + self.pad, top - self.pad - ch)
            if self.grid:
                canvas.saveState()
                canvas.setStrokeColor(colors.grey)
                canvas.setLineWidth(0.5)
                canvas.rect(0, top - h, self.width, h, stroke=1, fill=0)
                edge = 0.0
                for w in self.col_widths[:-1]:  # inner column edges, mirrored when rtl
                    edge += w
                    at = self.width - edge if self.rtl else edge
                    canvas.line(at, top, at, top - h)
                canvas.restoreState()
            top -= h


class Column(Flowable):  # type: ignore[misc]
    """Flowables stacked in one box (a cell of a side-by-side layout); never split."""

    def __init__(self, flowables: Sequence[Flowable]) -> None:
        super().__init__()
        self.flowables = list(flowables)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = availWidth, measure(self.flowables, availWidth)
        return self.width, self.height

    def draw(self) -> None:
        place(self.canv, self.flowables, 0, self.height, self.width)


class Box(Flowable):  # type: ignore[misc]
    """Flowables in a framed, optionally tinted box (a notice nobody overlooks)."""

    def __init__(self, flowables: Sequence[Flowable], stroke: Any = colors.black,
                 fill: Any = None, pad: float = 6.0, line_width: float = 1.0) -> None:
        super().__init__()
        self.inner, self.stroke, self.fill = Column(flowables), stroke, fill
        self.pad, self.line_width = pad, line_width

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _w, h = self.inner.wrap(availWidth - 2 * self.pad, availHeight)
        self.width, self.height = availWidth, h + 2 * self.pad
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(self.stroke)
        canvas.setLineWidth(self.line_width)
        if self.fill is not None:
            canvas.setFillColor(self.fill)
        canvas.rect(0, 0, self.width, self.height, stroke=1, fill=int(self.fill is not None))
        canvas.restoreState()
        self.inner.drawOn(canvas, self.pad, self.pad)


def measure(flowables: Sequence[Flowable], width: float) -> float:
    """The height a stack of flowables takes at this width (spaces included)."""
    total = 0.0
    for n, item in enumerate(flowables):
        _w, h = item.wrap(width, 1e6)
        total += h + item.getSpaceAfter() + (item.getSpaceBefore() if n else 0.0)
    return float(total)


def place(canvas: Canvas, flowables: Sequence[Flowable], x: float, top: float,
          width: float) -> float:
    """Stack flowables downward from (x, top) in a box of this width, without splitting them;
    returns the height used. Callers measure first (`measure`) to make things fit."""
    y = top
    for n, item in enumerate(flowables):
        if n:
            y -= item.getSpaceBefore()
        _w, h = item.wrap(width, 1e6)
        item.drawOn(canvas, x, y - h)
        y -= h + item.getSpaceAfter()
    return top - y
