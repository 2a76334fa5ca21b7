"""The publishing side: a TUF repository of static files, one delegated channel per team.

Layout of REPO_DIR (serve `metadata/` and `targets/` from any web server or copy them
to a folder; `publisher.json` only tells `fieldkit publish` where the operator's key is):

    metadata/root.json, N.root.json     root: names the root, targets, snapshot and
                                        timestamp keys (root and targets: the offline
                                        root key; snapshot and timestamp: the online key)
    metadata/N.targets.json             delegates `global/*` and `CC/*`, each to its team's key
    metadata/N.CC.json                  a channel: splits its paths over 2**bits hash bins
    metadata/N.CC-bin-xx.json           a bin: the items whose path hashes into it
    metadata/N.snapshot.json, timestamp.json
    targets/CC/<sha256>.<item-id>.json  items and signed removals (consistent snapshots)

A one-item change re-signs one bin, the snapshot and the timestamp; nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale
from tuf.api.metadata import (
    DelegatedRole,
    Delegations,
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    SuccinctRoles,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

from fieldkit.content.model import Item
from fieldkit.errors import FieldkitError, UsageError
from fieldkit.files import write_atomic
from fieldkit.i18n import _
from fieldkit.sync import keys
from fieldkit.sync.targets import (
    GLOBAL,
    encode_item,
    encode_removal,
    owner_channel,
    target_path,
)

METADATA_DIR, TARGETS_DIR, PUBLISHER_FILE = "metadata", "targets", "publisher.json"
SPEC_VERSION = "1.0.31"
DEFAULT_BITS = 8  # 256 bins per channel: see DESIGN "Sync and publishing" and bench/sync.py
# How long each kind of metadata stays valid after signing (days). Snapshot and timestamp
# bound how old a copy (a USB stick) may be and still be accepted; see docs/sync.md.
LIFETIME_DAYS = {"root": 365, "targets": 365, "channel": 365, "bin": 365,
                 "snapshot": 60, "timestamp": 60}
RENEW_WITHIN_DAYS = 30  # publish re-signs metadata that would expire this soon
PUBLISHED_FIELD = "x-fieldkit-published"
SERIALIZER = JSONSerializer(compact=True)

Clock = Callable[[], dt.datetime]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def check_channel(channel: str) -> str:
    """`global` or an ISO 3166-1 alpha-2 country code (upper case)."""
    name = channel if channel == GLOBAL else channel.upper()
    if name != GLOBAL and not (len(name) == 2 and name.isalpha()
                               and name in Locale("en").territories):
        raise UsageError(_("'{channel}' is not a channel: use 'global' or a country code "
                           "such as MD.").format(channel=channel))
    return name


@dataclass
class PublishSummary:
    channel: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    bins_signed: int = 0
    snapshot_version: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"channel": self.channel, "added": self.added, "changed": self.changed,
                "removed": self.removed, "unchanged": self.unchanged,
                "bins_signed": self.bins_signed, "snapshot_version": self.snapshot_version}


class Repository:
    """A repository folder on the publisher's machine."""

    def __init__(self, directory: Path, clock: Clock = utcnow) -> None:
        self.dir = directory
        self.metadata_dir = directory / METADATA_DIR
        self.targets_dir = directory / TARGETS_DIR
        self.clock = clock
        self._names: dict[int, str] = {}  # targets metadata in hand → its role name

    # -- files ---------------------------------------------------------------

    def _expires(self, kind: str, days: int | None = None) -> dt.datetime:
        return self.clock() + dt.timedelta(days=days or LIFETIME_DAYS[kind])

    def _write(self, md: Metadata[Any]) -> None:
        data = md.to_bytes(SERIALIZER)
        if md.signed.type == Timestamp.type:
            os.sync()  # everything the new timestamp points at is on disk before it
            write_atomic(self.metadata_dir / "timestamp.json", data, mode=0o644)
            return
        name = self._role_name(md) if md.signed.type == Targets.type else md.signed.type
        _write_file(self.metadata_dir / f"{md.signed.version}.{name}.json", data)
        if md.signed.type == Root.type:
            write_atomic(self.metadata_dir / "root.json", data, mode=0o644)

    def _name(self, md: Metadata[Targets], name: str) -> Metadata[Targets]:
        self._names[id(md)] = name
        return md

    def _role_name(self, md: Metadata[Any]) -> str:
        return self._names[id(md)]

    def _read(self, name: str, version: int | None = None) -> Metadata[Any]:
        filename = f"{version}.{name}.json" if version is not None else f"{name}.json"
        try:
            return Metadata.from_bytes((self.metadata_dir / filename).read_bytes())
        except FileNotFoundError:
            raise FieldkitError(_("{dir} is not a Fieldkit repository (no {file}).").format(
                dir=self.dir, file=filename)) from None

    def _read_role(self, name: str, snapshot: Metadata[Snapshot]) -> Metadata[Targets]:
        meta = snapshot.signed.meta.get(f"{name}.json")
        if meta is None:
            raise UsageError(_("The repository has no channel {channel}; add it with "
                               "`fieldkit repo add-channel`.").format(channel=name))
        return self._name(self._read(name, meta.version), name)

    def _state(self) -> tuple[Metadata[Root], Metadata[Timestamp], Metadata[Snapshot]]:
        root: Metadata[Root] = self._read("root")
        timestamp: Metadata[Timestamp] = self._read("timestamp")
        snapshot: Metadata[Snapshot] = self._read("snapshot",
                                                  timestamp.signed.snapshot_meta.version)
        return root, timestamp, snapshot

    def _sign(self, md: Metadata[Any], *signers: keys.KeyPair) -> None:
        md.signatures.clear()
        for pair in signers:
            md.sign(pair.signer, append=True)

    def _config(self) -> dict[str, Any]:
        try:
            data = json.loads((self.dir / PUBLISHER_FILE).read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def online_key_path(self, given: Path | None) -> Path:
        if given:
            return given
        recorded = self._config().get("online_key")
        if not recorded:
            raise UsageError(_("Give the repository's online key with --online-key."))
        return Path(recorded)

    # -- snapshot and timestamp (the operator's online key) -------------------

    def _commit(self, snapshot: Metadata[Snapshot], timestamp: Metadata[Timestamp],
                changed: list[Metadata[Targets]], online: keys.KeyPair,
                valid_days: int | None = None) -> int:
        """Record `changed` targets metadata in a new snapshot and timestamp, written last."""
        for md in changed:
            snapshot.signed.meta[f"{self._role_name(md)}.json"] = MetaFile(md.signed.version)
        snapshot.signed.version += 1
        snapshot.signed.expires = self._expires("snapshot", valid_days)
        self._sign(snapshot, online)
        timestamp.signed.version += 1
        timestamp.signed.expires = self._expires("timestamp", valid_days)
        timestamp.signed.snapshot_meta = MetaFile(snapshot.signed.version)
        timestamp.signed.unrecognized_fields[PUBLISHED_FIELD] = self.clock().isoformat()
        self._sign(timestamp, online)
        for md in changed:
            self._write(md)
        self._write(snapshot)
        self._write(timestamp)  # last: until now, clients see the previous state whole
        return snapshot.signed.version

    # -- operations ------------------------------------------------------------

    def init(self, root_key_out: Path, online_key_out: Path, passphrase: str) -> None:
        if (self.metadata_dir / "root.json").exists():
            raise UsageError(_("{dir} already holds a repository.").format(dir=self.dir))
        for out in (root_key_out, online_key_out):
            if out.exists():
                raise UsageError(_("{path} already exists; a key file is never "
                                   "overwritten.").format(path=out))
        root_key, online_key = keys.generate(), keys.generate()
        root = Metadata(Root(expires=self._expires("root"), consistent_snapshot=True))
        root.signed.spec_version = SPEC_VERSION
        for role in (Root.type, Targets.type):
            root.signed.add_key(root_key.public, role)
        for role in (Snapshot.type, Timestamp.type):
            root.signed.add_key(online_key.public, role)
        self._sign(root, root_key)
        targets = Metadata(Targets(expires=self._expires("targets")))
        targets.signed.delegations = Delegations(keys={}, roles={})
        self._name(targets, Targets.type)
        self._sign(targets, root_key)
        snapshot = Metadata(Snapshot(expires=self._expires("snapshot")))
        timestamp = Metadata(Timestamp(expires=self._expires("timestamp")))
        snapshot.signed.version = timestamp.signed.version = 0  # _commit() makes them 1
        keys.save(root_key, root_key_out, passphrase, "root")
        keys.save(online_key, online_key_out, passphrase, "online")
        self.metadata_dir.mkdir(parents=True, exist_ok=True)
        self.targets_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(self.dir / PUBLISHER_FILE, (json.dumps(
            {"online_key": str(online_key_out.resolve())}, indent=1) + "\n").encode(),
            mode=0o644)
        self._write(root)
        self._commit(snapshot, timestamp, [targets], online_key)

    def _targets(self, snapshot: Metadata[Snapshot]) -> Metadata[Targets]:
        return self._read_role(Targets.type, snapshot)

    def _root_key(self, root: Metadata[Root], pair: keys.KeyPair, role: str) -> None:
        if pair.keyid not in root.signed.roles[role].keyids:
            raise UsageError(_("That key is not the repository's {role} key.").format(role=role))

    def add_channel(self, channel: str, key_out: Path, root_key: keys.KeyPair,
                    online: keys.KeyPair, passphrase: str, bits: int = DEFAULT_BITS) -> None:
        channel = check_channel(channel)
        root, timestamp, snapshot = self._state()
        self._root_key(root, root_key, Targets.type)
        self._root_key(root, online, Snapshot.type)
        targets = self._targets(snapshot)
        delegations = targets.signed.delegations
        assert delegations is not None and delegations.roles is not None
        if channel in delegations.roles:
            raise UsageError(_("The repository already has the channel {channel}.").format(
                channel=channel))
        pair = keys.generate()
        keys.save(pair, key_out, passphrase, channel)
        delegations.keys[pair.keyid] = pair.public
        delegations.roles[channel] = DelegatedRole(
            channel, [pair.keyid], 1, terminating=True, paths=[f"{channel}/*"])
        targets.signed.version += 1
        targets.signed.expires = self._expires("targets")
        self._sign(targets, root_key)
        changed = [targets, *self._new_channel(channel, pair, bits, version=1)]
        self._commit(snapshot, timestamp, changed, online)

    def _new_channel(self, channel: str, pair: keys.KeyPair, bits: int,
                     version: int, old_bins: dict[str, Metadata[Targets]] | None = None,
                     ) -> list[Metadata[Targets]]:
        """The channel's metadata and all its bins, signed by `pair` (new or rotated)."""
        role = Metadata(Targets(version=version, expires=self._expires("channel")))
        succinct = SuccinctRoles([pair.keyid], 1, bits, f"{channel}-bin")
        role.signed.delegations = Delegations(keys={pair.keyid: pair.public},
                                              succinct_roles=succinct)
        self._name(role, channel)
        self._sign(role, pair)
        out = [role]
        for name in succinct.get_roles():
            old = (old_bins or {}).get(name)
            md = Metadata(Targets(version=old.signed.version + 1 if old else 1,
                                  expires=self._expires("bin"),
                                  targets=dict(old.signed.targets) if old else {}))
            self._name(md, name)
            self._sign(md, pair)
            out.append(md)
        return out

    def _channel(self, channel: str, snapshot: Metadata[Snapshot],
                 ) -> tuple[Metadata[Targets], SuccinctRoles, dict[str, Metadata[Targets]]]:
        role = self._read_role(channel, snapshot)
        delegations = role.signed.delegations
        if delegations is None or delegations.succinct_roles is None:
            raise FieldkitError(_("The channel {channel} was not made by Fieldkit.").format(
                channel=channel))
        succinct = delegations.succinct_roles
        bins = {name: self._read_role(name, snapshot) for name in succinct.get_roles()}
        return role, succinct, bins

    def channel_keyids(self, channel: str) -> list[str]:
        _root, _ts, snapshot = self._state()
        delegations = self._targets(snapshot).signed.delegations
        assert delegations is not None and delegations.roles is not None
        role = delegations.roles.get(channel)
        return list(role.keyids) if role else []

    def publish(self, channel: str, items: list[Item], key: keys.KeyPair,
                online: keys.KeyPair, valid_days: int | None = None) -> PublishSummary:
        """Sign the next version of `channel` holding exactly `items`; items it held before
        and no longer does get a signed removal."""
        channel = check_channel(channel)
        wrong = [i.id for i in items if owner_channel(i.country) != channel]
        if wrong:
            raise UsageError(_("The channel {channel} can publish only its own items; "
                               "{item} belongs to {owner}.").format(
                channel=channel, item=wrong[0],
                owner=owner_channel(next(i.country for i in items if i.id == wrong[0]))))
        root, timestamp, snapshot = self._state()
        self._root_key(root, online, Snapshot.type)
        role, succinct, bins = self._channel(channel, snapshot)
        if key.keyid not in succinct.keyids:
            raise UsageError(_("That key is not the key of the channel {channel}.").format(
                channel=channel))
        summary = PublishSummary(channel)
        wanted = {target_path(channel, i.id): i for i in items}
        touched: set[str] = set()
        for path, item in wanted.items():
            bin_name = succinct.get_role_for_target(path)
            old = bins[bin_name].signed.targets.get(path)
            version = _version(old) if old else 0
            data = encode_item(item, version)
            if old and _sha256(old) == hashlib.sha256(data).hexdigest():
                summary.unchanged += 1
                continue
            if old:  # changed, or published again after a removal
                data = encode_item(item, version + 1)
                version += 1
                (summary.changed if not _removed(old) else summary.added).append(item.id)
            else:
                version = 1
                data = encode_item(item, version)
                summary.added.append(item.id)
            self._put_target(bins[bin_name], path, data, version, removed=False)
            touched.add(bin_name)
        for bin_name, md in bins.items():
            for path, info in list(md.signed.targets.items()):
                if path not in wanted and not _removed(info):
                    version = _version(info) + 1
                    item_id = path.split("/", 1)[1].removesuffix(".json")
                    self._put_target(md, path, encode_removal(item_id, version), version,
                                     removed=True)
                    summary.removed.append(item_id)
                    touched.add(bin_name)
        soon = self.clock() + dt.timedelta(days=RENEW_WITHIN_DAYS)
        changed = []
        for bin_name, md in bins.items():
            if bin_name in touched or md.signed.expires <= soon:
                md.signed.version += 1
                md.signed.expires = self._expires("bin")
                self._sign(md, key)
                changed.append(md)
        if role.signed.expires <= soon:
            role.signed.version += 1
            role.signed.expires = self._expires("channel")
            self._sign(role, key)
            changed.append(role)
        summary.bins_signed = len([m for m in changed if m is not role])
        summary.snapshot_version = self._commit(snapshot, timestamp, changed, online,
                                                valid_days)
        return summary

    def _put_target(self, md: Metadata[Targets], path: str, data: bytes, version: int,
                    removed: bool) -> None:
        info = TargetFile.from_data(path, data, ["sha256"])
        info.unrecognized_fields["custom"] = {"version": version, **(
            {"removed": True} if removed else {})}
        md.signed.targets[path] = info
        directory, name = path.rsplit("/", 1)
        out = self.targets_dir / directory / f"{info.hashes['sha256']}.{name}"
        if not out.exists():
            _write_file(out, data)

    def published_items(self, channel: str) -> dict[str, int]:
        """Item id → published version, for the channel's live (not removed) items."""
        _root, _ts, snapshot = self._state()
        _role, _succinct, bins = self._channel(check_channel(channel), snapshot)
        found = {}
        for md in bins.values():
            for path, info in md.signed.targets.items():
                if not _removed(info):
                    found[path.split("/", 1)[1].removesuffix(".json")] = _version(info)
        return found

    def read_target(self, info: TargetFile) -> bytes:
        directory, name = info.path.rsplit("/", 1)
        return (self.targets_dir / directory / f"{info.hashes['sha256']}.{name}").read_bytes()

    # -- keys ------------------------------------------------------------------

    def rotate_channel(self, channel: str, key_out: Path, root_key: keys.KeyPair,
                       online: keys.KeyPair, passphrase: str) -> str:
        """Replace the channel's key with a new one: the channel and all its bins are
        re-signed with it, and the old key signs nothing the clients accept any more."""
        return self._replace_channel_key(channel, key_out, root_key, online, passphrase)

    def revoke_channel(self, channel: str, root_key: keys.KeyPair,
                       online: keys.KeyPair) -> None:
        """Withdraw the channel's key: clients refuse anything signed with it until a new
        key is given with `keys rotate`. What they already hold stays."""
        self._replace_channel_key(channel, None, root_key, online, "")

    def _replace_channel_key(self, channel: str, key_out: Path | None,
                             root_key: keys.KeyPair, online: keys.KeyPair,
                             passphrase: str) -> str:
        channel = check_channel(channel)
        root, timestamp, snapshot = self._state()
        self._root_key(root, root_key, Targets.type)
        self._root_key(root, online, Snapshot.type)
        targets = self._targets(snapshot)
        delegations = targets.signed.delegations
        assert delegations is not None and delegations.roles is not None
        if channel not in delegations.roles:
            raise UsageError(_("The repository has no channel {channel}; add it with "
                               "`fieldkit repo add-channel`.").format(channel=channel))
        delegated = delegations.roles[channel]
        for keyid in delegated.keyids:
            if not any(keyid in r.keyids for n, r in delegations.roles.items() if n != channel):
                delegations.keys.pop(keyid, None)
        changed: list[Metadata[Targets]] = [targets]
        if key_out is None:
            delegated.keyids = []
            new_keyid = ""
        else:
            pair = keys.generate()
            keys.save(pair, key_out, passphrase, channel)
            delegations.keys[pair.keyid] = pair.public
            delegated.keyids = [pair.keyid]
            new_keyid = pair.keyid
            old_role, succinct, bins = self._channel(channel, snapshot)
            changed += self._new_channel(channel, pair, succinct.bit_length,
                                         old_role.signed.version + 1, bins)
        targets.signed.version += 1
        targets.signed.expires = self._expires("targets")
        self._sign(targets, root_key)
        self._commit(snapshot, timestamp, changed, online)
        return new_keyid

    def _new_root_version(self, root: Metadata[Root], roles: tuple[str, ...], key_out: Path,
                          passphrase: str, name: str) -> keys.KeyPair:
        """A new key saved to `key_out` replaces every key of `roles` in the next root
        version (signed by the caller)."""
        pair = keys.generate()
        keys.save(pair, key_out, passphrase, name)
        for role in roles:
            for keyid in list(root.signed.roles[role].keyids):
                root.signed.revoke_key(keyid, role)
            root.signed.add_key(pair.public, role)
        root.signed.version += 1
        root.signed.expires = self._expires("root")
        return pair

    def rotate_online(self, key_out: Path, root_key: keys.KeyPair, passphrase: str) -> None:
        """A new online key for snapshot and timestamp: a new root version, signed by the
        root key, tells clients to stop trusting the old one."""
        root, timestamp, snapshot = self._state()
        self._root_key(root, root_key, Root.type)
        pair = self._new_root_version(root, (Snapshot.type, Timestamp.type), key_out,
                                      passphrase, "online")
        self._sign(root, root_key)
        self._write(root)
        config = self._config()
        config["online_key"] = str(key_out.resolve())
        write_atomic(self.dir / PUBLISHER_FILE, (json.dumps(config, indent=1) + "\n").encode(),
                     mode=0o644)
        self._commit(snapshot, timestamp, [], pair)


    def rotate_root(self, key_out: Path, root_key: keys.KeyPair, online: keys.KeyPair,
                    passphrase: str) -> None:
        """A new root key (it also signs the top-level targets). The new root version is
        signed by the old key and the new one, so clients walk to it and then trust
        only the new key."""
        root, timestamp, snapshot = self._state()
        self._root_key(root, root_key, Root.type)
        self._root_key(root, online, Snapshot.type)
        pair = self._new_root_version(root, (Root.type, Targets.type), key_out,
                                      passphrase, "root")
        self._sign(root, root_key, pair)
        self._write(root)
        targets = self._targets(snapshot)
        targets.signed.version += 1
        targets.signed.expires = self._expires("targets")
        self._sign(targets, pair)
        self._commit(snapshot, timestamp, [targets], online)

def _write_file(path: Path, data: bytes) -> None:
    """A new versioned file, renamed into place whole; made durable by one os.sync()
    before the timestamp that makes it visible (thousands of fsyncs are slow)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def _sha256(info: TargetFile) -> str:
    return str(info.hashes.get("sha256", ""))


def _custom(info: TargetFile) -> dict[str, Any]:
    custom = info.unrecognized_fields.get("custom")
    return custom if isinstance(custom, dict) else {}


def _version(info: TargetFile) -> int:
    return int(_custom(info).get("version", 0))


def _removed(info: TargetFile) -> bool:
    return bool(_custom(info).get("removed"))
