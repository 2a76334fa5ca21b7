"""Migrations: whole scripts, foreign keys off, all or nothing, a copy first, derived
data rebuilt by live code; the delete API and item timestamps."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit import library, schema, store
from fieldkit.errors import FieldkitError
from fieldkit.schema import Migration, statements
from fieldkit.store import Store
from tests.conftest import PASSPHRASE
from tests.core.corpus import CORPUS, item

# The standard table rebuild (sqlite.org/lang_altertable.html, "making other kinds
# of table schema changes"): with foreign keys on, DROP TABLE items would cascade
# into versions and empty it.
REBUILD_ITEMS = Migration("""
    CREATE TABLE items_new (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, country TEXT, location TEXT,
        example INTEGER NOT NULL DEFAULT 0, meta TEXT NOT NULL,
        channel TEXT NOT NULL DEFAULT 'starter', version INTEGER NOT NULL DEFAULT 0,
        origin TEXT NOT NULL DEFAULT 'pack', created_at TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL DEFAULT '', reviewed INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO items_new(id, kind, country, location, example, meta, channel, version,
                          origin, created_at, updated_at)
        SELECT id, kind, country, location, example, meta, channel, version, origin,
               created_at, updated_at FROM items;
    DROP TABLE items;
    ALTER TABLE items_new RENAME TO items;
    CREATE INDEX items_kind_country ON items(kind, country);
""")

TRIGGER = Migration("""
    CREATE TABLE item_log (item_id TEXT NOT NULL, what TEXT NOT NULL);
    -- a trigger body holds statements; a naive split on ";" breaks it
    CREATE TRIGGER items_logged AFTER UPDATE OF meta ON items BEGIN
        INSERT INTO item_log(item_id, what) VALUES (new.id, 'meta; changed');
        DELETE FROM item_log WHERE item_id = 'nobody';
    END;
""")


@pytest.fixture
def migrations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Migration]]:
    """The real migrations, to which a test appends its own."""
    extended = list(schema.MIGRATIONS)
    monkeypatch.setattr(schema, "MIGRATIONS", extended)
    yield extended


def profile_at_current(folder: Path) -> None:
    with Store.create(folder, PASSPHRASE) as made:
        library.put_items(made, CORPUS)


def versions_count(opened: Store) -> int:
    return int(opened.conn.scalar("SELECT count(*) FROM versions"))


def test_table_rebuild_keeps_every_row(tmp_path: Path, migrations: list[Migration]) -> None:
    profile_at_current(tmp_path)
    with Store.open(tmp_path, PASSPHRASE) as before:
        rows = versions_count(before)
    assert rows >= len(CORPUS)
    migrations.append(REBUILD_ITEMS)
    with Store.open(tmp_path, PASSPHRASE) as after:
        assert after.schema_version == len(migrations)
        assert versions_count(after) == rows
        assert library.item_count(after) == len(CORPUS)
        assert after.conn.scalar("PRAGMA foreign_keys") == 1  # back on after the migration
        assert [r.id for r in library.search(after, "bystander")] == ["en-bystander"]


def test_trigger_migration_runs_whole(tmp_path: Path, migrations: list[Migration]) -> None:
    profile_at_current(tmp_path)
    migrations.append(TRIGGER)
    with Store.open(tmp_path, PASSPHRASE) as opened:
        opened.conn.execute("UPDATE items SET meta = '{}' WHERE id = 'en-bystander'")
        assert opened.query("SELECT item_id, what FROM item_log") == [
            ("en-bystander", "meta; changed")]


def test_failed_migration_leaves_the_profile_as_it_was(
        tmp_path: Path, migrations: list[Migration]) -> None:
    profile_at_current(tmp_path)
    db = tmp_path / "fieldkit.db"
    before = db.read_bytes()
    migrations.append(Migration("""
        CREATE TABLE half_done (x);
        DELETE FROM versions;
        INSERT INTO no_such_table VALUES (1);
    """))
    with pytest.raises(Exception) as failed:
        Store.open(tmp_path, PASSPHRASE)
    assert "no_such_table" in str(failed.value)  # a bug in a migration is not disguised
    migrations.pop()
    with Store.open(tmp_path, PASSPHRASE) as opened:
        assert opened.schema_version == schema.SCHEMA_VERSION
        assert opened.conn.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'"
                                  ) == 0
        assert library.item_count(opened) == len(CORPUS)
        assert versions_count(opened) >= len(CORPUS)
    del before


def test_foreign_key_violation_fails_the_migration(
        tmp_path: Path, migrations: list[Migration]) -> None:
    profile_at_current(tmp_path)
    migrations.append(Migration("DELETE FROM items WHERE id = 'en-bystander';"))
    with pytest.raises(FieldkitError) as failed:
        Store.open(tmp_path, PASSPHRASE)
    assert "left as it was" in failed.value.message
    migrations.pop()
    with Store.open(tmp_path, PASSPHRASE) as opened:
        assert library.get_item(opened, "en-bystander")


def test_copy_before_migrating_is_removed_after_the_next_open(
        tmp_path: Path, migrations: list[Migration]) -> None:
    profile_at_current(tmp_path)
    migrations.append(TRIGGER)
    copy = tmp_path / f"fieldkit.db.before-v{len(migrations)}"
    with Store.open(tmp_path, PASSPHRASE):
        assert copy.exists()
    # The copy is an encrypted profile at the old version, with the same passphrase.
    assert copy.stat().st_mode & 0o777 == 0o600
    check = tmp_path / "copy"
    check.mkdir()
    (check / "fieldkit.db").write_bytes(copy.read_bytes())
    migrations.pop()
    with Store.open(check, PASSPHRASE) as old:
        assert old.schema_version == len(migrations)
        assert library.item_count(old) == len(CORPUS)
    migrations.append(TRIGGER)
    with Store.open(tmp_path, PASSPHRASE):
        pass
    assert not copy.exists()


def test_statements_split_by_sqlite() -> None:
    assert list(statements(TRIGGER.script))[1].startswith("-- a trigger body")
    assert len(list(statements(TRIGGER.script))) == 2
    assert list(statements("SELECT ';'; SELECT 2")) == ["SELECT ';';", "SELECT 2;"]
    with pytest.raises(ValueError):
        list(statements("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1;"))


def test_released_migrations_call_no_live_code() -> None:
    # Frozen text only: a migration that calls the indexer would change with it.
    assert all(isinstance(m.script, str) for m in schema.MIGRATIONS)
    assert "search_index" in schema.MIGRATIONS[1].rebuilds


def test_new_text_analysis_reindexes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    profile_at_current(tmp_path)
    with Store.open(tmp_path, PASSPHRASE) as opened:
        recorded = opened.get_state("derived:search_index")
        assert recorded == library.text_analysis_version()
        # An index built by another analyser: here, simply emptied.
        with opened.transaction() as conn:
            conn.execute("DELETE FROM search_postings")
            conn.execute("DELETE FROM search_lists")
            conn.execute("DELETE FROM search_delta")
        assert library.search(opened, "bystander") == []
    calls: list[str] = []

    def rebuild(s: Store) -> object:
        calls.append("rebuild")
        return library.rebuild_index(s)

    monkeypatch.setitem(store._DERIVED, "search_index", store.Derived(
        "search_index", recorded + ";stemmer-upgraded", rebuild))
    with Store.open(tmp_path, PASSPHRASE) as opened:
        assert calls == ["rebuild"]
        assert opened.get_state("derived:search_index") == recorded + ";stemmer-upgraded"
        assert [r.id for r in library.search(opened, "bystander")] == ["en-bystander"]
    with Store.open(tmp_path, PASSPHRASE):
        assert calls == ["rebuild"]  # once


def test_delete_items_removes_item_versions_and_index(tmp_path: Path) -> None:
    with Store.create(tmp_path, PASSPHRASE) as opened:
        library.put_items(opened, CORPUS)
        assert library.delete_items(opened, ["en-bystander", "no-such-item"]) == 1
        assert library.search(opened, "bystander") == []
        assert opened.conn.scalar(
            "SELECT count(*) FROM versions WHERE item_id = 'en-bystander'") == 0
        # Inside a caller's transaction (a sync apply): rolled back with it.
        with pytest.raises(RuntimeError), opened.transaction():
            library.delete_items(opened, ["fr-harcelement"])
            raise RuntimeError("the apply failed")
        assert library.get_item(opened, "fr-harcelement")
        assert library.item_count(opened) == len(CORPUS) - 1


def test_items_keep_creation_and_change_times(tmp_path: Path) -> None:
    with Store.create(tmp_path, PASSPHRASE) as opened:
        library.put_items(opened, [item("timed", "en", "First", "Body")])
        created, updated = library.item_times(opened, "timed")
        assert created == updated and created.endswith("Z")
        time.sleep(0.01)
        library.put_items(opened, [item("timed", "en", "Second", "Body")])
        created2, updated2 = library.item_times(opened, "timed")
        assert created2 == created and updated2 > updated
