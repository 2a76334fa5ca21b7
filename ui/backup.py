"""Back up the profile to a file (a USB stick is the usual place) and restore one.

Both run on the task runner's worker, like every store call. A restore needs the
profile alone: the window locks first (closing its store), the core verifies the
backup before it replaces anything, and the window unlocks the restored profile.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox

from fieldkit.i18n import _
from fieldkit.store import Store, restore_profile

from .unlock import open_profile

if TYPE_CHECKING:
    from .main_window import MainWindow



def _file_filter() -> str:
    return f"{_('Fieldkit backups')} (*.fieldkit-backup);;{_('All files')} (*)"


def _default_name() -> str:
    return f"fieldkit-{dt.date.today().isoformat()}.fieldkit-backup"


def backup_profile(window: MainWindow) -> None:
    """Ask where, then write an encrypted copy (same passphrase) in the background."""
    if window.is_locked:
        return
    path, _filter = QFileDialog.getSaveFileName(
        window, _("Back up the profile"), str(Path.home() / _default_name()), _file_filter())
    if not path:
        return
    target = Path(path)

    def write(store: Store) -> Path:
        store.backup_to(target)
        return target

    window.session.run(write, on_success=lambda written: window.show_message(
        _("Wrote an encrypted backup to {path}; it opens with the profile's passphrase."
          ).format(path=written)), on_failure=window.show_message)


def _restore_and_open(directory: Path, source: Path,
                      passphrase: str) -> tuple[Store, dict[str, Any], Path | None]:
    """Worker side: verify and put the backup in place, then unlock it."""
    kept = restore_profile(directory, source, passphrase)
    store, settings = open_profile(directory, passphrase)
    return store, settings, kept


def restore_backup(window: MainWindow) -> None:
    """Choose a backup, confirm, give its passphrase; the window relocks and reopens."""
    if window.is_locked:
        return
    path, _filter = QFileDialog.getOpenFileName(
        window, _("Restore from a backup"), str(Path.home()), _file_filter())
    if not path:
        return
    confirm = QMessageBox.question(window, _("Restore from a backup"), _(
        "Replace the profile with this backup? The backup is checked first; the current "
        "profile is kept beside it as a copy."))
    if confirm != QMessageBox.StandardButton.Yes:
        return
    passphrase, ok = QInputDialog.getText(
        window, _("Restore from a backup"), _("Passphrase of the backup:"),
        QLineEdit.EchoMode.Password)
    if not ok or not passphrase:
        return
    session = window.session
    window.lock()  # closes the store on the worker, before the restore runs there

    def restored(result: tuple[Store, dict[str, Any], Path | None]) -> None:
        store, settings, kept = result
        window._unlocked(store, settings)
        text = _("Restored the profile from {path}.").format(path=path)
        if kept is not None:
            text += " " + _("The replaced profile was kept as {path}.").format(path=kept)
        window.show_message(text)

    def failed(message: str) -> None:
        QMessageBox.warning(window, _("Restore from a backup"), message)

    session.runner.run(_restore_and_open, session.data_dir, Path(path), passphrase,
                       on_success=restored, on_failure=failed)
