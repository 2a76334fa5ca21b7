"""The unlocked session: the store, the reader's place and language, and the
one signal every view listens to for re-translation."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, Qt, QTranslator, Signal
from PySide6.QtWidgets import QApplication

from fieldkit import UN_LANGUAGES, i18n
from fieldkit.store import Store

from . import prefs
from .tasks import Task, TaskRunner

log = logging.getLogger(__name__)

IDLE_MINUTES_DEFAULT = 5
# What quick exit does after locking: hide and quit, or show a neutral page.
QUICK_EXIT_CHOICES = ("quit", "neutral")


def apply_qt_language(lang: str, previous: QTranslator | None) -> QTranslator | None:
    """Qt's side of a language switch: its own translations, locale and direction."""
    app = QApplication.instance()
    if previous is not None and app is not None:
        app.removeTranslator(previous)
    QLocale.setDefault(QLocale(lang))
    if app is None:
        return None
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if i18n.is_rtl(lang)
                           else Qt.LayoutDirection.LeftToRight)
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    # By locale, so that "zh" finds qtbase_zh_CN (Qt ships no plain qtbase_zh).
    if translator.load(QLocale(lang), "qtbase", "_", folder):
        app.installTranslator(translator)
        return translator
    return None


class Session(QObject):
    """What the views share. Views never touch the store directly: they call run()."""

    language_changed = Signal()          # the one re-translation signal
    place_changed = Signal()             # country or location changed
    navigate = Signal(str, str)          # target (a key of MainWindow.add_view), argument
    error = Signal(str)                  # a message to show the user

    def __init__(self, data_dir: Path, runner: TaskRunner, parent: QObject | None = None):
        super().__init__(parent)
        self.data_dir = data_dir
        self.runner = runner
        self.store: Store | None = None
        self.country: str | None = None
        self.location: str | None = None
        self.idle_minutes = IDLE_MINUTES_DEFAULT
        self.quick_exit = QUICK_EXIT_CHOICES[0]
        self._translator: QTranslator | None = None
        runner.error.connect(self.error)

    # -- background work ---------------------------------------------------

    def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Task | None:
        """Run fn(store, *args) on the worker; nothing happens when locked."""
        if self.store is None:
            return None
        return self.runner.run(fn, self.store, *args, **kwargs)

    def save_setting(self, key: str, value: str | None) -> None:
        self.run(lambda store: store.set_setting(key, value))

    # -- language and place ------------------------------------------------

    @property
    def lang(self) -> str:
        return i18n.language()

    def set_language(self, lang: str, save: bool = True) -> None:
        lang = i18n.normalise(lang)
        if lang not in UN_LANGUAGES:
            lang = "en"
        i18n.set_language(lang)
        self._translator = apply_qt_language(lang, self._translator)
        if save:
            self.save_setting("lang", lang)
            prefs.remember_language(self.data_dir, lang)
        self.language_changed.emit()

    def set_place(self, country: str | None, location: str | None) -> None:
        if (country, location) == (self.country, self.location):
            return
        self.country, self.location = country, location
        self.save_setting("country", country)
        self.save_setting("location", location)
        self.place_changed.emit()

    # -- navigation --------------------------------------------------------

    def open(self, target: str, arg: str = "") -> None:
        """Show the view registered as `target` (see MainWindow.add_view)."""
        self.navigate.emit(target, arg)

    def get_help(self) -> None:
        """The local pathway's first step, unfiltered."""
        self.navigate.emit("help", "")

    def open_item(self, item_id: str) -> None:
        self.navigate.emit("item", item_id)

    def open_law(self) -> None:
        self.navigate.emit("law", "")

    def open_pathway(self, pathway_id: str = "") -> None:
        self.navigate.emit("pathway", pathway_id)

    def show_error(self, message: str) -> None:
        self.error.emit(message)
