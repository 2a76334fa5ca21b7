"""Every attack is refused with exit 4 and a clear reason, the content tables byte-identical."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from tuf.api import exceptions

from fieldkit.cli import main
from fieldkit.sync import keys
from fieldkit.sync.fetchers import CHUNK, HttpFetcher
from tests.core.syncrepo import Kit, content_digest, http_server, make_item, make_kit, small_kit


@pytest.fixture(autouse=True)
def fast_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "SCRYPT_N", 2**10)


@pytest.fixture
def kit(tmp_path: Path) -> Kit:
    return small_kit(tmp_path / "publisher")


@pytest.fixture
def synced(starter_home: Path, kit: Kit) -> Path:
    assert main(["trust", str(kit.root_file)]) == 0
    assert main(["sync", "--source", str(kit.dir)]) == 0
    return starter_home


def _target_file(kit: Kit, channel: str, item_id: str) -> Path:
    _root, _ts, snapshot = kit.repo._state()
    _role, succinct, bins = kit.repo._channel(channel, snapshot)
    path = f"{channel}/{item_id}.json"
    info = bins[succinct.get_role_for_target(path)].signed.targets[path]
    return kit.dir / "targets" / channel / f"{info.hashes['sha256']}.{item_id}.json"


def _changed_upstream(kit: Kit) -> None:
    kit.publish("MD", [make_item("svc-md-sync-a", "MD", "Platypus hotline now in Orhei")])


def _flip_byte(kit: Kit) -> None:
    _changed_upstream(kit)
    target = _target_file(kit, "MD", "svc-md-sync-a")
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))


def _oversized(kit: Kit) -> None:
    _changed_upstream(kit)
    target = _target_file(kit, "MD", "svc-md-sync-a")
    target.write_bytes(target.read_bytes() + b" " * (2 * 1024 * 1024))


def _forge_bin(kit: Kit, channel: str, signer: keys.KeyPair) -> None:
    """A bin of `channel` with a new item, signed by `signer`; snapshot and timestamp
    signed with the real online key (a compromised server)."""
    repo = kit.repo
    _root, timestamp, snapshot = repo._state()
    _role, succinct, bins = repo._channel(channel, snapshot)
    path = f"{channel}/evil-item.json"
    md = bins[succinct.get_role_for_target(path)]
    country = None if channel == "global" else channel
    item = make_item("evil-item", country, "Forged numbers")
    from fieldkit.sync.targets import encode_item
    repo._put_target(md, path, encode_item(item, 1), 1, removed=False)
    md.signed.version += 1
    repo._sign(md, signer)
    repo._commit(snapshot, timestamp, [md], kit.online)


def _undelegated_key(kit: Kit) -> None:
    _forge_bin(kit, "global", kit.channel_keys["MD"])  # MD's key signing global content


def _rollback(kit: Kit, saved: dict[str, bytes]) -> None:
    _changed_upstream(kit)
    assert main(["sync"]) == 0
    (kit.dir / "metadata" / "timestamp.json").write_bytes(saved["timestamp"])


def _mix_and_match(kit: Kit) -> None:
    """The new snapshot, served with the bin of the previous version under the new name."""
    _changed_upstream(kit)
    _root, _ts, snapshot = kit.repo._state()
    _role, succinct, _bins = kit.repo._channel("MD", snapshot)
    name = succinct.get_role_for_target("MD/svc-md-sync-a.json")
    version = snapshot.signed.meta[f"{name}.json"].version
    meta = kit.dir / "metadata"
    (meta / f"{version}.{name}.json").write_bytes(
        (meta / f"{version - 1}.{name}.json").read_bytes())


def _revoked_key(kit: Kit) -> None:
    old = kit.channel_keys["MD"]
    kit.repo.revoke_channel("MD", kit.root, kit.online)
    _forge_bin(kit, "MD", old)


def _rotated_key(kit: Kit) -> None:
    old = kit.channel_keys["MD"]
    kit.repo.rotate_channel("MD", kit.dir.parent / "keys" / "md-2.key", kit.root, kit.online,
                            "key passphrase for tests")
    assert main(["sync"]) == 0  # the office learns the new key
    _forge_bin(kit, "MD", old)


ATTACKS: dict[str, tuple[Callable[..., None], str]] = {
    "flipped-byte": (_flip_byte, "does not match its signed hash"),
    "undelegated-key": (_undelegated_key, "not signed by the keys trusted for it"),
    "rollback": (_rollback, "version"),
    "mix-and-match": (_mix_and_match, "version"),
    "oversized-target": (_oversized, "larger than its signed length"),
    "revoked-key": (_revoked_key, "not signed by the keys trusted for it"),
    "rotated-out-key": (_rotated_key, "not signed by the keys trusted for it"),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attack_is_refused_and_store_unchanged(
        attack: str, synced: Path, kit: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    saved = {"timestamp": (kit.dir / "metadata" / "timestamp.json").read_bytes()}
    prepare, reason = ATTACKS[attack]
    if prepare is _rollback:
        prepare(kit, saved)
    else:
        prepare(kit)
    before = content_digest(synced)
    capsys.readouterr()
    code = main(["sync", "--json"])
    out, err = capsys.readouterr()
    assert code == 4, err
    assert reason in err and "Nothing was changed" in err
    assert err.count("\n") == 1  # one line
    # A plain sentence: no hashes, key ids or Python class names; those go to --json.
    assert not re.search(r"[0-9a-f]{32}|[A-Z][a-z]+Error\b", err), err
    assert json.loads(out)["error"] == err.removeprefix("fieldkit: ").strip()
    assert content_digest(synced) == before
    main(["sync-status", "--json"])
    status = json.loads(capsys.readouterr().out)
    assert reason in status["last_result"]


def test_http_download_stops_at_the_signed_length(tmp_path: Path) -> None:
    (tmp_path / "big.json").write_bytes(b"x" * (8 * 1024 * 1024))
    fetcher = HttpFetcher()
    with http_server(tmp_path) as url, pytest.raises(exceptions.DownloadLengthMismatchError):
        fetcher.download_bytes(f"{url}/big.json", 1000)
    assert fetcher.bytes_received <= 1000 + CHUNK


def test_oversized_target_over_http_is_refused(
        synced: Path, kit: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    _oversized(kit)
    before = content_digest(synced)
    with http_server(kit.dir) as url:
        capsys.readouterr()
        assert main(["sync", "--source", url]) == 4
    assert "larger than its signed length" in capsys.readouterr().err
    assert content_digest(synced) == before


def test_unrelated_repository_root_cannot_sign_updates(
        synced: Path, kit: Kit, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A whole repository made with other keys, served as if it were ours."""
    other = make_kit(tmp_path / "attacker")
    other.publish("MD", [make_item("svc-md-sync-a", "MD", "Attacker numbers")])
    before = content_digest(synced)
    capsys.readouterr()
    assert main(["sync", "--source", str(other.dir)]) == 4
    assert content_digest(synced) == before


def test_country_channel_cannot_replace_a_global_item(
        synced: Path, kit: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    """MD's key may sign only MD's paths, and an MD item may not take a global item's id."""
    kit.publish("MD", [make_item("svc-md-sync-a", "MD", "Platypus hotline Chisinau"),
                       make_item("sync-guide-one", "MD", "Hijacked guidance")])
    before = content_digest(synced)
    capsys.readouterr()
    assert main(["sync"]) == 4
    assert "belongs to global" in capsys.readouterr().err
    assert content_digest(synced) == before


def test_a_signed_path_outside_the_item_form_is_refused_before_download(
        synced: Path, kit: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    repo = kit.repo
    _root, timestamp, snapshot = repo._state()
    _role, succinct, bins = repo._channel("MD", snapshot)
    path = "MD/../MD/evil.json"
    md = bins[succinct.get_role_for_target(path)]
    repo._put_target(md, path, b"{}", 1, removed=False)
    md.signed.version += 1
    repo._sign(md, kit.channel_keys["MD"])
    repo._commit(snapshot, timestamp, [md], kit.online)
    before = content_digest(synced)
    capsys.readouterr()
    assert main(["sync"]) == 4
    assert "is not a valid item" in capsys.readouterr().err
    assert content_digest(synced) == before
