"""Every view, every language: F1 from anywhere; nothing off-screen or cut at 1024×600
and with a 125% font; no text left in the previous language after a switch."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QStyle,
    QStyleOptionComboBox,
    QTabBar,
    QWidget,
)

from fieldkit import UN_LANGUAGES, i18n

from .conftest import PASSPHRASE

pytestmark = pytest.mark.ui
SMALL = (1024, 600)


def _settle(win, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not win.runner.busy, timeout=10000)
    # New widgets are shown, then laid out, by posted events, each posting the next:
    # deliver them all, however slow the machine, before anything is measured.
    for _ in range(4):
        QApplication.sendPostedEvents()
        QApplication.processEvents()
    qtbot.wait(20)


def _unlock(win, qtbot) -> None:  # type: ignore[no-untyped-def]
    win.unlock.passphrase.setText(PASSPHRASE)
    win.unlock.try_unlock()
    qtbot.waitUntil(lambda: not win.is_locked, timeout=10000)
    _settle(win, qtbot)


def _views(win, qtbot) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Visit every view the way a user reaches it; yields its name while it is shown."""
    win.go_home()
    _settle(win, qtbot)
    yield "home"
    win.session.open_item("reporting-options")
    _settle(win, qtbot)
    yield "article"
    win.session.open_item("svc-md-police-example")
    _settle(win, qtbot)
    yield "service"
    win.session.set_place("BD", None)
    win.session.open_law()
    _settle(win, qtbot)
    yield "law"
    win.session.set_place("MD", "Chișinău")
    win.get_help()
    _settle(win, qtbot)
    yield "pathway"
    win.pathway.tabs.setCurrentIndex(1)
    _settle(win, qtbot)
    yield "directory"
    win.session.set_place("IS", None)
    win.get_help()
    _settle(win, qtbot)
    yield "no pathway"
    win.session.set_place("MD", "Chișinău")


# -- F1 ----------------------------------------------------------------------

def test_f1_opens_help_from_every_view_in_every_language(unlocked, qtbot):
    win = unlocked
    # F1 is not translated: every view in a left-to-right, the right-to-left and the CJK
    # language; from the home view in the others.
    full = ("en", "ar", "zh")
    for lang in UN_LANGUAGES:
        win.session.set_language(lang, save=False)
        for name in _views(win, qtbot):
            if name in ("pathway", "no pathway"):
                continue
            if lang not in full and name != "home":
                break
            target = QApplication.focusWidget() or win
            qtbot.keyClick(target, Qt.Key.Key_F1)
            _settle(win, qtbot)
            assert win.views.currentWidget() is win.pathway, (lang, name)
            assert win.pathway.tabs.currentIndex() == 0, (lang, name)
            assert win.pathway.active_filters() == 0, (lang, name)
            assert win.help_button.isVisibleTo(win), (lang, name)
    win.session.set_language("en", save=False)


def test_f1_is_not_typed_into_the_search_box(unlocked, qtbot):
    unlocked.session.set_language("ru", save=False)
    unlocked.home.search.setFocus()
    qtbot.keyClick(unlocked.home.search, Qt.Key.Key_F1)
    assert unlocked.home.search.text() == ""
    assert unlocked.views.currentWidget() is unlocked.pathway
    unlocked.session.set_language("en", save=False)


# -- small screens, large fonts ----------------------------------------------

def _in_scroll_content(widget: QWidget, win: QWidget) -> QWidget | None:
    """The content widget of the scroll area `widget` lies in, if any."""
    node = widget.parentWidget()
    while node is not None and node is not win:
        parent = node.parentWidget()
        if isinstance(parent, QAbstractScrollArea) and node is parent.viewport():
            return node
        if parent is not None and isinstance(parent.parentWidget(), QAbstractScrollArea) \
                and parent is parent.parentWidget().viewport():
            return node
        node = parent
    return None


