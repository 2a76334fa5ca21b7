"""The encrypted profile database (SQLCipher 4 through sqlcipher3).

One database per profile. Opening it runs `PRAGMA key` before anything else;
a wrong passphrase is detected by the first read and reported as
WrongPassphrase without a single byte written. Every write goes through
`Store.transaction()`, so a crash leaves the last committed state.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3

from fieldkit import paths
from fieldkit.errors import (
    FieldkitError,
    NewerSchema,
    ProfileExists,
    ProfileLocked,
    ProfileMissing,
    UsageError,
    WrongPassphrase,
)
from fieldkit.schema import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)

MIN_PASSPHRASE_LENGTH = 8
# Decrypted pages stay in this cache, so repeated searches do not pay for
# decryption again (value in KiB, as SQLite's negative cache_size means).
CACHE_KIB = 65536


def _quote(passphrase: str) -> str:
    # PRAGMA takes no bound parameters; a string literal with doubled quotes is safe.
    return "'" + passphrase.replace("'", "''") + "'"


def _connect(path: Path, passphrase: str) -> Any:
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    # Silence SQLCipher's own stderr lines before the key: the user sees one sentence only.
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = {_quote(passphrase)}")
    return conn


def _verify_key(conn: Any) -> None:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        if "locked" in str(exc):
            raise ProfileLocked("The profile is in use by another Fieldkit window.") from None
        raise WrongPassphrase(
            "The passphrase is not correct for this profile; nothing was changed."
        ) from None


def _tune(conn: Any) -> None:
    for pragma in (
        "temp_store = MEMORY",
        "secure_delete = ON",
        "foreign_keys = ON",
        "journal_mode = DELETE",
        "synchronous = FULL",
        f"cache_size = -{CACHE_KIB}",
    ):
        conn.execute(f"PRAGMA {pragma}")


class Store:
    """An open, unlocked profile database."""

    def __init__(self, conn: Any, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._depth = 0

    # -- lifecycle ---------------------------------------------------------

    @classmethod
    def create(cls, directory: Path, passphrase: str,
               filename: str = paths.DB_FILENAME) -> Store:
        check_new_passphrase(passphrase)
        path = directory / filename
        if path.exists():
            raise ProfileExists(f"A profile already exists in {directory}.")
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        conn = _connect(path, passphrase)
        _tune(conn)
        store = cls(conn, path)
        store.migrate()
        os.chmod(path, 0o600)
        return store

    @classmethod
    def open(cls, directory: Path, passphrase: str) -> Store:
        path = paths.db_path(directory)
        if not path.exists():
            raise ProfileMissing(
                f"No profile in {directory}; create one with `fieldkit init`."
            )
        conn = _connect(path, passphrase)
        _verify_key(conn)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            conn.close()
            raise NewerSchema(
                "This profile was written by a newer version of Fieldkit; "
                "update Fieldkit to open it (the profile was not changed)."
            )
        _tune(conn)
        store = cls(conn, path)
        store.migrate()
        return store

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self, target: int = SCHEMA_VERSION) -> None:
        """Bring the schema up to `target`, one migration per transaction."""
        while self.schema_version < target:
            step = self.schema_version  # MIGRATIONS[0] goes from 0 to 1
            with self.transaction():
                MIGRATIONS[step](self.conn)
                self.conn.execute(f"PRAGMA user_version = {step + 1}")
            log.info("profile schema migrated to version %d", step + 1)

    # -- writes ------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        """One atomic write: all of it is committed, or none of it."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlcipher3.OperationalError as exc:
            raise ProfileLocked("The profile is busy in another Fieldkit window.") from exc
        self._depth = 1
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except sqlcipher3.OperationalError as exc:
            self._rollback()
            raise _write_error(exc) from exc
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0

    def _rollback(self) -> None:
        # SQLite may already have rolled back by itself (e.g. on a full disk).
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def change_passphrase(self, new: str) -> None:
        check_new_passphrase(new)
        self.conn.execute(f"PRAGMA rekey = {_quote(new)}")

    # -- settings ----------------------------------------------------------

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str | None) -> None:
        with self.transaction() as conn:
            if value is None:
                conn.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                conn.execute(
                    "INSERT INTO settings(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )


def _write_error(exc: Exception) -> FieldkitError:
    text = str(exc).lower()
    if "full" in text:
        return FieldkitError("The disk is full; the change was not saved and nothing was lost.")
    return FieldkitError("The change could not be saved; the profile keeps its last saved state.")


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise UsageError(
            f"Choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters."
        )


def profile_exists(directory: Path) -> bool:
    return paths.db_path(directory).exists()
