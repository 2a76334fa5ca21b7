"""Bidi-aware lines: levels, line breaks, shaping, visual order, and the text layer's order.

A paragraph is broken into lines on its logical text (break opportunities from UAX #14 in
`fieldkit.typeset.linebreak`, bidi levels from UAX #9 through `python-bidi`, widths from
HarfBuzz); each line is then shaped run by run and its runs put in visual order (UBA rule L2).
Each drawn glyph carries the logical character it stands for; a ligature is its visible glyph
plus invisible stand-ins, one per further character; combining marks are drawn as outlines and
their characters carried by stand-ins. The text layer is written in logical order by pieces
(see `_pieces`) so that both pdftotext and pypdf read the characters back in the order they
were typed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz as hb
from bidi import algorithm as uba

from fieldkit.typeset.fonts import Face, choose_faces
from fieldkit.typeset.linebreak import opportunities
from fieldkit.typeset.reportlab_fence import DrawGlyph, Piece

# Directional formatting characters: they steer the levels and are never drawn.
BIDI_CONTROLS = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LRM = "\u200e"


def ltr_isolate(text: str) -> str:
    """Mark `text` (a phone number, an e-mail address, a code) to keep its own left-to-right
    order inside right-to-left text: "+373 22 000 000" must not print as "000 000 22 373+".
    The run is also kept on one line (unless it is longer than a line)."""
    return LRM + text + LRM if text else text


def paragraph_levels(text: str, rtl: bool) -> list[int]:
    """The UBA's resolved embedding level of every character (rules X1–I2)."""
    if not text:
        return []
    storage = uba.get_empty_storage()
    storage["base_level"], storage["base_dir"] = (1, "R") if rtl else (0, "L")
    uba.get_embedding_levels(text, storage)
    for i, char in enumerate(storage["chars"]):
        char["index"] = i  # X9 drops some characters: keep each one's place
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    levels: list[int | None] = [None] * len(text)
    for char in storage["chars"]:
        levels[char["index"]] = char["level"]
    base = 1 if rtl else 0
    out: list[int] = []
    for level in levels:
        out.append(level if level is not None else (out[-1] if out else base))
    return out


def is_rtl_text(text: str) -> bool:
    """True when the first strong character is right-to-left (UBA rules P2–P3)."""
    return bool(uba.get_base_level(text)) if text else False


@dataclass(slots=True)
class _Unit:
    index: int  # logical index in the paragraph
    char: str
    face: Face
    gid: int  # glyph drawn; the space glyph for a stand-in
    outline: int | None  # glyph drawn as a path (combining marks, extra glyphs of a cluster)
    advance: float  # thousandths of an em
    dx: float
    dy: float
    positioned: bool  # the visible glyph of its cluster (offsets apply to it)
    run: int
    seq: int
    actual: str | None
    x: float = 0.0  # points from the line's left edge


@dataclass(slots=True)
class Line:
    """One laid-out line: glyph units in visual order and the line's width in points."""

    units: list[_Unit]
    width: float
    size: float
    start: int
    end: int

    def pieces(self, x: float, y: float) -> list[Piece]:
        return _pieces(self.units, x, y, self.size)

    def outlines(self, x: float, y: float) -> list[tuple[Face, int, float, float]]:
        """Glyphs drawn as paths: (face, glyph, x, y) of their origin."""
        k = self.size / 1000.0
        return [(u.face, u.outline, x + u.x + u.dx * k, y + u.dy * k)
                for u in self.units if u.outline is not None]


@lru_cache(maxsize=4096)
def _shape(face: Face, text: str, rtl: bool) -> tuple[tuple[int, int, int, int, int], ...]:
    """(cluster, glyph, x_advance, x_offset, y_offset) in font units, visual order."""
    buf = hb.Buffer()
    buf.add_str(text)
    buf.direction = "rtl" if rtl else "ltr"
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    buf.guess_segment_properties()
    hb.shape(face.hb_font(), buf, {"kern": True, "liga": True})
    return tuple((info.cluster, info.codepoint, pos.x_advance, pos.x_offset, pos.y_offset)
                 for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True))


