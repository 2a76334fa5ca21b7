"""Building blocks shared by the kinds: services with their contacts, the fallback that always
applies, the honesty line, the SAMPLE notice, the QR code. Sizes scale with `s` so that a page
can be fitted by shrinking everything together."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.platypus import Flowable

from fieldkit.content.model import Item
from fieldkit.i18n import N_, format_review_date
from fieldkit.materials.facts import Facts
from fieldkit.materials.wording import say
from fieldkit.presenters import CATEGORY_LABELS, CONTACT_LABELS
from fieldkit.typeset import (
    Box,
    Paragraph,
    Style,
    format_date,
    is_rtl_text,
    ltr_isolate,
    translator,
)

INK = colors.HexColor("#1a1a1a")
ACCENT = colors.HexColor("#0b5394")
WARN = colors.HexColor("#b00020")
MUTED = colors.HexColor("#555555")
TINT = colors.HexColor("#eef3f9")

LABELLED = N_("{label}: {value}")

# Contacts a person dials or types: kept left to right inside right-to-left text.
LTR_CONTACTS = ("phone", "sms", "email", "web")


class Blocks:
    """Flowables for one language at one scale."""

    def __init__(self, lang: str, rtl: bool, scale: float, facts: Facts) -> None:
        self.lang, self.rtl, self.s, self.facts = lang, rtl, scale, facts
        self.t = translator(lang)

    def style(self, size: float, **kw: Any) -> Style:
        kw.setdefault("color", INK)
        return Style(size=size * self.s, **kw)

    def para(self, text: str | Sequence[tuple[str, bool]], size: float,
             **kw: Any) -> Paragraph:
        return Paragraph(text, self.style(size, **kw), rtl=self.rtl)

    def category(self, item: Item) -> str:
        key = item.meta.get("category")
        return self.t(CATEGORY_LABELS[key]) if key in CATEGORY_LABELS else str(key or "")

    def contact(self, contact: dict[str, Any]) -> str:
        """"Phone: +000 0000 0107": a value written left to right (every number, address or
        name in Latin script) keeps its own order inside right-to-left text."""
        kind, value = str(contact.get("type")), str(contact.get("value") or "")
        label = self.t(CONTACT_LABELS[kind]) if kind in CONTACT_LABELS else kind
        keep = kind in LTR_CONTACTS or not is_rtl_text(value)
        return self.labelled(label, ltr_isolate(value) if keep else value)

    def labelled(self, label: str, value: str) -> str:
        """"Label: value" the way the language writes it (French puts a space before the
        colon, Chinese uses a full-width one)."""
        return self.t(LABELLED).format(label=label, value=value)

    def place_text(self, name: str) -> str:
        """A place name as stored (Latin script keeps its order inside right-to-left text)."""
        return ltr_isolate(name) if self.rtl and not is_rtl_text(name) else name

    def verify(self, item: Item) -> str:
        reviewed = item.meta.get("reviewed")
        when = format_review_date(reviewed, self.lang) if reviewed else say(
            "never_checked", self.lang)
        return say("verify", self.lang, date=when)

    def service(self, item: Item, size: float, with_category: bool = False,
                contacts: int | None = None, hours: bool = True) -> list[Flowable]:
        """A service: its name (and category), a VERIFY mark when past its review horizon,
        its contacts, its hours."""
        version = item.pick(self.lang)
        name = version.title
        if with_category:
            name = self.labelled(self.category(item), name)
        out: list[Flowable] = [self.para(name, size, bold=True, space_before=size * 0.5 * self.s)]
        where = self.facts.marked(item)
        if where:
            out.append(self.para(self.labelled(say("place_label", self.lang),
                                               self.place_text(where)), size, bold=True,
                                 color=ACCENT))
        if self.facts.stale(item):
            out.append(self.para(self.verify(item), size * 0.85, bold=True, color=WARN))
        listed = item.meta.get("contacts") or []
        for contact in listed[:contacts] if contacts is not None else listed:
            out.append(self.para(self.contact(contact), size))
        if hours and version.fields.get("hours"):
            out.append(self.para(say("hours", self.lang, hours=str(version.fields["hours"])),
                                 size * 0.9, color=MUTED))
        return out

    def always(self, size: float, with_no_services: bool,
               other_places: bool = True) -> list[Flowable]:
        """What always applies: safety first and the focal point (with the focal point's own
        contacts when the store has them); never an empty box, never an invented number.
        `with_no_services`: the printout lists no service; it says why, truthfully: the
        country's services are listed by place (named), or there are none for the place.
        `other_places`: False leaves out the focal points of single places (a wallet card
        has no room for every place's)."""
        inner: list[Flowable] = []
        if with_no_services and self.facts.places:
            inner.append(self.para(self.by_place(), size))
        elif with_no_services:
            inner.append(self.para(say("no_services", self.lang, place=self.facts.place(
                self.lang)), size))
        inner.append(self.para(say("safety_first", self.lang), size, bold=True,
                               space_before=size * 0.3 * self.s if inner else 0))
        inner.append(self.para(say("focal_point", self.lang), size,
                               space_before=size * 0.3 * self.s))
        for focal in self.facts.focal_points:
            if not other_places and self.facts.marked(focal):
                continue
            inner += self.service(focal, size)
        return [Box(inner, stroke=ACCENT, fill=TINT, pad=6 * self.s, line_width=1.2)]

    def by_place(self) -> str:
        """"Services are listed by place: A, B." (a whole-country wallet card)."""
        sep = "، " if self.lang == "ar" else "、" if self.lang == "zh" else ", "
        return say("by_place", self.lang,
                   places=sep.join(self.place_text(p) for p in self.facts.places))

    def honesty(self, size: float) -> list[Flowable]:
        line = say("version_line", self.lang, version=ltr_isolate(self.facts.version),
                   date=format_date(self.facts.today, self.lang, "medium"))
        out: list[Flowable] = []
        if self.facts.example:
            out.append(self.sample_notice(size * 1.15))
        out.append(self.para(line, size, color=MUTED, space_before=size * 0.6 * self.s))
        return out

    def sample_notice(self, size: float) -> Flowable:
        box = Box([self.para(say("sample_notice", self.lang), size, bold=True, color=WARN)],
                  stroke=WARN, pad=4 * self.s, line_width=1.5)
        box.spaceBefore = size * 0.6 * self.s  # never glued to the box above it
        return box

    def qr(self, text: str, size_pt: float) -> list[Flowable]:
        return [Centered(qr_drawing(text, size_pt * self.s)),
                self.para(say("qr_caption", self.lang, text=ltr_isolate(text)), 8,
                          align="center", color=MUTED)]


def qr_drawing(text: str, size: float) -> Drawing:
    """reportlab's own QR widget, scaled to a square of `size` points (quiet zone included)."""
    widget = QrCodeWidget(text, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


class Centered(Flowable):  # type: ignore[misc]
    """A fixed-size flowable centred in the available width."""

    def __init__(self, inner: Flowable) -> None:
        super().__init__()
        self.inner = inner

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        w, h = self.inner.wrap(availWidth, availHeight)
        self.width, self.height, self._inner_width = availWidth, h, w
        return availWidth, h

    def draw(self) -> None:
        self.inner.drawOn(self.canv, (self.width - self._inner_width) / 2, 0)
