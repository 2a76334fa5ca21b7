"""The encrypted profile database (SQLCipher 4 through sqlcipher3).

One database per profile, and the store tells the truth about it:

- Opening runs `PRAGMA key` before anything else. A file that cannot be read is
  examined before anything is said: a wrong passphrase, a damaged profile and a
  profile in use by another window each get their own sentence, and nothing is
  written (a 0-byte or truncated file is never opened as a new profile).
- Every write goes through `Store.transaction()`, so a crash leaves the last
  committed state. The database runs in WAL mode with `synchronous = FULL`:
  a committed write survives a crash, and a long write (sync, re-index) never
  blocks readers, who keep seeing the last committed state. WAL frames are
  encrypted pages like the database's; the `-shm` index holds no content.
- Every open store holds a shared lock on `fieldkit.lock`; what needs the profile
  alone (creating it, changing the passphrase, restoring a backup) takes it
  exclusively, so two windows never pull the file from under each other.
- Files are created 0600 (a private umask while SQLite creates them; SQLite gives
  its journal and WAL the database's mode).
- Errors of the database that the user can act on (busy, full disk, read-only,
  damage) become `FieldkitError`s in `Connection`; anything else is a bug and
  propagates as itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import logging
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias
from urllib.parse import quote

import sqlcipher3

from fieldkit import paths, schema
from fieldkit.errors import (
    FieldkitError,
    NewerSchema,
    NotFound,
    ProfileDamaged,
    ProfileExists,
    ProfileLocked,
    ProfileMissing,
    UsageError,
    WrongPassphrase,
)
from fieldkit.i18n import _

log = logging.getLogger(__name__)

MIN_PASSPHRASE_LENGTH = 8
# Decrypted pages stay in this cache, so repeated searches do not pay for
# decryption again (value in KiB, as SQLite's negative cache_size means).
CACHE_KIB = 65536
# How long a write waits for another window's write to finish before saying so.
BUSY_SECONDS = 5.0
LOCK_FILENAME = "fieldkit.lock"

# SQLCipher 4 defaults (the profile never changes them): what `diagnose` needs to
# tell a wrong passphrase from a damaged first page.
PAGE_SIZE = 4096
SALT_SIZE = 16
KDF_ITERATIONS = 256_000
KEY_SIZE = 32
IV_SIZE = 16
HMAC_SIZE = 64

Params: TypeAlias = Sequence[Any] | Mapping[str, Any]
Row: TypeAlias = tuple[Any, ...]


def now_utc() -> str:
    """A timestamp as the store keeps them: UTC, ISO 8601, milliseconds."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


# -- errors of the database, as the user can act on them ---------------------------


def _translate(exc: Exception, writing: bool = False) -> FieldkitError | None:
    """The FieldkitError an sqlite error means, or None when it is a bug."""
    if not isinstance(exc, sqlcipher3.DatabaseError) or isinstance(
            exc, sqlcipher3.ProgrammingError | sqlcipher3.IntegrityError):
        return None
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return ProfileLocked(_("The profile is in use by another Fieldkit window; try again "
                               "when it has finished."))
    if "full" in text:
        return FieldkitError(_("The disk is full; the change was not saved and the profile "
                               "keeps its last saved state."))
    if "readonly" in text or "read-only" in text:
        return FieldkitError(_("The profile folder is read-only; Fieldkit cannot save there."))
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return damaged_error()
    if "disk i/o error" in text or "unable to open" in text:
        return FieldkitError(_("The profile could not be read or written (a disk or folder "
                               "problem); the profile keeps its last saved state."))
    return None


def damaged_error() -> ProfileDamaged:
    return ProfileDamaged(_(
        "The profile is damaged: it cannot be read, although the passphrase may be right. "
        "It was not changed. Restore a backup with `fieldkit restore FILE`, or keep the "
        "file for a specialist."))


def _raise_translated(exc: Exception, writing: bool = False) -> None:
    translated = _translate(exc, writing)
    if translated is not None:
        raise translated from exc


