"""The `fieldkit` command: a public interface (DESIGN.md, "CLI contract").

Exit codes: 0 success; 1 failure; 2 usage; 3 wrong passphrase or locked
profile; 4 verification failed. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from fieldkit import __version__, library, paths
from fieldkit.content import source
from fieldkit.content.model import KINDS, SERVICE_CATEGORIES
from fieldkit.content.pack import PACK_NAME, build_pack, starter_items
from fieldkit.errors import FieldkitError, InvalidContent, UsageError
from fieldkit.i18n import _, country_name, set_language, system_language
from fieldkit.presenters import (
    item_json,
    law_lines,
    pathway_lines,
    provenance_lines,
    service_lines,
)
from fieldkit.store import Store, check_new_passphrase, profile_exists

log = logging.getLogger("fieldkit")


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


def _directory(args: argparse.Namespace) -> Path:
    return paths.data_dir(args.data_dir)


def open_store(args: argparse.Namespace) -> Store:
    return Store.open(_directory(args), existing_passphrase())


# -- output ------------------------------------------------------------------


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _print_lines(lines: Sequence[str]) -> None:
    sys.stdout.write("\n".join(lines) + "\n")


# -- commands ----------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    directory = _directory(args)
    if profile_exists(directory):
        raise FieldkitError(_("A profile already exists in {dir}.").format(dir=directory))
    items = starter_items()  # read before creating anything: a broken pack leaves no profile
    passphrase = new_passphrase()
    check_new_passphrase(passphrase)
    store = library.create_profile(directory, passphrase, items,
                                   {"lang": args.lang or system_language()})
    store.close()
    if args.json:
        _print_json({"profile": str(directory), "items": len(items)})
    else:
        print(_("Created an encrypted profile in {dir} with {n} items.").format(
            dir=directory, n=len(items)))
    return 0


def _reader_lang(args: argparse.Namespace, store: Store | None = None) -> str:
    if args.lang:
        return str(args.lang)
    if store is not None:
        return store.get_setting("lang") or system_language()
    return system_language()


def _with_store(run: Callable[[argparse.Namespace, Store, str], int]) -> Callable[..., int]:
    def wrapper(args: argparse.Namespace) -> int:
        with open_store(args) as store:
            lang = set_language(_reader_lang(args, store))
            return run(args, store, lang)

    return wrapper


@_with_store
def cmd_search(args: argparse.Namespace, store: Store, lang: str) -> int:
    results = library.search(
        store, args.query, lang, kind=args.kind, country=args.country,
        language=args.language, limit=args.limit,
    )
    if args.json:
        _print_json([r.to_json() for r in results])
        return 0
    if not results:
        print(_("Nothing found."))
    for n, r in enumerate(results, 1):
        marks = f" [{r.lang}]" if r.other_language else ""
        marks += " " + _("EXAMPLE") if r.example else ""
        print(f"{n}. {r.title}{marks}  ({r.kind}, {r.id})")
        print(f"   {r.snippet}")
    return 0


@_with_store
def cmd_show(args: argparse.Namespace, store: Store, lang: str) -> int:
    item = library.get_item(store, args.id)
    version = item.pick(lang)
    if args.json:
        _print_json(item_json(item, lang))
        return 0
    lines = []
    if item.example:
        lines.append(_("EXAMPLE — fictitious data, for illustration only"))
    lines.append(version.title)
    lines.append("=" * min(len(version.title), 72))
    if version.lang != lang:
        lines.append(_("(shown in {language}: not available in your language)").format(
            language=version.lang))
    if version.unreviewed:
        lines.append(_("Translation not yet reviewed by a person."))
    if item.kind == "law":
        lines += [_("Not legal advice — verify locally."), *law_lines(item, lang)]
    elif item.kind == "service":
        lines += service_lines(item, lang)
    elif item.kind == "pathway":
        lines += pathway_lines(store, item, lang)
    else:
        lines += ["", version.body.rstrip()]
        lines += ["", *provenance_lines(item, lang)]
    _print_lines(lines)
    return 0


@_with_store
def cmd_countries(args: argparse.Namespace, store: Store, lang: str) -> int:
    found = library.countries(store)
    if args.json:
        _print_json([{"code": c.code, "name": country_name(c.code, lang), "items": c.items,
                      "kinds": list(c.kinds)} for c in found])
        return 0
    for c in found:
        print(f"{c.code}  {country_name(c.code, lang)}  ({', '.join(c.kinds)})")
    return 0


@_with_store
def cmd_law(args: argparse.Namespace, store: Store, lang: str) -> int:
    notes = library.law_notes(store, args.country)
    if args.json:
        _print_json([item_json(n, lang) for n in notes])
        return 0
    lines = [_("Law notes: {country}").format(country=country_name(args.country, lang)),
             _("Not legal advice — verify locally.")]
    for note in notes:
        version = note.pick(lang)
        lines += ["", f"## {version.title}", *law_lines(note, lang)]
    _print_lines(lines)
    return 0


@_with_store
def cmd_services(args: argparse.Namespace, store: Store, lang: str) -> int:
    found = library.services(store, args.country, args.category, args.language)
    if args.json:
        _print_json([item_json(s, lang) for s in found])
        return 0
    if not found:
        print(_("No services found."))
    for service in found:
        _print_lines(["", f"## {service.pick(lang).title}", *service_lines(service, lang)])
    return 0


@_with_store
def cmd_pathway(args: argparse.Namespace, store: Store, lang: str) -> int:
    found = library.pathways(store, args.country, args.location)
    if args.json:
        # Always one object, the pathway shown; others of the country are listed by id.
        pathway = found[0]
        entry = item_json(pathway, lang)
        entry["services"] = [item_json(s, lang)
                             for s in library.pathway_services(store, pathway)]
        entry["other_pathways"] = [{"id": p.id, "location": p.location} for p in found[1:]]
        _print_json(entry)
        return 0
    for pathway in found:
        _print_lines([pathway.pick(lang).title, *pathway_lines(store, pathway, lang)])
    return 0


def cmd_passphrase(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        new = new_passphrase("FIELDKIT_NEW_PASSPHRASE")
        store.change_passphrase(new)
    print(_("The passphrase was changed."))
    return 0


def cmd_content_validate(args: argparse.Namespace) -> int:
    items, problems = source.read_folder(Path(args.folder))
    problems += source.validate(items)
    if args.json:
        _print_json({"items": len(items), "problems": problems})
    else:
        for problem in problems:
            print(problem)
        print(_("{n} items, {p} problems.").format(n=len(items), p=len(problems)))
    if problems:
        raise InvalidContent(_("The content has {p} problem(s).").format(p=len(problems)))
    return 0


def cmd_content_build(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else Path(__file__).parent / "data" / PACK_NAME
    count = build_pack(Path(args.folder), out)
    print(_("Built the pack with {n} items: {out}").format(n=count, out=out))
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    try:
        from fieldkit.ui.app import run
    except ImportError as exc:
        raise FieldkitError(
            _("The desktop app needs PySide6; install fieldkit[gui].")) from exc
    return int(run(data_dir=args.data_dir, lang=args.lang))


# -- parser ------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fieldkit", description=_(
        "Offline guidance, law notes and referral pathways, in an encrypted library."))
    parser.add_argument("--version", action="version", version=f"fieldkit {__version__}")
    parser.add_argument("--data-dir", help=_("profile folder (default: FIELDKIT_HOME or the "
                                             "user data folder)"))
    parser.add_argument("--lang", help=_("language to read and speak, e.g. fr"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, func: Callable[..., int], help_text: str,
                json_flag: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.set_defaults(func=func)
        if json_flag:
            p.add_argument("--json", action="store_true", help=_("machine-readable output"))
        return p

    command("gui", cmd_gui, _("start the desktop app"), json_flag=False)
    command("init", cmd_init, _("create the encrypted profile and load the starter pack"))
    p = command("search", cmd_search, _("search everything"))
    p.add_argument("query")
    p.add_argument("--country", type=str.upper)
    p.add_argument("--kind", choices=KINDS)
    p.add_argument("--language", help=_("only versions in this language"))
    p.add_argument("--limit", type=int, default=20)
    p = command("show", cmd_show, _("show one item"))
    p.add_argument("id")
    command("countries", cmd_countries, _("countries that have content"))
    p = command("law", cmd_law, _("law notes of a country"))
    p.add_argument("country", type=str.upper)
    p = command("services", cmd_services, _("referral services of a country"))
    p.add_argument("country", type=str.upper)
    p.add_argument("--category", choices=SERVICE_CATEGORIES)
    p.add_argument("--language", help=_("only services working in this language"))
    p = command("pathway", cmd_pathway, _("referral pathway of a country"))
    p.add_argument("country", type=str.upper)
    p.add_argument("--location")
    command("passphrase", cmd_passphrase, _("change the passphrase"), json_flag=False)
    content = sub.add_parser("content", help=_("validate and build content packs"))
    content_sub = content.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    p = content_sub.add_parser("validate", help=_("check a content folder"))
    p.add_argument("folder", nargs="?", default="content")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_content_validate)
    p = content_sub.add_parser("build", help=_("validate and build the starter pack"))
    p.add_argument("folder", nargs="?", default="content")
    p.add_argument("--out")
    p.set_defaults(func=cmd_content_build)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=os.environ.get("FIELDKIT_LOG", "WARNING").upper(),
                        format="%(levelname)s %(name)s: %(message)s")
    argv = list(sys.argv[1:] if argv is None else argv)
    # Names and scripts of every language must reach a pipe or file intact, whatever
    # the console's code page.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() != "utf-8":
            stream.reconfigure(encoding="utf-8")
    early = [a.split("=", 1)[1] for a in argv if a.startswith("--lang=")]
    if "--lang" in argv[:-1]:
        early.append(argv[argv.index("--lang") + 1])
    set_language(early[0] if early else system_language())
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        args.func = cmd_gui
    try:
        return int(args.func(args))
    except FieldkitError as exc:
        print(f"fieldkit: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # the reader (e.g. `| head`) has had enough: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(f"fieldkit: {_('Interrupted; nothing was changed.')}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: say so in one line, log the type only (no user data)
        log.debug("unexpected error", exc_info=os.environ.get("FIELDKIT_DEBUG") == "1")
        print(f"fieldkit: {_('Unexpected error')} ({type(exc).__name__}); "
              f"{_('your data was not changed.')}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())

