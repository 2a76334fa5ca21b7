"""Widgets as a first-time user meets them."""

from __future__ import annotations

import pytest
from fieldkit.ui.widgets import CountryBox, fill_country_combo
from PySide6.QtCore import Qt

pytestmark = pytest.mark.ui


def test_country_box_prompt_is_a_placeholder_not_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Typing into the box must not append to "Choose a country…" (it then matched
    nothing and the typed name was thrown away)."""
    box = CountryBox()
    qtbot.addWidget(box)
    fill_country_combo(box, ["MD", "BD"], None, "en")
    assert box.lineEdit().text() == ""
    assert box.lineEdit().placeholderText() == "Choose a country…"
    box.lineEdit().setFocus()
    qtbot.keyClicks(box.lineEdit(), "Moldova")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert box.currentData() == "MD"
    fill_country_combo(box, ["MD", "BD"], "BD", "en")
    assert box.lineEdit().text() == "Bangladesh"
