"""Unlock an existing profile, or set one up on first run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit import UN_LANGUAGES, library
from fieldkit.content.model import Item
from fieldkit.content.pack import starter_items
from fieldkit.i18n import _
from fieldkit.store import MIN_PASSPHRASE_LENGTH, Store, profile_exists

from .session import Session
from .tasks import Task
from .widgets import (
    Banner,
    CountryBox,
    always_applies,
    buddy_label,
    fill_country_combo,
    fill_language_combo,
    fill_location_combo,
    heading,
    help_button,
    wrapped,
)

SETTING_KEYS = ("lang", "country", "location", "idle_minutes", "quick_exit")


def open_profile(directory: Path, passphrase: str) -> tuple[Store, dict[str, str | None]]:
    """Worker side of unlocking: open the store and read the session settings."""
    store = Store.open(directory, passphrase)
    return store, {key: store.get_setting(key) for key in SETTING_KEYS}


def create_profile(directory: Path, passphrase: str, items: list[Item],
                   settings: dict[str, str | None],
                   progress: Callable[[int, int, str], None]) -> tuple[Store, dict[str, Any]]:
    """Worker side of first run: the profile with the starter pack and the settings,
    all or nothing (library.create_profile)."""
    progress(0, 100, "content")
    store = library.create_profile(
        directory, passphrase, items, settings,
        progress=lambda done, total, _label: progress(int(95 * done / max(total, 1)), 100,
                                                      "content"))
    progress(100, 100, "done")
    return store, dict(settings)


def strength(passphrase: str) -> tuple[int, str]:
    """A rough hint (0-3) for a new passphrase; length counts most."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        return 0, _("Too short: use at least {n} characters.").format(n=MIN_PASSPHRASE_LENGTH)
    kinds = sum(any(test(c) for c in passphrase) for test in
                (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum()))
    words = len(passphrase.split())
    score = 1 + (len(passphrase) >= 14 or words >= 3) + (len(passphrase) >= 20 or kinds >= 3)
    return score, {1: _("Weak: longer is stronger, e.g. four unrelated words."),
                   2: _("Fair."),
                   3: _("Strong.")}[score]


