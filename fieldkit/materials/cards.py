"""Wallet cards: 85.6 × 54 mm (ID-1, credit-card size), ten to an A4 or US Letter sheet, two
columns by five rows, with crop marks; page 1 the fronts (key local contacts), page 2 the
backs (the five Ds), mirrored so that a long-edge duplex print puts each back behind its front.
With two languages, the first column holds one language and the second the other."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from fieldkit import RTL_LANGUAGES
from fieldkit.materials.blocks import ACCENT, MUTED, WARN, Blocks, qr_drawing
from fieldkit.materials.facts import Facts
from fieldkit.materials.wording import say
from fieldkit.typeset import (
    Style,
    draw_text,
    format_date,
    ltr_isolate,
    measure,
    place,
    text_width,
)
from fieldkit.typeset.document import Document

CARD_W, CARD_H = 85.6 * mm, 54.0 * mm
COLUMNS, ROWS = 2, 5
# Most office laser and inkjet printers cannot print closer than about 4.2 mm (1/6 inch) to
# the edge of the sheet; everything on a card sheet stays inside that.
PRINTABLE_MARGIN = 4.23 * mm
PAD = 2.6 * mm
BAND = 8.5 * mm
MARK_GAP, MARK_LEN = 1.5 * mm, 5.0 * mm
MAX_SERVICES = 4


@dataclass(frozen=True)
class Slot:
    """A card's rectangle on the sheet (points, origin bottom-left) and its grid position."""

    x: float
    y: float
    column: int
    row: int

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.x, self.y, self.x + CARD_W, self.y + CARD_H


def slots(pagesize: tuple[float, float], back: bool = False) -> list[Slot]:
    """The ten card positions, centred; on the back side the columns swap (long-edge flip)."""
    width, height = pagesize
    left = (width - COLUMNS * CARD_W) / 2
    bottom = (height - ROWS * CARD_H) / 2
    out = []
    for row in range(ROWS):
        for column in range(COLUMNS):
            shown = COLUMNS - 1 - column if back else column
            out.append(Slot(left + shown * CARD_W, bottom + (ROWS - 1 - row) * CARD_H,
                            column, row))
    return out


def crop_marks(pagesize: tuple[float, float]) -> list[tuple[float, float, float, float]]:
    """Crop-mark lines outside the card grid, at every cut, as long as the printable margin
    allows (a margin too narrow for a mark gets none: the card outlines still guide the cut)."""
    width, height = pagesize
    left = (width - COLUMNS * CARD_W) / 2
    bottom = (height - ROWS * CARD_H) / 2
    right, top = width - left, height - bottom
    lines = []
    side_room = left - PRINTABLE_MARGIN - MARK_GAP
    if side_room >= 1.5 * mm:
        length = min(MARK_LEN, side_room)
        for r in range(ROWS + 1):
            y = bottom + r * CARD_H
            lines.append((left - MARK_GAP - length, y, left - MARK_GAP, y))
            lines.append((right + MARK_GAP, y, right + MARK_GAP + length, y))
    end_room = bottom - PRINTABLE_MARGIN - MARK_GAP
    if end_room >= 1.5 * mm:
        length = min(MARK_LEN, end_room)
        for c in range(COLUMNS + 1):
            x = left + c * CARD_W
            lines.append((x, bottom - MARK_GAP - length, x, bottom - MARK_GAP))
            lines.append((x, top + MARK_GAP, x, top + MARK_GAP + length))
    return lines


Fitted = dict[tuple[object, ...], list[Flowable]]


def _fit(cache: Fitted, key: tuple[object, ...], build: Callable[[float], list[Flowable]],
         width: float, height: float, smallest: float = 0.6) -> list[Flowable]:
    """The content at the largest scale (160 % down to `smallest`, by bisection) that fits;
    empty if none does. Every card of a language is the same: fitted once per sheet (`key`)."""
    if key in cache:
        return cache[key]
    steps = [1.6 - 0.05 * n for n in range(21) if 1.6 - 0.05 * n >= smallest - 1e-9]
    lo, hi, best = 0, len(steps) - 1, None
    while lo <= hi:
        mid = (lo + hi) // 2
        flowables = build(steps[mid])
        if measure(flowables, width) <= height:
            best, hi = flowables, mid - 1
        else:
            lo = mid + 1
    cache[key] = list(best or [])
    return cache[key]


def _front(canvas: Canvas, slot: Slot, b: Blocks, facts: Facts, cache: Fitted) -> None:
    x0, _y0, _x1, y1 = slot.box
    _band(canvas, slot, say("cards_title", b.lang), facts.place(b.lang), b)
    inner_w = CARD_W - 2 * PAD
    foot = _footer(canvas, slot, b, facts)
    room = CARD_H - BAND - PAD - foot - 1.0 * mm

    def content(count: int, hours: bool, scale: float) -> list[Flowable]:
        s = Blocks(b.lang, b.rtl, scale, facts)
        shown = facts.card_services(count)
        if not shown:  # none listed, or (whole country) all listed by place: say which
            return s.always(6.2, with_no_services=True, other_places=False)
        out: list[Flowable] = []
        for service in shown:
            out += s.service(service, 6.4, with_category=True, contacts=1, hours=hours)
        if facts.places:
            out.append(s.para(s.by_place(), 6.0, bold=True, space_before=2.0 * scale))
        return out

    # Most services legible first: fewer lines (no hours, then fewer services) before small type.
    listed = len(facts.card_services(MAX_SERVICES))
    variants = [(count, hours, 0.85) for count in range(max(listed, 1), 0, -1)
                for hours in (True, False)]
    flowables: list[Flowable] = []
    for count, hours, smallest in [*variants, (1, False, 0.6)]:
        flowables = _fit(cache, ("front", b.lang, count, hours, smallest),
                         functools.partial(content, count, hours), inner_w, room, smallest)
        if flowables:
            break
    place(canvas, flowables, x0 + PAD, y1 - BAND - 1.0 * mm, inner_w)


