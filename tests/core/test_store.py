"""The encrypted store: passphrases, encryption at rest, migrations, crash safety."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fieldkit import library, paths
from fieldkit.errors import FieldkitError, NewerSchema, ProfileMissing, UsageError, WrongPassphrase
from fieldkit.schema import SCHEMA_VERSION
from fieldkit.store import Store
from tests.conftest import PASSPHRASE, ROOT
from tests.core.corpus import CORPUS, item

MARKER = "ZEBRA-MARKER-7731-do-not-leak"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_create_and_reopen(tmp_path: Path) -> None:
    with Store.create(tmp_path, PASSPHRASE) as store:
        library.put_items(store, CORPUS)
    with Store.open(tmp_path, PASSPHRASE) as store:
        assert library.item_count(store) == len(CORPUS)
        assert store.schema_version == SCHEMA_VERSION


def test_wrong_passphrase_changes_nothing(tmp_path: Path) -> None:
    Store.create(tmp_path, PASSPHRASE).close()
    before = snapshot(tmp_path)
    with pytest.raises(WrongPassphrase) as err:
        Store.open(tmp_path, "not the passphrase")
    assert "passphrase" in err.value.message
    assert snapshot(tmp_path) == before


def test_missing_profile_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileMissing):
        Store.open(tmp_path / "nowhere", PASSPHRASE)
    assert not (tmp_path / "nowhere").exists()


def test_short_passphrase_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        Store.create(tmp_path, "short")
    assert not paths.db_path(tmp_path).exists()


def test_nothing_readable_on_disk(tmp_path: Path) -> None:
    with Store.create(tmp_path, PASSPHRASE) as store:
        library.put_items(store, [item("secret", "en", MARKER, f"Body {MARKER} text")])
        store.set_setting("note", MARKER)
        # Deleted text must not linger in free pages either (secure_delete).
        library.put_items(store, [item("secret", "en", "Replaced", "Nothing here")])
    needle = MARKER.encode()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert needle not in path.read_bytes(), path.name
            assert needle.lower() not in path.read_bytes().lower(), path.name


def sqlcipher4_shell() -> str:
    """The SQLCipher 4 shell `make test` builds (Debian's `sqlcipher` is version 3)."""
    built = Path(sys.executable).parent / "sqlcipher4"
    if built.exists():
        return str(built)
    found = shutil.which("sqlcipher4") or shutil.which("sqlcipher")
    version = subprocess.run([found, ":memory:"], input="PRAGMA cipher_version;\n",
                             capture_output=True, text=True).stdout if found else ""
    if not version.startswith("4"):
        pytest.skip("no SQLCipher 4 shell: run `make test`, which builds one")
    return str(found)


def test_sqlcipher_shell_opens_with_key_and_sqlite_does_not(tmp_path: Path) -> None:
    with Store.create(tmp_path, PASSPHRASE) as store:
        library.put_items(store, CORPUS)
    db = paths.db_path(tmp_path)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db).execute("SELECT count(*) FROM sqlite_master").fetchone()
    shell = subprocess.run(
        [sqlcipher4_shell(), str(db)],
        input=f"PRAGMA key = '{PASSPHRASE}';\nSELECT count(*) FROM items;\n",
        capture_output=True, text=True, timeout=30,
    )
    assert shell.stdout.strip().splitlines()[-1] == str(len(CORPUS))


def test_passphrase_change(tmp_path: Path) -> None:
    with Store.create(tmp_path, PASSPHRASE) as store:
        library.put_items(store, CORPUS)
        store.change_passphrase("a brand new passphrase")
    with pytest.raises(WrongPassphrase):
        Store.open(tmp_path, PASSPHRASE)
    with Store.open(tmp_path, "a brand new passphrase") as store:
        assert library.item_count(store) == len(CORPUS)


def test_migration_from_previous_version_keeps_data(tmp_path: Path) -> None:
    # Build a profile exactly as schema version 1 left it, with data in it.
    with Store.create(tmp_path, PASSPHRASE, schema_version=1) as store:
        store.conn.execute("INSERT INTO items(id, kind, meta) VALUES ('old', 'guidance', '{}')")
        store.conn.execute(
            "INSERT INTO versions(doc, item_id, lang, title, body, status, plain) "
            "VALUES (1, 'old', 'en', 'Old title', 'Bystanders helped', 'original', "
            "'Bystanders helped')"
        )
    with Store.open(tmp_path, PASSPHRASE) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert library.get_item(store, "old").versions["en"].title == "Old title"
        # The search statistics were rebuilt (scheduled by migration 2) for the old text.
        assert [r.id for r in library.search(store, "bystander")] == ["old"]


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    with Store.create(tmp_path, PASSPHRASE) as store:
        store.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = snapshot(tmp_path)
    with pytest.raises(NewerSchema):
        Store.open(tmp_path, PASSPHRASE)
    assert snapshot(tmp_path) == before


def test_full_disk_reports_and_keeps_data(tmp_path: Path) -> None:
    with Store.create(tmp_path, PASSPHRASE) as store:
        library.put_items(store, CORPUS)
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk "fills up"
        big = [item(f"big-{n}", "en", f"Big {n}", "word " * 5000) for n in range(20)]
        with pytest.raises(FieldkitError) as err:
            library.put_items(store, big)
        assert "full" in err.value.message
    with Store.open(tmp_path, PASSPHRASE) as store:
        assert library.item_count(store) == len(CORPUS)


WRITER = """
import sys, pathlib
from fieldkit import library
from fieldkit.store import Store
from tests.core.corpus import CORPUS, item
store = Store.open(pathlib.Path(sys.argv[1]), sys.argv[2])
library.put_items(store, CORPUS)
print("committed", flush=True)
body = "harassment bystander report " * 400  # one string for all: no gigabyte to build
big = [item(f"big-{n}", "en", f"Big {n}", body) for n in range(100000)]
def progress(done, total, label):
    print("writing", done, flush=True)
library.put_items(store, big, progress=progress)   # killed in the middle of this
print("finished", flush=True)
"""


def test_sigkill_mid_write_keeps_committed_data(tmp_path: Path) -> None:
    Store.create(tmp_path, PASSPHRASE).close()
    with subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path), PASSPHRASE],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    ) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "committed"
        assert child.stdout.readline().startswith("writing")  # inside the big transaction
        time.sleep(0.3)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    with Store.open(tmp_path, PASSPHRASE) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert library.item_count(store) == len(CORPUS)
        assert library.search(store, "bystander")
