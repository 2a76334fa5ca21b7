"""Get help now: never filtered, never empty, numbers in the order they are dialled."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from fieldkit.content.pack import starter_items

from .glyphs import group_spans, reads_left_to_right

pytestmark = pytest.mark.ui
LRI, PDI = "\u2066", "\u2069"


def _flush() -> None:
    """New widgets in a shown layout are shown, then laid out, by posted events, each
    posting the next: deliver them all, however slow the machine."""
    for _ in range(4):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def _settled(win, qtbot):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not win.runner.busy, timeout=10000)
    qtbot.waitUntil(lambda: win.pathway.loaded, timeout=10000)
    _flush()


def _first_branch_services(win) -> list[str]:  # type: ignore[no-untyped-def]
    pathway = win.pathway.current_pathway()
    branch = pathway.meta["branches"][0]
    return [sid for step in branch["steps"] for sid in step.get("services") or []]


def _texts(widget) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(label.text() for label in widget.findChildren(QLabel)
                     if label.isVisibleTo(widget))


def test_directory_filters_never_reach_get_help(unlocked, qtbot):
    win, pathway = unlocked, unlocked.pathway
    win.session.open_pathway()
    _settled(win, qtbot)
    pathway.tabs.setCurrentIndex(1)
    pathway.category.setCurrentIndex(pathway.category.findData("legal"))
    pathway.lgbtiq.setChecked(True)
    # The filters say they are on, and narrow the directory alone.
    assert pathway.active_filters() == 2
    assert "2" in pathway.filter_state.text() and pathway.filter_state.isVisibleTo(pathway)
    assert all(pathway.services[s].meta["category"] == "legal"
               for s in pathway.visible_service_ids())
    assert pathway.step_service_ids() == _first_branch_services(win)

    win.go_home()
    qtbot.keyClick(win.home.search, Qt.Key.Key_F1)
    _settled(win, qtbot)
    assert win.views.currentWidget() is pathway
    assert pathway.tabs.currentIndex() == 0  # Steps, not the directory
    assert pathway.branches.currentRow() == 0  # "I am in immediate danger"
    assert pathway.active_filters() == 0
    assert pathway.step_service_ids() == _first_branch_services(win)
    assert "matches the filters" not in _texts(pathway)


def test_other_branch_then_help_is_first_step_again(unlocked, qtbot):
    win, pathway = unlocked, unlocked.pathway
    win.get_help()
    _settled(win, qtbot)
    pathway.branches.setCurrentRow(3)
    win.session.open_item("reporting-options")
    qtbot.mouseClick(win.help_button, Qt.MouseButton.LeftButton)
    _settled(win, qtbot)
    assert pathway.branches.currentRow() == 0


def test_filters_clear_in_one_action(unlocked, qtbot):
    pathway = unlocked.pathway
    unlocked.session.open_pathway()
    _settled(unlocked, qtbot)
    everything = pathway.visible_service_ids()
    pathway.tabs.setCurrentIndex(1)
    pathway.accessible.setChecked(True)
    pathway.language.setCurrentIndex(pathway.language.findData("ro"))
    assert len(pathway.visible_service_ids()) < len(everything)
    qtbot.mouseClick(pathway.clear_filters_button, Qt.MouseButton.LeftButton)
    assert pathway.active_filters() == 0
    assert pathway.visible_service_ids() == everything
    assert not pathway.filter_state.isVisibleTo(pathway)


PHONE_LIKE = re.compile(r"\d{3,}")


@pytest.mark.parametrize("country", ["IS", None])
def test_no_pathway_shows_what_always_applies(unlocked, qtbot, country):
    """Iceland has law notes but no pathway and no services; no country at all is the
    same: the steps that always apply, never an empty pane, no invented number."""
    win, pathway = unlocked, unlocked.pathway
    win.session.set_place(country, None)
    win.get_help()
    _settled(win, qtbot)
    steps = _texts(pathway.steps_area.widget())
    assert "What you can do now" in steps
    assert "safe place" in steps
    assert "security focal point" in steps
    assert "PSEA/SH focal point" in steps
    assert not pathway.step_service_ids()
    assert not PHONE_LIKE.search(steps)  # no numbers: none is known
    pathway.tabs.setCurrentIndex(1)
    _settled(win, qtbot)
    directory = _texts(pathway.directory_area.widget())
    assert "No services are listed" in directory
    assert pathway.message.isVisibleTo(pathway)
    assert "known services" not in pathway.message.text()
    options = [b for b in pathway.findChildren(QPushButton) if b.objectName() == "openOptions"]
    assert options
    qtbot.mouseClick(options[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.article.item is not None, timeout=10000)
    assert win.article.item.id == "reporting-options"


def test_iceland_has_law_notes_but_no_pathway(unlocked, qtbot):
    unlocked.session.set_place("IS", None)
    unlocked.session.open_law()
    qtbot.waitUntil(lambda: bool(unlocked.law.notes), timeout=10000)
    assert any(n.country == "IS" for n in unlocked.law.notes)


# -- phone numbers in Arabic ---------------------------------------------------

CONTACTS = sorted({str(c["value"]) for item in starter_items() if item.kind == "service"
                   for c in item.meta.get("contacts") or []
                   if c.get("type") in ("phone", "sms")})


def _check_numbers(root, seen: set[str]) -> int:  # type: ignore[no-untyped-def]
    """Measure every phone number shown in a visible label under `root`."""
    checked = 0
    for label in root.findChildren(QLabel):
        if not label.isVisibleTo(root) or label.width() <= 1:
            continue
        for number in CONTACTS:
            if number in label.text():
                spans = group_spans(label, number)
                assert reads_left_to_right(spans), (
                    f"{number!r} drawn with its groups at {spans} in {label.text()!r}")
                seen.add(number)
                checked += 1
    return checked


def test_phone_numbers_read_left_to_right_in_arabic(unlocked, qtbot):
    from fieldkit.ui.widgets import CopyButton

    win, pathway = unlocked, unlocked.pathway
    win.session.set_language("ar", save=False)
    win.resize(1280, 800)
    seen: set[str] = set()
    checked = 0
    for country, location in (("MD", "Chișinău"), ("BD", "Dhaka")):
        win.session.set_place(country, location)
        win.get_help()
        _settled(win, qtbot)
        for row in range(pathway.branches.count()):  # every step of every branch
            pathway.branches.setCurrentRow(row)
            _flush()
            checked += _check_numbers(pathway.steps_area.widget(), seen)
        pathway.tabs.setCurrentIndex(1)  # the directory
        _flush()
        checked += _check_numbers(pathway.directory_area.widget(), seen)
        for button in pathway.findChildren(CopyButton):
            if button.value in CONTACTS:
                assert f"{LRI}{button.value}{PDI}" in button.toolTip()
                assert f"{LRI}{button.value}{PDI}" in button.accessibleName()
    assert seen == set(CONTACTS)  # every number of the starter pack was measured

    # A service opened as an article, and a search result that quotes a number.
    win.session.open_item("svc-md-police-example")
    qtbot.waitUntil(lambda: win.article.item is not None, timeout=10000)
    _flush()
    assert _check_numbers(win.article, set()) >= 1
    win.go_home()
    win.home.search.setText("+000 0000 0105")
    win.home._run_search()
    qtbot.waitUntil(lambda: not win.runner.busy, timeout=10000)
    _check_numbers(win.home.scroll.widget(), set())  # measured if a snippet quotes it
    assert checked >= len(CONTACTS)
    win.session.set_language("en", save=False)


def test_measurement_catches_a_reversed_number(app_setup, qtbot):
    """The same measurement on a number left to the paragraph's direction fails."""
    from fieldkit.ui.session import apply_qt_language

    translator = apply_qt_language("ar", None)
    try:
        label = QLabel("رقم الهاتف: +000 0000 0105")
        qtbot.addWidget(label)
        label.resize(400, 40)
        label.show()
        assert not reads_left_to_right(group_spans(label, "+000 0000 0105"))
    finally:
        apply_qt_language("en", translator)


