"""The typesetting module: PDFs read back with pdftotext and pypdf, in logical order."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import tempfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from fieldkit.errors import FieldkitError
from fieldkit.typeset import (
    CONFIDENTIAL_DRAFT,
    Document,
    Paragraph,
    Style,
    default_paper,
    format_date,
    label_value_table,
    ltr_isolate,
    page_label,
    text_width,
    translator,
)

A4_WIDTH = 595.2756
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PHONE = "+373 22 000 000"

# A sentence mixing Arabic, Latin and digits, as typed (logical order).
ARABIC_MIXED = ("اتصل بالرقم " + ltr_isolate(PHONE) + " من الساعة 9 إلى 17 عبر WhatsApp "
                "أو اكتب إلى help@example.org (مجاناً).")
SAMPLES = {
    "en": ("Incident note", "Call the hotline on " + PHONE + " between 9 and 17, free of charge.",
           [("Place", "Office, second floor"), ("Support wanted", "Medical care, legal aid")]),
    "ru": ("Записка об инциденте", "Позвоните по номеру " + PHONE + " с 9 до 17 часов, бесплатно.",
           [("Место", "Офис, второй этаж"), ("Нужная помощь", "Медицинская и правовая помощь")]),
    "ar": ("ملاحظة حادث", ARABIC_MIXED,
           [("المكان", "المكتب، الطابق الثاني"), ("الهاتف", ltr_isolate(PHONE))]),
    "zh": ("事件记录", "请在9点到17点之间拨打热线电话" + PHONE + "，免费且保密。",
           [("地点", "办公室二楼"), ("需要的支持", "医疗护理、法律援助")]),
}


def plain(text: str) -> str:
    """Extracted text compared without bidi marks and without any whitespace (line breaks fall
    between words in Latin, between characters in Chinese)."""
    return re.sub(r"\s+", "", BIDI_MARKS.sub("", text))


def pdftotext(data: bytes, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def pypdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def pdftotext_pages(data: bytes) -> list[str]:
    return pdftotext(data).split("\f")[:-1]


def word_boxes(data: bytes) -> list[tuple[str, float, float]]:
    """(word, xMin, yMin) of every word pdftotext finds on page 1: glyph positions (the words
    of right-to-left text come in visual order, letters as drawn from left to right)."""
    xml = pdftotext(data, "-bbox", "-f", "1", "-l", "1")
    root = ElementTree.fromstring(xml.split("<!DOCTYPE", 1)[0] + xml[xml.index("<html"):])
    return [(w.text or "", float(w.get("xMin", 0)), float(w.get("yMin", 0)))
            for w in root.iter("{http://www.w3.org/1999/xhtml}word")]


def build(lang: str, extra_paragraphs: int = 0, **doc_args: object) -> bytes:
    title, sentence, rows = SAMPLES[lang]
    doc = Document(lang=lang, mark=translator(lang)(CONFIDENTIAL_DRAFT), **doc_args)  # type: ignore[arg-type]
    story = [Paragraph(title, Style(size=16, bold=True), rtl=doc.rtl),
             Paragraph(sentence, Style(size=11), rtl=doc.rtl),
             label_value_table(rows, doc.frame_width, doc.rtl)]
    story += [Paragraph(sentence, Style(size=11), rtl=doc.rtl) for _ in range(extra_paragraphs)]
    return doc.render(story)


@pytest.mark.parametrize("lang", ["en", "ru", "ar", "zh"])
def test_text_reads_back_in_logical_order_with_both_extractors(lang: str) -> None:
    data = build(lang)
    title, sentence, rows = SAMPLES[lang]
    for name, text in (("pdftotext", pdftotext(data)), ("pypdf", pypdf_pages(data)[0])):
        got = plain(text)
        for expected in (title, sentence, *[v for row in rows for v in row]):
            assert plain(expected) in got, f"{name} lost {expected!r} in {lang}: {text!r}"
        assert "\ufe8d" not in text and not re.search("[\ufb50-\ufdff\ufe70-\ufeff]", text), \
            f"{name} read presentation forms"


def test_label_comes_before_value_in_right_to_left_tables() -> None:
    data = build("ar")
    for text in (pdftotext(data), pypdf_pages(data)[0]):
        got = plain(text)
        assert got.index(plain("المكان")) < got.index(plain("المكتب، الطابق الثاني"))


def test_phone_number_keeps_its_digit_order_inside_arabic_on_the_page() -> None:
    words = word_boxes(build("ar"))
    # the sentence's line: find "+373" and the groups after it on the same baseline
    start = next(i for i, (w, _x, _y) in enumerate(words) if w.endswith("+373")
                 or w == "+373")
    line_y = words[start][2]
    groups = [(w, x) for w, x, y in words[start:start + 4] if abs(y - line_y) < 1]
    assert [w for w, _x in groups] == ["+373", "22", "000", "000"], groups
    xs = [x for _w, x in groups]
    assert xs == sorted(xs), f"phone groups not left to right on the page: {groups}"


def test_arabic_paragraph_breaks_on_logical_text_and_aligns_right() -> None:
    doc = Document(lang="ar")
    words = [f"كلمة{n}" for n in range(1, 41)]
    data = doc.render([Paragraph(" ".join(words), Style(size=12), rtl=True)])
    lines = [BIDI_MARKS.sub("", line).split() for line in pdftotext(data).splitlines()
             if line.strip() and "كلمة" in line]
    assert len(lines) > 1
    assert [w for line in lines for w in line] == words  # each line holds the next words
    boxes = word_boxes(data)
    first_y = min(y for _w, _x, y in boxes)
    first_line = [(w, x) for w, x, y in boxes if abs(y - first_y) < 1]
    numbers = [w for w, _x in sorted(first_line, key=lambda b: -b[1]) if w.isdigit()]
    assert numbers[0] == "1" and numbers == [str(n) for n in range(1, len(numbers) + 1)]
    right_edge = doc.pagesize[0] - doc.margin
    letters = max(x for w, x in first_line if not w.isdigit() and w.strip("\u200f "))
    assert right_edge - 45 < letters < right_edge  # the line starts at the right margin


def test_fonts_are_embedded_and_subset() -> None:
    data = build("ar") + b""
    for pdf in (data, build("zh"), build("ru")):
        reader = PdfReader(io.BytesIO(pdf))
        names = set()
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descriptor = font["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor, f"{font['/BaseFont']} not embedded"
                names.add(str(font["/BaseFont"]))
        assert names and all(re.match(r"^/[A-Z]{6}\+", n) for n in names), names
    assert "no  no" not in subprocess.run(["pdffonts", "-"], input=build("zh"),
                                          capture_output=True).stdout.decode()


@pytest.mark.parametrize("lang", ["en", "ar", "zh", "ru"])
def test_mark_and_localised_page_label_on_every_page(lang: str) -> None:
    data = build(lang, extra_paragraphs=45)
    mark = translator(lang)(CONFIDENTIAL_DRAFT)
    for pages in (pdftotext_pages(data), pypdf_pages(data)):
        assert len(pages) >= 2
        for n, text in enumerate(pages, 1):
            assert plain(mark) in plain(text), f"page {n} has no mark"
            assert plain(page_label(n, len(pages), lang)) in plain(text)
    if lang != "en":
        assert page_label(1, 3, lang) != "Page 1 of 3"  # really translated


def test_localised_dates() -> None:
    day = dt.date(2026, 12, 1)
    assert format_date(day, "en") == "December 1, 2026"
    assert "декабря" in format_date(day, "ru")
    assert "ديسمبر" in format_date(day, "ar")
    assert format_date(day, "zh") == "2026年12月1日"


@pytest.mark.parametrize(("paper", "size"), [("a4", (595.3, 841.9)), ("a3", (841.9, 1190.6)),
                                             ("letter", (612.0, 792.0))])
def test_paper_sizes(paper: str, size: tuple[float, float]) -> None:
    box = PdfReader(io.BytesIO(build("en", paper=paper))).pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == size


def test_default_paper_follows_the_region() -> None:
    assert default_paper("US") == default_paper("ca") == "letter"
    assert default_paper("MD") == default_paper("FR") == default_paper(None) == "a4"


def test_saved_atomically_where_chosen_and_nowhere_else(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "system-temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    out = tmp_path / "chosen" / "note.pdf"
    out.parent.mkdir()
    out.write_bytes(b"old export")
    doc = Document(lang="ar")
    doc.save(build("ar"), out)
    assert out.read_bytes().startswith(b"%PDF")
    assert sorted(os.listdir(out.parent)) == ["note.pdf"]
    assert os.listdir(temp) == []
    assert (out.stat().st_mode & 0o777) == 0o600


def test_failed_save_says_so_and_leaves_nothing_behind(tmp_path: Path) -> None:
    folder = tmp_path / "chosen"
    (folder / "note.pdf").mkdir(parents=True)  # a folder where the file should go
    with pytest.raises(FieldkitError, match="Nothing was saved"):
        Document().save(build("en"), folder / "note.pdf")
    assert sorted(os.listdir(folder)) == ["note.pdf"] and (folder / "note.pdf").is_dir()


def test_a_failed_save_is_said_in_the_users_language() -> None:
    from fieldkit.i18n import set_language

    set_language("fr")  # the reader's language, not the document's (Arabic here)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "note.pdf").mkdir()
        with pytest.raises(FieldkitError) as failed:
            Document(lang="ar").save(build("ar"), Path(tmp) / "note.pdf")
    assert failed.value.message == (f"Impossible d'écrire {Path(tmp) / 'note.pdf'} : "
                                    "Is a directory. Rien n'a été enregistré.")


def test_long_words_are_cut_rather_than_overflowing() -> None:
    doc = Document(lang="en")
    url = "https://example.org/" + "a" * 300
    data = doc.render([Paragraph(url, Style(size=11), rtl=False)])
    assert plain(url) in plain(pdftotext(data))
    right_edge = doc.pagesize[0] - doc.margin
    for _w, x, _y in word_boxes(data):
        assert x < right_edge


@pytest.mark.parametrize("rtl", [False, True])
def test_isolated_contacts_stay_on_one_line(rtl: bool) -> None:
    """A web address is not broken at its hyphen: the line breaks before it instead."""
    url = "https://counselling-chisinau.example.invalid"
    label = "الموقع الإلكتروني للخدمة: " if rtl else "Web address of the service: "
    style = Style(size=11)
    room = text_width(url, style, rtl=False) + 10  # the address fits; label + address do not
    doc = Document(lang="ar" if rtl else "en", margin=(A4_WIDTH - room) / 2)
    data = doc.render([Paragraph(label + ltr_isolate(url), style, rtl=rtl)])
    lines = [BIDI_MARKS.sub("", line).strip() for line in pdftotext(data).splitlines()]
    assert url in lines, lines