def layout_problems(win: QWidget) -> list[str]:
    """Widgets outside the window, or too small for what they show."""
    problems = []
    bounds = win.rect()
    for widget in win.findChildren(QWidget):
        if not widget.isVisibleTo(win) or widget.isWindow() or widget.width() <= 0:
            continue
        if isinstance(widget.parentWidget(), QComboBox | QAbstractButton):
            continue  # a combo's own parts
        text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
        name = f"{type(widget).__name__} {widget.objectName()!r} {text!r}"[:120]
        rect = QRect(widget.mapTo(win, QPoint(0, 0)), widget.size())
        content = _in_scroll_content(widget, win)
        if content is None:
            if not bounds.contains(rect):
                problems.append(f"outside the window: {name} at {rect}")
        else:  # inside a scroll area: may be scrolled away, never wider than the content
            inner = QRect(widget.mapTo(content, QPoint(0, 0)), widget.size())
            if inner.right() > content.width() + 1 or inner.left() < -1:
                problems.append(f"wider than its scroll area: {name}")
        if isinstance(widget, QLabel) and widget.text():
            if widget.wordWrap():
                needed = widget.heightForWidth(widget.width())
                if widget.height() + 1 < needed:
                    problems.append(f"cut off (height {widget.height()} < {needed}): {name}")
            elif widget.width() + 1 < widget.minimumSizeHint().width():
                problems.append(f"cut off (width): {name}")
        if isinstance(widget, QComboBox) and widget.currentText():
            option = QStyleOptionComboBox()
            widget.initStyleOption(option)
            field = widget.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                                  QStyle.SubControl.SC_ComboBoxEditField,
                                                  widget)
            if field.width() + 1 < widget.fontMetrics().horizontalAdvance(widget.currentText()):
                problems.append(f"choice cut off: {widget.currentText()!r} "
                                f"in {field.width()} px")
        if isinstance(widget, QAbstractButton | QComboBox | QLineEdit):
            if (widget.width() + 1 < widget.minimumSizeHint().width()
                    or widget.height() + 1 < widget.minimumSizeHint().height()):
                problems.append(f"squeezed ({widget.size().toTuple()} < "
                                f"{widget.minimumSizeHint().toTuple()}): {name}")
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                if not widget.rect().contains(widget.tabRect(i)):
                    problems.append(f"tab cut off: {widget.tabText(i)!r}")
    return problems


@pytest.fixture
def font_scale(app_setup, request) -> Iterator[float]:  # type: ignore[no-untyped-def]
    """The app font made larger, as a user's 125% setting does (fonts first: the
    window is built with it)."""
    scale = request.param
    original = QApplication.font()
    font = QApplication.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    QApplication.setFont(font)
    yield scale
    QApplication.setFont(original)


def _small_window(profile: Path, lang: str, qtbot):  # type: ignore[no-untyped-def]
    from fieldkit.ui.main_window import MainWindow

    win = MainWindow(profile, lang=lang)
    qtbot.addWidget(win)
    win.resize(*SMALL)
    win.show()
    qtbot.waitUntil(lambda: win.isVisible(), timeout=5000)
    return win


@pytest.mark.parametrize("font_scale", [1.0, 1.25], indirect=True,
                         ids=["100%", "125%"])
@pytest.mark.parametrize("lang", ["ar", "ru", "zh"])
def test_nothing_outside_or_cut_at_1024x600(app_setup, qtbot, profile, tmp_path, lang,
                                            font_scale):
    win = _small_window(profile, lang, qtbot)
    try:
        assert win.size().toTuple() == SMALL  # the window can be that small
        found = {"unlock": layout_problems(win)}
        _unlock(win, qtbot)
        for name in _views(win, qtbot):
            found[name] = layout_problems(win)
        found = {k: v for k, v in found.items() if v}
        assert not found, found
    finally:
        win.lock()
        win.runner.wait(5000)
        win.session.set_language("en", save=False)

    first = _small_window(tmp_path / "new", lang, qtbot)
    try:
        qtbot.waitUntil(lambda: first.unlock.create_button.isEnabled(), timeout=10000)
        assert not layout_problems(first)
        first.unlock.new_pass.setText(PASSPHRASE)
        first.unlock.again.setText(PASSPHRASE + "x")
        first.unlock.create()  # an error appears: the warning must stay whole
        assert first.unlock.create_error.isVisible()
        assert not layout_problems(first)
    finally:
        first.close()
        first.session.set_language("en", save=False)


@pytest.mark.parametrize("lang", UN_LANGUAGES)
def test_first_danger_contact_visible_without_scrolling(app_setup, qtbot, profile, lang):
    from fieldkit.ui.widgets import ContactValue

    win = _small_window(profile, lang, qtbot)
    try:
        _unlock(win, qtbot)
        qtbot.keyClick(QApplication.focusWidget() or win, Qt.Key.Key_F1)
        _settle(win, qtbot)
        area = win.pathway.steps_area
        first = area.widget().findChildren(ContactValue)[0]
        shown = QRect(first.mapTo(area.viewport(), QPoint(0, 0)), first.size())
        assert area.viewport().rect().contains(shown), (shown, area.viewport().rect())
        assert area.verticalScrollBar().value() == 0
    finally:
        win.lock()
        win.runner.wait(5000)
        win.session.set_language("en", save=False)


def test_window_opens_inside_a_small_screen(app_setup, qtbot, profile):
    from fieldkit.ui.main_window import MainWindow

    win = MainWindow(profile, lang="en")
    qtbot.addWidget(win)
    area = win.screen().availableGeometry()
    assert win.width() <= area.width() and win.height() <= area.height()
    win.show_fitted()
    qtbot.waitUntil(lambda: win.isVisible(), timeout=5000)
    if area.width() < 1200 or area.height() < 800:
        assert win.isMaximized()
    win.close()


