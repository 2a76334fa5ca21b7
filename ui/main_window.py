"""The window: unlock page, then the views; auto-lock, quick exit, navigation.

Adding a view takes one line in `_add_views` (and, for an action, one in
`_add_actions`): the view gets its page, its entry in the More menu, its
clearing on lock and its re-translation.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
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
from fieldkit.i18n import N_, _
from fieldkit.store import Store

from . import backup, prefs
from .about import AboutDialog
from .session import IDLE_MINUTES_DEFAULT, QUICK_EXIT_CHOICES, Session
from .settings import SettingsDialog
from .tasks import TaskRunner
from .unlock import UnlockPage
from .views.article import ArticleView
from .views.home import HomeView
from .views.law import LawView
from .views.materials import MaterialsView
from .views.neutral import NeutralPage
from .views.pathway import PathwayView
from .views.reports import ReportsView
from .views.sync import SyncView
from .widgets import Banner, forget_clipboard, help_button

# The title never shows content: someone glancing at the screen or the taskbar
# learns nothing. The product name is not translated.
WINDOW_TITLE = "Fieldkit"
ACTIVITY_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                   QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate}
# The preferred size, in multiples of the font's line height, so a larger font gets a
# larger window; never larger than the screen.
PREFERRED_LINES = (60, 42)
SMALL_SCREEN = (1200, 800)  # below this (available pixels), the window opens maximised


class IdleWatcher(QObject):
    """Restarts the idle timer on any user input anywhere in the application."""

    def __init__(self, timer: QTimer, parent: QObject | None = None):
        super().__init__(parent)
        self.timer = timer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS and self.timer.isActive():
            self.timer.start()
        return False


@dataclass
class Route:
    """Where a navigation target goes: the view shown and how it opens its argument."""

    view: QWidget
    open: Callable[[str], None] | None = None


class MainWindow(QMainWindow):
    def __init__(self, data_dir: Path, lang: str | None = None,
                 quit_on_quick_exit: bool = False) -> None:
        super().__init__()
        self.setWindowTitle(WINDOW_TITLE)
        self.quit_on_quick_exit = quit_on_quick_exit
        self.explicit_lang = lang
        self.runner = TaskRunner(self)
        self.session = Session(data_dir, self.runner, self)
        # The unlock page speaks the language last used with this profile (kept outside
        # the encrypted library: the language alone), else the one asked for.
        start = lang or prefs.last_language(data_dir)
        if start:
            self.session.set_language(start, save=False)
        self._history: list[tuple[str, str]] = []
        self._routes: dict[str, Route] = {}
        self._views: list[QWidget] = []
        self._menu_views: list[tuple[QAction, str]] = []
        self._menu_actions: list[tuple[QAction, str]] = []

        self.unlock = UnlockPage(self.session)
        self.unlock.unlocked.connect(self._unlocked)
        self.neutral = NeutralPage()
        self.neutral.leave.connect(self._leave_neutral)
        self.views = QStackedWidget()

        self.help_button = help_button()
        self.help_button.clicked.connect(self.get_help)
        self.back_button = QPushButton()
        self.home_button = QPushButton()
        self.more_button = QPushButton()
        self.more_menu = QMenu(self.more_button)
        self.more_button.setMenu(self.more_menu)
        self.view_section = self.more_menu.addSeparator()  # views go above, actions below
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

        self._add_views()
        self._add_actions()

        bar = QHBoxLayout()
        bar.addWidget(self.help_button)
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
        self.pages.addWidget(self.neutral)
        self.setCentralWidget(self.pages)

        self.idle_timer = QTimer(self, singleShot=True)
        self.idle_timer.setTimerType(Qt.TimerType.PreciseTimer)  # its remaining time is exact
        self.idle_timer.timeout.connect(self.lock)
        self.idle_watcher = IdleWatcher(self.idle_timer, self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle_watcher)

        # F1 and F-keys are the same on every keyboard layout; letters are not
        # (in Russian, Alt+H types a letter instead).
        self._shortcut("F1", self.get_help, application=True)
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
        self.fit_to_screen()
        self.unlock.prepare()

    # -- views and actions: one line each ----------------------------------

    def _add_views(self) -> None:
        self.home = self.add_view("home", HomeView(self.session), N_("Home"))
        self.article = self.add_view("item", ArticleView(self.session))
        self.law = self.add_view("law", LawView(self.session), N_("Law notes"))
        self.pathway = self.add_view("pathway", PathwayView(self.session),
                                     N_("Referral pathway and services"))
        self.sync = self.add_view("sync", SyncView(self.session), N_("Updates"))
        self.reports = self.add_view("reports", ReportsView(self.session), N_("Report drafts"))
        self.add_route("help", self.pathway, lambda _arg: self.pathway.show_help(
            self.session.country, self.session.location))
        self.materials = self.add_view("materials", MaterialsView(self.session),
                                       N_("Printable materials"))

    def _add_actions(self) -> None:
        self.settings_action = self.add_action(N_("Settings…"), self.open_settings)
        self.reindex_action = self.add_action(N_("Rebuild the search index"),
                                              self.rebuild_index)
        self.backup_action = self.add_action(N_("Back up the profile…"),
                                             lambda: backup.backup_profile(self))
        self.restore_action = self.add_action(N_("Restore from a backup…"),
                                              lambda: backup.restore_backup(self))
        self.about_action = self.add_action(N_("About Fieldkit"), self.open_about)

    def add_view(self, key: str, view: Any, label: str | None = None) -> Any:
        """Add a view reached by `session.navigate.emit(key, arg)`.

        The view may define open(arg) (called when it is shown), clear() (on lock: forget
        everything shown), retranslate() (on a language switch) and place_changed() (when
        the country or location changes while it is shown). With a `label` (a message id,
        marked with N_), the view is listed in the More menu. Returns the view.
        """
        self.views.addWidget(view)
        self._views.append(view)
        self.add_route(key, view, getattr(view, "open", None))
        if label is not None:
            action = QAction(self)
            action.triggered.connect(lambda _checked=False, k=key: self._navigate(k, ""))
            self.more_menu.insertAction(self.view_section, action)
            self._menu_views.append((action, label))
        return view

    def add_route(self, key: str, view: QWidget,
                  opener: Callable[[str], None] | None = None) -> None:
        """Another way into a view already added (e.g. "help" opens the pathway view)."""
        self._routes[key] = Route(view, opener)

    def add_action(self, label: str, slot: Callable[[], Any]) -> QAction:
        """An action in the More menu (below the views); `label` is a message id."""
        action = self.more_menu.addAction("")
        action.triggered.connect(lambda _checked=False: slot())
        self._menu_actions.append((action, label))
        action.setText(_(label))
        return action

    def _shortcut(self, keys: str, slot: Any, application: bool = False) -> None:
        shortcut = QShortcut(QKeySequence(keys), self)
        if application:
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(slot)

    # -- size ----------------------------------------------------------------

    def fit_to_screen(self) -> None:
        """A size that suits the font, inside the screen's available area."""
        line = self.fontMetrics().height()
        width, height = PREFERRED_LINES[0] * line, PREFERRED_LINES[1] * line
        screen = self.screen()
        if screen is not None:
            area = screen.availableGeometry()
            width, height = min(width, area.width()), min(height, area.height())
            self.move(area.topLeft())
        self.resize(width, height)

    def show_fitted(self) -> None:
        """Show the window: maximised on a small screen, else at its fitted size."""
        screen = self.screen()
        area = screen.availableGeometry() if screen is not None else None
        if area is not None and (area.width() < SMALL_SCREEN[0]
                                 or area.height() < SMALL_SCREEN[1]):
            self.showMaximized()
        else:
            self.fit_to_screen()
            if area is not None:
                self.move(area.center() - self.rect().center())
            self.show()

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
        exit_choice = settings.get("quick_exit")
        if exit_choice in QUICK_EXIT_CHOICES:
            session.quick_exit = exit_choice
        saved = settings.get("lang")
        if self.unlock.language_touched or self.explicit_lang or not saved:
            session.save_setting("lang", session.lang)
        elif saved != session.lang:
            session.set_language(saved, save=False)
        prefs.remember_language(session.data_dir, session.lang)
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
        for view in self._views:  # typing not yet saved goes in while the store is open
            flush = getattr(view, "flush", None)
            if callable(flush):
                flush()
        store, self.session.store = self.session.store, None
        self.runner.cancel_all()
        for view in self._views:
            clear = getattr(view, "clear", None)
            if callable(clear):
                clear()
        self.message.hide()
        self._history.clear()
        forget_clipboard()
        if store is not None:
            self.runner.run(store.close)  # on the worker: only it touches the store
        if self.pages.currentWidget() is not self.neutral:
            self.pages.setCurrentIndex(0)
        self.unlock.prepare()

    def quick_exit(self) -> None:
        """Lock at once, then either hide and quit, or show a neutral page (Settings)."""
        if self.session.quick_exit == "neutral":
            self.pages.setCurrentWidget(self.neutral)
            self.setWindowTitle(self.neutral.title())
            self.lock()
            self.neutral.setFocus()
            return
        self.hide()
        self.lock()
        if self.quit_on_quick_exit:
            self.runner.wait(5000)
            QApplication.quit()

    def _leave_neutral(self) -> None:
        self.setWindowTitle(WINDOW_TITLE)
        self.pages.setCurrentIndex(0)
        self.unlock.prepare()

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
        route = self._routes.get(target) or self._routes["home"]
        if remember:
            self._history.append((target, arg))
        if route.open is not None:
            route.open(arg)
        self.views.setCurrentWidget(route.view)
        focus = getattr(route.view, "focus_first", None)
        if callable(focus):
            focus()

    def get_help(self) -> None:
        """"Get help now": the first step of the local pathway, unfiltered, from anywhere;
        while locked, what always applies (the library's contacts stay locked)."""
        if self.is_locked:
            if self.pages.currentWidget() is self.unlock:
                self.unlock.show_help()
            return
        self._navigate("help", "")

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
        changed = getattr(current, "place_changed", None)
        if current is not self.home and callable(changed):
            changed()

    # -- maintenance ---------------------------------------------------------

    def open_about(self) -> AboutDialog:
        """Versions and licences (nothing from the profile: safe to show while locked)."""
        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_settings(self) -> None:
        if self.is_locked:
            return
        dialog = SettingsDialog(self.session.idle_minutes, self.session.quick_exit, self)
        if dialog.exec() and not self.is_locked:  # the idle lock may have struck meanwhile
            self.apply_settings(*dialog.values())
        dialog.deleteLater()

    def apply_settings(self, idle_minutes: int, quick_exit: str) -> None:
        """Use and keep (in the encrypted library) the idle-lock time and quick exit."""
        session = self.session
        session.idle_minutes = max(1, idle_minutes)
        session.quick_exit = quick_exit if quick_exit in QUICK_EXIT_CHOICES else "quit"
        session.save_setting("idle_minutes", str(session.idle_minutes))
        session.save_setting("quick_exit", session.quick_exit)
        self.idle_timer.setInterval(session.idle_minutes * 60_000)
        self.idle_timer.start()

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
        if self.pages.currentWidget() is not self.neutral:
            self.setWindowTitle(WINDOW_TITLE)
        self.help_button.setText(_("Get help now (F1)"))
        self.help_button.setAccessibleName(_("Get help now: the local referral pathway"))
        self.help_button.setToolTip(_("Who to contact where you are, step by step (F1)"))
        self.back_button.setText(_("&Back"))
        # The standard back arrow points the right way for the layout direction.
        self.back_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowBack))
        self.back_button.setAccessibleName(_("Back"))
        self.back_button.setToolTip(_("Back (Alt+Left)"))
        self.home_button.setText(_("Ho&me"))
        self.home_button.setAccessibleName(_("Home"))
        self.more_button.setText(_("Mo&re"))
        self.more_button.setAccessibleName(_("More actions"))
        for action, label in self._menu_views + self._menu_actions:
            action.setText(_(label))
        self.lock_button.setText(_("Loc&k"))
        self.lock_button.setAccessibleName(_("Lock the library"))
        self.lock_button.setToolTip(_("Lock now (Ctrl+L)"))
        self.exit_button.setText(_("Quick e&xit"))
        self.exit_button.setAccessibleName(_("Quick exit: hide and lock at once"))
        self.exit_button.setToolTip(_("Hide Fieldkit and lock it at once (Ctrl+Shift+X)"))
        for view in (self.unlock, *self._views):
            retranslate = getattr(view, "retranslate", None)
            if callable(retranslate):
                retranslate()
        # Re-lay out for the new direction and text lengths.
        self.centralWidget().updateGeometry()
        layout = self.centralWidget().layout()
        if layout is not None:
            layout.invalidate()

