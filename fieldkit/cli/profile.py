"""The profile itself: `init`, `passphrase`."""

from __future__ import annotations

import argparse

from fieldkit import library
from fieldkit.cli.common import (
    Subparsers,
    add_command,
    data_directory,
    new_passphrase,
    open_store,
    print_json,
)
from fieldkit.content.pack import starter_items
from fieldkit.errors import FieldkitError
from fieldkit.i18n import _, system_language
from fieldkit.store import check_new_passphrase, profile_exists


def cmd_init(args: argparse.Namespace) -> int:
    directory = data_directory(args)
    if profile_exists(directory):
        raise FieldkitError(_("A profile already exists in {dir}.").format(dir=directory))
    items = starter_items()  # read before creating anything: a broken pack leaves no profile
    passphrase = new_passphrase()
    check_new_passphrase(passphrase)
    store = library.create_profile(directory, passphrase, items,
                                   {"lang": args.lang or system_language()})
    store.close()
    if args.json:
        print_json({"profile": str(directory), "items": len(items)})
    else:
        print(_("Created an encrypted profile in {dir} with {n} items.").format(
            dir=directory, n=len(items)))
    return 0


def cmd_passphrase(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        new = new_passphrase("FIELDKIT_NEW_PASSPHRASE")
        store.change_passphrase(new)
    print(_("The passphrase was changed."))
    return 0


def register(sub: Subparsers) -> None:
    add_command(sub, "init", cmd_init, _("create the encrypted profile and load the starter pack"))
    add_command(sub, "passphrase", cmd_passphrase, _("change the passphrase"), json_flag=False)
