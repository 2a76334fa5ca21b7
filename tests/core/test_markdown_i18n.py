"""Markdown renders safely; locale data comes from CLDR; the catalogs switch."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from fieldkit import i18n
from fieldkit.markdown import render_html, to_plain


def test_raw_html_is_text() -> None:
    html = render_html('Hi <script>alert(1)</script> <img src="http://x/y.png">')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html


def test_nothing_is_loaded_and_bad_links_are_dropped() -> None:
    html = render_html("![pic](https://example.invalid/a.png) [x](javascript:alert(1)) "
                       "[ok](item:bystander-intervention) [here](local:pathway)")
    assert "<img" not in html
    assert "javascript:" not in html.replace("[x](javascript:alert(1))", "")
    assert 'href="item:bystander-intervention"' in html
    assert 'href="local:pathway"' in html


@given(st.text(max_size=500))
def test_any_markdown_renders(text: str) -> None:
    assert "<script" not in render_html(text).lower()
    to_plain(text)


def test_plain_text_drops_markup() -> None:
    assert to_plain("## Title\n\n- **bold** [link](item:x)") == "Title\nbold link"


def test_cldr_names_and_dates() -> None:
    assert i18n.country_name("MD", "fr") == "Moldavie"
    assert i18n.country_name("BD", "ar") == "بنغلاديش"
    assert i18n.country_name("MD", "zh") == "摩尔多瓦"
    assert i18n.format_date(dt.date(2023, 2, 17), "fr") == "17 févr. 2023"
    assert i18n.native_language_name("ar") == "العربية"
    assert i18n.format_review_date("2023", "en") == "2023"
    assert i18n.format_review_date("2026-11", "en") == "Nov 2026"
    assert i18n.format_review_date("2026-11", "zh") == "2026年11月"
    assert i18n.format_review_date("2023-02-17", "en") == "Feb 17, 2023"
    assert i18n.is_rtl("ar") and not i18n.is_rtl("fr")


def test_catalogs_switch() -> None:
    try:
        for lang in ("fr", "es", "ru", "ar", "zh"):
            i18n.set_language(lang)
            assert i18n._("Not legal advice — verify locally.") != (
                "Not legal advice — verify locally."), lang
        assert i18n.set_language("xx") == "xx"
        assert i18n._("Not legal advice — verify locally.") == (
            "Not legal advice — verify locally.")
    finally:
        i18n.set_language("en")