class Cursor:
    """The rows of one statement; database errors become FieldkitErrors."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def fetchone(self) -> Row | None:
        try:
            row: Row | None = self._cursor.fetchone()
        except sqlcipher3.DatabaseError as exc:
            _raise_translated(exc)
            raise
        return row

    def fetchall(self) -> list[Row]:
        try:
            rows: list[Row] = self._cursor.fetchall()
        except sqlcipher3.DatabaseError as exc:
            _raise_translated(exc)
            raise
        return rows

    def fetchmany(self, size: int) -> list[Row]:
        try:
            rows: list[Row] = self._cursor.fetchmany(size)
        except sqlcipher3.DatabaseError as exc:
            _raise_translated(exc)
            raise
        return rows

    def __iter__(self) -> Iterator[Row]:
        try:
            yield from self._cursor
        except sqlcipher3.DatabaseError as exc:
            _raise_translated(exc)
            raise

    @property
    def lastrowid(self) -> int:
        return int(self._cursor.lastrowid)

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)


class Connection:
    """The typed face of an SQLCipher connection, as the core uses it."""

    __slots__ = ("_conn",)

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Params = ()) -> Cursor:
        try:
            return Cursor(self._conn.execute(sql, params))
        except sqlcipher3.DatabaseError as exc:
            _raise_translated(exc)
            raise

    def executemany(self, sql: str, rows: Iterable[Params]) -> Cursor:
        try:
            return Cursor(self._conn.executemany(sql, rows))
        except sqlcipher3.DatabaseError as exc:
            _raise_translated(exc)
            raise

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row (None when there is no row)."""
        row = self.execute(sql, params).fetchone()
        return row[0] if row else None

    @property
    def in_transaction(self) -> bool:
        return bool(self._conn.in_transaction)

    def interrupt(self) -> None:
        self._conn.interrupt()

    def close(self) -> None:
        self._conn.close()


# -- files: private creation and the profile lock ------------------------------------

_UMASK_LOCK = threading.Lock()


@contextlib.contextmanager
def private_files() -> Iterator[None]:
    """Files created inside are 0600 and folders 0700 from their first byte."""
    with _UMASK_LOCK:
        old = os.umask(0o077)
        try:
            yield
        finally:
            os.umask(old)


class ProfileLock:
    """An advisory lock on the profile folder: shared while a store is open,
    exclusive for what needs the profile alone. Never blocks: a profile held
    elsewhere is ProfileLocked at once."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / LOCK_FILENAME
        self._fd: int | None = None

    def acquire(self, exclusive: bool, message: str | None = None) -> ProfileLock:
        if self._fd is None:
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            except FileNotFoundError:
                raise ProfileMissing(_("No profile in {dir}; create one with `fieldkit init`."
                                       ).format(dir=self.path.parent)) from None
            except OSError as exc:
                raise folder_error(self.path.parent, exc) from exc
        if not _flock(self._fd, exclusive):
            if message is None:
                message = _("The profile is in use by another Fieldkit window; close it and "
                            "try again.")
            if not exclusive:
                self.release()
            raise ProfileLocked(message)
        return self

    def share(self) -> None:
        """From exclusive back to shared (never fails: nobody else can hold it)."""
        if self._fd is not None:
            _flock(self._fd, exclusive=False)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None

    # The lock file also remembers the salt of the profile last opened here (the
    # first 16 bytes of the database, public), so that damage to those very bytes
    # is still recognised as damage (see `diagnose`).

    def remember_salt(self, salt: bytes) -> None:
        if self._fd is None or len(salt) != SALT_SIZE:
            return
        text = salt.hex().encode()
        try:
            if os.pread(self._fd, 64, 0) != text:
                os.pwrite(self._fd, text, 0)
                os.ftruncate(self._fd, len(text))
        except OSError:
            pass  # a hint for diagnosis only; never worth failing an open for

    @staticmethod
    def remembered_salt(directory: Path) -> bytes | None:
        try:
            text = (directory / LOCK_FILENAME).read_bytes()
            return bytes.fromhex(text.decode()) if len(text) == 2 * SALT_SIZE else None
        except (OSError, ValueError):
            return None

    def remove(self) -> None:
        """Delete the lock file, then release: only when no profile is left in the
        folder (a failed first run). Whoever opens the folder next makes a new one."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self.release()


if sys.platform != "win32":
    import fcntl

    def _flock(fd: int, exclusive: bool) -> bool:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
else:  # pragma: no cover - Windows: SQLite's own locks still keep the data consistent
    def _flock(fd: int, exclusive: bool) -> bool:
        return True


