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