def _back(canvas: Canvas, slot: Slot, b: Blocks, facts: Facts, qr: str | None,
          cache: Fitted) -> None:
    x0, y0, x1, y1 = slot.box
    _band(canvas, slot, say("five_ds_title", b.lang), None, b)
    inner_w = CARD_W - 2 * PAD
    foot = _footer(canvas, slot, b, facts)  # the back travels alone too: version, SAMPLE
    qr_size = 16 * mm if qr else 0.0
    if qr:
        qx = x0 + PAD if b.rtl else x1 - PAD - qr_size
        qr_drawing(qr, qr_size).drawOn(canvas, qx, y0 + foot)
        inner_w -= qr_size + 1.5 * mm
    room = CARD_H - BAND - PAD * 0.8 - foot

    def content(scale: float) -> list[Flowable]:
        s = Blocks(b.lang, b.rtl, scale, facts)
        return [s.para([(say(f"d{n}", b.lang) + say("d_sep", b.lang), True),
                        (say(f"d{n}_line", b.lang), False)], 6.0, leading=6.0 * scale * 1.32)
                for n in range(1, 6)]

    left = x0 + PAD + (qr_size + 1.5 * mm if qr and b.rtl else 0.0)
    fitted = _fit(cache, ("back", b.lang), content, inner_w, room)
    place(canvas, fitted, left, y1 - BAND - 0.8 * mm, inner_w)


def _band(canvas: Canvas, slot: Slot, title: str, place_name: str | None, b: Blocks) -> None:
    x0, _y0, x1, y1 = slot.box
    canvas.saveState()
    canvas.setFillColor(ACCENT)
    canvas.rect(x0, y1 - BAND, CARD_W, BAND, stroke=0, fill=1)
    canvas.restoreState()
    size = 8.0
    style = Style(size=size, bold=True, color=colors.white)
    sub = Style(size=6.2, color=colors.white)
    room = CARD_W - 2 * PAD
    extra = (" · " + place_name) if place_name else ""
    while size > 5 and text_width(title, style, b.rtl) + (
            text_width(extra, sub, b.rtl) if extra else 0) > room:
        size -= 0.25
        style, sub = style.but(size=size), sub.but(size=size * 0.78)
    start = x1 - PAD if b.rtl else x0 + PAD
    baseline = y1 - BAND / 2 - size * 0.33
    width = draw_text(canvas, title, start, baseline, style, b.rtl, "start")
    if extra:
        at = start - width if b.rtl else start + width
        draw_text(canvas, extra, at, baseline, sub, b.rtl, "start")


def _footer(canvas: Canvas, slot: Slot, b: Blocks, facts: Facts) -> float:
    """The card's own honesty line (it travels without its sheet) and its SAMPLE tag."""
    x0, y0, x1, _y1 = slot.box
    line = say("version_line", b.lang, version=ltr_isolate(facts.version),
               date=format_date(facts.today, b.lang, "medium"))
    style = Style(size=4.3, color=MUTED)
    start, end = (x1 - PAD, x0 + PAD) if b.rtl else (x0 + PAD, x1 - PAD)
    baseline = y0 + PAD * 0.55
    tag_w = 0.0
    if facts.example:
        tag = Style(size=7.5, bold=True, color=WARN)
        tag_w = draw_text(canvas, say("sample", b.lang), end, baseline, tag, b.rtl, "end")
    while text_width(line, style, b.rtl) > CARD_W - 2 * PAD - tag_w - 2 * mm and style.size > 3:
        style = style.but(size=style.size - 0.1)
    draw_text(canvas, line, start, baseline, style, b.rtl, "start")
    return float(4.0 * mm if facts.example else 2.6 * mm)


def render(doc: Document, facts: Facts, langs: Sequence[str], qr: str | None) -> bytes:
    """Fronts on page 1, backs on page 2."""
    pagesize = doc.pagesize

    def lang_of(slot: Slot) -> str:
        return langs[slot.column % len(langs)]

    def blocks(lang: str) -> Blocks:
        return Blocks(lang, lang in RTL_LANGUAGES, 1.0, facts)

    cache: Fitted = {}

    def draw(canvas: Canvas, page: int) -> bool:
        back = page == 2
        for slot in slots(pagesize, back):
            b = blocks(lang_of(slot))
            canvas.saveState()
            path = canvas.beginPath()
            path.rect(slot.x, slot.y, CARD_W, CARD_H)
            canvas.clipPath(path, stroke=0, fill=0)
            if back:
                _back(canvas, slot, b, facts, qr, cache)
            else:
                _front(canvas, slot, b, facts, cache)
            canvas.restoreState()
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#b0b0b0"))
        canvas.setLineWidth(0.3)
        for slot in slots(pagesize, back):
            canvas.rect(slot.x, slot.y, CARD_W, CARD_H, stroke=1, fill=0)
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.5)
        for x_a, y_a, x_b, y_b in crop_marks(pagesize):
            canvas.line(x_a, y_a, x_b, y_b)
        canvas.restoreState()
        return not back

    return doc.render_pages(draw)
