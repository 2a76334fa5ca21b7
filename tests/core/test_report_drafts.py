"""Report drafts in the encrypted store: types, validation, revisions, search, delete, crashes."""

from __future__ import annotations

import datetime as dt
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fieldkit import UN_LANGUAGES
from fieldkit.reports import drafts
from fieldkit.reports.model import get_type, parse_value, report_types, validate
from fieldkit.store import Store
from tests.conftest import PASSPHRASE, ROOT
from tests.core.sqlcipher_pages import decrypt_pages

INCIDENT = {
    "note_date": "2026-11-20", "incident_date": "2026-11-18", "time_of_day": "afternoon",
    "writer_role": "witness", "survivor_code": "S-014", "conduct": ["verbal", "exchange"],
    "account": "He said the distribution card depends on a visit to his house.",
    "consent_statistics": "yes",
}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.create(tmp_path / "p", PASSPHRASE) as created:
        yield created


def test_types_are_data_with_six_languages() -> None:
    types = report_types()
    assert list(types) == ["incident_note", "referral_note", "activity_report", "case_summary"]
    for rtype in types.values():
        for f in rtype.fields:
            assert set(UN_LANGUAGES) <= set(f.label), f.id
            for option in f.options:
                assert set(UN_LANGUAGES) <= set(option.label), (f.id, option.id)
    incident = types["incident_note"]
    # No name field for the alleged perpetrator; the survivor's name is identifying.
    assert not [f for f in incident.fields if f.section == "perpetrator" and "name" in f.id]
    assert incident.field("survivor_name").sensitivity == "identifying"
    assert "exchange" in incident.field("conduct").option_ids
    assert types["referral_note"].consent == "per_recipient"
    # The summary is never broken down by agency.
    summary = types["case_summary"]
    assert not [f for f in summary.fields if "agency" in f.id or "organisation" in f.id]
    assert summary.field("counts").rows[0].id == "verbal"


def test_validation_names_field_and_rule() -> None:
    incident = get_type("incident_note")
    today = dt.date(2026, 11, 30)
    assert validate(incident, INCIDENT, today) == []
    problems = validate(incident, {**INCIDENT, "survivor_code": "", "note_date": "2026-12-25",
                                   "conduct": ["bribery"], "colour": "red"}, today)
    assert {(p.field, p.rule) for p in problems} == {
        ("colour", "unknown"), ("survivor_code", "required"), ("note_date", "not_future"),
        ("conduct", "choice")}
    assert [p.rule for p in validate(incident, {**INCIDENT, "incident_date": "2026-11-21"},
                                     today)] == ["not_after"]
    assert [p.rule for p in validate(incident, {**INCIDENT, "reported": "yes"}, today)] == [
        "required"]
    activity = get_type("activity_report")
    values = {"activity_date": "2026-11-02", "duration_minutes": parse_value(
        activity.field("duration_minutes"), "90"), "place": "Cahul", "organiser": "Office",
              "activity_type": "awareness", "women": 10, "men": 4, "first_time": 15}
    assert [(p.field, p.rule) for p in validate(activity, values, today)] == [
        ("first_time", "max_sum")]


def test_revisions_restore_and_list(store: Store) -> None:
    draft = drafts.create(store, "incident_note", INCIDENT)
    assert draft.head == 1
    second = {**INCIDENT, "account": INCIDENT["account"] + " It happened twice."}
    assert drafts.save(store, draft.id, second, "autosave") == 2
    assert drafts.save(store, draft.id, second, "autosave") == 2  # nothing new: no revision
    assert drafts.restore(store, draft.id, 1) == 3
    assert drafts.get(store, draft.id).values == INCIDENT
    assert [r.n for r in drafts.revisions(store, draft.id)] == [3, 2, 1]
    assert drafts.revision(store, draft.id, 2).values["account"].endswith("twice.")

    other = drafts.create(store, "activity_report", {"place": "Bălți", "organiser": "Offiçe"})
    assert [d.id for d in drafts.list_drafts(store)] == [other.id, draft.id] or \
        {d.id for d in drafts.list_drafts(store)} == {other.id, draft.id}
    assert [d.id for d in drafts.list_drafts(store, "incident_note")] == [draft.id]
    # Text search folds case and diacritics and needs every word.
    assert [d.id for d in drafts.list_drafts(store, text="BALTI office")] == [other.id]
    assert [d.id for d in drafts.list_drafts(store, text="distribution CARD")] == [draft.id]
    assert drafts.list_drafts(store, text="distribution nowhere") == []
    today = dt.date.today()
    assert len(drafts.list_drafts(store, since=today, until=today)) == 2
    assert drafts.list_drafts(store, until=today - dt.timedelta(days=1)) == []
    assert "S-014" in draft.title("en") and "Incident note" in draft.title("en")


