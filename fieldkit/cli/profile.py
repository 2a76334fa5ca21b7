"""The profile itself: `init`, `passphrase`, `check`, `backup FILE`, `restore FILE`."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from fieldkit import library
from fieldkit.cli.common import (
    Subparsers,
    add_command,
    data_directory,
    deferred_interrupt,
    existing_passphrase,
    new_passphrase,
    open_store,
    print_json,
)
from fieldkit.content.pack import starter_items
from fieldkit.errors import FieldkitError, Interrupted, ProfileDamaged
from fieldkit.i18n import _, system_language
from fieldkit.store import Store, check_new_passphrase, profile_exists, restore_profile


def cmd_init(args: argparse.Namespace) -> int:
    directory = data_directory(args)
    if profile_exists(directory):
        raise FieldkitError(_("A profile already exists in {dir}.").format(dir=directory))
    items = starter_items()  # read before creating anything: a broken pack leaves no profile
    passphrase = new_passphrase()
    check_new_passphrase(passphrase)
    made_folder = not directory.exists()
    if not args.json and sys.stderr.isatty():  # the long part, on a slow laptop: say so
        print(_("Creating the encrypted profile with {n} items…").format(n=len(items)),
              file=sys.stderr, flush=True)
    try:
        store = library.create_profile(directory, passphrase, items,
                                       {"lang": args.lang or system_language()})
        store.close()
        late = False
    except KeyboardInterrupt:
        # create_profile builds under another name and renames last: either the whole
        # profile is in place (Ctrl-C came after the rename) or nothing of it is.
        if not profile_exists(directory):
            if made_folder:
                with contextlib.suppress(OSError):
                    directory.rmdir()  # only if empty
            raise Interrupted(_("Interrupted; no profile was created.")) from None
        late = True
    if args.json:
        print_json({"profile": str(directory), "items": len(items)})
    else:
        print(_("Created an encrypted profile in {dir} with {n} items.").format(
            dir=directory, n=len(items)))
    if late:
        print(_("(Interrupted too late to stop the creation.)"), file=sys.stderr)
    return 0


def cmd_passphrase(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        new = new_passphrase("FIELDKIT_NEW_PASSPHRASE")
        # Once started, the change runs to its end: Ctrl-C then cannot leave the
        # user guessing which passphrase works (the store verifies by reopening).
        with deferred_interrupt() as interrupted:
            store.change_passphrase(new)
    print(_("The passphrase was changed; only the new passphrase opens the profile now."))
    if interrupted():
        print(_("(Interrupted too late to stop the change.)"))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    directory = data_directory(args)
    with Store.open(directory, existing_passphrase(), upgrade=False) as store:
        report = store.check()
    if args.json:
        print_json({"profile": str(store.path), "ok": report.ok, "pages": report.pages,
                    "schema_version": report.schema_version,
                    "cipher_problems": report.cipher_problems,
                    "sqlite_problems": report.sqlite_problems})
    else:
        print(_("Profile {path}: {pages} pages, schema version {version}.").format(
            path=store.path, pages=report.pages, version=report.schema_version))
        # Counts only: SQLite's raw findings run to hundreds of lines that say
        # nothing more to a user than "damaged"; --details (or --json) lists them.
        for line, problems in ((_("Encryption (every page authenticated): {result}"),
                                report.cipher_problems),
                               (_("Database structure: {result}"), report.sqlite_problems)):
            print(line.format(result=_("ok") if not problems
                              else _("{n} problem(s)").format(n=len(problems))))
            if args.details:
                for problem in problems:
                    print(f"  {problem}")
        if not args.details and not report.ok:
            print(_("To list every problem: `fieldkit check --details`."))
    if not report.ok:
        raise ProfileDamaged(_("The profile is damaged. Restore a backup with `fieldkit "
                               "restore FILE`; keep this file for a specialist."))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    target = Path(args.file)
    with open_store(args) as store:
        store.backup_to(target)
    if args.json:
        print_json({"backup": str(target.expanduser().absolute())})
    else:
        print(_("Wrote an encrypted backup to {path}; it opens with the profile's "
                "passphrase.").format(path=target.expanduser().absolute()))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    directory = data_directory(args)
    passphrase = existing_passphrase()
    with deferred_interrupt() as interrupted:
        kept = restore_profile(directory, Path(args.file), passphrase)
    # Opening it migrates a backup made by an older version, like any profile.
    Store.open(directory, passphrase).close()
    if args.json:
        print_json({"restored": str(Path(args.file).expanduser().absolute()),
                    "kept": str(kept) if kept else None})
        return 0
    print(_("Restored the profile from {path}.").format(path=Path(args.file)))
    if kept:
        print(_("The replaced profile was kept as {path}.").format(path=kept))
    if interrupted():
        print(_("(Interrupted too late to stop the restore.)"))
    return 0


def register(sub: Subparsers) -> None:
    add_command(sub, "init", cmd_init, _("create the encrypted profile and load the starter pack"))
    add_command(sub, "passphrase", cmd_passphrase, _("change the passphrase"), json_flag=False)
    p = add_command(sub, "check", cmd_check, _("verify that the profile is sound"))
    p.add_argument("--details", action="store_true",
                   help=_("list every problem found, as the database reports it"))
    p = add_command(sub, "backup", cmd_backup, _("write an encrypted copy of the profile"))
    p.add_argument("file", help=_("the backup file to write, e.g. on a USB stick"))
    p = add_command(sub, "restore", cmd_restore,
                    _("replace the profile by a backup, after verifying it"))
    p.add_argument("file", help=_("the backup file to restore"))
