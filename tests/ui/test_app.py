"""The desktop app, driven through its widgets on an offscreen Qt."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from fieldkit import i18n
from fieldkit.store import Store

from .conftest import PASSPHRASE

pytestmark = pytest.mark.ui


def test_window_title_is_only_the_name(unlocked):
    assert unlocked.windowTitle() == "Fieldkit"
    unlocked.session.open_item("reporting-options")
    assert unlocked.windowTitle() == "Fieldkit"


def test_wrong_then_right_passphrase(window, qtbot):
    page = window.unlock
    assert not page.first_run
    page.passphrase.setText("not the passphrase")
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.error.isVisible(), timeout=10000)
    assert "not correct" in page.error.text()
    assert window.is_locked
    assert window.pages.currentWidget() is page
    page.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.is_locked, timeout=10000)
    assert window.pages.currentIndex() == 1
    assert window.session.country == "MD"
    assert page.passphrase.text() == ""


def test_search_as_you_type_shows_results(unlocked, qtbot):
    home = unlocked.home
    qtbot.keyClicks(home.search, "ombuds")
    # The window keeps running while the worker searches.
    assert home.search.text() == "ombuds"
    qtbot.waitUntil(lambda: len(home.result_titles()) > 0, timeout=10000)
    assert home.status.text()
    texts = [home.list_box.itemAt(i).widget().text.text()
             for i in range(home.list_box.count())]
    assert any("<b>" in t and "mbuds" in t.lower() for t in texts)
    assert any("[EXAMPLE]" in t for t in texts)


def test_stale_search_results_are_dropped(unlocked, qtbot):
    home = unlocked.home
    home.search.setText("ombudsperson")
    home._run_search()
    home.search.setText("shelter")
    home._run_search()
    qtbot.waitUntil(lambda: not unlocked.runner.busy, timeout=10000)
    qtbot.wait(200)
    titles = " ".join(home.result_titles()).lower()
    assert "shelter" in titles


def test_country_shows_its_law_notes_and_pathway(unlocked, qtbot):
    home = unlocked.home
    home.country.setCurrentIndex(home.country.findData("BD"))
    assert unlocked.session.country == "BD"
    qtbot.waitUntil(lambda: home.location.count() > 1, timeout=10000)
    qtbot.mouseClick(home.law_button, Qt.MouseButton.LeftButton)
    law = unlocked.law
    assert unlocked.views.currentWidget() is law
    qtbot.waitUntil(lambda: law.list_box.count() > 0, timeout=10000)
    assert {n.country for n in law.notes} <= {"BD", None}
    assert any(n.country == "BD" for n in law.notes)
    assert "Bangladesh" in law.title.text()
    assert "Not legal advice" in law.notice.text()

    unlocked.go_home()
    qtbot.mouseClick(unlocked.help_button, Qt.MouseButton.LeftButton)
    pathway = unlocked.pathway
    assert unlocked.views.currentWidget() is pathway
    qtbot.waitUntil(lambda: pathway.branches.count() > 0, timeout=10000)
    assert pathway.current_pathway().id == "pathway-bd-dhaka"
    assert pathway.example.isVisible()
    all_services = pathway.visible_service_ids()
    assert all_services and all(s.startswith("svc-bd-") for s in all_services)
    pathway.category.setCurrentIndex(pathway.category.findData("medical"))
    assert pathway.visible_service_ids() == ["svc-bd-medical-example"]


def test_copy_contact(unlocked, qtbot):
    from fieldkit.ui.widgets import CopyButton

    unlocked.session.open_pathway()
    pathway = unlocked.pathway
    qtbot.waitUntil(lambda: pathway.branches.count() > 0, timeout=10000)
    button = pathway.findChildren(CopyButton)[0]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == button.value


def test_article_links_and_notices(unlocked, qtbot):
    article = unlocked.article
    unlocked.session.open_item("reporting-options")
    qtbot.waitUntil(lambda: article.item is not None, timeout=10000)
    assert "Your options" in article.title.text()
    assert "Last reviewed" in article.provenance.text()
    assert "Channel" not in article.provenance.text()
    from PySide6.QtCore import QUrl

    article.body.anchorClicked.emit(QUrl("https://example.org/x"))
    assert article.link_bar.isVisible()
    assert "https://example.org/x" in article.link_text.text()
    assert article.body.loadResource(2, QUrl("https://example.org/a.png")) is None
    article.body.anchorClicked.emit(QUrl("local:pathway"))
    assert unlocked.views.currentWidget() is unlocked.pathway


def test_arabic_is_right_to_left_and_back(unlocked, qtbot):
    home = unlocked.home
    before = home.country.currentText()
    assert "Moldova" in home.law_button.text()
    home.language.setCurrentIndex(home.language.findData("ar"))
    assert i18n.language() == "ar"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert unlocked.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert home.country.currentText() != before  # مولدوفا
    assert "مولدوفا" in home.law_button.text()  # country names from CLDR
    assert home.search_label.text().startswith("بحث")  # our catalog
    assert QCoreApplication.translate("QLineEdit", "&Undo") != "&Undo"  # Qt's own
    home.language.setCurrentIndex(home.language.findData("zh"))
    assert QCoreApplication.translate("QLineEdit", "&Undo") != "&Undo"  # qtbase_zh_CN
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    home.language.setCurrentIndex(home.language.findData("en"))
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert home.country.currentText() == before
    assert "Moldova" in home.law_button.text()


def test_rebuild_index_in_background(unlocked, qtbot):
    unlocked.reindex_action.trigger()
    qtbot.waitUntil(lambda: "rebuilt" in unlocked.message.text(), timeout=20000)
    unlocked.home.search.setText("ombudsperson")
    qtbot.waitUntil(lambda: unlocked.home.list_box.count() > 0, timeout=10000)


def test_quick_exit_hides_and_locks(unlocked, qtbot):
    store: Store = unlocked.session.store
    qtbot.mouseClick(unlocked.exit_button, Qt.MouseButton.LeftButton)
    assert not unlocked.isVisible()
    assert unlocked.is_locked
    qtbot.waitUntil(lambda: not store.is_open, timeout=10000)
    assert unlocked.home.list_box.count() == 0
    assert unlocked.pages.currentWidget() is unlocked.unlock


def test_quick_exit_shortcut(unlocked, qtbot):
    qtbot.keyClick(unlocked.home.search, Qt.Key.Key_X,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert unlocked.is_locked
    assert not unlocked.isVisible()


def test_idle_locks(unlocked, qtbot):
    store: Store = unlocked.session.store
    unlocked.session.open_item("reporting-options")
    qtbot.waitUntil(lambda: unlocked.article.item is not None, timeout=10000)
    unlocked.idle_timer.start(200)
    qtbot.waitUntil(lambda: unlocked.is_locked, timeout=5000)
    qtbot.waitUntil(lambda: not store.is_open, timeout=10000)
    assert unlocked.article.item is None
    assert unlocked.article.title.text() == ""
    assert unlocked.pages.currentWidget() is unlocked.unlock


def test_input_postpones_idle_lock(unlocked, qtbot):
    # Measured on the timer, not on the clock: a loaded machine may stall any wait.
    # A precise timer, so that remainingTime() is not rounded to the coarse timer's slack.
    unlocked.idle_timer.setTimerType(Qt.TimerType.PreciseTimer)
    unlocked.idle_timer.start(10_000)
    qtbot.wait(300)
    before = unlocked.idle_timer.remainingTime()
    assert 0 < before <= 9_800
    qtbot.keyClick(unlocked.home.search, Qt.Key.Key_A)
    assert unlocked.idle_timer.remainingTime() > before
    assert not unlocked.is_locked


def test_first_run_creates_profile(app_setup, qtbot, tmp_path):
    from fieldkit.ui.main_window import MainWindow

    win = MainWindow(tmp_path / "new", lang="en")
    qtbot.addWidget(win)
    win.show()
    page = win.unlock
    assert page.first_run
    qtbot.waitUntil(lambda: page.create_button.isEnabled(), timeout=10000)
    page.new_pass.setText("short")
    assert "short" in page.hint.text().lower()
    page.new_pass.setText(PASSPHRASE)
    page.again.setText(PASSPHRASE + "x")
    page.create()
    assert page.create_error.isVisible()
    page.again.setText(PASSPHRASE)
    page.country.setCurrentIndex(page.country.findData("MD"))
    page.create()
    qtbot.waitUntil(lambda: not win.is_locked, timeout=20000)
    assert win.session.country == "MD"
    qtbot.waitUntil(lambda: win.home.list_box.count() > 0, timeout=10000)
    win.lock()
    win.runner.wait(5000)
    with Store.open(tmp_path / "new", PASSPHRASE) as store:
        assert store.get_setting("country") == "MD"
        assert store.get_setting("lang") == "en"


@pytest.fixture
def checked_services(profile):  # type: ignore[no-untyped-def]
    """The starter examples claim nothing about access (unknown); mark two as a country
    team would after checking them, so the filters have something to keep."""
    from fieldkit import library
    from fieldkit.store import Store

    with Store.open(profile, PASSPHRASE) as store:
        medical = library.get_item(store, "svc-md-medical-example")
        medical.meta["accessible"] = True
        counselling = library.get_item(store, "svc-md-psychosocial-example")
        counselling.meta["lgbtiq_safe"] = True
        library.put_items(store, [medical, counselling])
    return profile


def test_filters_in_directory(checked_services, unlocked, qtbot):
    unlocked.session.open_pathway()
    pathway = unlocked.pathway
    qtbot.waitUntil(lambda: pathway.branches.count() > 0, timeout=10000)
    everything = pathway.visible_service_ids()
    pathway.accessible.setChecked(True)
    accessible = pathway.visible_service_ids()
    assert accessible and len(accessible) < len(everything)
    assert all(pathway.services[s].meta.get("accessible") is True for s in accessible)
    pathway.accessible.setChecked(False)
    pathway.lgbtiq.setChecked(True)
    assert all(pathway.services[s].meta.get("lgbtiq_safe") is True
               for s in pathway.visible_service_ids())
    pathway.lgbtiq.setChecked(False)
    pathway.language.setCurrentIndex(pathway.language.findData("ro"))
    assert all("ro" in pathway.services[s].meta.get("languages")
               for s in pathway.visible_service_ids())


def test_installed_pyside6_keeps_true_alive(qapp):
    """PySide6 6.12.0's emit() drops a reference to True on every call, and the
    process aborts after a few thousand emits; pyproject.toml keeps it out."""
    import sys

    from PySide6.QtCore import QObject, Signal

    class Source(QObject):
        ping = Signal(object)

    source = Source()
    before = sys.getrefcount(True)
    for _ in range(200):
        source.ping.emit(None)
    assert sys.getrefcount(True) >= before - 5


RUN_SCRIPT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
QTimer.singleShot(1500, app.quit)
from fieldkit.ui.app import run
code = run(data_dir=sys.argv[1], lang="ar")
print("direction", app.layoutDirection().name, "code", code)
sys.exit(code)
"""


