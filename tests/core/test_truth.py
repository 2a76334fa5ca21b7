"""The store tells the truth, with real processes and real files: damage is never a
wrong passphrase, `check` finds it, backups restore only when sound, a passphrase
change ends with exactly the passphrase the message names, a profile in use says
so, readers are not blocked by a long write, and what is created is private."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlcipher3

from fieldkit import library
from fieldkit.errors import ProfileDamaged, ProfileLocked, WrongPassphrase
from fieldkit.store import Store, opens_with
from tests.conftest import PASSPHRASE, ROOT, run_fieldkit

NEW = "a completely new passphrase"
DAMAGED = "The profile is damaged"
WRONG = "The passphrase is not correct"


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x10
    path.write_bytes(bytes(data))


def page_of(home: Path, table: str) -> int:
    with Store.open(home, PASSPHRASE) as store:
        return int(store.conn.scalar("SELECT rootpage FROM sqlite_master WHERE name = ?",
                                     (table,)))


def one_line(stderr: str) -> str:
    assert stderr.count("\n") == 1 and "Traceback" not in stderr, stderr
    return stderr


# -- damage is never a wrong passphrase ---------------------------------------------


@pytest.mark.parametrize("damage", ["zero-length", "truncated", "page-1-flipped",
                                    "page-1-salt-flipped", "page-1-code-flipped",
                                    "items-page-flipped"])
def test_damaged_profile_is_reported_as_damaged(starter_home: Path, damage: str) -> None:
    db = starter_home / "fieldkit.db"
    if damage == "zero-length":
        db.write_bytes(b"")
    elif damage == "truncated":
        db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])
    elif damage == "page-1-flipped":
        flip(db, 1000)
    elif damage == "page-1-salt-flipped":
        flip(db, 5)  # the key derivation's salt (the file's first 16 bytes)
    elif damage == "page-1-code-flipped":
        flip(db, 4000)  # in page 1's authentication code itself
    else:
        flip(db, (page_of(starter_home, "items") - 1) * 4096 + 2000)
    before = db.read_bytes()
    result = run_fieldkit("show", "bystander-intervention")
    assert result.returncode == 1, result.stderr
    assert DAMAGED in one_line(result.stderr) and WRONG not in result.stderr
    assert db.read_bytes() == before  # never opened as a new profile, never written
    assert sorted(p.name for p in starter_home.iterdir()) == ["fieldkit.db", "fieldkit.lock"]
    # And a wrong passphrase on the same file is not called damage where it can be told.
    if damage in ("page-1-flipped", "page-1-salt-flipped"):
        wrong = run_fieldkit("countries", env={"FIELDKIT_PASSPHRASE": "not the passphrase"})
        assert wrong.returncode == 3 and WRONG in wrong.stderr


def test_zero_length_profile_is_never_overwritten(isolated_env: Path) -> None:
    isolated_env.mkdir()
    (isolated_env / "fieldkit.db").write_bytes(b"")
    for command in (["countries"], ["init"]):
        result = run_fieldkit(*command)
        assert result.returncode != 0
    assert (isolated_env / "fieldkit.db").read_bytes() == b""


def test_check_finds_damage(starter_home: Path) -> None:
    sound = run_fieldkit("check")
    assert sound.returncode == 0, sound.stderr
    assert sound.stdout.count(": ok") == 2
    page = page_of(starter_home, "versions")
    flip(starter_home / "fieldkit.db", (page - 1) * 4096 + 100)
    damaged = run_fieldkit("check", "--json")
    assert damaged.returncode == 1
    assert DAMAGED in one_line(damaged.stderr)
    import json

    report = json.loads(damaged.stdout)
    assert report["ok"] is False
    assert f"HMAC verification failed for page {page}" in report["cipher_problems"]


def test_check_on_a_damaged_profile_prints_a_summary_not_sqlite_output(
        starter_home: Path) -> None:
    db = starter_home / "fieldkit.db"
    pages = db.stat().st_size // 4096
    for page in (pages // 2, pages // 2 + 5, pages - 10):  # b-tree pages deep in the file
        flip(db, page * 4096 + 200)
    summary = run_fieldkit("check")
    assert summary.returncode == 1 and DAMAGED in one_line(summary.stderr)
    lines = summary.stdout.splitlines()
    assert len(lines) == 4, summary.stdout  # profile, encryption, structure, how to list
    assert "Tree " not in summary.stdout and "never used" not in summary.stdout
    assert "fieldkit check --details" in lines[-1]
    import json

    report = json.loads(run_fieldkit("check", "--json").stdout)
    # One entry per problem: SQLite's many-line answer is split, its heading dropped.
    assert len(report["sqlite_problems"]) > 20
    assert not any("\n" in p or p.startswith("***") for p in report["sqlite_problems"])
    assert f"Database structure: {len(report['sqlite_problems'])} problem(s)" in lines
    assert "Encryption (every page authenticated): 3 problem(s)" in lines
    details = run_fieldkit("check", "--details")
    assert details.returncode == 1
    listed = [line.strip() for line in details.stdout.splitlines() if line.startswith("  ")]
    assert listed == report["cipher_problems"] + report["sqlite_problems"]


# -- backup and restore ------------------------------------------------------------


def test_backup_restore_round_trip(starter_home: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb stick" / "fieldkit-backup.db"
    made = run_fieldkit("backup", str(usb))
    assert made.returncode == 0, made.stderr
    assert usb.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in usb.parent.iterdir()) == [usb.name]  # no temp left
    with Store.open(starter_home, PASSPHRASE) as store:
        count = library.item_count(store)
        store.set_setting("after-backup", "yes")
    restored = run_fieldkit("restore", str(usb))
    assert restored.returncode == 0, restored.stderr
    assert "kept as" in restored.stdout
    kept = [p for p in starter_home.iterdir() if ".replaced-" in p.name]
    assert len(kept) == 1 and kept[0].stat().st_mode & 0o777 == 0o600
    with Store.open(starter_home, PASSPHRASE) as store:
        assert library.item_count(store) == count
        assert store.get_setting("after-backup") is None
        assert store.check().ok
    # The replaced profile is whole and opens with its passphrase.
    other = tmp_path / "kept"
    other.mkdir()
    (other / "fieldkit.db").write_bytes(kept[0].read_bytes())
    with Store.open(other, PASSPHRASE) as store:
        assert store.get_setting("after-backup") == "yes"


@pytest.mark.parametrize("bad", ["damaged", "truncated", "wrong-key", "not-a-file"])
def test_bad_backup_is_refused_and_profile_untouched(starter_home: Path, tmp_path: Path,
                                                      bad: str) -> None:
    backup = tmp_path / "backup.db"
    if bad == "wrong-key":
        other = tmp_path / "other"
        with Store.create(other, "another passphrase") as store:
            store.backup_to(backup)
    elif bad != "not-a-file":
        with Store.open(starter_home, PASSPHRASE) as store:
            store.backup_to(backup)
        if bad == "damaged":
            flip(backup, backup.stat().st_size - 5000)
        else:
            backup.write_bytes(backup.read_bytes()[:8192])
    before = {p.name: p.read_bytes() for p in starter_home.iterdir()}
    result = run_fieldkit("restore", str(backup))
    # A missing file is a failure to find the input (1), as for any other command,
    # not a mistake in the command line (2).
    assert result.returncode == {"wrong-key": 3}.get(bad, 1)
    message = one_line(result.stderr)
    if bad == "not-a-file":
        assert message == f"fieldkit: There is no backup file at {backup}.\n"
    else:
        assert "nothing was restored" in message
    assert {p.name: p.read_bytes() for p in starter_home.iterdir()} == before


def test_restore_refused_while_profile_in_use(starter_home: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.db"
    with Store.open(starter_home, PASSPHRASE) as store:
        store.backup_to(backup)
        result = run_fieldkit("restore", str(backup))
    assert result.returncode == 3
    assert "in use by another Fieldkit window" in one_line(result.stderr)
    assert not [p for p in starter_home.iterdir() if ".replaced-" in p.name]


# -- the passphrase change ends with the passphrase it names ----------------------------


def assert_only_opens_with(home: Path, works: str, fails: str) -> None:
    db = home / "fieldkit.db"
    assert opens_with(db, works)
    assert not opens_with(db, fails)
    with Store.open(home, works) as store:
        assert store.check().ok


HOLDER = """
import sys, pathlib, time
from fieldkit.store import Store
store = Store.open(pathlib.Path(sys.argv[1]), sys.argv[2])
store.conn.execute("BEGIN")
store.conn.execute("SELECT count(*) FROM items").fetchone()   # a read transaction
print("holding", flush=True)
time.sleep(60)
"""

RAW_READER = """
import sys, time, sqlcipher3
conn = sqlcipher3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA key = '" + sys.argv[2] + "'")
conn.execute("BEGIN")
conn.execute("SELECT count(*) FROM items").fetchone()
print("holding", flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("holder", ["fieldkit-window", "other-sqlite-reader"])
def test_passphrase_change_under_contention_names_the_working_one(
        starter_home: Path, holder: str) -> None:
    script, target = ((HOLDER, starter_home) if holder == "fieldkit-window"
                      else (RAW_READER, starter_home / "fieldkit.db"))
    with subprocess.Popen([sys.executable, "-c", script, str(target), PASSPHRASE],
                          stdout=subprocess.PIPE, text=True, cwd=ROOT) as child:
        assert child.stdout is not None and child.stdout.readline().strip() == "holding"
        result = run_fieldkit("passphrase", env={"FIELDKIT_NEW_PASSPHRASE": NEW})
        child.kill()
    if result.returncode == 0:  # the store may get it done; then the new one must work
        assert_only_opens_with(starter_home, NEW, PASSPHRASE)
    else:
        assert result.returncode in (1, 3)
        assert "not changed" in one_line(result.stderr)
        assert_only_opens_with(starter_home, PASSPHRASE, NEW)


def start_change(home: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-m", "fieldkit", "passphrase"], cwd=ROOT, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "FIELDKIT_NEW_PASSPHRASE": NEW, "FIELDKIT_LOG": "info"})
    assert child.stderr is not None
    for line in child.stderr:  # the store logs the start of the re-encryption
        if "re-encrypting" in line:
            return child
    raise AssertionError("the passphrase change never started")


def test_passphrase_change_interrupted_by_sigint(starter_home: Path) -> None:
    child = start_change(starter_home)
    child.send_signal(signal.SIGINT)  # in the middle of the re-encryption
    out, err = child.communicate(timeout=60)
    assert "Traceback" not in err
    if child.returncode == 0:
        assert "only the new passphrase opens the profile" in out
        assert_only_opens_with(starter_home, NEW, PASSPHRASE)
    else:
        assert "nothing was changed" in err or "not changed" in err
        assert_only_opens_with(starter_home, PASSPHRASE, NEW)


@pytest.mark.parametrize("delay", [0.0, 0.15])
def test_passphrase_change_killed_leaves_one_working_passphrase(
        starter_home: Path, delay: float) -> None:
    child = start_change(starter_home)
    time.sleep(delay)
    child.kill()
    child.communicate(timeout=60)
    db = starter_home / "fieldkit.db"
    old, new = opens_with(db, PASSPHRASE), opens_with(db, NEW)
    assert old != new  # exactly one of them
    with Store.open(starter_home, PASSPHRASE if old else NEW) as store:
        assert store.check().ok
        assert library.item_count(store) > 40


# -- contention and long writes -----------------------------------------------------

WRITER = """
import sys, pathlib
from fieldkit import library
from fieldkit.store import Store
from tests.core.corpus import item
store = Store.open(pathlib.Path(sys.argv[1]), sys.argv[2])
big = [item(f"big-{n}", "en", f"Big {n}", "harassment bystander report " * 200)
       for n in range(20000)]
def progress(done, total, label):
    print("writing", done, flush=True)
library.put_items(store, big, progress=progress)   # killed long before the end
"""


def test_long_write_blocks_neither_readers_nor_says_less_than_the_truth(
        starter_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(starter_home, PASSPHRASE) as store:
        before = [r.id for r in library.search(store, "bystander")]
        count = library.item_count(store)
    with subprocess.Popen([sys.executable, "-c", WRITER, str(starter_home), PASSPHRASE],
                          stdout=subprocess.PIPE, text=True, cwd=ROOT) as child:
        assert child.stdout is not None
        assert child.stdout.readline().startswith("writing")  # inside its transaction
        try:
            # Readers see the last committed state, without waiting.
            with Store.open(starter_home, PASSPHRASE) as store:
                for _ in range(3):
                    assert [r.id for r in library.search(store, "bystander")] == before
                    assert library.item_count(store) == count
                # A write of our own waits, then says why in one sentence.
                monkeypatch.setattr("fieldkit.store.BUSY_SECONDS", 0.5)
            search = run_fieldkit("search", "bystander", "--json")
            assert search.returncode == 0, search.stderr
            changed = run_fieldkit("passphrase", env={"FIELDKIT_NEW_PASSPHRASE": NEW})
            assert changed.returncode == 3
            assert "in use by another Fieldkit window" in one_line(changed.stderr)
        finally:
            child.kill()
    with Store.open(starter_home, PASSPHRASE) as store:
        assert library.item_count(store) == count


def test_write_waits_then_reports_profile_in_use(starter_home: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fieldkit.store.BUSY_SECONDS", 0.3)
    with Store.open(starter_home, PASSPHRASE) as first, \
            Store.open(starter_home, PASSPHRASE) as second:
        with first.transaction():
            first.set_setting("country", "BD")
            with pytest.raises(ProfileLocked) as busy:
                second.set_setting("country", "MD")
        assert "in use by another Fieldkit window" in busy.value.message
        assert second.get_setting("country") == "BD"


def test_two_inits_at_once(isolated_env: Path) -> None:
    children = [subprocess.Popen([sys.executable, "-m", "fieldkit", "init"], cwd=ROOT,
                                 text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                for _ in range(2)]
    results = []
    for child in children:
        _out, err = child.communicate(timeout=120)
        results.append((child.returncode, err))
    codes = sorted(code for code, _ in results)
    assert codes[0] == 0 and codes[1] in (1, 3), results
    assert all("Traceback" not in err for _, err in results)
    with Store.open(isolated_env, PASSPHRASE) as store:
        assert library.item_count(store) > 40 and store.check().ok
    assert not list(isolated_env.glob("*.partial*"))


def test_transaction_keeps_bugs_visible(tmp_path: Path) -> None:
    with Store.create(tmp_path, PASSPHRASE) as store:
        with pytest.raises(ValueError), store.transaction():
            store.set_setting("a", "1")
            raise ValueError("a bug")
        with pytest.raises(sqlcipher3.OperationalError), store.transaction() as conn:
            conn.execute("SELEC 1")
        assert store.get_setting("a") is None  # rolled back


# -- boundaries: languages, encodings, folders, permissions ----------------------------


def test_core_messages_in_the_chosen_language(starter_home: Path) -> None:
    wrong = {"FIELDKIT_PASSPHRASE": "not the passphrase"}
    french = run_fieldkit("--lang", "fr", "countries", env=wrong)
    assert french.returncode == 3
    assert "La phrase secrète n'est pas correcte" in french.stderr
    chinese = run_fieldkit("--lang", "zh", "law", "")
    assert chinese.returncode == 2 and "ISO 3166-1" in chinese.stderr


def test_bytes_that_are_not_utf8(starter_home: Path) -> None:
    arg = subprocess.run([sys.executable, "-m", "fieldkit", "search", b"caf\xe9"],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert arg.returncode == 2
    assert "not valid UTF-8" in one_line(arg.stderr)
    typed = subprocess.run([sys.executable, "-m", "fieldkit", "countries"], cwd=ROOT,
                           input=b"\xff\xfe passphrase\n", capture_output=True, timeout=60,
                           env={**os.environ, "FIELDKIT_PASSPHRASE": ""})
    assert typed.returncode == 2
    assert "not valid UTF-8" in one_line(typed.stderr.decode())


def test_unusable_data_folder_is_one_sentence(tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    for folder in (a_file / "profile", Path("/proc/fieldkit-profile")):
        result = run_fieldkit("--data-dir", str(folder), "init")
        assert result.returncode == 1
        assert "profile folder" in one_line(result.stderr)
    missing = run_fieldkit("--data-dir", str(tmp_path / "nowhere"), "countries")
    assert missing.returncode == 1 and "No profile in" in one_line(missing.stderr)
    assert not (tmp_path / "nowhere").exists()


def test_read_only_profile_folder(starter_home: Path) -> None:
    if os.geteuid() == 0:  # root writes anywhere, except in an immutable folder
        if subprocess.run(["chattr", "+i", str(starter_home)], capture_output=True
                          ).returncode:
            pytest.skip("no way to make a folder read-only for root here")
        undo = ["chattr", "-i", str(starter_home)]
    else:
        starter_home.chmod(0o500)
        undo = ["chmod", "0700", str(starter_home)]
    try:
        before = {p.name: p.read_bytes() for p in starter_home.iterdir()}
        for command in (["search", "harassment"], ["check"]):
            result = run_fieldkit(*command)
            assert result.returncode == 1
            assert "cannot write to the profile folder" in one_line(result.stderr)
        assert {p.name: p.read_bytes() for p in starter_home.iterdir()} == before
    finally:
        subprocess.run(undo, check=True)


def test_files_are_private_from_creation(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        folder = tmp_path / "new"
        with Store.create(folder, PASSPHRASE) as store:
            store.set_setting("k", "v")
            store.backup_to(tmp_path / "copy.db")
            names = {p.name: p.stat().st_mode & 0o777 for p in folder.iterdir()}
        assert {"fieldkit.db", "fieldkit.db-wal", "fieldkit.db-shm", "fieldkit.lock"} <= set(
            names), names
        assert set(names.values()) == {0o600}, names
        assert folder.stat().st_mode & 0o777 == 0o700
        assert (tmp_path / "copy.db").stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)


def test_jieba_cache_in_private_cache_folder(starter_home: Path, tmp_path: Path) -> None:
    cache, temp = tmp_path / "cache", tmp_path / "tmp"
    temp.mkdir()
    result = run_fieldkit("--lang", "zh", "search", "骚扰",
                          env={"FIELDKIT_CACHE": str(cache), "TMPDIR": str(temp)})
    assert result.returncode == 0, result.stderr
    assert (cache / "jieba.cache").exists()
    assert cache.stat().st_mode & 0o777 == 0o700
    assert not list(temp.iterdir())


def test_wrong_passphrase_is_still_wrong(starter_home: Path) -> None:
    with pytest.raises(WrongPassphrase):
        Store.open(starter_home, "not the passphrase")
    with pytest.raises(ProfileDamaged):
        (starter_home / "fieldkit.db").write_bytes(b"")
        Store.open(starter_home, PASSPHRASE)


def test_check_reports_broken_references(tmp_path: Path) -> None:
    with Store.create(tmp_path, PASSPHRASE) as store:
        assert store.check().ok
        store.conn.execute("PRAGMA foreign_keys = OFF")
        store.conn.execute("INSERT INTO versions(item_id, lang, title, status) "
                           "VALUES ('gone', 'en', 'Orphan', 'original')")
        store.conn.execute("PRAGMA foreign_keys = ON")
        report = store.check()
        assert not report.ok and report.cipher_problems == []
        assert "refers to a missing row of items" in report.sqlite_problems[0]
