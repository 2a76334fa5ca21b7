"""`fieldkit repo|publish|keys`: a country team's side of sync (DESIGN "Sync and publishing").

Private keys are files encrypted with a passphrase: FIELDKIT_KEY_PASSPHRASE for
scripts, else asked without echo. The repository folder never holds one.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from fieldkit.cli.common import Subparsers, add_command, print_json, print_lines
from fieldkit.content.source import load_folder
from fieldkit.errors import UsageError
from fieldkit.i18n import _
from fieldkit.sync import keys
from fieldkit.sync.repository import DEFAULT_BITS, Repository, check_channel
from fieldkit.sync.targets import owner_channel


def _ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise UsageError(_("No key passphrase given: set FIELDKIT_KEY_PASSPHRASE or use "
                               "a terminal."))
        return line.rstrip("\n")
    return getpass.getpass(prompt)


def key_passphrase(new: bool = False) -> str:
    if os.environ.get(keys.PASSPHRASE_ENV):
        return os.environ[keys.PASSPHRASE_ENV]
    first = _ask(_("Key passphrase: "))
    if new and _ask(_("Repeat the key passphrase: ")) != first:
        raise UsageError(_("The two passphrases differ; nothing was changed."))
    return first


def _load(path: str, passphrase: str) -> keys.KeyPair:
    return keys.load(Path(path), passphrase)


def cmd_repo_init(args: argparse.Namespace) -> int:
    root_out = Path(args.root_key_out)
    online_out = Path(args.online_key_out) if args.online_key_out else \
        root_out.with_name(root_out.stem + ".online" + (root_out.suffix or ".key"))
    Repository(Path(args.repo_dir)).init(root_out, online_out, key_passphrase(new=True))
    root_file = Path(args.repo_dir) / "metadata" / "root.json"
    if args.json:
        print_json({"repository": args.repo_dir, "root_key": str(root_out),
                    "online_key": str(online_out), "root_metadata": str(root_file),
                    "move_offline": [str(root_out)]})
        return 0
    # The root key signs which keys the repository trusts: on the publishing machine
    # with the online key, one intrusion takes both (DESIGN "Sync and publishing").
    print_lines([
        _("Created a repository in {dir}.").format(dir=args.repo_dir),
        _("Root key: {root}. Move it offline now (e.g. to a USB stick kept locked away); "
          "it is needed only to add a channel or to replace or revoke a key.").format(
            root=root_out),
        _("Online key (signs each publication's snapshot and timestamp): {online}. It stays "
          "on the publishing machine.").format(online=online_out),
        _("Offices trust the repository with: fieldkit trust {file}").format(file=root_file),
    ])
    return 0


def cmd_repo_add_channel(args: argparse.Namespace) -> int:
    repo = Repository(Path(args.repo_dir))
    passphrase = key_passphrase(new=True)
    root_key = _load(args.root_key, passphrase)
    online = _load(str(repo.online_key_path(Path(args.online_key) if args.online_key
                                            else None)), passphrase)
    repo.add_channel(args.channel, Path(args.key_out), root_key, online, passphrase,
                     bits=args.bits)
    if args.json:
        print_json({"channel": args.channel, "key": args.key_out})
    else:
        print(_("Added the channel {channel}; its key is {key}.").format(
            channel=args.channel, key=args.key_out))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    repo = Repository(Path(args.repo_dir))
    channel = check_channel(args.channel)
    # The whole content tree is validated (links between items); the channel's own
    # items are published: its country's, or for `global` those without a country.
    items = [i for i in load_folder(Path(args.source)) if owner_channel(i.country) == channel]
    if not items:
        raise UsageError(_("{folder} holds no items of the channel {channel}.").format(
            folder=args.source, channel=channel))
    passphrase = key_passphrase()
    key = _load(args.key, passphrase)
    online = _load(str(repo.online_key_path(Path(args.online_key) if args.online_key
                                            else None)), passphrase)
    summary = repo.publish(channel, items, key, online, valid_days=args.valid_days)
    if args.json:
        print_json(summary.to_json())
    else:
        print(_("Published {channel}: {added} added, {changed} changed, {removed} removed, "
                "{unchanged} unchanged (snapshot {version}).").format(
            channel=summary.channel, added=len(summary.added), changed=len(summary.changed),
            removed=len(summary.removed), unchanged=summary.unchanged,
            version=summary.snapshot_version))
    return 0


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    repo = Repository(Path(args.repo_dir))
    passphrase = key_passphrase(new=True)
    root_key = _load(args.root_key, passphrase)
    if args.role == "online":
        repo.rotate_online(Path(args.key_out), root_key, passphrase)
    else:
        online = _load(str(repo.online_key_path(Path(args.online_key) if args.online_key
                                                else None)), passphrase)
        if args.role == "root":
            repo.rotate_root(Path(args.key_out), root_key, online, passphrase)
        else:
            repo.rotate_channel(args.role, Path(args.key_out), root_key, online, passphrase)
    if args.json:
        print_json({"role": args.role, "key": args.key_out})
    else:
        print(_("Replaced the key of {role}; the new key is {key}. The old key no longer "
                "signs anything clients accept.").format(role=args.role, key=args.key_out))
    return 0


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    repo = Repository(Path(args.repo_dir))
    passphrase = key_passphrase()
    root_key = _load(args.root_key, passphrase)
    online = _load(str(repo.online_key_path(Path(args.online_key) if args.online_key
                                            else None)), passphrase)
    repo.revoke_channel(args.channel, root_key, online)
    if args.json:
        print_json({"channel": args.channel, "revoked": True})
    else:
        print(_("Revoked the key of {channel}: offices refuse anything it signs. Give the "
                "channel a new key with `fieldkit keys rotate`.").format(channel=args.channel))
    return 0


def register(sub: Subparsers) -> None:
    repo = sub.add_parser("repo", help=_("create a signed repository and its channels"))
    actions = repo.add_subparsers(dest="repo_command", metavar="ACTION", required=True)
    p = add_command(actions, "init", cmd_repo_init, _("a new repository with a fresh root"))
    p.add_argument("repo_dir")
    p.add_argument("--root-key-out", required=True, help=_("where to write the root key"))
    p.add_argument("--online-key-out", help=_("where to write the snapshot and timestamp "
                                              "key (default: beside the root key)"))
    p = add_command(actions, "add-channel", cmd_repo_add_channel,
                    _("delegate 'global' or a country code to a new key"))
    p.add_argument("repo_dir")
    p.add_argument("channel")
    p.add_argument("--key-out", required=True, help=_("where to write the channel's key"))
    p.add_argument("--root-key", required=True, help=_("the root key, to sign the delegation"))
    p.add_argument("--online-key", help=_("the online key (default: the one made by init)"))
    p.add_argument("--bits", type=int, default=DEFAULT_BITS, choices=range(1, 13),
                   metavar="1-12", help=_("split the channel into 2**bits hash bins"))
    p = add_command(sub, "publish", cmd_publish,
                    _("sign the next version of a channel from a content folder"))
    p.add_argument("repo_dir")
    p.add_argument("channel")
    p.add_argument("--source", required=True, help=_("content folder (the content/ format)"))
    p.add_argument("--key", required=True, help=_("the channel's key"))
    p.add_argument("--online-key", help=_("the online key (default: the one made by init)"))
    p.add_argument("--valid-days", type=int, choices=range(1, 366), metavar="1-365",
                   help=_("how long offices may use this version, e.g. from a USB copy"))
    keys_parser = sub.add_parser("keys", help=_("replace or revoke signing keys"))
    actions = keys_parser.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    p = add_command(actions, "rotate", cmd_keys_rotate,
                    _("replace a channel's key (or the online or root key) with a new one"))
    p.add_argument("repo_dir")
    p.add_argument("role", help=_("a channel, 'online' or 'root'"))
    p.add_argument("--key-out", required=True, help=_("where to write the new key"))
    p.add_argument("--root-key", required=True)
    p.add_argument("--online-key")
    p = add_command(actions, "revoke", cmd_keys_revoke, _("withdraw a channel's key"))
    p.add_argument("repo_dir")
    p.add_argument("channel")
    p.add_argument("--root-key", required=True)
    p.add_argument("--online-key")
