"""Printable materials: `material list`, `material render KIND --country CC --lang LL[,LL] ...`."""

from __future__ import annotations

import argparse

from fieldkit import UN_LANGUAGES, library, materials
from fieldkit.cli.common import (
    Subparsers,
    country_code,
    print_json,
    print_lines,
    with_store,
)
from fieldkit.errors import NotFound, UsageError
from fieldkit.i18n import _, country_name
from fieldkit.store import Store


def cmd_material_list(args: argparse.Namespace) -> int:
    kinds = materials.KINDS.values()
    if args.json:
        print_json([{"kind": k.name, "label": _(k.label), "description": _(k.description),
                     "papers": list(k.papers)} for k in kinds])
        return 0
    print_lines([f"{k.name:<13} {_(k.label)}: {_(k.description)} ({', '.join(k.papers)})"
                 for k in kinds])
    return 0


@with_store
def cmd_material_render(args: argparse.Namespace, store: Store, lang: str) -> int:
    request = materials.Request(
        kind=args.kind, country=args.country, location=args.location,
        # Without --lang, the reader's language if materials are printed in it, else English.
        langs=tuple((args.material_lang or (lang if lang in UN_LANGUAGES else "en")).split(",")),
        paper=args.paper, qr=args.qr,
    ).checked()
    if not args.out.lower().endswith(".pdf"):  # never over the profile or any other file
        raise UsageError(_("The export file name must end in .pdf."))
    _require_place(store, request.country, request.location, lang)
    facts = materials.gather(store, request.country, request.location)
    data = materials.render(store, request)
    path = materials.save(data, args.out)
    if args.json:
        print_json({"path": str(path), "kind": request.kind, "langs": list(request.langs),
                    "paper": request.paper, "example": facts.example,
                    "services": [s.id for s in facts.services], "version": facts.version})
        return 0
    print(_("Saved {path}").format(path=path))
    if facts.example:
        print(_("Printed from example data: every page is stamped SAMPLE."))
    places = list(facts.places)
    if request.kind == "wallet-cards" and places and not facts.card_services(1):
        print(_("No services are listed for {country} as a whole; to print a place's "
                "services, add --location with one of: {places}.").format(
            country=country_name(request.country, lang), places=", ".join(places)))
    elif not facts.services:
        print(_("No services are listed for this place: the printout says what always "
                "applies (safety first, the focal point)."))
    return 0


def _require_place(store: Store, country: str, location: str | None, lang: str) -> None:
    """A misspelt town would print a card without its local contacts: refuse it."""
    if location is None:
        return
    places = library.locations(store, country)
    if any(p.casefold() == location.casefold() for p in places):
        return
    raise NotFound(_("{country} has no place named '{location}'; places with content: "
                     "{places}.").format(country=country_name(country, lang),
                                         location=location, places=", ".join(places) or "-"))


def register(sub: Subparsers) -> None:
    group = sub.add_parser("material", help=_("printable posters, wallet cards and leaflets"))
    actions = group.add_subparsers(dest="material_command", metavar="ACTION", required=True)
    p = actions.add_parser("list", help=_("the kinds of material"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.set_defaults(func=cmd_material_list)
    p = actions.add_parser("render", help=_("print one material to a PDF file"))
    p.add_argument("kind", choices=list(materials.KINDS))
    p.add_argument("--country", required=True, type=country_code)
    p.add_argument("--location")
    p.add_argument("--lang", dest="material_lang", metavar="LL[,LL]",
                   help=_("one language, or two side by side, e.g. ar,fr"))
    p.add_argument("--paper", choices=["a4", "a3", "letter"],
                   help=_("paper size (default: from your region)"))
    p.add_argument("--qr", metavar="TEXT", help=_("a web address or phone number as a QR code"))
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.set_defaults(func=cmd_material_render)
