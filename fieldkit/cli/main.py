"""The parser and the entry point: global options, then every command group in `GROUPS`."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from fieldkit.cli import common
from fieldkit.errors import ExitCode, FieldkitError
from fieldkit.i18n import _, set_language, system_language

# Command groups, in the order `fieldkit --help` lists them: one line each.
# Each names a module of this package that exposes register(subparsers).
GROUPS = (
    "gui",
    "profile",
    "browse",
    "content",
    "material",
    "sync",
    "publishing",
    "report",
)


class _VersionAction(argparse.Action):
    """`--version`: Fieldkit's version, its starter content's and SQLCipher's, then exit."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        from fieldkit.about import version_lines

        sys.stdout.write("\n".join(version_lines()) + "\n")
        parser.exit()


def build_parser(groups: Sequence[str] = GROUPS) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fieldkit", description=_(
        "Offline guidance, law notes and referral pathways, in an encrypted library."))
    parser.add_argument("--version", action=_VersionAction, nargs=0,
                        help=_("show the version, the starter content's and SQLCipher's"))
    parser.add_argument("--data-dir", help=_("profile folder (default: FIELDKIT_HOME or the "
                                             "user data folder)"))
    parser.add_argument("--lang", help=_("language to read and speak, e.g. fr"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in groups:
        importlib.import_module(f"fieldkit.cli.{name}").register(sub)
    return parser


def _starts_the_app(argv: list[str]) -> bool:
    """No command or `gui`, with global options only: the desktop app.

    Then only the `gui` group is registered, so that the app's start-up pays for no other
    command group's imports (PDF typesetting, sync, ...)."""
    rest, i = [], 0
    while i < len(argv):
        if argv[i] in ("--data-dir", "--lang"):
            i += 2
            continue
        if not argv[i].startswith(("--data-dir=", "--lang=")):
            rest.append(argv[i])
        i += 1
    return rest in ([], ["gui"])


def _given_language(argv: list[str]) -> str | None:
    """The global --lang (before the command: `material render` and `report export`
    have their own), read before parsing so that help and usage errors are in it too."""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        if argv[i].startswith("--lang="):
            return argv[i].split("=", 1)[1]
        if argv[i] == "--lang":
            return argv[i + 1] if i + 1 < len(argv) else None
        i += 2 if argv[i] == "--data-dir" else 1
    return None


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:  # before a command ran (common.run handles those)
        common.error(_("Interrupted; nothing was changed."))
        return ExitCode.INTERRUPTED


def _main(argv: Sequence[str] | None) -> int:
    level = os.environ.get("FIELDKIT_LOG", "WARNING").upper()
    logging.basicConfig(level=level if level in logging.getLevelNamesMapping() else "WARNING",
                        format="%(levelname)s %(name)s: %(message)s")
    args_list = list(sys.argv[1:] if argv is None else argv)
    # Names and scripts of every language must reach a pipe or file intact, whatever
    # the console's code page; what comes in must be UTF-8 (else one sentence, below).
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() != "utf-8":
            stream.reconfigure(encoding="utf-8")
    if hasattr(sys.stdin, "reconfigure") and (sys.stdin.encoding or "").lower() != "utf-8":
        sys.stdin.reconfigure(encoding="utf-8")
    set_language(system_language())
    lang, note = None, None
    try:
        common.check_text_arguments(args_list)
        given = _given_language(args_list)
        if given is not None:  # checked once, here, for every command and the app
            lang, note = common.ui_language(given)
    except FieldkitError as exc:
        common.error(exc.message)
        return exc.exit_code
    if lang:
        set_language(lang)
    if note:
        common.error(note)
    groups = ("gui",) if _starts_the_app(args_list) else GROUPS
    args = build_parser(groups).parse_args(args_list)
    args.lang = lang  # fr-CA → fr, the form every command expects
    if not getattr(args, "func", None):
        from fieldkit.cli.gui import cmd_gui

        args.func = cmd_gui
    return common.run(args.func, args)


if __name__ == "__main__":
    raise SystemExit(main())
