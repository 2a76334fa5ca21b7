"""`fieldkit trust|sync|mirror`: an office's side of sync (DESIGN "Sync and publishing")."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldkit.cli.common import Subparsers, add_command, data_directory, print_json, with_store
from fieldkit.errors import FieldkitError, NotFound, UsageError
from fieldkit.files import write_atomic
from fieldkit.i18n import _, format_review_date
from fieldkit.store import Store
from fieldkit.sync import client
from fieldkit.sync.repository import check_channel


@with_store
def cmd_trust(args: argparse.Namespace, store: Store, lang: str) -> int:
    try:
        data = Path(args.root_metadata_file).read_bytes()
    except OSError as exc:
        raise NotFound(_("Cannot read {path}: {reason}").format(
            path=args.root_metadata_file, reason=exc.strerror)) from None
    version = client.trust(store, data)
    if args.json:
        print_json({"trusted": True, "root_version": version})
    else:
        print(_("This profile now trusts the repository of this root (version {v}).").format(
            v=version))
    return 0


def _progress(quiet: bool) -> client.Progress:
    said: set[str] = set()

    def report(done: int, total: int, label: str) -> None:
        if quiet or label in said or total == 0:
            return
        said.add(label)
        text = {"checking": _("Checking the source…"),
                "downloading": _("Downloading {n} changed files…").format(n=total),
                "applying": _("Applying {n} downloaded files…").format(n=total)}.get(label, label)
        print(text, file=sys.stderr, flush=True)

    return report


@with_store
def cmd_sync(args: argparse.Namespace, store: Store, lang: str) -> int:
    channels = [check_channel(c) for c in args.channel] or None
    result = client.sync(store, args.source, data_directory(args), channels,
                         _progress(args.json))
    if args.json:
        print_json(result.to_json())
        return 0
    print(_("Synced from {source}; content as of {date}.").format(
        source=result.source, date=result.content_as_of))
    for name, c in result.channels.items():
        print(_("{channel}: {added} added, {updated} updated, {removed} removed, "
                "{conflicts} kept (edited here, changed upstream)").format(
            channel=name, added=len(c.added), updated=len(c.updated),
            removed=len(c.removed), conflicts=len(c.conflicts)))
    for name in result.missing_channels:
        print(_("{channel}: not in this repository").format(channel=name))
    if result.files_already_here:
        # Says why "Downloading 28 changed files" can end in "1 updated".
        print(_("{same} of the {n} downloaded files held what this profile already "
                "has.").format(same=result.files_already_here, n=result.files))
    return 0


@with_store
def cmd_sync_status(args: argparse.Namespace, store: Store, lang: str) -> int:
    status = client.status(store)
    if args.json:
        print_json(status.to_json())
        return 0
    if status.content_as_of is None:
        print(_("Content as of: {date}").format(date=_("unknown")))
    elif status.starter_pack:
        print(_("Content as of: {date} (the starter pack)").format(
            date=format_review_date(status.content_as_of)))
    else:
        print(_("Content as of: {date}").format(date=status.content_as_of))
    if status.last_checked:
        print(_("Last checked: {date} ({result})").format(
            date=status.last_checked, result=status.last_result or "-"))
    else:
        print(_("Not checked for updates yet."))
    for c in status.conflicts:
        print(_("{item}: edited here and changed upstream (version {v})").format(
            item=c["item"], v=c["upstream_version"]))
    return 0


@with_store
def cmd_mirror(args: argparse.Namespace, store: Store, lang: str) -> int:
    out = Path(args.out_dir)
    if out.exists() and any(out.iterdir()) and not (out / "metadata").is_dir():
        raise UsageError(_("{dir} is not empty and holds no repository copy; choose an "
                           "empty folder.").format(dir=out))
    count = 0
    try:
        for rel, data in client.iter_mirror_files(store):
            write_atomic(out / rel, data, mode=0o644)
            count += 1
    except OSError as exc:
        raise FieldkitError(_("Could not write the copy to {dir}: {reason}").format(
            dir=out, reason=exc.strerror)) from None
    if args.json:
        print_json({"out": str(out), "files": count})
    else:
        print(_("Wrote {n} files to {dir}; another office can sync from it with: "
                "fieldkit sync --source {dir}").format(n=count, dir=out))
    return 0


def register(sub: Subparsers) -> None:
    p = add_command(sub, "trust", cmd_trust, _("pin this profile to a repository's root"))
    p.add_argument("root_metadata_file")
    p = add_command(sub, "sync", cmd_sync, _("pull and apply verified updates"))
    p.add_argument("--source", help=_("a repository's web address or a folder (USB copy); "
                                      "default: the last one used"))
    p.add_argument("--channel", action="append", default=[],
                   help=_("follow this channel (repeatable; default: global and your "
                          "country)"))
    p.set_defaults(func=cmd_sync)
    p = add_command(sub, "sync-status", cmd_sync_status,
                    _("content date, last check and items to reconcile"))
    p = add_command(sub, "mirror", cmd_mirror,
                    _("copy the verified repository state to a folder (USB stick)"))
    p.add_argument("out_dir")
