"""Fixtures for the Qt tests: offscreen Qt, a real encrypted profile per test."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

# Before anything imports Qt.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest

pytest.importorskip("PySide6")

REPO = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery"


def _alias_ui_package() -> None:
    """In a source checkout that is not pip-installed, map ui/ to fieldkit.ui
    (pyproject's package-dir does this for an installed package)."""
    try:
        import fieldkit.ui
        return
    except ModuleNotFoundError:
        pass
    spec = importlib.util.spec_from_file_location(
        "fieldkit.ui", REPO / "ui" / "__init__.py",
        submodule_search_locations=[str(REPO / "ui")])
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fieldkit.ui"] = module
    spec.loader.exec_module(module)
    import fieldkit

    fieldkit.ui = module  # type: ignore[attr-defined]


_alias_ui_package()

from fieldkit import i18n, library  # noqa: E402
from fieldkit.content.model import Item  # noqa: E402
from fieldkit.errors import InvalidContent  # noqa: E402
from fieldkit.store import Store  # noqa: E402


def content_items() -> list[Item]:
    """The starter pack; while translations are still being added, the raw content folder."""
    from fieldkit.content.pack import starter_items
    from fieldkit.content.source import read_folder

    try:
        return starter_items()
    except InvalidContent:
        return read_folder(REPO / "content")[0]


@pytest.fixture(scope="session")
def profile_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real profile with the starter content, built once per session."""
    folder = tmp_path_factory.mktemp("profile-template")
    store = Store.create(folder, PASSPHRASE)
    with store:
        library.put_items(store, content_items())
        store.set_setting("lang", "en")
        store.set_setting("country", "MD")
        store.set_setting("location", "Chișinău")
    return folder


@pytest.fixture
def profile(profile_template: Path, tmp_path: Path,
            monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the profile; FIELDKIT_HOME points at it."""
    folder = tmp_path / "home"
    shutil.copytree(profile_template, folder)
    monkeypatch.setenv("FIELDKIT_HOME", str(folder))
    return folder


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
