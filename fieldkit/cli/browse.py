"""Reading the library: `search`, `show`, `countries`, `law`, `services`, `pathway`."""

from __future__ import annotations

import argparse

from fieldkit import library
from fieldkit.cli.common import (
    MAX_LIMIT,
    Subparsers,
    add_command,
    country_code,
    language_code,
    limit_number,
    print_json,
    print_lines,
    require_country_content,
    with_store,
)
from fieldkit.content.model import KINDS, SERVICE_CATEGORIES
from fieldkit.i18n import _, country_name, language_name, word_list
from fieldkit.presenters import (
    CATEGORY_LABELS,
    item_json,
    label,
    law_lines,
    pathway_lines,
    provenance_lines,
    service_lines,
)
from fieldkit.store import Store


@with_store
def cmd_search(args: argparse.Namespace, store: Store, lang: str) -> int:
    if args.country:
        require_country_content(store, args.country, lang)
    results = library.search(
        store, args.query, lang, kind=args.kind, country=args.country,
        language=args.language, limit=args.limit,
    )
    if args.json:
        print_json([r.to_json() for r in results])
        return 0
    if results.did_you_mean:  # the results below are already those of the correction
        print(_("Did you mean: {query}").format(query=results.did_you_mean))
    if not results:
        print(_("Nothing found."))
    for n, r in enumerate(results, 1):
        marks = f" [{r.lang}]" if r.other_language else ""
        marks += " " + _("EXAMPLE") if r.example else ""
        print(f"{n}. {r.title}{marks}  ({r.kind}, {r.id})")
        print(f"   {r.snippet}")
        print("   " + _("Matched: {words}").format(words=word_list(r.matched, lang)))
    return 0


@with_store
def cmd_show(args: argparse.Namespace, store: Store, lang: str) -> int:
    item = library.get_item(store, args.id)
    version = item.pick(lang)
    if args.json:
        print_json(item_json(item, lang))
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
    print_lines(lines)
    return 0


@with_store
def cmd_countries(args: argparse.Namespace, store: Store, lang: str) -> int:
    found = library.countries(store)
    if args.json:
        print_json([{"code": c.code, "name": country_name(c.code, lang), "items": c.items,
                     "kinds": list(c.kinds)} for c in found])
        return 0
    for c in found:
        print(f"{c.code}  {country_name(c.code, lang)}  ({', '.join(c.kinds)})")
    return 0


@with_store
def cmd_law(args: argparse.Namespace, store: Store, lang: str) -> int:
    require_country_content(store, args.country, lang)
    notes = library.law_notes(store, args.country)
    if args.json:
        print_json([item_json(n, lang) for n in notes])
        return 0
    lines = [_("Law notes: {country}").format(country=country_name(args.country, lang)),
             _("Not legal advice — verify locally.")]
    for note in notes:
        version = note.pick(lang)
        lines += ["", f"## {version.title}", *law_lines(note, lang)]
    print_lines(lines)
    return 0


@with_store
def cmd_services(args: argparse.Namespace, store: Store, lang: str) -> int:
    require_country_content(store, args.country, lang)
    found = library.services(store, args.country, args.category, args.language)
    if args.json:
        print_json([item_json(s, lang) for s in found])
        return 0
    if not found:
        print(_no_services(args.country, args.category, args.language, lang))
    for service in found:
        print_lines(["", f"## {service.pick(lang).title}", *service_lines(service, lang)])
    return 0


def _no_services(country: str, category: str | None, language: str | None, lang: str) -> str:
    """What an empty list means, filters named: "No services found" hid that the
    filter, not the country, was empty."""
    names = {"country": country_name(country, lang),
             "category": label(CATEGORY_LABELS, category) if category else "",
             "language": language_name(language, lang) if language else ""}
    if category and language:
        text = _("No service of the category {category} in {country} is listed as working "
                 "in {language}.")
    elif language:
        text = _("No service in {country} is listed as working in {language}.")
    elif category:
        text = _("No service of the category {category} is listed for {country}.")
    else:
        text = _("No services are listed for {country}.")
    return text.format(**names)


@with_store
def cmd_pathway(args: argparse.Namespace, store: Store, lang: str) -> int:
    require_country_content(store, args.country, lang)
    found = library.pathways(store, args.country, args.location)
    if args.json:
        # Always one object, the pathway shown; others of the country are listed by id.
        pathway = found[0]
        entry = item_json(pathway, lang)
        entry["services"] = [item_json(s, lang)
                             for s in library.pathway_services(store, pathway)]
        entry["other_pathways"] = [{"id": p.id, "location": p.location} for p in found[1:]]
        print_json(entry)
        return 0
    for pathway in found:
        print_lines([pathway.pick(lang).title, *pathway_lines(store, pathway, lang)])
    return 0


def register(sub: Subparsers) -> None:
    p = add_command(sub, "search", cmd_search, _("search everything"))
    p.add_argument("query")
    p.add_argument("--country", type=country_code)
    p.add_argument("--kind", choices=KINDS)
    p.add_argument("--language", type=language_code, help=_("only versions in this language"))
    p.add_argument("--limit", type=limit_number, default=20,
                   help=_("how many results (1 to {max})").format(max=MAX_LIMIT))
    p = add_command(sub, "show", cmd_show, _("show one item"))
    p.add_argument("id")
    add_command(sub, "countries", cmd_countries, _("countries that have content"))
    p = add_command(sub, "law", cmd_law, _("law notes of a country"))
    p.add_argument("country", type=country_code)
    p = add_command(sub, "services", cmd_services, _("referral services of a country"))
    p.add_argument("country", type=country_code)
    p.add_argument("--category", choices=SERVICE_CATEGORIES)
    p.add_argument("--language", type=language_code,
                   help=_("only services working in this language"))
    p = add_command(sub, "pathway", cmd_pathway, _("referral pathway of a country"))
    p.add_argument("country", type=country_code)
    p.add_argument("--location")
