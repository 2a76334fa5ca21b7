"""The About box and the window icon: what this installation is, read from itself."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from fieldkit import __version__, about, i18n

pytestmark = pytest.mark.ui


def test_application_icon_at_every_size(app_setup):
    sizes = {(s.width(), s.height()) for s in QApplication.windowIcon().availableSizes()}
    assert {(n, n) for n in (16, 24, 32, 48, 64, 128, 256)} <= sizes


def test_about_box_names_versions_and_licences(unlocked, qtbot):
    unlocked.about_action.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if w.isVisible() and w.windowTitle() == "About Fieldkit")
    text = dialog.details.toPlainText()
    assert __version__ in text
    assert about.sqlcipher_version() in text
    content = about.content_version()
    assert content is not None and content.digest in text
    for licence in ("SIL Open Font License 1.1", "Apache License 2.0", "LGPL-3.0"):
        assert licence in text
    for name in ("Noto Sans Arabic", "Droid Sans Fallback", "PySide6", "reportlab", "SQLCipher"):
        assert name in text
    assert not dialog.windowIcon().isNull()
    dialog.close()


def test_about_box_speaks_the_ui_language(unlocked, qtbot):
    unlocked.session.set_language("fr", save=False)
    dialog = unlocked.open_about()
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == i18n._("About Fieldkit") != "About Fieldkit"
    assert i18n._("Starter content") in dialog.details.toPlainText()
    dialog.close()


def test_about_box_reads_right_to_left_in_arabic(app_setup):
    from fieldkit.ui.about import about_html

    i18n.set_language("ar")
    try:
        html = about_html()
    finally:
        i18n.set_language("en")
    assert "dir='rtl'" in html
    # Columns mirrored: a font's licence comes before (right of) its name; each cell isolated.
    row = next(r for r in html.split("<tr>") if "Noto Sans Bold" in r)
    assert row.index("SIL Open Font License") < row.index("Noto Sans Bold")
    assert "\u2068Copyright 2015 Google LLC. All Rights Reserved.\u2069" in row
