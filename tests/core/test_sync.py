"""Sync end to end: publish, trust, sync over HTTP and from a folder, attacks, local edits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fieldkit import library
from fieldkit.cli import main
from fieldkit.store import Store
from fieldkit.sync import keys
from tests.conftest import PASSPHRASE
from tests.core.syncrepo import Kit, http_server, make_item, make_kit


@pytest.fixture(autouse=True)
def fast_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "SCRYPT_N", 2**10)  # the cost is stored in each key file


@pytest.fixture
def kit(tmp_path: Path) -> Kit:
    kit = make_kit(tmp_path / "publisher")
    kit.publish("global", [make_item("sync-guide-one", None, "Quokka guidance first"),
                           make_item("sync-guide-two", None, "Second wombat guidance")])
    kit.publish("MD", [make_item("svc-md-sync-a", "MD", "Platypus hotline Chisinau"),
                       make_item("svc-md-sync-b", "MD", "Echidna shelter Balti")])
    return kit


@pytest.fixture
def office(starter_home: Path, kit: Kit) -> Path:
    assert cli("trust", str(kit.root_file))[0] == 0
    return starter_home


def cli(*args: str) -> tuple[int, str]:
    return main(list(args)), ""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def search_ids(home: Path, text: str) -> list[str]:
    with Store.open(home, PASSPHRASE) as store:
        return [r.id for r in library.search(store, text, "en")]


def test_fresh_profile_syncs_global_and_country_over_http(
        office: Path, kit: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    with http_server(kit.dir) as url:
        code, out, err = run(capsys, "sync", "--source", url, "--json")
        assert code == 0, err
        # Nothing changed upstream: nothing downloaded, nothing applied.
        code, again, _err = run(capsys, "sync", "--json")  # the saved source
    assert code == 0
    assert all(not any(c.values()) for c in json.loads(again)["channels"].values())
    result = json.loads(out)
    assert sorted(result["channels"]["global"]["added"]) == ["sync-guide-one", "sync-guide-two"]
    assert sorted(result["channels"]["MD"]["added"]) == ["svc-md-sync-a", "svc-md-sync-b"]
    assert search_ids(office, "platypus") == ["svc-md-sync-a"]
    assert search_ids(office, "wombat") == ["sync-guide-two"]
    with Store.open(office, PASSPHRASE) as store:
        item = library.get_item(store, "svc-md-sync-a")
        assert (item.channel, item.version, item.origin) == ("MD", 1, "sync")


def test_folder_source_updates_and_signed_removal(
        office: Path, kit: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "sync", "--source", str(kit.dir))[0] == 0
    kit.publish("MD", [make_item("svc-md-sync-a", "MD", "Platypus hotline moved to Orhei")])
    code, out, err = run(capsys, "sync", "--source", str(kit.dir), "--json")
    assert code == 0, err
    md = json.loads(out)["channels"]["MD"]
    assert md["updated"] == ["svc-md-sync-a"] and md["removed"] == ["svc-md-sync-b"]
    assert search_ids(office, "orhei") == ["svc-md-sync-a"]
    assert search_ids(office, "echidna") == []
    with Store.open(office, PASSPHRASE) as store:
        assert library.get_item(store, "svc-md-sync-a").version == 2


def test_absence_from_a_listing_is_not_a_removal(
        office: Path, kit: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    """Only a signed removal deletes: a bin re-signed without an entry (even with valid
    keys) leaves the item in place."""
    assert run(capsys, "sync", "--source", str(kit.dir))[0] == 0
    repo = kit.repo
    _root, timestamp, snapshot = repo._state()
    _role, succinct, bins = repo._channel("MD", snapshot)
    path = "MD/svc-md-sync-b.json"
    md = bins[succinct.get_role_for_target(path)]
    del md.signed.targets[path]
    md.signed.version += 1
    repo._sign(md, kit.channel_keys["MD"])
    repo._commit(snapshot, timestamp, [md], kit.online)
    assert run(capsys, "sync")[0] == 0
    assert search_ids(office, "echidna") == ["svc-md-sync-b"]


def test_local_edit_survives_upstream_change_flagged(
        office: Path, kit: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "sync", "--source", str(kit.dir))[0] == 0
    with Store.open(office, PASSPHRASE) as store:
        edited = library.get_item(store, "svc-md-sync-a")
        edited.versions["en"].title = "Platypus hotline, number checked locally"
        edited.origin = "local"
        library.put_items(store, [edited])
    kit.publish("MD", [make_item("svc-md-sync-a", "MD", "Platypus hotline upstream change"),
                       make_item("svc-md-sync-b", "MD", "Echidna shelter Balti, new hours")])
    code, out, err = run(capsys, "sync", "--json")
    assert code == 0, err
    md = json.loads(out)["channels"]["MD"]
    assert md["conflicts"] == ["svc-md-sync-a"] and md["updated"] == ["svc-md-sync-b"]
    with Store.open(office, PASSPHRASE) as store:
        kept = library.get_item(store, "svc-md-sync-a")
        assert kept.versions["en"].title == "Platypus hotline, number checked locally"
    code, out, _ = run(capsys, "sync-status", "--json")
    conflicts = json.loads(out)["conflicts"]
    assert [(c["item"], c["upstream_version"]) for c in conflicts] == [("svc-md-sync-a", 2)]
    # A second sync changes nothing and keeps the flag.
    assert run(capsys, "sync")[0] == 0
    with Store.open(office, PASSPHRASE) as store:
        assert library.get_item(store, "svc-md-sync-a").versions["en"].title.endswith("locally")


def test_trust_refuses_another_root(office: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    other = make_kit(tmp_path / "other", channels=())
    code, _out, err = run(capsys, "trust", str(other.root_file))
    assert code == 2 and "signed rotation" in err
    bad = tmp_path / "bad-root.json"
    data = json.loads(other.root_file.read_text())
    data["signed"]["expires"] = "2099-01-01T00:00:00Z"  # signature no longer matches
    bad.write_text(json.dumps(data))
    code, _out, err = run(capsys, "trust", str(bad))
    assert code == 4 and "self-signed" in err


def test_mirror_to_a_folder_serves_another_office(
        office: Path, kit: Kit, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        starter_template: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    with http_server(kit.dir) as url:
        assert run(capsys, "sync", "--source", url)[0] == 0
    stick = tmp_path / "usb"
    code, _out, err = run(capsys, "mirror", str(stick))
    assert code == 0, err
    second = tmp_path / "second-office"
    shutil.copytree(starter_template, second)
    monkeypatch.setenv("FIELDKIT_HOME", str(second))
    assert run(capsys, "trust", str(stick / "metadata" / "1.root.json"))[0] == 0
    code, _out, err = run(capsys, "sync", "--source", str(stick), "--channel", "MD",
                         "--channel", "global", "--json")
    assert code == 0, err
    assert search_ids(second, "platypus") == ["svc-md-sync-a"]


def test_an_update_checked_before_another_sync_is_not_applied(office: Path, kit: Kit) -> None:
    from fieldkit.errors import FieldkitError
    from fieldkit.sync import client

    with Store.open(office, PASSPHRASE) as store:
        update = client.check(client.read_state(store), str(kit.dir), office)
        client.sync(store, str(kit.dir), office)  # another window synced meanwhile
        kit.publish("MD", [make_item("svc-md-sync-a", "MD", "Platypus hotline later")])
        client.sync(store, None, office)
        with pytest.raises(FieldkitError, match="Another sync"):
            client.apply(store, update)  # would roll the trusted metadata back
        assert library.get_item(store, "svc-md-sync-a").versions["en"].title.endswith("later")


def test_unreachable_server_is_one_sentence(office: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from tests.core.syncrepo import free_port

    code, _out, err = run(capsys, "sync", "--source", f"http://127.0.0.1:{free_port()}")
    assert code == 1 and "could not be reached" in err
    assert err.count("fieldkit:") == 1 and "Traceback" not in err and "WARNING" not in err


def test_a_channel_the_repository_lacks_is_one_sentence_and_a_usage_error(
        office: Path, kit: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "sync", "--source", str(kit.dir), "--channel", "FR")
    assert code == 2
    assert out == ""  # no "FR: 0 added…" before the refusal
    assert err.splitlines()[-1].endswith("has no channel FR; nothing was changed."), err
    assert "Downloading" not in err  # nothing to download is not announced
    assert search_ids(office, "wombat") == []  # nothing applied
    # A default channel the repository lacks is no error, and gets no empty summary.
    code, out, err = run(capsys, "sync", "--source", str(kit.dir), "--json")
    assert code == 0, err
    assert set(json.loads(out)["channels"]) <= {"global", "MD"}


def test_progress_and_summary_count_the_same_files(
        office: Path, kit: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    """A repository re-publishing what the starter pack holds downloads those files but
    changes nothing: the summary says so, so the progress count and the result agree."""
    with Store.open(office, PASSPHRASE) as store:
        same = library.get_item(store, "bystander-intervention")
    kit.publish("global", [same, make_item("sync-guide-one", None, "Quokka guidance first"),
                           make_item("sync-guide-two", None, "Second wombat guidance")])
    code, out, err = run(capsys, "sync", "--source", str(kit.dir), "--channel", "global")
    assert code == 0, err
    assert "Downloading 3 changed files…" in err and "Applying 3 downloaded files…" in err
    assert "global: 2 added, 0 updated" in out
    assert "1 of the 3 downloaded files held what this profile already has." in out
    code, out, err = run(capsys, "sync", "--channel", "global", "--json")
    assert code == 0 and json.loads(out)["files"] == 0  # nothing new: nothing downloaded


def test_a_fresh_profile_shows_the_starter_pack_date_not_never(
        starter_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from fieldkit.content.model import parse_date
    from fieldkit.content.pack import starter_items
    from fieldkit.i18n import format_review_date

    newest = max((str(i.meta["reviewed"]) for i in starter_items() if i.meta.get("reviewed")),
                 key=lambda d: (parse_date(d), len(d)))
    code, out, err = run(capsys, "sync-status")
    assert code == 0, err
    assert "never" not in out
    assert out.splitlines() == [
        f"Content as of: {format_review_date(newest)} (the starter pack)",
        "Not checked for updates yet."]
    code, out, _err = run(capsys, "sync-status", "--json")
    status = json.loads(out)
    assert status["starter_pack"] is True and status["last_checked"] is None


def test_sync_before_trusting_a_root_is_a_security_refusal(
        starter_home: Path, kit: Kit, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "sync", "--source", str(kit.dir))
    assert code == 4  # as for a tampered update: nothing can be verified
    assert out == "" and err == (
        f"fieldkit: This profile trusts no repository yet, so nothing from {kit.dir} can be "
        "verified and nothing was changed; first run `fieldkit trust ROOT_METADATA_FILE`.\n")
    assert search_ids(starter_home, "platypus") == []
    missing = tmp_path / "no-such-root.json"
    code, out, err = run(capsys, "trust", str(missing))
    assert code == 1  # a missing input file, as for `restore`
    assert err == f"fieldkit: Cannot read {missing}: No such file or directory\n"
