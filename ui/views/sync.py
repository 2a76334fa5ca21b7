"""The sync view: where updates come from, progress and cancel, what changed per channel.

A sync runs in three steps so that search and reading stay responsive: reading the
trusted state and applying the update use the store's worker (each briefly); the
download and verification in between run on a worker of their own that never
touches the store. `SyncStatusLine` is the "content as of / last checked" line the
home view shows.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.errors import FieldkitError
from fieldkit.i18n import _, country_name, format_date, format_review_date
from fieldkit.sync import client

from ..session import Session
from ..tasks import Task, TaskRunner
from ..widgets import Banner, buddy_label, heading, isolate, ltr, wrapped


def _when(value: str) -> str:
    """An ISO timestamp as the reader's date; a content date (2026, 2026-12) at the
    precision it was written with."""
    try:
        return format_date(dt.datetime.fromisoformat(value).date())
    except ValueError:
        return format_review_date(value)


def channel_label(channel: str) -> str:
    return _("Global guidance") if channel == "global" else country_name(channel)


def status_text(status: client.Status) -> str:
    date = isolate(_when(status.content_as_of)) if status.content_as_of else _("unknown")
    if status.last_checked:
        text = _("Content as of {date} · last checked {checked}").format(
            date=date, checked=isolate(_when(status.last_checked)))
    else:  # a fresh profile: the starter pack's date, and no check yet (not "never")
        text = _("Content as of {date} · not checked for updates yet").format(date=date)
    if status.last_result and status.last_result != "ok":
        text += " · " + _("the last check failed")
    return text


class SyncStatusLine(QLabel):
    """'Content as of … · last checked …', refreshed whenever it is shown; a link to
    the sync view."""

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.linkActivated.connect(lambda _link: session.navigate.emit("sync", ""))
        self.status: client.Status | None = None
        session.language_changed.connect(self._render)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        self.session.run(client.status, on_success=self._loaded)

    def _loaded(self, status: client.Status) -> None:
        self.status = status
        self._render()

    def _render(self) -> None:
        text = status_text(self.status) if self.status else ""
        self.setText(f'<a href="sync">{html.escape(text)}</a>' if text else "")
        self.setAccessibleName(text)

    def plain_text(self) -> str:
        return self.accessibleName()


class SyncView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.network = TaskRunner(self)  # downloads: never on the store's worker
        self.task: Task | None = None
        self.status: client.Status | None = None

        self.title = heading()
        self.status_line = wrapped()
        self.notice = Banner("warning")
        self.source = QLineEdit()
        self.source_label = buddy_label(self.source)
        self.folder_button = QPushButton()
        self.folder_button.clicked.connect(self.pick_folder)
        self.trust_button = QPushButton()
        self.trust_button.clicked.connect(self.pick_root)
        self.sync_button = QPushButton()
        self.sync_button.setDefault(True)
        self.sync_button.clicked.connect(self.start)
        self.source.returnPressed.connect(self.start)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress_label = wrapped()
        self.summary = wrapped()

        row = QHBoxLayout()
        row.addWidget(self.source_label)
        row.addWidget(self.source, 1)
        row.addWidget(self.folder_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.trust_button)
        buttons.addStretch(1)
        box = QVBoxLayout(self)
        box.addWidget(self.title)
        box.addWidget(self.status_line)
        box.addWidget(self.notice)
        box.addLayout(row)
        box.addLayout(buttons)
        box.addWidget(self.progress)
        box.addWidget(self.progress_label)
        box.addWidget(self.summary)
        box.addStretch(1)
        self._idle()
        self.retranslate()

    # -- the view's life ------------------------------------------------------

    def open(self, _arg: str) -> None:
        self.summary.clear()
        self.refresh()

    def refresh(self) -> None:
        self.session.run(client.status, on_success=self._status_loaded)

    def _status_loaded(self, status: client.Status) -> None:
        self.status = status
        if status.source and not self.source.text():
            self.source.setText(status.source)
        self._render_status()

    def clear(self) -> None:
        """On lock: stop what runs (a download stops at its next file; an apply completes
        or never began) and forget what was shown."""
        self.cancel()
        self._idle()
        self.status = None
        self.source.clear()
        self.summary.clear()
        self.status_line.clear()
        self.notice.hide()

    def _render_status(self) -> None:
        status = self.status
        if status is None:
            return
        self.status_line.setText(status_text(status))
        problems = []
        if not status.trusted:
            problems.append(_("This profile trusts no repository yet: choose the root "
                              "metadata file your country team gave you."))
        if status.last_result and status.last_result != "ok":
            problems.append(status.last_result)
        if status.conflicts:
            problems.append(_("Edited here and changed upstream, kept as edited: {items}").format(
                items=", ".join(c["item"] for c in status.conflicts)))
        self.notice.setText("\n".join(problems))
        self.notice.setVisible(bool(problems))
        self.sync_button.setEnabled(status.trusted and self.task is None)

    # -- choosing -------------------------------------------------------------

    def pick_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose the folder of a repository "
                                                          "copy"))
        if folder:
            self.source.setText(folder)

    def pick_root(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Choose the root metadata file"),
                                                    "", "root.json (*.json)")
        if path:
            self.trust_file(Path(path))

    def trust_file(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.session.show_error(str(exc.strerror))
            return
        self.session.run(client.trust, data, on_success=lambda _v: self.refresh(),
                         on_failure=self._failed)

    # -- syncing: read (store), check (network), apply (store) -----------------

    def start(self) -> None:
        source = self.source.text().strip()
        if not source or self.task is not None or not (self.status and self.status.trusted):
            return
        self.summary.clear()
        self._busy(_("Checking the source…"))
        self.task = self.session.run(client.read_state,
                                     on_success=lambda state: self._check(state, source),
                                     on_failure=self._failed)

    def _check(self, state: client.TrustedState, source: str) -> None:
        self.task = self.network.run(
            self._check_call, state, source, self.session.data_dir, with_progress=True,
            on_progress=self._progressed, on_success=self._apply,
            on_failure=self._failed)
        self.task.cancelled.connect(self._cancelled)

    @staticmethod
    def _check_call(state: client.TrustedState, source: str, data_dir: Path,
                    progress: client.Progress) -> Any:
        try:
            return client.check(state, source, data_dir, progress)
        except FieldkitError as exc:
            return exc  # recorded in the store by _apply, on the store's worker

    def _apply(self, update: client.Update | FieldkitError) -> None:
        if isinstance(update, FieldkitError):
            self.task = self.session.run(client.record_failure, update.message,
                                         getattr(update, "new_roots", {}),
                                         on_success=lambda _r: self._failed(update.message))
            return
        self._busy(_("Applying {n} downloaded files…").format(n=len(update.fetched)))
        self.cancel_button.setEnabled(False)  # one transaction: it completes or never began
        self.task = self.session.run(client.apply, update, on_success=self._done,
                                     on_failure=self._failed)

    def _progressed(self, done: int, total: int, label: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        if label == "downloading":
            self.progress_label.setText(_("Downloading {done} of {total} changed files…").format(
                done=done, total=total))

    def _done(self, result: client.SyncResult) -> None:
        lines = [_("Updated from {source}.").format(source=ltr(result.source))]
        for name, c in result.channels.items():
            if not (c.added or c.updated or c.removed or c.conflicts):
                lines.append(_("{channel}: no changes").format(channel=channel_label(name)))
                continue
            lines.append(_("{channel}: {added} added, {updated} updated, {removed} removed, "
                           "{conflicts} kept (edited here, changed upstream)").format(
                channel=channel_label(name), added=len(c.added), updated=len(c.updated),
                removed=len(c.removed), conflicts=len(c.conflicts)))
        for name in result.missing_channels:
            lines.append(_("{channel}: not in this repository").format(
                channel=channel_label(name)))
        if result.files_already_here:
            lines.append(_("{same} of the {n} downloaded files held what this profile "
                           "already has.").format(same=result.files_already_here,
                                                   n=result.files))
        self._idle()
        self.summary.setText("\n".join(lines))
        self.refresh()

    def _failed(self, message: str) -> None:
        self._idle()
        self.summary.setText(message)
        self.refresh()

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _cancelled(self) -> None:
        self._idle()
        self.summary.setText(_("Sync was cancelled; nothing was changed. What was downloaded "
                               "is kept for next time."))

    def _busy(self, text: str) -> None:
        self.progress_label.setText(text)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.sync_button.setEnabled(False)

    def _idle(self) -> None:
        self.task = None
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.hide()
        self.progress_label.clear()
        self.cancel_button.setEnabled(False)
        self.sync_button.setEnabled(bool(self.status and self.status.trusted))

    def retranslate(self) -> None:
        self.title.setText(_("Updates"))
        self.source_label.setText(_("&Source (web address or folder):"))
        self.source.setPlaceholderText("https://… " + _("or a folder on a USB stick"))
        self.source.setAccessibleName(_("Source of updates"))
        self.folder_button.setText(_("Choose &folder…"))
        self.trust_button.setText(_("&Trust a repository…"))
        self.sync_button.setText(_("S&ync now"))
        self.cancel_button.setText(_("&Cancel"))
        self.progress.setAccessibleName(_("Sync progress"))
        self._render_status()