def test_delete_leaves_no_trace_in_a_decrypted_copy(tmp_path: Path) -> None:
    marker = "Zanzibar-quokka-7319"
    arabic = "قالت إن المشرف هددها"
    folder = tmp_path / "p"
    with Store.create(folder, PASSPHRASE) as store:
        keep = drafts.create(store, "incident_note", {**INCIDENT, "account": "kept text"})
        draft = drafts.create(store, "incident_note", {**INCIDENT, "account": marker})
        for n in range(30):  # many revisions, some long enough to need overflow pages
            drafts.save(store, draft.id, {**INCIDENT, "account": f"{marker} {arabic} {n} "
                                          + "x" * (n * 400)})
        # Move what the write-ahead log holds into the file, to look at it.
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        before = decrypt_pages(folder / "fieldkit.db", PASSPHRASE)
        assert marker.encode() in before and arabic.encode() in before
        drafts.delete(store, draft.id)
        assert [d.id for d in drafts.list_drafts(store)] == [keep.id]
    plain = decrypt_pages(folder / "fieldkit.db", PASSPHRASE)
    copy = tmp_path / "decrypted.db"
    copy.write_bytes(plain)
    with sqlite3.connect(copy) as check:  # the copy really is the database, decrypted
        assert check.execute("SELECT count(*) FROM drafts").fetchone()[0] == 1
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert plain.count(marker.encode()) == 0
    assert plain.count(arabic.encode()) == 0
    assert b"kept text" in plain
    # Nothing else holds pages: no write-ahead log or journal left with content.
    for other in folder.iterdir():
        if other.name != "fieldkit.db":
            assert other.name.endswith(".lock") or other.stat().st_size == 0, other.name


CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from fieldkit.reports import drafts
    from fieldkit.store import Store
    store = Store.open(Path(sys.argv[1]), sys.argv[2])
    draft_id = sys.argv[3]
    base = drafts.get(store, draft_id).values
    n = 0
    while True:
        n += 1
        rev = drafts.save(store, draft_id, {**base, "account": f"typed {n} " + "y" * (n % 50) * 90},
                          "autosave")
        print(rev, n, flush=True)
""")


def test_sigkill_during_autosave_keeps_every_saved_revision(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    with Store.create(folder, PASSPHRASE) as store:
        draft = drafts.create(store, "incident_note", INCIDENT)
    for round_ in range(3):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), PASSPHRASE,
                                  draft.id], stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert child.stdout is not None
        saved: dict[int, int] = {}
        for line in child.stdout:
            rev, n = (int(x) for x in line.split())
            saved[rev] = n
            if len(saved) >= 15 + 7 * round_:
                break
        child.send_signal(signal.SIGKILL)  # mid-way through a later autosave, most likely
        child.wait(timeout=30)
        child.stdout.close()
        with Store.open(folder, PASSPHRASE) as store:
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            revisions = {r.n: r for r in drafts.revisions(store, draft.id)}
            for rev, n in saved.items():  # every acknowledged save is there, intact
                assert revisions[rev].values["account"].startswith(f"typed {n} ")
            assert revisions[1].values == INCIDENT
            head = drafts.get(store, draft.id)
            assert head.head == max(revisions)