def folder_error(directory: Path, exc: OSError) -> FieldkitError:
    """One sentence for a profile folder that cannot be used."""
    if isinstance(exc, PermissionError) or getattr(exc, "errno", None) == 30:  # EROFS
        return FieldkitError(_("Fieldkit cannot write to the profile folder {dir}; choose "
                               "another with --data-dir or FIELDKIT_HOME.").format(dir=directory))
    return FieldkitError(_("The profile folder {dir} cannot be used: {reason}.").format(
        dir=directory, reason=exc.strerror or type(exc).__name__))


def _check_writable(directory: Path) -> None:
    """One sentence for a folder Fieldkit cannot write to (read-only medium,
    permissions), rather than a database error later. Leaves nothing behind."""
    try:
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as exc:
        raise folder_error(directory, exc) from exc


def fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_database(path: Path) -> None:
    """A database file with its journal, WAL and shared-memory files."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()


# -- connecting ------------------------------------------------------------------


def _quote(passphrase: str) -> str:
    # PRAGMA takes no bound parameters; a string literal with doubled quotes is safe.
    return "'" + passphrase.replace("'", "''") + "'"


def _connect(path: Path, passphrase: str, create: bool = False) -> Connection:
    """A keyed connection. Without `create`, a missing file is never created."""
    if not passphrase:  # SQLCipher refuses an empty key with an error of its own
        raise WrongPassphrase(_("The passphrase is not correct for this profile; nothing "
                                "was changed."))
    mode = "rwc" if create else "rw"
    uri = f"file:{quote(str(path))}?mode={mode}"
    try:
        with private_files():
            raw = sqlcipher3.connect(uri, uri=True, isolation_level=None,
                                     check_same_thread=False, timeout=BUSY_SECONDS)
    except sqlcipher3.OperationalError as exc:
        if not path.parent.is_dir():
            raise ProfileMissing(_("No profile in {dir}; create one with `fieldkit init`."
                                   ).format(dir=path.parent)) from exc
        raise folder_error(path.parent, PermissionError(13, "Permission denied")) from exc
    conn = Connection(raw)
    # Silence SQLCipher's own stderr lines before the key: the user sees one sentence only.
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = {_quote(passphrase)}")
    return conn


def _tune(conn: Connection) -> None:
    for pragma in (
        "temp_store = MEMORY",
        "secure_delete = ON",
        "foreign_keys = ON",
        "synchronous = FULL",
        f"cache_size = -{CACHE_KIB}",
    ):
        conn.execute(f"PRAGMA {pragma}")
    if conn.scalar("PRAGMA journal_mode = WAL") != "wal":
        raise FieldkitError(_("The profile folder does not support the database's "
                              "write-ahead log; choose a local folder."))


def diagnose(path: Path, passphrase: str) -> FieldkitError:
    """Why the profile at `path` does not open with `passphrase`: damaged or wrong key.

    SQLCipher authenticates every page with an HMAC under a key derived from the
    passphrase and the file's salt. Page 1 failing says nothing by itself (a wrong
    key and a flipped byte look the same), so the next pages are checked here
    with the same derivation: if one authenticates, the passphrase is right and
    page 1 is damaged.
    """
    try:
        size = path.stat().st_size
    except OSError:
        return damaged_error()
    if size < 2 * PAGE_SIZE or size % PAGE_SIZE:
        return damaged_error()  # a profile is whole pages, and never just one
    with path.open("rb") as handle:
        head = handle.read(PAGE_SIZE * 9)
    salts = [head[:SALT_SIZE]]
    remembered = ProfileLock.remembered_salt(path.parent)
    if remembered is not None and remembered != salts[0]:
        salts.append(remembered)  # the salt itself may be what was damaged
    for salt in salts:
        if _authenticates(head, passphrase, salt):
            return damaged_error()
    return WrongPassphrase(_("The passphrase is not correct for this profile; nothing was "
                             "changed."))


def _salt_of(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(SALT_SIZE)


def _authenticates(head: bytes, passphrase: str, salt: bytes) -> bool:
    """Whether a page after the first authenticates under the passphrase and salt."""
    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode(), salt, KDF_ITERATIONS, KEY_SIZE)
    hmac_key = hashlib.pbkdf2_hmac("sha512", key, bytes(b ^ 0x3A for b in salt), 2, KEY_SIZE)
    for pgno in range(2, len(head) // PAGE_SIZE + 1):
        page = head[(pgno - 1) * PAGE_SIZE: pgno * PAGE_SIZE]
        body, tag = page[:-HMAC_SIZE], page[-HMAC_SIZE:]
        mac = hmac.new(hmac_key, body + pgno.to_bytes(4, "little"), hashlib.sha512).digest()
        if hmac.compare_digest(mac, tag):
            return True
    return False


def _verify_key(conn: Connection, path: Path, passphrase: str) -> None:
    """Read page 1 with the key; say truthfully why it fails if it does."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except ProfileDamaged:
        conn.close()
        raise diagnose(path, passphrase) from None
    except FieldkitError:
        conn.close()
        raise


