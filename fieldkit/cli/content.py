"""`fieldkit content validate|build`: content folders and the starter pack."""

from __future__ import annotations

import argparse
from pathlib import Path

import fieldkit
from fieldkit.cli.common import Subparsers, print_json
from fieldkit.content import source
from fieldkit.content.pack import PACK_NAME, build_pack
from fieldkit.errors import InvalidContent
from fieldkit.i18n import _


def cmd_content_validate(args: argparse.Namespace) -> int:
    items, problems = source.read_folder(Path(args.folder))
    problems += source.validate(items)
    if args.json:
        print_json({"items": len(items), "problems": problems})
    else:
        for problem in problems:
            print(problem)
        print(_("{n} items, {p} problems.").format(n=len(items), p=len(problems)))
    if problems:
        raise InvalidContent(_("The content has {p} problem(s).").format(p=len(problems)))
    return 0


def cmd_content_build(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else Path(fieldkit.__file__).parent / "data" / PACK_NAME
    count = build_pack(Path(args.folder), out)
    print(_("Built the pack with {n} items: {out}").format(n=count, out=out))
    return 0


def register(sub: Subparsers) -> None:
    content = sub.add_parser("content", help=_("validate and build content packs"))
    actions = content.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    p = actions.add_parser("validate", help=_("check a content folder"))
    p.add_argument("folder", nargs="?", default="content")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_content_validate)
    p = actions.add_parser("build", help=_("validate and build the starter pack"))
    p.add_argument("folder", nargs="?", default="content")
    p.add_argument("--out")
    p.set_defaults(func=cmd_content_build)