def _runs(indices: Sequence[int], levels: Sequence[int],
          faces: Sequence[Face]) -> list[list[int]]:
    """Maximal runs of drawn characters with one level and one face (logical order)."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and levels[runs[-1][-1]] == levels[i] and faces[runs[-1][-1]] is faces[i] \
                and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _visual_order(run_levels: Sequence[int]) -> list[int]:
    """UBA rule L2: from the highest level down to the lowest odd level, reverse every maximal
    sequence of runs at that level or higher."""
    order = list(range(len(run_levels)))
    if not order:
        return order
    lowest_odd = min([lv for lv in run_levels if lv % 2] or [max(run_levels) + 1])
    for level in range(max(run_levels), lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if run_levels[order[i]] >= level:
                j = i
                while j < len(order) and run_levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


class Text:
    """A paragraph's text prepared for layout: levels, faces and break opportunities."""

    def __init__(self, text: str, bold: Sequence[bool], rtl: bool, size: float) -> None:
        self.text, self.rtl, self.size = text, rtl, size
        self.levels = paragraph_levels(text, rtl)
        self.faces = choose_faces(text, list(bold))
        self.drawn = [i for i, c in enumerate(text) if c not in BIDI_CONTROLS]
        self._drawn_set = set(self.drawn)

    def _width(self, start: int, end: int, trim: bool = True) -> float:
        """Width in points of text[start:end], trailing spaces excluded unless `trim` is off."""
        while trim and end > start and self.text[end - 1].isspace():
            end -= 1
        indices = [i for i in range(start, end) if i in self._drawn_set]
        total = 0.0
        for run in _runs(indices, self.levels, self.faces):
            face = self.faces[run[0]]
            text = "".join(self.text[i] for i in run)
            shaped = _shape(face, text, bool(self.levels[run[0]] % 2))
            total += face.thousandths(sum(g[2] for g in shaped))
        return total * self.size / 1000.0

    def break_lines(self, width: float) -> list[tuple[int, int]]:
        """Greedy line breaking at UAX #14 opportunities. A line's width is the sum of its
        segments' shaped widths (shaping does not cross a break opportunity in practice: Arabic
        joining stops at spaces). A segment longer than the line is cut between characters
        rather than allowed to overflow."""
        text, eps = self.text, 0.01
        lines: list[tuple[int, int]] = []
        start = end = 0
        used = 0.0  # width of text[start:end] with its trailing spaces
        for b in self._opportunities():
            if b <= end:
                continue
            full, trimmed = self._width(end, b, trim=False), self._width(end, b)
            if used + trimmed > width + eps and end > start:
                lines.append((start, end))
                start, used = end, 0.0
            if used + trimmed > width + eps:  # one segment wider than the line
                cuts = self._cut(start, b, width)
                lines.extend(cuts[:-1])
                start = cuts[-1][0]
                used = self._width(start, b, trim=False)
            else:
                used += full
            end = b
            if text[b - 1] in "\n\u2028" and b < len(text):  # mandatory break
                lines.append((start, end))
                start, used = end, 0.0
        if end > start:
            lines.append((start, end))
        return lines or [(0, 0)]

    def _opportunities(self) -> list[int]:
        """UAX #14 opportunities, except inside an isolated left-to-right run (`ltr_isolate`):
        a phone number or a web address is kept on one line, unless it is longer than one."""
        marks = [i for i, c in enumerate(self.text) if c == LRM]
        kept = list(zip(marks[::2], marks[1::2], strict=False))
        return [b for b in opportunities(self.text)
                if not any(a < b <= z for a, z in kept)]

    def _cut(self, start: int, end: int, width: float) -> list[tuple[int, int]]:
        pieces, s = [], start
        for i in range(start + 1, end + 1):
            if i - 1 > s and self._width(s, i) > width:
                pieces.append((s, i - 1))
                s = i - 1
        pieces.append((s, end))
        return pieces

    def line(self, start: int, end: int) -> Line:
        """Lay out text[start:end]: trailing spaces dropped, runs shaped and put in visual
        order."""
        while end > start and self.text[end - 1] in " \t\n\u2028":
            end -= 1
        indices = [i for i in range(start, end) if i in self._drawn_set]
        runs = _runs(indices, self.levels, self.faces)
        order = _visual_order([self.levels[r[0]] for r in runs])
        per_run: list[list[_Unit]] = []
        for r, run in enumerate(runs):
            per_run.append(self._units(r, run))
        x, k = 0.0, self.size / 1000.0
        for r in order:
            for u in per_run[r]:
                u.x = x
                x += u.advance * k
        return Line([u for units in per_run for u in units], x, self.size, start, end)

    def _units(self, r: int, run: list[int]) -> list[_Unit]:
        face, level = self.faces[run[0]], self.levels[run[0]]
        rtl = bool(level % 2)
        run_text = "".join(self.text[i] for i in run)
        shaped = _shape(face, run_text, rtl)
        starts = [*sorted({g[0] for g in shaped}), len(run)]
        space = face.glyph(32) or 0
        units: list[_Unit] = []
        seen: set[int] = set()
        for cluster, gid, x_adv, x_off, y_off in shaped:
            n = starts[starts.index(cluster) + 1] - cluster
            chars = run_text[cluster:cluster + n]
            mark = all(unicodedata.category(c) == "Mn" for c in chars)
            extra_glyph = cluster in seen  # a further glyph of a cluster already carried
            seen.add(cluster)
            if extra_glyph and units:  # drawn as a path; its advance joins the glyph before it
                adv = face.thousandths(x_adv)
                units[-1].advance += adv
                units.append(_Unit(run[cluster], "", face, space, gid, 0.0,
                                   face.thousandths(x_off) - adv, face.thousandths(y_off), False,
                                   r, len(units), None))
                continue
            for j in range(n):  # the glyph, then one invisible stand-in per further character
                pos = cluster + (n - 1 - j if rtl else j)
                i, char = run[pos], run_text[pos]
                visible = j == 0 and not mark
                units.append(_Unit(
                    i, char, face, gid if visible else space,
                    gid if (mark and j == 0) else None,
                    face.thousandths(x_adv) / n, face.thousandths(x_off),
                    face.thousandths(y_off), visible, r, len(units),
                    self._actual(i, char, rtl)))
        return units

    def _actual(self, i: int, char: str, rtl: bool) -> str | None:
        """Neutral characters inside right-to-left text carry RLMs for poppler (pypdf ignores
        /ActualText), so that it keeps them where they were typed."""
        if not rtl or unicodedata.bidirectional(char) in ("R", "AL", "NSM"):
            return None
        if char == " " and not (i and self.levels[i - 1] > self.levels[i]):
            return None
        return "\u200f" + char + "\u200f"