class UnlockPage(QWidget):
    """Emits `unlocked(store, settings)`; the main window takes it from there."""

    unlocked = Signal(object, object)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self._items: list[Item] | None = None
        self._task: Task | None = None
        self.language_touched = False

        self.title = heading("Fieldkit", 1.8)  # the product name is not translated
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.language = QComboBox()
        self.language_label = buddy_label(self.language)
        fill_language_combo(self.language, UN_LANGUAGES, session.lang)
        self.language.currentIndexChanged.connect(self._language_picked)

        # Get help now, even locked: what always applies (it needs nothing from the library).
        self.help_button = help_button()
        self.help_button.setFont(self.font())  # the row keeps the height of its neighbours
        self.help_button.clicked.connect(self.show_help)
        self.help_title = heading(factor=1.15)
        self.help_steps = wrapped()
        self.help_panel = QFrame()
        self.help_panel.setObjectName("lockedHelp")
        self.help_panel.setStyleSheet("#lockedHelp { border:1px solid palette(mid); "
                                      "border-radius:6px; }")
        panel = QVBoxLayout(self.help_panel)
        panel.addWidget(self.help_title)
        panel.addWidget(self.help_steps)
        self.help_panel.hide()

        # Unlock
        self.intro = wrapped()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.pass_label = buddy_label(self.passphrase)
        self.show_pass = QCheckBox()
        self.show_pass.toggled.connect(lambda on: self._show_secret(on, self.passphrase))
        self.unlock_button = QPushButton()
        self.unlock_button.setDefault(True)
        self.error = Banner("warning")
        self.error.hide()
        # Notices span the column outside the forms: a form row does not give a
        # wrapped text the height it needs, and it would be cut off.
        unlock = QWidget()
        form = QFormLayout()
        form.addRow(self.pass_label, self.passphrase)
        form.addRow("", self.show_pass)
        form.addRow("", self.unlock_button)
        page = QVBoxLayout(unlock)
        page.addWidget(self.intro)
        page.addLayout(form)
        page.addWidget(self.error)
        page.addStretch(1)
        self.passphrase.returnPressed.connect(self.try_unlock)
        self.unlock_button.clicked.connect(self.try_unlock)

        # First run
        self.welcome = wrapped()
        self.new_pass = QLineEdit()
        self.new_pass.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_label = buddy_label(self.new_pass)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again_label = buddy_label(self.again)
        self.show_new = QCheckBox()
        self.show_new.toggled.connect(
            lambda on: self._show_secret(on, self.new_pass, self.again))
        self.hint = wrapped()
        self.warning = Banner("warning")
        self.country = CountryBox()
        self.country_label = buddy_label(self.country)
        self.location = QComboBox()
        self.location_label = buddy_label(self.location)
        self.create_button = QPushButton()
        self.cancel_button = QPushButton()
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.hide()
        self.create_error = Banner("warning")
        self.create_error.hide()
        setup = QWidget()
        secret = QFormLayout()
        secret.addRow(self.new_label, self.new_pass)
        secret.addRow(self.again_label, self.again)
        secret.addRow("", self.show_new)
        place = QFormLayout()
        place.addRow(self.country_label, self.country)
        place.addRow(self.location_label, self.location)
        buttons = QHBoxLayout()
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        page = QVBoxLayout(setup)
        page.addWidget(self.welcome)
        page.addLayout(secret)
        page.addWidget(self.hint)
        page.addWidget(self.warning)
        page.addLayout(place)
        page.addLayout(buttons)
        page.addWidget(self.progress)
        page.addWidget(self.create_error)
        page.addStretch(1)
        self.new_pass.textChanged.connect(self._update_hint)
        # An error about what was typed goes as soon as the typing changes.
        for field in (self.new_pass, self.again):
            field.textChanged.connect(lambda _text: self.create_error.hide())
        self.passphrase.textChanged.connect(lambda _text: self.error.hide())
        self.country.currentIndexChanged.connect(self._country_picked)
        self.create_button.clicked.connect(self.create)
        self.cancel_button.clicked.connect(self._cancel)
        self.again.returnPressed.connect(self.create)

        self.pages = QStackedWidget()
        for form_page in (unlock, setup):
            # Never squeezed below what its rows need: the scroll area scrolls instead.
            form_page.layout().setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
            self.pages.addWidget(form_page)
        top = QHBoxLayout()
        top.addWidget(self.help_button)
        top.addStretch(1)
        top.addWidget(self.language_label)
        top.addWidget(self.language)
        column = QVBoxLayout()
        column.addLayout(top)
        column.addWidget(self.title)
        column.addWidget(self.help_panel)
        column.addWidget(self.pages)
        column.addStretch(1)
        # Keep the form a readable width, centred, however wide the window; on a small
        # screen or with a large font it scrolls instead of cutting anything off.
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.addStretch(1)
        row.addLayout(column, 4)
        row.addStretch(1)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setWidget(holder)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(area)
        self.retranslate()

    # -- mode --------------------------------------------------------------

    @property
    def first_run(self) -> bool:
        return self.pages.currentIndex() == 1

    def prepare(self) -> None:
        """Show the right form for the data folder; clear every field."""
        self.reset()
        if profile_exists(self.session.data_dir):
            self.pages.setCurrentIndex(0)
            self.passphrase.setFocus()
        else:
            self.pages.setCurrentIndex(1)
            self.new_pass.setFocus()
            if self._items is None:
                self.create_button.setEnabled(False)
                self.session.runner.run(starter_items, on_success=self._items_loaded,
                                        on_failure=self._show_create_error)

    @staticmethod
    def _show_secret(on: bool, *fields: QLineEdit) -> None:
        for field in fields:
            field.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)

    def show_help(self) -> None:
        """F1 or the button while locked: the steps that always apply."""
        self.help_panel.show()
        self.help_button.setFocus()

    def reset(self) -> None:
        self.help_panel.hide()
        for field in (self.passphrase, self.new_pass, self.again):
            field.clear()
        for box in (self.show_pass, self.show_new):
            box.setChecked(False)  # never left showing for the next person
        self.error.hide()
        self.create_error.hide()
        self.progress.hide()
        self._set_busy(False)

    def _items_loaded(self, items: list[Item]) -> None:
        self._items = items
        self.create_button.setEnabled(True)
        self._fill_places()

    def _fill_places(self) -> None:
        items = self._items or []
        countries = sorted({i.country for i in items if i.country})
        fill_country_combo(self.country, countries, self.country.currentData(),
                           self.session.lang)
        self._country_picked()

    def _country_picked(self, _index: int = 0) -> None:
        code = self.country.currentData()
        places = sorted({i.location for i in self._items or []
                         if code and i.country == code and i.location})
        fill_location_combo(self.location, places, self.location.currentData(), code)

    def _language_picked(self, _index: int) -> None:
        self.language_touched = True
        self.session.set_language(self.language.currentData(), save=False)

    # -- unlock ------------------------------------------------------------

    def try_unlock(self) -> None:
        if self._task is not None:
            return
        secret = self.passphrase.text()
        if not secret:
            self._show_error(_("Enter your passphrase."))
            return
        self._set_busy(True)
        self._task = self.session.runner.run(
            open_profile, self.session.data_dir, secret,
            on_success=self._opened, on_failure=self._show_error)
        self._task.cancelled.connect(self._unlock_cancelled)
        self._task.discarded.connect(self._close_discarded)

    def _opened(self, result: tuple[Store, dict[str, Any]]) -> None:
        self._task = None
        self._set_busy(False)
        self.passphrase.clear()
        self.unlocked.emit(*result)

    def _unlock_cancelled(self) -> None:
        """Locked (or quick exit) while the passphrase was being checked."""
        self._task = None
        self._set_busy(False)
        self.passphrase.clear()

    def _close_discarded(self, result: tuple[Store, dict[str, Any]]) -> None:
        self.session.runner.run(result[0].close)  # on the worker, like every store call

    def _show_error(self, message: str) -> None:
        self._task = None
        self._set_busy(False)
        self.error.setText(_(message))
        self.error.show()
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    # -- first run ---------------------------------------------------------

    def _update_hint(self, text: str) -> None:
        score, hint = strength(text)
        colour = ("#9b1c1c", "#9b1c1c", "#8a5a00", "#1b6e20")[score]
        self.hint.setStyleSheet(f"QLabel {{ color: {colour}; }}")
        self.hint.setText(hint if text else _("Use at least {n} characters; a few unrelated "
                                              "words are easy to remember and hard to "
                                              "guess.").format(n=MIN_PASSPHRASE_LENGTH))

    def create(self) -> None:
        if self._task is not None or self._items is None:
            return
        secret = self.new_pass.text()
        if len(secret) < MIN_PASSPHRASE_LENGTH:
            # The hint under the field already says so, in red: point at it, not twice.
            self.create_error.hide()
            self.new_pass.setFocus()
            self.new_pass.selectAll()
            return
        if secret != self.again.text():
            self._show_create_error(_("The two passphrases are not the same."))
            return
        settings = {"lang": self.session.lang, "country": self.country.currentData(),
                    "location": self.location.currentData()}
        self.create_error.hide()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.show()
        self._set_busy(True)
        self._task = self.session.runner.run(
            create_profile, self.session.data_dir, secret, self._items, settings,
            with_progress=True, on_success=self._created, on_failure=self._show_create_error,
            on_progress=self._progressed)
        self._task.cancelled.connect(self._create_cancelled)
        # Cancelled too late: the profile exists; close it and offer to unlock it.
        self._task.discarded.connect(self._close_discarded)
        self._task.discarded.connect(lambda _result: self.prepare())

    def _progressed(self, done: int, total: int, stage: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat({"create": _("Creating the encrypted library…"),
                                 "content": _("Loading the guidance and local contacts…"),
                                 }.get(stage, "%p%"))

    def _created(self, result: tuple[Store, dict[str, Any]]) -> None:
        self._task = None
        self.reset()
        self.unlocked.emit(*result)

    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _create_cancelled(self) -> None:
        self._task = None
        self._set_busy(False)
        self.progress.hide()

    def _show_create_error(self, message: str) -> None:
        self._task = None
        self._set_busy(False)
        self.progress.hide()
        self.create_error.setText(_(message))
        self.create_error.show()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.unlock_button, self.passphrase, self.new_pass, self.again,
                       self.country, self.location, self.language):
            widget.setEnabled(not busy)
        self.create_button.setEnabled(not busy and self._items is not None)
        self.cancel_button.setVisible(busy and self.first_run)

    # -- language ----------------------------------------------------------

    def retranslate(self) -> None:
        self.help_button.setText(_("Get help now (F1)"))
        self.help_button.setAccessibleName(_("Get help now: the local referral pathway"))
        self.help_title.setText(_("What you can do now"))
        self.help_steps.setText("\n\n".join(f"{n}. {text}"
                                             for n, text in enumerate(always_applies(), 1)))
        self.language_label.setText(_("Lan&guage:"))
        self.language.setAccessibleName(_("Language"))
        fill_language_combo(self.language, UN_LANGUAGES, self.session.lang)
        self.intro.setText(_("Your library is locked. Enter your passphrase to open it."))
        self.pass_label.setText(_("&Passphrase:"))
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.show_pass.setText(_("&Show the passphrase"))
        self.show_new.setText(_("&Show the passphrase"))
        self.unlock_button.setText(_("&Unlock"))
        self.unlock_button.setAccessibleName(_("Unlock"))
        self.welcome.setText(_("Welcome. Fieldkit keeps its library encrypted on this "
                               "computer. Choose a passphrase to protect it, and the place "
                               "where you work."))
        self.new_label.setText(_("New &passphrase:"))
        self.new_pass.setAccessibleName(_("New passphrase"))
        self.again_label.setText(_("&Repeat it:"))
        self.again.setAccessibleName(_("Repeat the new passphrase"))
        self.warning.setText(_("If you forget this passphrase, nobody can recover your "
                               "library: not you, not your IT team, not Fieldkit. Write it "
                               "down and keep it somewhere safe."))
        self.country_label.setText(_("&Country:"))
        self.country.setAccessibleName(_("Country"))
        self.location_label.setText(_("L&ocation:"))
        self.location.setAccessibleName(_("Location"))
        self.create_button.setText(_("Create my &library"))
        self.create_button.setAccessibleName(_("Create my library"))
        self.cancel_button.setText(_("Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel"))
        self.progress.setAccessibleName(_("Progress"))
        self._update_hint(self.new_pass.text())
        if self._items is not None:
            self._fill_places()
