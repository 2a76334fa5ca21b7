"""Documents: paper, page template with a mark on every page, "page N of M", atomic saving."""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal
from reportlab.lib import colors
from reportlab.lib.pagesizes import A3, A4, LETTER, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate

from fieldkit import RTL_LANGUAGES
from fieldkit.errors import FieldkitError
from fieldkit.files import write_atomic
from fieldkit.i18n import N_, _, locale_dir, normalise
from fieldkit.typeset.flowables import Style, draw_text
from fieldkit.typeset.fonts import face
from fieldkit.typeset.reportlab_fence import PagedCanvas

PAPERS: dict[str, tuple[float, float]] = {"a4": A4, "a3": A3, "letter": LETTER}
PAGE_OF = N_("Page {page} of {total}")
CONFIDENTIAL_DRAFT = N_("CONFIDENTIAL DRAFT")
SAMPLE = N_("SAMPLE")


@cache
def translator(lang: str) -> Callable[[str], str]:
    """gettext for one language, independent of the UI's current language (a document may be
    printed in a language other than the one the app is shown in)."""
    return _gettext.translation("fieldkit", locale_dir(), languages=[normalise(lang)],
                                fallback=True).gettext


def babel_locale(lang: str) -> Locale:
    try:
        return Locale.parse(normalise(lang))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def format_date(value: dt.date, lang: str, fmt: str = "long") -> str:
    return str(_babel_date(value, format=fmt, locale=babel_locale(lang)))


def format_number(value: float, lang: str) -> str:
    return str(format_decimal(value, locale=babel_locale(lang)))


def page_label(page: int, total: int, lang: str) -> str:
    """"Page 2 of 5" in the document's language, numbers in its own digits (CLDR)."""
    return translator(lang)(PAGE_OF).format(page=format_number(page, lang),
                                             total=format_number(total, lang))


def paper_size(paper: str, landscape_: bool = False) -> tuple[float, float]:
    try:
        size = PAPERS[paper.lower()]
    except KeyError:
        raise FieldkitError(
            f"Unknown paper size {paper!r}: use one of {', '.join(PAPERS)}.") from None
    return landscape(size) if landscape_ else size


@dataclass
class Document:
    """A PDF in one language (the mark, footer and page labels use it).

    `mark` is printed at the top of every page and, when `watermark` is on, large and diagonal
    across it (a SAMPLE stamp nobody can miss). `footer` is printed at the bottom left with the
    page label at the bottom right (mirrored for right-to-left languages).
    """

    lang: str = "en"
    paper: str = "a4"
    landscape: bool = False
    mark: str | None = None
    watermark: bool = False
    footer: str | None = None
    title: str = ""
    margin: float = 18 * mm
    page_numbers: bool = True
    header_mark: bool = True  # the mark at the top of the page (off for edge-to-edge sheets)
    page_count: int = 0  # pages of the last render
    mark_color: Any = field(default_factory=lambda: colors.HexColor("#b00020"))

    @property
    def rtl(self) -> bool:
        return normalise(self.lang) in RTL_LANGUAGES

    @property
    def pagesize(self) -> tuple[float, float]:
        return paper_size(self.paper, self.landscape)

    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - 2 * self.margin

    @property
    def frame_height(self) -> float:
        return self.pagesize[1] - 2 * self.margin

    def finish_page(self, canvas: Canvas, page: int, total: int) -> None:
        """Marks drawn on every page once the page count is known."""
        self.page_count = total
        width, height = canvas._pagesize
        small = Style(size=8, color=colors.HexColor("#444444"))
        left, right = self.margin, width - self.margin
        start, end = (right, left) if self.rtl else (left, right)
        base = self.margin * 0.45
        if self.page_numbers:
            draw_text(canvas, page_label(page, total, self.lang), end, base, small, self.rtl,
                      "end")
        if self.footer:
            draw_text(canvas, self.footer, start, base, small, self.rtl, "start")
        if self.mark:
            if self.header_mark:
                mark_style = Style(size=10, bold=True, color=self.mark_color)
                draw_text(canvas, self.mark, width / 2, height - self.margin * 0.55, mark_style,
                          self.rtl, "center")
            if self.watermark:
                canvas.saveState()
                canvas.translate(width / 2, height / 2)
                canvas.rotate(35)
                stamp = Style(size=min(width, height) / 6, bold=True,
                              color=colors.Color(0.75, 0.0, 0.1, alpha=0.22))
                draw_text(canvas, self.mark, 0, -stamp.size / 3, stamp, self.rtl, "center")
                canvas.restoreState()

    def _canvas(self, buffer: io.BytesIO) -> PagedCanvas:
        canvas = PagedCanvas(buffer, pagesize=self.pagesize, pageCompression=1,
                             initialFontName=face("latin").name)
        canvas.finish_page = self.finish_page
        canvas.setTitle(self.title)
        canvas.setCreator("Fieldkit")
        canvas.setProducer("Fieldkit")
        canvas.setAuthor("")
        return canvas

    def render(self, story: Sequence[Flowable]) -> bytes:
        """Lay out flowables on as many pages as they need; the PDF as bytes (in memory)."""
        buffer = io.BytesIO()
        doc = BaseDocTemplate(buffer, pagesize=self.pagesize, title=self.title,
                              leftMargin=self.margin, rightMargin=self.margin,
                              topMargin=self.margin, bottomMargin=self.margin,
                              creator="Fieldkit", author="", invariant=0)
        frame = Frame(self.margin, self.margin, self.frame_width,
                      self.pagesize[1] - 2 * self.margin, id="body", leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        doc.build(list(story), canvasmaker=lambda *a, **k: self._make_canvas(*a, **k))
        return buffer.getvalue()

    def _make_canvas(self, filename: Any, *args: Any, **kwargs: Any) -> PagedCanvas:
        kwargs.setdefault("pagesize", self.pagesize)
        kwargs["initialFontName"] = face("latin").name  # no unembedded Helvetica
        canvas = PagedCanvas(filename, *args, **kwargs)
        canvas.finish_page = self.finish_page
        return canvas

    def render_pages(self, draw: Callable[[Canvas, int], bool]) -> bytes:
        """Draw pages by hand (cards, posters): `draw(canvas, n)` draws page n (from 1) and
        returns True while more pages follow."""
        buffer = io.BytesIO()
        canvas = self._canvas(buffer)
        n = 1
        while True:
            more = draw(canvas, n)
            canvas.showPage()
            if not more:
                break
            n += 1
        canvas.save()
        return buffer.getvalue()

    def save(self, data: bytes, path: str | Path, mode: int = 0o600) -> Path:
        """Write the PDF where the user chose: a temp file in the same folder, fsync, replace.
        Nothing is written anywhere else."""
        target = Path(path)
        try:
            write_atomic(target, data, mode)
        except OSError as exc:
            raise FieldkitError(_("Could not write {path}: {reason}. Nothing was saved.").format(
                path=target, reason=exc.strerror or exc)) from exc
        return target
