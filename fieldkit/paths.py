"""Where a profile lives: --data-dir, else FIELDKIT_HOME, else the platform's user data dir."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Fieldkit"
DB_FILENAME = "fieldkit.db"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    if override:
        return Path(override).expanduser()
    env = os.environ.get("FIELDKIT_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def db_path(directory: Path) -> Path:
    return directory / DB_FILENAME


def cache_dir() -> Path:
    """The app's private cache folder (0700), e.g. for jieba's dictionary cache:
    FIELDKIT_CACHE, else the platform's user cache folder."""
    env = os.environ.get("FIELDKIT_CACHE")
    folder = Path(env).expanduser() if env else Path(
        platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if folder.stat().st_mode & 0o077:
        folder.chmod(0o700)  # made by something else with a wider mode
    return folder