# -- derived data: rebuilt with live code when its version changes -------------------


@dataclass(frozen=True)
class Derived:
    """Data computed from the stored content by live code (the search index)."""

    name: str
    version: str
    rebuild: Callable[[Store], object]


_DERIVED: dict[str, Derived] = {}


def register_derived(name: str, version: str, rebuild: Callable[[Store], object]) -> None:
    """Declare derived data: opened with another `version` recorded (or none, or a
    migration that lists `name` in `rebuilds`), the store calls `rebuild(store)`."""
    _DERIVED[name] = Derived(name, version, rebuild)


# -- the store -----------------------------------------------------------------------


@dataclass
class CheckReport:
    """What `Store.check()` found: empty problem lists mean the profile is sound."""

    pages: int
    schema_version: int
    cipher_problems: list[str] = field(default_factory=list)
    sqlite_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.cipher_problems and not self.sqlite_problems


def _integrity_problems(rows: Iterable[str]) -> list[str]:
    """One entry per problem: SQLite may pack many problems into one row, one a line,
    under a "*** in database main ***" heading that is no problem itself."""
    return [line.strip() for row in rows for line in row.splitlines()
            if line.strip() and line.strip() != "ok" and not line.startswith("***")]


class Store:
    """An open, unlocked profile database."""

    def __init__(self, conn: Connection, path: Path, lock: ProfileLock | None = None,
                 passphrase: str = "", owns_lock: bool = True) -> None:
        self._conn: Connection | None = conn
        self.path = path
        self._lock = lock
        self._owns_lock = owns_lock
        self._passphrase = passphrase
        self._depth = 0

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise FieldkitError(_("The profile is locked."))
        return self._conn

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    # -- lifecycle ---------------------------------------------------------

    @classmethod
    def create(cls, directory: Path, passphrase: str, filename: str = paths.DB_FILENAME,
               schema_version: int | None = None, lock: ProfileLock | None = None) -> Store:
        """A new, empty profile at `directory/filename`, under the folder's exclusive
        lock: `lock` when the caller holds it (library.create_profile builds the
        profile under a temporary name), else taken here and kept shared."""
        check_new_passphrase(passphrase)
        latest = len(schema.MIGRATIONS)
        schema_version = latest if schema_version is None else schema_version
        path = directory / filename
        if path.exists():
            raise ProfileExists(_("A profile already exists in {dir}.").format(dir=directory))
        try:
            with private_files():
                directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise folder_error(directory, exc) from exc
        owns_lock = lock is None
        if lock is None:
            lock = ProfileLock(directory).acquire(exclusive=True, message=_(
                "The profile is being created by another Fieldkit window."))
        try:
            if path.exists():
                raise ProfileExists(_("A profile already exists in {dir}.").format(
                    dir=directory))
            conn = _connect(path, passphrase, create=True)
            try:
                _tune(conn)
                store = cls(conn, path, lock, passphrase, owns_lock)
                store._upgrade(schema_version, backup=False)
                lock.remember_salt(_salt_of(path))
                if schema_version == latest:
                    store._record_derived()
            except BaseException:
                conn.close()
                remove_database(path)
                raise
        except BaseException:
            if owns_lock:
                lock.release()
            raise
        if owns_lock:
            lock.share()
        return store

    @classmethod
    def open(cls, directory: Path, passphrase: str, upgrade: bool = True) -> Store:
        """Unlock the profile. With `upgrade`, migrate it and rebuild stale derived
        data; without (`check`), read it as it is."""
        path = paths.db_path(directory)
        if not path.exists():
            raise ProfileMissing(_("No profile in {dir}; create one with `fieldkit init`."
                                   ).format(dir=directory))
        lock = ProfileLock(directory).acquire(exclusive=False)
        try:
            if not path.exists():
                raise ProfileMissing(_("No profile in {dir}; create one with `fieldkit init`."
                                       ).format(dir=directory))
            if path.stat().st_size == 0:
                raise damaged_error()  # SQLCipher would take it for a new, empty database
            _check_writable(directory)  # the write-ahead log lives beside the database
            conn = _connect(path, passphrase)
            _verify_key(conn, path, passphrase)
            lock.remember_salt(_salt_of(path))
            store = cls(conn, path, lock, passphrase)
            try:
                version = store.schema_version
                if version > len(schema.MIGRATIONS):
                    raise NewerSchema(_(
                        "This profile was written by a newer version of Fieldkit; update "
                        "Fieldkit to open it (the profile was not changed)."))
                _tune(conn)
                if upgrade:
                    store._upgrade(len(schema.MIGRATIONS), backup=True)
                    store._refresh_derived()
                    store._forget_migration_backups(version)
            except BaseException:
                store.close()
                raise
        except BaseException:
            lock.release()
            raise
        return store

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._lock is not None and self._owns_lock:
            self._lock.release()
        self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return int(self.conn.scalar("PRAGMA user_version"))

    def migration_backup(self, version: int) -> Path:
        return self.path.with_name(f"{self.path.name}.before-v{version + 1}")

    def migrate(self, target: int | None = None) -> None:
        """Bring the schema up to `target` (default: the latest) without a copy first
        (for a new database)."""
        self._upgrade(len(schema.MIGRATIONS) if target is None else target, backup=False)

    def _upgrade(self, target: int, backup: bool) -> None:
        """Bring the schema up to `target`, each migration one transaction with
        foreign keys off; an existing profile is copied first (see schema.py)."""
        current = self.schema_version
        if current >= target:
            return
        if backup and current > 0:
            self.backup_to(self.migration_backup(current))
        for version in range(current, target):
            self._apply(version, schema.MIGRATIONS[version])
            log.info("profile schema migrated to version %d", version + 1)

    def _apply(self, version: int, migration: schema.Migration) -> None:
        conn = self.conn
        conn.execute("PRAGMA foreign_keys = OFF")  # no effect inside a transaction
        try:
            with self.transaction():
                for statement in schema.statements(migration.script):
                    conn.execute(statement)
                if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                    raise FieldkitError(_(
                        "This version of Fieldkit could not upgrade the profile (its data "
                        "does not fit the new form); the profile was left as it was."))
                if migration.rebuilds and self._has_state_table():
                    conn.executemany(f"DELETE FROM {schema.STATE_TABLE} WHERE key = ?",
                                     [(f"derived:{name}",) for name in migration.rebuilds])
                conn.execute(f"PRAGMA user_version = {version + 1}")
        finally:
            conn.execute("PRAGMA foreign_keys = ON")

    def _forget_migration_backups(self, opened_version: int) -> None:
        """A copy taken before a migration goes once a later open has succeeded."""
        if opened_version != len(schema.MIGRATIONS):
            return  # this open migrated: keep the copy until the next one
        for old in self.path.parent.glob(f"{self.path.name}.before-v*"):
            remove_database(old)

    def _has_state_table(self) -> bool:
        return bool(self.conn.scalar("SELECT count(*) FROM sqlite_master WHERE name = ?",
                                     (schema.STATE_TABLE,)) == 1)

    # -- derived data ------------------------------------------------------

    def _record_derived(self) -> None:
        with self.transaction():
            for derived in _DERIVED.values():
                self.set_state(f"derived:{derived.name}", derived.version)

    def _refresh_derived(self) -> None:
        for derived in _DERIVED.values():
            key = f"derived:{derived.name}"
            if self.get_state(key) != derived.version:
                log.info("rebuilding %s (version %s)", derived.name, derived.version)
                with self.transaction():
                    derived.rebuild(self)
                    self.set_state(key, derived.version)

    def get_state(self, key: str) -> str | None:
        value = self.conn.scalar(f"SELECT value FROM {schema.STATE_TABLE} WHERE key = ?",
                                 (key,))
        return None if value is None else str(value)

    def set_state(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute(f"INSERT INTO {schema.STATE_TABLE}(key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # -- reads and writes ----------------------------------------------------

    def query(self, sql: str, params: Params = ()) -> list[Row]:
        return self.conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Params = ()) -> Row | None:
        return self.conn.execute(sql, params).fetchone()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One atomic write: all of it is committed, or none of it. Nested calls
        join the outer transaction. Errors the user can act on (busy, full disk…)
        arrive as FieldkitErrors; a bug propagates as itself, after the rollback."""
        conn = self.conn
        if self._depth:
            self._depth += 1
            try:
                yield conn
            finally:
                self._depth -= 1
            return
        if conn.in_transaction:  # a read snapshot (a search) is open on this connection
            raise RuntimeError("a write cannot start inside a search on the same connection")
        conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0

    def _rollback(self) -> None:
        # SQLite may already have rolled back by itself (e.g. on a full disk).
        conn = self._conn
        if conn is not None and conn.in_transaction:
            conn.execute("ROLLBACK")

    # -- settings ----------------------------------------------------------

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        value = self.conn.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return default if value is None else str(value)

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

    # -- passphrase, backup, check ----------------------------------------------

    def change_passphrase(self, new: str) -> None:
        """Re-encrypt the profile under `new`, then prove it by opening it with `new`.

        Needs the profile alone. Raises with a message that names the passphrase
        that opens the profile whenever the change did not fully happen.
        """
        check_new_passphrase(new)
        try:
            if self._lock is not None:
                self._lock.acquire(exclusive=True, message=_(
                    "The profile is in use by another Fieldkit window; close it and try "
                    "again. The passphrase was not changed."))
            log.info("re-encrypting the profile under a new passphrase")
            try:
                self.conn.execute(f"PRAGMA rekey = {_quote(new)}").fetchall()
                self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except FieldkitError:
                pass  # the truth comes from reopening, below
            if opens_with(self.path, new):
                self._passphrase = new
                return
            if opens_with(self.path, self._passphrase):
                raise FieldkitError(_("The passphrase was not changed; the old passphrase "
                                      "still opens the profile."))
            raise damaged_error()
        finally:
            if self._lock is not None:
                self._lock.share()

    def backup_to(self, target: Path) -> None:
        """Write a consistent encrypted copy of the profile (same passphrase) to
        `target`, atomically: a temporary file in the same folder, checked, synced,
        then renamed over `target`."""
        target = target.expanduser().absolute()
        if target.is_dir():
            raise UsageError(_("{path} is a folder; give the name of the backup file.").format(
                path=target))
        if target.resolve() in {Path(f"{self.path.resolve()}{suffix}")
                                for suffix in ("", "-wal", "-shm", "-journal")}:
            raise UsageError(_("{path} is the profile itself; write the backup to another "
                               "file, e.g. on a USB stick.").format(path=target))
        try:
            with private_files():
                target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            remove_database(tmp)
        except OSError as exc:
            raise folder_error(target.parent, exc) from exc
        conn = self.conn
        try:
            with private_files():
                conn.execute("ATTACH DATABASE ? AS backup", (str(tmp),))  # the same key
            try:
                conn.execute("SELECT sqlcipher_export('backup')").fetchall()
                conn.execute(f"PRAGMA backup.user_version = {self.schema_version}")
                problems = conn.execute("PRAGMA backup.quick_check").fetchall()
            finally:
                conn.execute("DETACH DATABASE backup")
            if problems != [("ok",)]:
                raise FieldkitError(_("The backup could not be verified; nothing was "
                                      "written to {path}.").format(path=target))
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, target)
            fsync_directory(target.parent)
        except OSError as exc:
            raise folder_error(target.parent, exc) from exc
        finally:
            remove_database(tmp)

    def check(self) -> CheckReport:
        """SQLCipher's page authentication over every page, then SQLite's own check."""
        conn = self.conn
        report = CheckReport(pages=int(conn.scalar("PRAGMA page_count")),
                             schema_version=self.schema_version)
        for row in conn.execute("PRAGMA cipher_integrity_check"):
            report.cipher_problems.append(str(row[0]))
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            report.sqlite_problems += _integrity_problems(str(r[0]) for r in rows)
            report.sqlite_problems += [
                f"row {row} of {table} refers to a missing row of {parent}"
                for table, row, parent, _fk in conn.execute("PRAGMA foreign_key_check")]
        except ProfileDamaged as exc:
            report.sqlite_problems.append(exc.message)
        return report


def check_file(path: Path, passphrase: str) -> CheckReport:
    """Open the database at `path` read-only with `passphrase` and check every page.
    A wrong passphrase or a damaged first page raise, as when opening a profile."""
    if path.stat().st_size == 0:
        raise damaged_error()
    conn = _connect(path, passphrase)
    _verify_key(conn, path, passphrase)
    try:
        probe = Store(conn, path)
        if probe.schema_version > len(schema.MIGRATIONS):
            raise NewerSchema(_(
                "This profile was written by a newer version of Fieldkit; update "
                "Fieldkit to open it (the profile was not changed)."))
        return probe.check()
    finally:
        conn.close()


def lock_new_folder(directory: Path, message: str) -> ProfileLock:
    """The profile folder made (private) if need be, and its exclusive lock taken
    (`message` says why it could not be)."""
    try:
        with private_files():
            directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise folder_error(directory, exc) from exc
    return ProfileLock(directory).acquire(exclusive=True, message=message)


def restore_profile(directory: Path, source: Path, passphrase: str) -> Path | None:
    """Put the backup `source` in place of the profile in `directory`.

    The backup is copied next to the profile and the copy is checked (it opens
    with `passphrase`, every page authenticates, SQLite finds it sound) before
    anything is replaced. The replaced profile is kept beside it, renamed; its
    name is returned (None when there was no profile). Needs the profile alone.
    """
    source = source.expanduser().absolute()
    if not source.is_file():
        raise NotFound(_("There is no backup file at {path}.").format(path=source))
    final = paths.db_path(directory)
    lock = lock_new_folder(directory, _(
        "The profile is in use by another Fieldkit window; close it and try again. "
        "Nothing was restored."))
    incoming = final.with_name(final.name + ".restoring")
    try:
        remove_database(incoming)
        try:
            _copy_private(source, incoming)
        except OSError as exc:
            raise folder_error(directory, exc) from exc
        try:
            report = check_file(incoming, passphrase)
        except WrongPassphrase:
            raise WrongPassphrase(_("The backup does not open with this passphrase; nothing "
                                    "was restored and the profile was not changed.")) from None
        except ProfileDamaged:
            raise ProfileDamaged(_("The backup is damaged; nothing was restored and the "
                                   "profile was not changed.")) from None
        if not report.ok:
            raise ProfileDamaged(_("The backup is damaged; nothing was restored and the "
                                   "profile was not changed."))
        kept: Path | None = None
        if final.exists():
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            kept = final.with_name(f"{final.name}.replaced-{stamp}")
            # Its write-ahead log (left by a crash) goes with it, under the name
            # SQLite looks for; the restored file must not meet it.
            for suffix in ("-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    os.replace(final.with_name(final.name + suffix),
                               kept.with_name(kept.name + suffix))
            try:
                os.link(final, kept)
            except OSError:  # a file system without hard links
                _copy_private(final, kept)
        os.replace(incoming, final)
        fsync_directory(directory)
        return kept
    finally:
        remove_database(incoming)
        lock.release()


def _copy_private(source: Path, target: Path) -> None:
    """Copy a file into a new 0600 file, synced to disk."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    with os.fdopen(fd, "wb") as out, source.open("rb") as src:
        while chunk := src.read(1 << 20):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())


def opens_with(path: Path, passphrase: str) -> bool:
    """Whether `passphrase` opens the database at `path` (read only, nothing written)."""
    try:
        conn = _connect(path, passphrase)
    except FieldkitError:
        return False
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except FieldkitError:
        return False
    finally:
        conn.close()


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise UsageError(_("Choose a passphrase of at least {n} characters.").format(
            n=MIN_PASSPHRASE_LENGTH))


def profile_exists(directory: Path) -> bool:
    return paths.db_path(directory).exists()
