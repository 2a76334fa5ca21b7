"""`fieldkit gui` (also plain `fieldkit`): the desktop app."""

from __future__ import annotations

import argparse

from fieldkit.cli.common import Subparsers, add_command
from fieldkit.errors import FieldkitError
from fieldkit.i18n import _


def cmd_gui(args: argparse.Namespace) -> int:
    try:
        from fieldkit.ui.app import run
    except ImportError as exc:
        raise FieldkitError(
            _("The desktop app needs PySide6; install fieldkit[gui].")) from exc
    return int(run(data_dir=args.data_dir, lang=args.lang))


def register(sub: Subparsers) -> None:
    add_command(sub, "gui", cmd_gui, _("start the desktop app"), json_flag=False)
