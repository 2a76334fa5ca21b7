"""What every command group shares: passphrases, the profile, output, errors and exit codes."""

from __future__ import annotations

import argparse
import functools
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeAlias

from fieldkit import paths
from fieldkit.errors import ExitCode, FieldkitError, UsageError
from fieldkit.i18n import _, set_language, system_language
from fieldkit.store import Store

log = logging.getLogger("fieldkit")

# What `add_subparsers()` returns; register(subparsers) receives it.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Command = Callable[[argparse.Namespace], int]
StoreCommand = Callable[[argparse.Namespace, Store, str], int]


def add_command(sub: Subparsers, name: str, func: Command, help_text: str,
                json_flag: bool = True) -> argparse.ArgumentParser:
    """A command `name` running `func(args)`; with `--json` unless json_flag is False."""
    parser = sub.add_parser(name, help=help_text)
    parser.set_defaults(func=func)
    if json_flag:
        parser.add_argument("--json", action="store_true", help=_("machine-readable output"))
    return parser


# -- passphrases and the profile ------------------------------------------------


def _ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise UsageError(_("No passphrase given: set FIELDKIT_PASSPHRASE or use a terminal."))
        return line.rstrip("\n")
    return getpass.getpass(prompt)


def existing_passphrase() -> str:
    return os.environ.get("FIELDKIT_PASSPHRASE") or _ask(_("Passphrase: "))


def new_passphrase(env: str = "FIELDKIT_PASSPHRASE") -> str:
    if os.environ.get(env):
        return os.environ[env]
    first = _ask(_("New passphrase: "))
    if _ask(_("Repeat the new passphrase: ")) != first:
        raise UsageError(_("The two passphrases differ; nothing was changed."))
    return first


def data_directory(args: argparse.Namespace) -> Path:
    return paths.data_dir(args.data_dir)


def open_store(args: argparse.Namespace) -> Store:
    return Store.open(data_directory(args), existing_passphrase())


def reader_lang(args: argparse.Namespace, store: Store | None = None) -> str:
    if args.lang:
        return str(args.lang)
    if store is not None:
        return store.get_setting("lang") or system_language()
    return system_language()


def with_store(run: StoreCommand) -> Command:
    """A command that needs the unlocked profile and the reader's language."""

    @functools.wraps(run)
    def wrapper(args: argparse.Namespace) -> int:
        with open_store(args) as store:
            lang = set_language(reader_lang(args, store))
            return run(args, store, lang)

    return wrapper


# -- output ------------------------------------------------------------------


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def print_lines(lines: Sequence[str]) -> None:
    sys.stdout.write("\n".join(lines) + "\n")


def error(message: str) -> None:
    print(f"fieldkit: {message}", file=sys.stderr)


# -- errors and exit codes ------------------------------------------------------


def run(func: Command, args: argparse.Namespace) -> int:
    """Run a command; every failure becomes one line on stderr and its exit code."""
    try:
        return int(func(args))
    except FieldkitError as exc:
        error(exc.message)
        return int(exc.exit_code)
    except BrokenPipeError:  # the reader (e.g. `| head`) has had enough: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.OK
    except KeyboardInterrupt:
        error(_("Interrupted; nothing was changed."))
        return ExitCode.FAILURE
    except Exception as exc:  # a bug: say so in one line, log the type only (no user data)
        log.debug("unexpected error", exc_info=os.environ.get("FIELDKIT_DEBUG") == "1")
        error(f"{_('Unexpected error')} ({type(exc).__name__}); "
              f"{_('your data was not changed.')}")
        return ExitCode.FAILURE