def _extract_class(char: str) -> str:
    """How pypdf classes a character when it reorders right-to-left text: R, L or N."""
    o = ord(char)
    if (o <= 0x2F or 0x3A <= o <= 0x40 or 0x660 <= o <= 0x66D or 0x6F0 <= o <= 0x6F9
            or 0x2000 <= o <= 0x206F or 0x20A0 <= o <= 0x21FF):
        return "N"
    if 0x590 <= o <= 0x8FF or 0xFB1D <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF:
        return "R"
    return "L"


def _pieces(units: Sequence[_Unit], x0: float, y: float, size: float) -> list[Piece]:
    """Glyph groups in logical order. A right-to-left group keeps its glyphs in visual order
    (pypdf reverses it back); neutrals stand alone unless they follow left-to-right text."""
    groups: list[tuple[str, int, list[_Unit]]] = []
    for u in sorted((u for u in units if u.char), key=lambda u: (u.index, u.seq)):
        cls = _extract_class(u.char)
        if groups and groups[-1][1] == u.run and groups[-1][0] != "N" \
                and (cls == groups[-1][0] or (cls == "N" and groups[-1][0] == "L")):
            groups[-1][2].append(u)
        else:
            groups.append((cls, u.run, [u]))
    ordered: list[list[_Unit]] = []
    for cls, _run, group in groups:
        tail: list[list[_Unit]] = []
        while cls == "L" and len(group) > 1 and _extract_class(group[-1].char) == "N":
            tail.insert(0, [group.pop()])
        ordered += [group, *tail]
    k = size / 1000.0
    pieces: list[Piece] = []
    for group in ordered:
        group = sorted(group, key=lambda u: u.seq)
        glyphs: list[DrawGlyph] = []
        for j, u in enumerate(group):
            nxt = group[j + 1] if j + 1 < len(group) else None
            extra = max(nxt.dx, 0.0) if nxt is not None and nxt.positioned else 0.0
            xo, yo = (u.dx, u.dy) if u.positioned else (0.0, 0.0)
            width = u.advance + extra - min(xo, 0.0)  # rightward moves live in /Widths
            glyphs.append(DrawGlyph(
                u.face, u.gid, u.char, width,
                before=-xo if (j and xo < 0) else 0.0, after=xo if xo > 0 else 0.0,
                rise=yo * k, actual=u.actual))
        first = group[0]
        fx = first.dx if first.positioned else 0.0
        pieces.append(Piece(x0 + first.x + fx * k, y, size, glyphs))
    return pieces
