"""Fixtures for the Qt tests: offscreen Qt, a real encrypted profile per test."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

# Before anything imports Qt.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest

pytest.importorskip("PySide6")

from fieldkit import i18n
from tests.conftest import PASSPHRASE


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread() -> Iterator[None]:
    """No cycle collection while a Qt test runs; a full one after it, on the GUI thread.

    Windows and their views hold reference cycles. Collected by chance on the worker
    thread (any allocation may trigger a collection there), a Qt object is destroyed
    off the GUI thread and the process crashes."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


@pytest.fixture
def profile(starter_home: Path) -> Path:
    """A private copy of the starter profile (see tests/conftest.py) at FIELDKIT_HOME."""
    return starter_home


@pytest.fixture(scope="session")
def app_setup(qapp):  # type: ignore[no-untyped-def]
    from fieldkit.ui.app import setup_application

    setup_application(qapp)
    return qapp


@pytest.fixture
def window(app_setup, qtbot, profile) -> Iterator:  # type: ignore[no-untyped-def]
    from fieldkit.ui.main_window import MainWindow

    i18n.set_language("en")
    win = MainWindow(profile, lang="en")
    qtbot.addWidget(win)
    win.show()
    yield win
    win.lock()
    win.runner.wait(5000)
    win.session.set_language("en", save=False)


@pytest.fixture
def unlocked(window, qtbot):  # type: ignore[no-untyped-def]
    window.unlock.passphrase.setText(PASSPHRASE)
    window.unlock.try_unlock()
    qtbot.waitUntil(lambda: not window.is_locked, timeout=10000)
    qtbot.waitUntil(lambda: window.home.country.count() > 0, timeout=10000)
    return window
