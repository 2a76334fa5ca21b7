"""The one PDF module of Fieldkit: fonts, bidi lines, paragraphs, tables, page marks.

Used by report exports and printable materials. What it guarantees:

- the bundled fonts (Noto Sans, Noto Naskh Arabic, Droid Sans Fallback) are embedded and
  subset; each character gets the font of its script (Latin/Cyrillic, Arabic, Chinese);
- Arabic is shaped (HarfBuzz) and laid out right to left; lines are broken on the logical text
  (UAX #14 through uniseg) and reordered per line (UAX #9 through python-bidi);
- the text layer reads back in logical order with pdftotext and pypdf (copy, search, screen
  readers), Arabic included, without presentation forms;
- a mark on every page (CONFIDENTIAL DRAFT, SAMPLE), "page N of M", dates and numbers in the
  document's language (babel); A4, A3, US Letter;
- the file is written atomically where the user chose, nothing in temp folders.

Everything that touches ReportLab internals lives in `reportlab_fence` (ReportLab is pinned).

Example::

    from fieldkit.typeset import Document, Paragraph, Style, label_value_table, CONFIDENTIAL_DRAFT
    from fieldkit.typeset import translator

    doc = Document(lang="ar", paper="a4", mark=translator("ar")(CONFIDENTIAL_DRAFT))
    story = [
        Paragraph("ملاحظة حادث", Style(size=16, bold=True), rtl=doc.rtl),
        Paragraph("اتصل بالرقم " + ltr_isolate("+373 22 000 000") + " من 9 إلى 17.",
                  rtl=doc.rtl),
        label_value_table([("التاريخ", format_date(today, "ar"))], doc.frame_width, doc.rtl),
    ]
    doc.save(doc.render(story), "/home/me/note.pdf")

Hand-drawn pages (cards, posters) use `Document.render_pages(draw)` with `draw_text` and
`draw_lines`/`Paragraph` placed in boxes (`place`).
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fieldkit.typeset.document import (
        CONFIDENTIAL_DRAFT,
        PAPERS,
        SAMPLE,
        Document,
        babel_locale,
        format_date,
        format_number,
        page_label,
        paper_size,
        translator,
    )
    from fieldkit.typeset.flowables import (
        Box,
        Column,
        Grid,
        Paragraph,
        Style,
        draw_text,
        label_value_table,
        measure,
        place,
        table,
        text_width,
    )
    from fieldkit.typeset.lines import (
        is_rtl_text,
        ltr_isolate,
    )
    from fieldkit.typeset.paper import (
        LETTER_TERRITORIES,
        default_paper,
    )

# Imported on first use: ReportLab and the fonts cost a third of a second, which the app's
# start-up and commands that print nothing should not pay.
_WHERE = {
    "CONFIDENTIAL_DRAFT": "fieldkit.typeset.document",
    "PAPERS": "fieldkit.typeset.document",
    "SAMPLE": "fieldkit.typeset.document",
    "Document": "fieldkit.typeset.document",
    "babel_locale": "fieldkit.typeset.document",
    "format_date": "fieldkit.typeset.document",
    "format_number": "fieldkit.typeset.document",
    "page_label": "fieldkit.typeset.document",
    "paper_size": "fieldkit.typeset.document",
    "translator": "fieldkit.typeset.document",
    "LETTER_TERRITORIES": "fieldkit.typeset.paper",
    "default_paper": "fieldkit.typeset.paper",
    "Box": "fieldkit.typeset.flowables",
    "Column": "fieldkit.typeset.flowables",
    "Grid": "fieldkit.typeset.flowables",
    "Paragraph": "fieldkit.typeset.flowables",
    "Style": "fieldkit.typeset.flowables",
    "draw_text": "fieldkit.typeset.flowables",
    "label_value_table": "fieldkit.typeset.flowables",
    "measure": "fieldkit.typeset.flowables",
    "place": "fieldkit.typeset.flowables",
    "table": "fieldkit.typeset.flowables",
    "text_width": "fieldkit.typeset.flowables",
    "is_rtl_text": "fieldkit.typeset.lines",
    "ltr_isolate": "fieldkit.typeset.lines",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'fieldkit.typeset' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "CONFIDENTIAL_DRAFT",
    "LETTER_TERRITORIES",
    "PAPERS",
    "SAMPLE",
    "Box",
    "Column",
    "Document",
    "Grid",
    "Paragraph",
    "Style",
    "babel_locale",
    "default_paper",
    "draw_text",
    "format_date",
    "format_number",
    "is_rtl_text",
    "label_value_table",
    "ltr_isolate",
    "measure",
    "page_label",
    "paper_size",
    "place",
    "table",
    "text_width",
    "translator",
]
