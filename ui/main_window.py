"""The window: unlock page, then the views; auto-lock, quick exit, navigation."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMainWindow,
    QMenu,
    QProgressDialog,
    QPushButton,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from fieldkit import library
from fieldkit.i18n import _
from fieldkit.store import Store

from .session import IDLE_MINUTES_DEFAULT, Session
from .tasks import TaskRunner
from .unlock import UnlockPage
from .views.article import ArticleView
from .views.home import HomeView
from .views.law import LawView
from .views.pathway import PathwayView
from .widgets import Banner, forget_clipboard

# The title never shows content: someone glancing at the screen or the taskbar
# learns nothing. The product name is not translated.
WINDOW_TITLE = "Fieldkit"
ACTIVITY_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                   QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate}


class IdleWatcher(QObject):
    """Restarts the idle timer on any user input anywhere in the application."""

    def __init__(self, timer: QTimer, parent: QObject | None = None):
        super().__init__(parent)
        self.timer = timer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS and self.timer.isActive():
            self.timer.start()
        return False


class MainWindow(QMainWindow):
    def __init__(self, data_dir: Path, lang: str | None = None,
                 quit_on_quick_exit: bool = False) -> None:
        super().__init__()
        self.setWindowTitle(WINDOW_TITLE)
        self.quit_on_quick_exit = quit_on_quick_exit
        self.explicit_lang = lang
        self.runner = TaskRunner(self)
        self.session = Session(data_dir, self.runner, self)
        if lang:
            self.session.set_language(lang, save=False)
        self._history: list[tuple[str, str]] = []

        self.unlock = UnlockPage(self.session)
        self.unlock.unlocked.connect(self._unlocked)
        self.home = HomeView(self.session)
        self.article = ArticleView(self.session)
        self.law = LawView(self.session)
        self.pathway = PathwayView(self.session)
        self.views = QStackedWidget()
        for view in (self.home, self.article, self.law, self.pathway):
            self.views.addWidget(view)

        self.back_button = QPushButton()
        self.home_button = QPushButton()
        self.more_button = QPushButton()
        self.more_menu = QMenu(self.more_button)
        self.reindex_action = self.more_menu.addAction("")
        self.reindex_action.triggered.connect(self.rebuild_index)
        self.more_button.setMenu(self.more_menu)
        self.lock_button = QPushButton()
        self.exit_button = QPushButton()
        self.exit_button.setObjectName("quickExit")
        self.exit_button.setStyleSheet(
            "#quickExit { background:#3f3f46; color:white; padding:4px 12px; "
            "border-radius:4px; } #quickExit:focus { border:2px solid #1d4ed8; }")
        self.back_button.clicked.connect(self.back)
        self.home_button.clicked.connect(self.go_home)
        self.lock_button.clicked.connect(self.lock)
        self.exit_button.clicked.connect(self.quick_exit)
        self.message = Banner("warning")
        self.message.hide()
        self.message_timer = QTimer(self, singleShot=True, interval=15000)
        self.message_timer.timeout.connect(self.message.hide)

        bar = QHBoxLayout()
        bar.addWidget(self.back_button)
        bar.addWidget(self.home_button)
        bar.addWidget(self.more_button)
        bar.addStretch(1)
        bar.addWidget(self.lock_button)
        bar.addWidget(self.exit_button)
        main = QWidget()
        column = QVBoxLayout(main)
        column.addLayout(bar)
        column.addWidget(self.message)
        column.addWidget(self.views, 1)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.unlock)
        self.pages.addWidget(main)
        self.setCentralWidget(self.pages)

        self.idle_timer = QTimer(self, singleShot=True)
        self.idle_timer.timeout.connect(self.lock)
        self.idle_watcher = IdleWatcher(self.idle_timer, self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle_watcher)

        self._shortcut("Ctrl+Shift+X", self.quick_exit, application=True)
        self._shortcut("Ctrl+F", self.focus_search)
        self._shortcut("Ctrl+L", self.lock)
        self._shortcut("Alt+Left", self.back)
        self._shortcut("Alt+Home", self.go_home)

        self.session.language_changed.connect(self.retranslate)
        self.session.navigate.connect(self._navigate)
        self.session.error.connect(self.show_message)
        self.session.place_changed.connect(self._place_changed)
        self.retranslate()
        self.resize(1000, 720)
        self.unlock.prepare()

    def _shortcut(self, keys: str, slot: Any, application: bool = False) -> None:
        shortcut = QShortcut(QKeySequence(keys), self)
        if application:
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(slot)

    # -- lock and unlock ---------------------------------------------------

    @property
    def is_locked(self) -> bool:
        return self.session.store is None

    def _unlocked(self, store: Store, settings: dict[str, Any]) -> None:
        session = self.session
        session.store = store
        session.country = settings.get("country") or None
        session.location = settings.get("location") or None
        minutes = IDLE_MINUTES_DEFAULT
        with contextlib.suppress(TypeError, ValueError):
            minutes = int(settings.get("idle_minutes") or IDLE_MINUTES_DEFAULT)
        session.idle_minutes = max(1, minutes)
        saved = settings.get("lang")
        if self.unlock.language_touched or self.explicit_lang or not saved:
            session.save_setting("lang", session.lang)
        elif saved != session.lang:
            session.set_language(saved, save=False)
        self.idle_timer.setInterval(session.idle_minutes * 60_000)
        self.idle_timer.start()
        self._history.clear()
        self.pages.setCurrentIndex(1)
        self.views.setCurrentWidget(self.home)
        self.home.load()
        self.home.focus_search()

    def lock(self) -> None:
        """Close the store and forget everything shown; back to the unlock page."""
        self.idle_timer.stop()
        store, self.session.store = self.session.store, None
        self.runner.cancel_all()
        for view in (self.home, self.article, self.law, self.pathway):
            view.clear()
        self.message.hide()
        self._history.clear()
        forget_clipboard()
        if store is not None:
            self.runner.run(store.close)  # on the worker: only it touches the store
        self.pages.setCurrentIndex(0)
        self.unlock.prepare()

    def quick_exit(self) -> None:
        """Hide at once, then lock; in the real app also quit."""
        self.hide()
        self.lock()
        if self.quit_on_quick_exit:
            self.runner.wait(5000)
            QApplication.quit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.lock()
        self.runner.wait(5000)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle_watcher)
        super().closeEvent(event)

    # -- navigation --------------------------------------------------------

    def _navigate(self, target: str, arg: str, remember: bool = True) -> None:
        if self.is_locked:
            return
        if remember:
            self._history.append((target, arg))
        session = self.session
        if target == "item":
            self.article.show_item(arg)
            self.views.setCurrentWidget(self.article)
            self.article.body.setFocus()
        elif target == "law":
            self.law.show_country(session.country)
            self.views.setCurrentWidget(self.law)
        elif target == "pathway":
            self.pathway.show_place(session.country, session.location, arg)
            self.views.setCurrentWidget(self.pathway)
            self.pathway.branches.setFocus()
        else:
            self.views.setCurrentWidget(self.home)

    def go_home(self) -> None:
        self._navigate("home", "")

    def back(self) -> None:
        if len(self._history) > 1:
            self._history.pop()
            self._navigate(*self._history[-1], remember=False)
        else:
            self._history.clear()
            self._navigate("home", "", remember=False)

    def focus_search(self) -> None:
        if not self.is_locked:
            self.go_home()
            self.home.focus_search()

    def _place_changed(self) -> None:
        current = self.views.currentWidget()
        if current is self.law:
            self.law.show_country(self.session.country)
        elif current is self.pathway:
            self.pathway.show_place(self.session.country, self.session.location)

    # -- maintenance ---------------------------------------------------------

    def rebuild_index(self) -> None:
        """Rebuild the search index in the background, with progress and cancel."""
        dialog = QProgressDialog(self)
        dialog.setWindowTitle(WINDOW_TITLE)
        dialog.setLabelText(_("Rebuilding the search index…"))
        dialog.setAutoClose(False)
        dialog.setMinimumDuration(0)
        task = self.session.run(
            library.rebuild_index, with_progress=True,
            on_progress=lambda done, total, _label: (dialog.setMaximum(total),
                                                     dialog.setValue(done)),
            on_success=lambda n: self.show_message(
                _("The search index was rebuilt ({n} entries).").format(n=n)),
        )
        if task is None:
            dialog.deleteLater()
            return
        self.reindex_dialog = dialog
        dialog.canceled.connect(task.cancel)
        task.cancelled.connect(lambda: self.show_message(
            _("Rebuilding was cancelled; the search index is as it was.")))
        task.finished.connect(dialog.reset)
        task.finished.connect(dialog.deleteLater)
        dialog.show()

    def show_message(self, text: str) -> None:
        """The one place expected failures are shown (their .message)."""
        if self.is_locked:
            return
        self.message.setText(_(text))
        self.message.show()
        self.message_timer.start()

    # -- language ----------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(WINDOW_TITLE)
        self.back_button.setText(_("&Back"))
        # The standard back arrow points the right way for the layout direction.
        self.back_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowBack))
        self.back_button.setAccessibleName(_("Back"))
        self.back_button.setToolTip(_("Back (Alt+Left)"))
        self.home_button.setText(_("Ho&me"))
        self.home_button.setAccessibleName(_("Home"))
        self.more_button.setText(_("Mo&re"))
        self.more_button.setAccessibleName(_("More actions"))
        self.reindex_action.setText(_("Rebuild the search index"))
        self.lock_button.setText(_("Loc&k"))
        self.lock_button.setAccessibleName(_("Lock the library"))
        self.lock_button.setToolTip(_("Lock now (Ctrl+L)"))
        self.exit_button.setText(_("Quick e&xit"))
        self.exit_button.setAccessibleName(_("Quick exit: hide and lock at once"))
        self.exit_button.setToolTip(_("Hide Fieldkit and lock it at once (Ctrl+Shift+X)"))
        for view in (self.unlock, self.home, self.article, self.law, self.pathway):
            view.retranslate()
        # Re-lay out for the new direction and text lengths.
        self.centralWidget().updateGeometry()
        layout = self.centralWidget().layout()
        if layout is not None:
            layout.invalidate()
