"""Everything that touches ReportLab's internals, in one place (ReportLab is pinned ==5.1.0).

Why internals at all: ReportLab cannot write right-to-left text whose text layer reads back in
logical order (its bidi support needs `rlbidi`, which is not published). We shape and order the
glyphs ourselves and write the text operators here:

- every drawn glyph gets a code of its own (a private code point added to the font's map) whose
  ToUnicode entry is exactly the logical character it stands for, so extractors read the
  characters people typed, never presentation forms;
- ReportLab's ToUnicode builder is wrapped to write those entries (only for our private codes:
  fonts and text drawn through ReportLab's own API are untouched);
- text is written into the page's content stream directly (`BT … ET`), in logical order by
  pieces (see `fieldkit.typeset.lines`);
- `PagedCanvas` keeps each page until the end so that "page N of M" knows M.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

from fieldkit.typeset.fonts import Face, all_faces

_PRIVATE_BASE = 0xF0000  # supplementary private use area A: no real text lives there
_lock = threading.Lock()
_register_lock = threading.Lock()
_registered: set[str] = set()
_codes: dict[tuple[str, int, str, float], int] = {}
_to_unicode: dict[int, str] = {}
_original_cmap = ttfonts.makeToUnicodeCMap


def _cmap_with_logical_text(fontname: str, subset: list[int]) -> str:
    lines: list[str] = _original_cmap(fontname, subset).split("\n")
    first = lines.index(f"{len(subset)} beginbfchar") + 1
    for k, code in enumerate(subset):
        text = _to_unicode.get(code)
        if text is not None:
            lines[first + k] = "<{:02X}> <{}>".format(k, text.encode("utf-16-be").hex().upper())
    return "\n".join(lines)


ttfonts.makeToUnicodeCMap = _cmap_with_logical_text


def register(face: Face) -> None:
    """Make the face known to ReportLab (embedded and subset when a page uses it)."""
    if face.name in _registered:
        return
    with _register_lock:
        # Not getFont(): for an unknown name it searches every Type 1 font on the system
        # first (seconds where Ghostscript's fonts are installed).
        if face.name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(ttfonts.TTFont(face.name, str(face.path)))
        _registered.add(face.name)


def register_all() -> None:
    """Every bundled face, when the first PDF is made (parsing them takes most of a second:
    not at import, which every command and the app's start-up would pay)."""
    for each in all_faces():
        register(each)


def _glyph_code(face: Face, gid: int, text: str, width: float) -> int:
    """One code per (glyph, logical text, advance): its width goes in /Widths, its text in
    ToUnicode."""
    key = (face.name, gid, text, round(width, 3))
    with _lock:
        code = _codes.get(key)
        if code is None:
            code = _codes[key] = _PRIVATE_BASE + len(_codes)
            if code > 0xFFFFD:
                raise RuntimeError("too many distinct glyphs for one process")
            ttf = pdfmetrics.getFont(face.name)
            ttf.face.charToGlyph[code] = gid
            ttf.face.charWidths[code] = key[3]
            _to_unicode[code] = text
        return code


@dataclass(slots=True)
class DrawGlyph:
    """One glyph of a piece: what to draw, its logical text, and where relative to the pen."""

    face: Face
    gid: int
    text: str
    width: float  # thousandths of an em: the pen advance after this glyph
    before: float = 0.0  # TJ adjustment before the glyph (thousandths; positive moves left)
    after: float = 0.0  # TJ adjustment after the glyph
    rise: float = 0.0  # points, for a raised or lowered glyph
    actual: str | None = None  # /ActualText for this glyph (poppler reads it)


@dataclass(slots=True)
class Piece:
    """Glyphs written together after one `Tf`/`Tm`; pieces come in logical order."""

    x: float
    y: float
    size: float
    glyphs: Sequence[DrawGlyph]


def draw_pieces(canvas: Canvas, pieces: Sequence[Piece]) -> None:
    """Write the pieces as one text object into the current page of `canvas`."""
    doc = canvas._doc
    ops = ["BT"]
    for piece in pieces:
        prev = None
        for k, g in enumerate(piece.glyphs):
            register(g.face)
            ttf = pdfmetrics.getFont(g.face.name)
            code = _glyph_code(g.face, g.gid, g.text, g.width)
            ((subset, data),) = ttf.splitString(chr(code), doc)
            name = ttf.getSubsetInternalName(subset, doc)
            parts: list[str] = []
            if k == 0:  # pypdf flushes its right-to-left buffer at each Tf
                ops.append(f"{name} {fp_str(piece.size)} Tf "
                           f"1 0 0 1 {fp_str(piece.x)} {fp_str(piece.y)} Tm")
            elif name != prev:
                ops.append(f"{name} {fp_str(piece.size)} Tf")
            if g.before:
                parts.append(fp_str(g.before))
            parts.append(f"({canvas._escape(data)})")
            if g.after:
                parts.append(fp_str(g.after))
            prev = name
            if g.rise:
                ops.append(f"{fp_str(g.rise)} Ts")
            if g.actual is not None:
                actual = g.actual.encode("utf-16-be").hex().upper()
                ops.append(f"/Span <</ActualText <FEFF{actual}>>> BDC")
            ops.append(f"[{' '.join(parts)}] TJ")
            if g.actual is not None:
                ops.append("EMC")
            if g.rise:
                ops.append("0 Ts")
    ops.append("ET")
    canvas._code.append("\n".join(ops))


class PagedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that holds its pages until save, then calls `finish_page(canvas, n, total)` on
    each, so that every page can say "page N of M"."""

    finish_page: Callable[[Canvas, int, int], None] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        register_all()  # before its initial font is looked up
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for n, state in enumerate(self._held, 1):
            self.__dict__.update(state)
            if self.finish_page is not None:
                self.finish_page(self, n, total)
            super().showPage()
        super().save()
