"""Publishing as a country team scripts it: repo init, add-channel, publish, keys; key files."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from fieldkit import library
from fieldkit.cli import main
from fieldkit.store import Store
from fieldkit.sync import keys
from tests.conftest import PASSPHRASE, ROOT
from tests.core.syncrepo import KEY_PASSPHRASE, make_item, make_kit


@pytest.fixture(autouse=True)
def fast_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "SCRYPT_N", 2**10)
    monkeypatch.setenv("FIELDKIT_KEY_PASSPHRASE", KEY_PASSPHRASE)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_country_team_publishes_the_content_folder(
        starter_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo, k = str(tmp_path / "repo"), tmp_path / "keys"
    assert run(capsys, "repo", "init", repo, "--root-key-out", str(k / "root.key"))[0] == 0
    assert (k / "root.online.key").exists()
    for channel in ("global", "MD"):
        code, _out, err = run(capsys, "repo", "add-channel", repo, channel, "--key-out",
                              str(k / f"{channel}.key"), "--root-key", str(k / "root.key"))
        assert code == 0, err
    code, out, err = run(capsys, "publish", repo, "MD", "--source", str(ROOT / "content"),
                         "--key", str(k / "MD.key"), "--json")
    assert code == 0, err
    published = json.loads(out)
    assert "pathway-md-chisinau" in published["added"]
    assert all(i.startswith(("svc-md-", "law-md-", "pathway-md-")) for i in published["added"])
    code, out, _err = run(capsys, "publish", repo, "MD", "--source", str(ROOT / "content"),
                          "--key", str(k / "MD.key"), "--json")
    assert json.loads(out)["added"] == [] and json.loads(out)["bins_signed"] == 0
    # The global key cannot publish Moldova's channel.
    code, _out, err = run(capsys, "publish", repo, "MD", "--source", str(ROOT / "content"),
                          "--key", str(k / "global.key"))
    assert code == 2 and "not the key of the channel MD" in err
    # An office already holding the same items from the starter pack: nothing changes,
    # but the items now know their channel and version.
    assert run(capsys, "trust", str(Path(repo) / "metadata" / "root.json"))[0] == 0
    code, out, err = run(capsys, "sync", "--source", repo, "--json")
    assert code == 0, err
    assert json.loads(out)["channels"]["MD"] == {"added": [], "updated": [], "removed": [],
                                                 "conflicts": []}
    with Store.open(starter_home, PASSPHRASE) as store:
        item = library.get_item(store, "pathway-md-chisinau")
    assert (item.channel, item.version, item.origin) == ("MD", 1, "sync")


def test_key_files_are_private_and_encrypted(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    kit = make_kit(tmp_path, channels=("MD",))
    for path in kit.key_files.values():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        text = path.read_text()
        assert "PRIVATE KEY" not in text and "private" in json.loads(text)
    assert not any(p.suffix == ".key" for p in kit.dir.rglob("*"))  # none in the repository
    with pytest.raises(Exception, match="not correct"):
        keys.load(kit.key_files["MD"], "a wrong passphrase")
    os.environ["FIELDKIT_KEY_PASSPHRASE"] = "a wrong passphrase"
    code, _out, err = run(capsys, "keys", "revoke", str(kit.dir), "MD", "--root-key",
                          str(kit.key_files["root"]))
    assert code == 3  # like the profile's wrong passphrase
    assert err == (f"fieldkit: The key passphrase is not correct for {kit.key_files['root']}; "
                   "nothing was changed.\n")
    kit.publish("MD", [make_item("svc-md-sync-a", "MD", "Platypus hotline Chisinau")])
    before = {p: p.read_bytes() for p in kit.dir.rglob("*") if p.is_file()}
    code, _out, err = run(capsys, "publish", str(kit.dir), "MD", "--source",
                          str(ROOT / "content"), "--key", str(kit.key_files["MD"]))
    assert code == 3 and err == (f"fieldkit: The key passphrase is not correct for "
                                 f"{kit.key_files['MD']}; nothing was changed.\n")
    assert {p: p.read_bytes() for p in kit.dir.rglob("*") if p.is_file()} == before


def test_root_rotation_reaches_offices(starter_home: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    kit = make_kit(tmp_path / "publisher")
    kit.publish("MD", [make_item("svc-md-sync-a", "MD", "Platypus hotline Chisinau")])
    assert run(capsys, "trust", str(kit.root_file))[0] == 0
    assert run(capsys, "sync", "--source", str(kit.dir))[0] == 0
    code, _out, err = run(capsys, "keys", "rotate", str(kit.dir), "root", "--key-out",
                          str(tmp_path / "root-2.key"), "--root-key", str(kit.key_files["root"]))
    assert code == 0, err
    kit.publish("MD", [make_item("svc-md-sync-a", "MD", "Platypus hotline after rotation")])
    assert run(capsys, "sync")[0] == 0
    with Store.open(starter_home, PASSPHRASE) as store:
        assert library.get_item(store, "svc-md-sync-a").versions["en"].title.endswith(
            "rotation")
        assert [v for (v,) in store.query("SELECT version FROM sync_roots")] == [1, 2]
    assert run(capsys, "trust", str(kit.root_file))[0] == 0  # the rotated root: same chain


def test_repo_init_says_where_each_key_went_and_that_the_root_key_goes_offline(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIELDKIT_KEY_PASSPHRASE", KEY_PASSPHRASE)
    repo, k = tmp_path / "repo", tmp_path / "keys"
    code, out, err = run(capsys, "repo", "init", str(repo), "--root-key-out",
                         str(k / "root.key"))
    assert code == 0, err
    assert out.splitlines() == [
        f"Created a repository in {repo}.",
        f"Root key: {k / 'root.key'}. Move it offline now (e.g. to a USB stick kept locked "
        "away); it is needed only to add a channel or to replace or revoke a key.",
        f"Online key (signs each publication's snapshot and timestamp): "
        f"{k / 'root.online.key'}. It stays on the publishing machine.",
        f"Offices trust the repository with: fieldkit trust {repo / 'metadata' / 'root.json'}",
    ]
    assert (k / "root.key").exists() and (k / "root.online.key").exists()
    code, out, err = run(capsys, "repo", "init", str(tmp_path / "repo2"), "--root-key-out",
                         str(tmp_path / "offline" / "root.key"), "--online-key-out",
                         str(tmp_path / "online.key"), "--json")
    assert code == 0, err
    said = json.loads(out)
    assert said["move_offline"] == [str(tmp_path / "offline" / "root.key")]
    assert said["online_key"] == str(tmp_path / "online.key")
