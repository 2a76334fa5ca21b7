"""What every command group shares: passphrases, the profile, output, errors and exit codes."""

from __future__ import annotations

import argparse
import contextlib
import functools
import getpass
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeAlias

from babel import Locale

from fieldkit import UN_LANGUAGES, library, paths
from fieldkit.errors import ExitCode, FieldkitError, NotFound, UsageError
from fieldkit.i18n import _, country_name, language_name, set_language, system_language
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


# -- arguments: checked at the boundary, exit 2 when malformed ----------------------

# Territories CLDR knows that are not countries of ISO 3166-1: exceptional
# reservations (AC, CP, DG, EA, IC, TA), groupings (EU, EZ, QO, UN), pseudo-locales
# (XA, XB) and the unknown region (ZZ). XK (Kosovo, user-assigned) stays: the UN
# system's field offices use it.
_NOT_COUNTRIES = frozenset({"AC", "CP", "DG", "EA", "IC", "TA", "EU", "EZ", "QO", "UN",
                            "XA", "XB", "ZZ"})
MAX_LIMIT = 200


def country_code(text: str) -> str:
    """An ISO 3166-1 alpha-2 code (any case); anything else is a usage error."""
    code = text.strip().upper()
    if (len(code) == 2 and code.isascii() and code.isalpha() and code not in _NOT_COUNTRIES
            and code in Locale("en").territories):
        return code
    raise argparse.ArgumentTypeError(_(
        "'{text}' is not a country code: give the two letters of ISO 3166-1, e.g. MD "
        "or BD (`fieldkit countries` lists those with content).").format(text=text))


# CLDR's codes that name no language: undetermined, none, several, not encoded.
_NOT_LANGUAGES = frozenset({"und", "zxx", "mul", "mis"})


@functools.cache
def _known_languages() -> frozenset[str]:
    codes = (str(code) for code in Locale("en").languages)
    return frozenset(code for code in codes if code.isalpha() and code not in _NOT_LANGUAGES)


def known_language(text: str) -> str:
    """A BCP 47 tag (any case) of a language CLDR knows, reduced to that language:
    RO, ro-MD, fr_CA → ro, ro, fr. Anything else (xx, english, 12) is a usage error."""
    primary = text.strip().replace("_", "-").split("-")[0].lower()
    if 2 <= len(primary) <= 3 and primary.isascii() and primary in _known_languages():
        return primary
    raise UsageError(_(
        "'{text}' is not a language code: give a code such as en, fr or ro.").format(text=text))


def language_code(text: str) -> str:
    """`known_language` for argparse: exit 2 with its sentence."""
    try:
        return known_language(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def document_language(text: str) -> str:
    """A printout's language (`report export --lang`): one of the six it is written in;
    fr-CA → fr. Anything else would print an English form under another language's name."""
    lang = language_code(text)
    if lang in UN_LANGUAGES:
        return lang
    raise argparse.ArgumentTypeError(_("Printouts are made in {languages}; not in {lang}.").format(
        languages=", ".join(UN_LANGUAGES), lang=text))


def ui_language(text: str) -> tuple[str, str | None]:
    """The global --lang: the language to speak and read, and a note to show when
    Fieldkit cannot speak it (pt: messages in English, content in Portuguese where
    some is written in it)."""
    lang = known_language(text)
    if lang in UN_LANGUAGES:
        return lang, None
    return lang, _("{language} is not one of Fieldkit's languages ({languages}): its "
                   "messages are in English; content, country names and dates are in "
                   "{language} where they exist.").format(language=language_name(lang, "en"),
                                     languages=", ".join(UN_LANGUAGES))


def limit_number(text: str) -> int:
    """How many results: 1 to MAX_LIMIT."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if 1 <= value <= MAX_LIMIT:
        return value
    raise argparse.ArgumentTypeError(_("the limit must be a whole number from 1 to {max}."
                                       ).format(max=MAX_LIMIT))


def require_country_content(store: Store, code: str, lang: str) -> None:
    """A valid code with no content: say so, and which countries have some."""
    found = library.countries(store)
    if any(c.code == code for c in found):
        return
    listing = ", ".join(f"{c.code} ({country_name(c.code, lang)})" for c in found)
    raise NotFound(_("There is no content for {country} ({code}) yet. Countries with "
                     "content: {listing}.").format(country=country_name(code, lang),
                                                   code=code, listing=listing or "-"))


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


@contextlib.contextmanager
def deferred_interrupt() -> Iterator[Callable[[], bool]]:
    """Ctrl-C inside waits for the block to finish (a passphrase change, a restore:
    work that must not stop halfway). Yields a function telling whether it came."""
    caught: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield lambda: bool(caught)
    finally:
        signal.signal(signal.SIGINT, previous)


def check_text_arguments(argv: Sequence[str]) -> None:
    """Arguments that were not UTF-8 bytes reach Python as lone surrogates: refuse
    them in one sentence rather than fail later on them."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError(_("An argument is not valid UTF-8 text; check the terminal's "
                               "encoding and type it again.")) from None


# -- errors and exit codes ------------------------------------------------------


def run(func: Command, args: argparse.Namespace) -> int:
    """Run a command; every failure becomes one line on stderr and its exit code."""
    try:
        return int(func(args))
    except FieldkitError as exc:
        if exc.detail is not None and getattr(args, "json", False):
            print_json({"error": exc.message, "detail": exc.detail})
        error(exc.message)
        return int(exc.exit_code)
    except BrokenPipeError:  # the reader (e.g. `| head`) has had enough: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.OK
    except KeyboardInterrupt:
        # True of every command: each write is one transaction, rolled back here.
        error(_("Interrupted; nothing was changed."))
        return ExitCode.INTERRUPTED
    except UnicodeError:
        error(_("Text that is not valid UTF-8 came in (an argument, a file or the "
                "terminal); check the terminal's encoding."))
        return ExitCode.USAGE
    except Exception as exc:  # a bug: say so in one line, log the type only (no user data)
        log.debug("unexpected error", exc_info=os.environ.get("FIELDKIT_DEBUG") == "1")
        error(_("Unexpected error ({name}); the profile keeps its last saved state. Run "
                "again with FIELDKIT_DEBUG=1 FIELDKIT_LOG=debug for details.").format(
                    name=type(exc).__name__))
        return ExitCode.FAILURE