def test_run_starts_and_returns_exit_code(profile):
    # In a child process: after exec() returns, Qt refuses new event loops in that process.
    import os
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", RUN_SCRIPT, str(profile)],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert "direction RightToLeft code 0" in result.stdout


def test_superseded_tasks_never_touch_deleted_objects(app_setup, qtbot):
    """Tasks cancelled while the worker is busy: results of the latest only, no errors."""
    import time

    from fieldkit.ui.tasks import TaskRunner

    runner = TaskRunner()
    got: list[str] = []
    for n in range(20):
        task = runner.run(lambda n=n: (time.sleep(0.01), str(n))[1], on_success=got.append)
        if n < 19:
            task.cancel()
        del task
    qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
    assert got == ["19"]
    runner.wait(5000)


def test_lock_while_unlocking_leaves_unlock_usable(window, qtbot):
    window.unlock.passphrase.setText(PASSPHRASE)
    window.unlock.try_unlock()
    window.lock()  # before the passphrase check has come back
    qtbot.waitUntil(lambda: window.unlock._task is None, timeout=10000)
    assert window.is_locked
    window.unlock.passphrase.setText(PASSPHRASE)
    window.unlock.try_unlock()
    qtbot.waitUntil(lambda: not window.is_locked, timeout=10000)


def test_lock_forgets_the_search_text_and_its_undo(unlocked, qtbot):
    unlocked.home.search.setText("something private")
    unlocked.lock()
    assert unlocked.home.search.text() == ""
    assert not unlocked.home.search.isUndoAvailable()


def test_empty_views_follow_the_language(unlocked, qtbot):
    unlocked.law.show_country(None)
    unlocked.pathway.show_place(None, None)
    qtbot.waitUntil(lambda: unlocked.pathway.loaded, timeout=10000)
    english = (unlocked.law.empty.text(), unlocked.pathway.message.text())
    unlocked.session.set_language("fr", save=False)
    try:
        assert unlocked.law.empty.text() != english[0]
        assert unlocked.pathway.message.text() != english[1]
    finally:
        unlocked.session.set_language("en", save=False)
