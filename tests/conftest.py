"""Shared fixtures: every test gets its own profile folder; nothing touches a real profile."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PASSPHRASE = "correct horse battery"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The app's private cache (jieba's dictionary), built once per session."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                 cache_folder: Path) -> Iterator[Path]:
    home = tmp_path / "profile"
    monkeypatch.setenv("FIELDKIT_CACHE", str(cache_folder))
    monkeypatch.setenv("FIELDKIT_HOME", str(home))
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("FIELDKIT_NEW_PASSPHRASE", raising=False)
    from fieldkit.i18n import set_language

    set_language("en")  # core messages are translated: a test in another language ends here
    yield home
    set_language("en")


@pytest.fixture(scope="session")
def starter_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A profile loaded with the starter pack, built once per run and shared by the test
    processes (its key derivation and index are the slow part; a copy is cheap). Nothing
    opens it: tests copy it (`starter_home`)."""
    from fieldkit import library
    from fieldkit.content.pack import starter_items
    from fieldkit.store import Store

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, shared by the xdist workers
    folder = base / "starter-profile"
    with open(base / "starter-profile.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the first process builds; the others wait
        if not folder.exists():
            partial = base / "starter-profile.partial"
            shutil.rmtree(partial, ignore_errors=True)
            with Store.create(partial, PASSPHRASE) as store:
                library.put_items(store, starter_items())
                store.set_setting("lang", "en")
                store.set_setting("country", "MD")
                store.set_setting("location", "Chișinău")
            partial.rename(folder)
    return folder


@pytest.fixture
def starter_home(starter_template: Path, isolated_env: Path) -> Path:
    """A fresh copy of the starter profile at FIELDKIT_HOME."""
    shutil.copytree(starter_template, isolated_env)
    return isolated_env


def run_fieldkit(*args: str, env: dict[str, str] | None = None,
                 stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, in a child process, as a user or a script runs it."""
    return subprocess.run(
        [sys.executable, "-m", "fieldkit", *args],
        capture_output=True, text=True, input=stdin, timeout=120,
        env={**os.environ, **(env or {})}, cwd=ROOT,
    )