# -- language everywhere -------------------------------------------------------

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _all_texts(win: QWidget) -> list[str]:
    texts = [win.windowTitle()]
    for widget in win.findChildren(QWidget):
        texts += [widget.toolTip(), widget.accessibleName()]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts += [widget.text(), widget.placeholderText()]
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QTabBar):
            texts += [widget.tabText(i) for i in range(widget.count())]
        if isinstance(widget, QListWidget):
            texts += [widget.item(i).text() for i in range(widget.count())]
        for action in widget.actions():
            texts.append(action.text())
    return [t for t in texts if t]


def test_no_chinese_left_after_zh_en_ru(unlocked, qtbot):
    from fieldkit.i18n import native_language_name

    own_names = {native_language_name(code) for code in UN_LANGUAGES}  # 中文 stays 中文
    win = unlocked
    home = win.home
    home.language.setCurrentIndex(home.language.findData("zh"))
    win.session.set_place("BD", None)  # places read while the UI is in Chinese
    _settle(win, qtbot)
    win.session.set_place("MD", "Chișinău")
    _settle(win, qtbot)
    assert any(CJK.search(home.location.itemText(i)) for i in range(home.location.count()))
    for lang in ("en", "ru"):
        home.language.setCurrentIndex(home.language.findData(lang))
        _settle(win, qtbot)
    assert i18n.language() == "ru"
    left = {}
    chinese = [t for t in _all_texts(win) if CJK.search(t) and t not in own_names]
    assert not chinese  # right after the switch, before any view is reloaded
    for name in _views(win, qtbot):
        chinese = [t for t in _all_texts(win) if CJK.search(t) and t not in own_names]
        if chinese:
            left[name] = chinese
    assert not left, left
    # Place names follow too: Chișinău is Кишинев in Russian (CLDR).
    win.go_home()
    _settle(win, qtbot)
    assert any("Кишин" in home.location.itemText(i) for i in range(home.location.count()))
    win.session.set_language("en", save=False)


def test_countries_real_and_sorted_the_readers_way(unlocked, qtbot):
    from fieldkit.ui.places import iso_countries
    from PySide6.QtCore import QCollator, QLocale

    assert len(iso_countries()) == 249  # ISO 3166-1
    home = unlocked.home
    for lang in ("zh", "ar", "ru"):
        unlocked.session.set_language(lang, save=False)
        codes = [home.country.itemData(i) for i in range(home.country.count())]
        codes = [c for c in codes if c]
        assert not {"EU", "UN", "EZ", "QO", "XK", "ZZ"} & set(codes)
        separator = next(i for i in range(home.country.count())
                     if not home.country.itemText(i) and home.country.itemData(i) is None)
        names = [home.country.itemText(i) for i in range(separator + 1, home.country.count())]
        collator = QCollator(QLocale(lang))
        assert names == sorted(names, key=collator.sortKey)
    names = [home.country.itemText(i) for i in range(home.country.count())]
    # Chinese in pinyin order (a-fu-han, ba-xi, zhong-guo), not by code point.
    unlocked.session.set_language("zh", save=False)
    names = [home.country.itemText(i) for i in range(home.country.count())]
    assert names.index("阿富汗") < names.index("巴西") < names.index("中国")
    unlocked.session.set_language("en", save=False)


def test_country_box_filters_as_you_type(unlocked, qtbot):
    box = unlocked.home.country
    box.lineEdit().setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "Bangla")
    completer = box.completer()
    assert completer.completionCount() >= 1
    assert completer.currentCompletion() == "Bangladesh"
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: unlocked.session.country == "BD", timeout=5000)


def test_unlock_page_speaks_the_last_language(app_setup, qtbot, profile):
    from fieldkit.ui.main_window import MainWindow

    first = MainWindow(profile)
    qtbot.addWidget(first)
    _unlock(first, qtbot)
    first.home.language.setCurrentIndex(first.home.language.findData("zh"))
    _settle(first, qtbot)
    first.close()
    # Only the language is kept outside the encrypted library.
    assert (profile / "ui-language").read_text(encoding="ascii") == "zh\n"
    i18n.set_language("en")
    second = MainWindow(profile)
    qtbot.addWidget(second)
    try:
        assert i18n.language() == "zh"
        assert CJK.search(second.unlock.unlock_button.text())
        assert CJK.search(second.unlock.intro.text())
    finally:
        second.close()
        second.session.set_language("en", save=False)


# -- first run and settings ------------------------------------------------------

