"""Backup and restore from the app's menu: a file dialog, work on the worker thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from fieldkit import library
from fieldkit.store import Store

from .conftest import PASSPHRASE

pytestmark = pytest.mark.ui


def test_backup_then_restore_from_the_menu(unlocked, qtbot, tmp_path, monkeypatch):
    from fieldkit.ui import backup

    usb = tmp_path / "usb" / "office.fieldkit-backup"
    usb.parent.mkdir()
    monkeypatch.setattr(backup.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(usb), ""))
    unlocked.backup_action.trigger()
    qtbot.waitUntil(lambda: unlocked.message.isVisible(), timeout=10000)
    assert "encrypted backup" in unlocked.message.text()
    assert usb.stat().st_mode & 0o777 == 0o600
    unlocked.session.save_setting("country", "BD")  # a change after the backup
    qtbot.waitUntil(lambda: not unlocked.runner.busy, timeout=10000)

    monkeypatch.setattr(backup.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(usb), ""))
    monkeypatch.setattr(backup.QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(backup.QInputDialog, "getText", lambda *a, **k: (PASSPHRASE, True))
    unlocked.message.hide()
    unlocked.restore_action.trigger()
    qtbot.waitUntil(lambda: unlocked.message.isVisible() and not unlocked.is_locked,
                    timeout=20000)
    assert "Restored the profile" in unlocked.message.text()
    assert "kept as" in unlocked.message.text()
    assert unlocked.session.country == "MD"  # as it was in the backup
    directory = unlocked.session.data_dir
    assert [p for p in Path(directory).iterdir() if ".replaced-" in p.name]


def test_restore_of_a_damaged_backup_keeps_the_profile(unlocked, qtbot, tmp_path,
                                                       monkeypatch):
    from fieldkit.ui import backup

    bad = tmp_path / "bad.fieldkit-backup"
    bad.write_bytes(b"\0" * 8192)
    warnings: list[str] = []
    monkeypatch.setattr(backup.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(bad), ""))
    monkeypatch.setattr(backup.QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(backup.QMessageBox, "warning",
                        lambda _parent, _title, text: warnings.append(text))
    monkeypatch.setattr(backup.QInputDialog, "getText", lambda *a, **k: (PASSPHRASE, True))
    unlocked.restore_action.trigger()
    qtbot.waitUntil(lambda: bool(warnings), timeout=20000)
    assert "nothing was restored" in warnings[0]
    assert unlocked.is_locked  # unlocks again with the passphrase, profile untouched
    with Store.open(unlocked.session.data_dir, PASSPHRASE) as store:
        assert library.item_count(store) > 40