def test_copy_gives_the_stored_value_and_says_copied(unlocked, qtbot):
    from fieldkit.ui.widgets import CopyButton

    unlocked.session.set_language("ar", save=False)
    unlocked.get_help()
    _settled(unlocked, qtbot)
    button = unlocked.pathway.findChildren(CopyButton)[0]
    assert button.value in CONTACTS
    before = button.text()
    button._timer.setInterval(300)  # the test need not wait the full confirmation
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == button.value  # no direction marks
    assert button.text() != before and "✓" in button.text()
    assert button.confirming
    qtbot.waitUntil(lambda: button.text() == before, timeout=5000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    unlocked.lock()
    assert QGuiApplication.clipboard().text() != button.value  # cleared on lock
    unlocked.session.set_language("en", save=False)


def test_contact_comes_first_on_a_service_card(app_setup, qtbot):
    from fieldkit.ui.widgets import ContactValue, ServiceCard

    service = next(i for i in starter_items() if i.id == "svc-md-police-example")
    card = ServiceCard(service, "en")
    qtbot.addWidget(card)
    card.resize(600, 500)
    card.show()
    number = next(w for w in card.findChildren(ContactValue))
    details = next(w for w in card.findChildren(QLabel) if "Category:" in w.text())
    assert number.mapTo(card, number.rect().topLeft()).y() < details.mapTo(
        card, details.rect().topLeft()).y()
