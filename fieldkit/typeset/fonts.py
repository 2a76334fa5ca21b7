"""The bundled fonts and the choice of a font for each character (script-aware fallback).

Latin, Cyrillic and Greek come from Noto Sans, Arabic from Noto Naskh Arabic (a print face),
Chinese from Droid Sans Fallback. A character takes the font of its script; characters shared
by all scripts (spaces, digits, punctuation) stay in the font of the text around them, so that
a run of Arabic with its spaces and digits is shaped as one piece.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import uharfbuzz as hb

FONT_DIR = Path(str(resources.files("fieldkit") / "fonts"))


@dataclass(eq=False)
class Face:
    """One font file: its HarfBuzz face for shaping and its name in PDFs."""

    name: str  # the ReportLab font name, unique per file
    path: Path
    hb_face: hb.Face = field(repr=False)
    upem: int
    _font: hb.Font = field(repr=False)
    _cmap: dict[int, int | None] = field(default_factory=dict, repr=False)

    def glyph(self, codepoint: int) -> int | None:
        """The glyph this font maps `codepoint` to, or None when it has none."""
        if codepoint not in self._cmap:
            self._cmap[codepoint] = self._font.get_nominal_glyph(codepoint)
        return self._cmap[codepoint]

    def has(self, char: str) -> bool:
        return self.glyph(ord(char)) is not None

    def hb_font(self) -> hb.Font:
        """A HarfBuzz font at the face's own units (1 unit = 1/upem em)."""
        return self._font

    def thousandths(self, units: float) -> float:
        """Font units to thousandths of an em, the unit of PDF glyph widths."""
        return units * 1000.0 / self.upem


@cache
def _face(filename: str) -> Face:
    path = FONT_DIR / filename
    hb_face = hb.Face(hb.Blob.from_file_path(str(path)))
    return Face(name="Fieldkit-" + path.stem, path=path, hb_face=hb_face, upem=hb_face.upem,
                _font=hb.Font(hb_face))


LATIN = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
ARABIC = ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf")
CJK = ("DroidSansFallbackFull.ttf", "DroidSansFallbackFull.ttf")  # no bold cut exists


def face(script: str, bold: bool = False) -> Face:
    """The face for a script family: 'latin', 'arabic' or 'cjk'."""
    files = {"latin": LATIN, "arabic": ARABIC, "cjk": CJK}[script]
    return _face(files[1 if bold else 0])


def all_faces() -> list[Face]:
    return [_face(name) for name in dict.fromkeys(LATIN + ARABIC + CJK)]


def script_of(char: str) -> str | None:
    """'arabic', 'cjk' or 'latin' for a character that belongs to a script; None for the
    characters every script shares (spaces, digits, punctuation, symbols, marks)."""
    o = ord(char)
    if (0x0600 <= o <= 0x08FF or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF
            or 0x10E60 <= o <= 0x10E7F):
        return "arabic"
    if (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF
            or 0x20000 <= o <= 0x3FFFF or 0x3000 <= o <= 0x303F):
        return "cjk"
    category = unicodedata.category(char)
    if category[0] == "L":
        return "latin"
    return None


def choose_faces(text: str, bold: list[bool]) -> list[Face]:
    """One face per character: the script's face when it has the glyph; shared characters keep
    the face of the character before them (or after, at the start) when that face has them."""
    chosen: list[Face | None] = [None] * len(text)
    for i, char in enumerate(text):
        script = script_of(char)
        if script is not None:
            chosen[i] = _covering(char, face(script, bold[i]), bold[i])
    for i, char in enumerate(text):  # shared characters: inherit from the left
        if chosen[i] is None and i and chosen[i - 1] is not None:
            prev = chosen[i - 1]
            assert prev is not None
            same_weight = prev if _weight_matches(prev, bold[i]) else None
            if same_weight is not None and same_weight.has(char):
                chosen[i] = same_weight
    for i in range(len(text) - 1, -1, -1):  # leading shared characters: inherit from the right
        nxt = chosen[i + 1] if i + 1 < len(text) else None
        if chosen[i] is None and nxt is not None and _weight_matches(nxt, bold[i]) \
                and nxt.has(text[i]):
            chosen[i] = nxt
    return [c if c is not None else _covering(text[i], face("latin", bold[i]), bold[i])
            for i, c in enumerate(chosen)]


def _weight_matches(candidate: Face, bold: bool) -> bool:
    return ("Bold" in candidate.path.name) == bold or candidate.path.name == CJK[0]


def _covering(char: str, preferred: Face, bold: bool) -> Face:
    if preferred.has(char) or not char.strip():
        return preferred
    for script in ("latin", "arabic", "cjk"):
        candidate = face(script, bold)
        if candidate.has(char):
            return candidate
    return preferred  # drawn as .notdef: visible, never silently dropped
