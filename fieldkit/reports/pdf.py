"""A report export as PDF, on the one typesetting module (`fieldkit.typeset`).

The PDF shows exactly an export `Plan` (so the app's preview and the file
agree), carries CONFIDENTIAL DRAFT on every page, and is built in memory and
written once, atomically, where the user chose; with a password it is
encrypted (AES-256, the PDF standard's own encryption through pypdf) before it
touches the disk.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors

from fieldkit.errors import FieldkitError, UsageError
from fieldkit.i18n import N_, _
from fieldkit.reports.export import Plan, doc_text
from fieldkit.typeset import (
    CONFIDENTIAL_DRAFT,
    SAMPLE,
    Document,
    Paragraph,
    Style,
    draw_text,
    format_date,
    table,
    text_width,
)

MIN_PASSWORD = 8
TITLE = Style(size=16, bold=True, space_after=4)
SUBTITLE = Style(size=9, space_after=10)
HEADING = Style(size=12, bold=True, space_before=10, space_after=4)
LABEL = Style(size=10, bold=True, space_before=4, space_after=1)
BODY = Style(size=10, space_after=3)
SMALL = Style(size=8, space_before=3, space_after=6)


def _own(text: str, doc_rtl: bool) -> bool:
    """A value's own direction: its first strong character; the document's if it has none."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return doc_rtl


@dataclass
class _ReportDocument(Document):
    """A document whose diagonal stamp (SAMPLE) is shorter than its top mark, and sized to
    stay on the page in every language."""

    stamp: str | None = None

    def finish_page(self, canvas: Any, page: int, total: int) -> None:
        super().finish_page(canvas, page, total)
        if not self.stamp:
            return
        width, height = self.pagesize
        size = min(width, height) / 6
        style = Style(size=size, bold=True, color=colors.Color(0.75, 0.0, 0.1, alpha=0.2))
        size = min(size, size * 0.8 * min(width, height) / max(1.0, text_width(self.stamp,
                                                                              style)))
        canvas.saveState()
        canvas.translate(width / 2, height / 2)
        canvas.rotate(35)
        draw_text(canvas, self.stamp, 0, -size / 3, style.but(size=size), self.rtl, "center")
        canvas.restoreState()


def render(plan: Plan, paper: str = "a4", today: dt.date | None = None) -> bytes:
    """The PDF of `plan`, as bytes (nothing is written anywhere)."""
    t: Callable[[str], str] = doc_text(plan.lang)
    mark = t(CONFIDENTIAL_DRAFT)
    if plan.sample:
        mark = f"{mark} · {t(SAMPLE)}"
    doc = _ReportDocument(lang=plan.lang, paper=paper, mark=mark,
                          stamp=t(SAMPLE) if plan.sample else None,
                          title=plan.title,
                          footer=t(N_("Fieldkit report draft {id}")).format(id=plan.draft_id))
    rtl, width = doc.rtl, doc.frame_width
    story: list[Any] = [Paragraph(plan.title, TITLE, rtl)]
    line = t(N_("Exported on {date}")).format(date=format_date(today or dt.date.today(),
                                                               plan.lang))
    if plan.recipient_name:
        line += " · " + t(N_("For: {recipient}")).format(recipient=plan.recipient_name)
    story.append(Paragraph(line, SUBTITLE, rtl))
    for block in plan.blocks:
        story.append(Paragraph(block.label, HEADING, rtl))
        # Labels follow the document's direction; what a person wrote follows its own
        # (first strong character), as an editor shows it: "S-1" stays "S-1" in Arabic.
        short = [[Paragraph(r.label, BODY.but(bold=True), rtl),
                  Paragraph(r.text, BODY, _own(r.text, rtl))] for r in block.rows if not r.long]
        if short:
            story.append(table(short, [width * 0.35, width * 0.65], rtl))
        for row in block.rows:
            if row.long:
                story.append(Paragraph(row.label, LABEL, rtl))
                story += [Paragraph(part, BODY, _own(part, rtl))
                          for part in row.text.splitlines() if part.strip()]
        for tab in block.tables:
            story.append(Paragraph(tab.label, LABEL, rtl))
            first = width * 0.34
            rest = (width - first) / (len(tab.columns))
            header = [Paragraph("", SMALL.but(bold=True), rtl)]
            header += [Paragraph(c, SMALL.but(bold=True), rtl) for c in tab.columns]
            data = [header]
            for label, cells in tab.rows:
                data.append([Paragraph(label, BODY, rtl)]
                            + [Paragraph(c, BODY.but(align="end"), rtl) for c in cells])
            story.append(table(data, [first] + [rest] * len(tab.columns), rtl, header=True))
            story.append(Paragraph(tab.note, SMALL, rtl))
    return doc.render(story)


def encrypt(data: bytes, password: str) -> bytes:
    """The same PDF, readable only with `password` (AES-256)."""
    if len(password) < MIN_PASSWORD:
        raise UsageError(_("Choose a password of at least {n} characters.").format(
            n=MIN_PASSWORD))
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write(plan: Plan, path: Path, paper: str = "a4", password: str | None = None) -> Path:
    """Render, encrypt if asked, and write atomically to `path` (the only file written)."""
    if path.suffix.lower() != ".pdf":
        raise UsageError(_("The export file name must end in .pdf."))
    if not path.parent.is_dir():
        raise FieldkitError(_("The folder {folder} does not exist; nothing was saved.").format(
            folder=path.parent))
    data = render(plan, paper)
    if password is not None:
        data = encrypt(data, password)
    return Document().save(data, path)