def test_first_run_error_goes_when_fixed_and_passphrase_can_be_shown(app_setup, qtbot,
                                                                      tmp_path):
    from fieldkit.ui.main_window import MainWindow
    from PySide6.QtWidgets import QLineEdit

    win = MainWindow(tmp_path / "new", lang="en")
    qtbot.addWidget(win)
    win.show()
    page = win.unlock
    qtbot.waitUntil(lambda: page.create_button.isEnabled(), timeout=10000)
    page.new_pass.setText(PASSPHRASE)
    page.again.setText(PASSPHRASE + "x")
    page.create()
    assert page.create_error.isVisible()
    qtbot.keyClick(page.again, Qt.Key.Key_Backspace)  # now the two are the same
    assert not page.create_error.isVisible()
    assert page.new_pass.echoMode() == QLineEdit.EchoMode.Password
    page.show_new.setChecked(True)
    assert page.new_pass.echoMode() == page.again.echoMode() == QLineEdit.EchoMode.Normal
    win.lock()  # never left showing for the next person
    assert page.new_pass.echoMode() == QLineEdit.EchoMode.Password
    win.close()


def test_settings_idle_time_and_neutral_quick_exit(unlocked, qtbot):
    from fieldkit.ui.settings import SettingsDialog

    dialog = SettingsDialog(5, "quit", unlocked)
    qtbot.addWidget(dialog)
    dialog.idle.setValue(12)
    dialog.neutral.setChecked(True)
    assert dialog.values() == (12, "neutral")
    unlocked.apply_settings(*dialog.values())
    assert unlocked.idle_timer.interval() == 12 * 60_000
    qtbot.waitUntil(lambda: not unlocked.runner.busy, timeout=10000)
    # Kept in the library: after locking and unlocking they are still there.
    unlocked.lock()
    unlocked.unlock.passphrase.setText(PASSPHRASE)
    unlocked.unlock.try_unlock()
    qtbot.waitUntil(lambda: not unlocked.is_locked, timeout=10000)
    assert unlocked.session.idle_minutes == 12
    assert unlocked.session.quick_exit == "neutral"
    # Quick exit to a neutral page: locked at once, nothing of Fieldkit on screen.
    qtbot.keyClick(unlocked.home.search, Qt.Key.Key_X,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert unlocked.is_locked
    assert unlocked.isVisible()
    assert unlocked.pages.currentWidget() is unlocked.neutral
    assert unlocked.windowTitle() != "Fieldkit"
    qtbot.keyClick(unlocked.neutral.pad, Qt.Key.Key_Escape)
    assert unlocked.pages.currentWidget() is unlocked.unlock
    assert unlocked.windowTitle() == "Fieldkit"


def test_wrong_passphrase_is_said_in_the_unlock_pages_language(app_setup, qtbot, profile):
    from fieldkit.ui.main_window import MainWindow

    win = MainWindow(profile, lang="zh")
    qtbot.addWidget(win)
    win.show()
    try:
        win.unlock.passphrase.setText("not the passphrase")
        win.unlock.try_unlock()
        qtbot.waitUntil(lambda: win.unlock.error.isVisible(), timeout=10000)
        assert CJK.search(win.unlock.error.text()), win.unlock.error.text()
        assert "passphrase" not in win.unlock.error.text()
    finally:
        win.close()
        win.session.set_language("en", save=False)


def test_article_title_larger_than_its_headings_and_footer_plain(unlocked, qtbot):
    from PySide6.QtGui import QTextCharFormat

    article = unlocked.article
    unlocked.session.open_item("reporting-options")
    qtbot.waitUntil(lambda: article.item is not None, timeout=10000)
    title = article.title.font().pointSizeF()
    block = article.body.document().begin()
    largest = 0.0
    while block.isValid():
        for fragment_format in (block.charFormat(),):
            assert isinstance(fragment_format, QTextCharFormat)
        iterator = block.begin()
        while not iterator.atEnd():
            size = iterator.fragment().charFormat().font().pointSizeF()
            largest = max(largest, size)
            iterator += 1
        block = block.next()
    assert largest > 0 and title > largest
    footer = article.provenance.text()
    assert "Channel" not in footer and "version" not in footer
    assert "Source:" in footer and "Written in this language" in footer
    # The footer scrolls with the text: it is inside the article's one scroll area.
    assert article.scroll.widget().isAncestorOf(article.provenance)
    assert article.scroll.widget().isAncestorOf(article.body)


def test_f1_while_locked_shows_what_always_applies(window, qtbot):
    page = window.unlock
    assert window.is_locked and not page.help_panel.isVisible()
    qtbot.keyClick(page.passphrase, Qt.Key.Key_F1)
    assert page.help_panel.isVisible()
    assert "safe place" in page.help_steps.text()
    assert "PSEA/SH focal point" in page.help_steps.text()
    assert page.passphrase.text() == ""  # F1 typed nothing
    assert window.is_locked  # and opened nothing
    window.session.set_language("ar", save=False)
    assert "PSEA/SH" not in page.help_steps.text() or CJK.search(page.help_steps.text()) is None
    window.session.set_language("en", save=False)
