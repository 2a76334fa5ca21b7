"""Items as JSON and as readable text lines, in the reader's language (CLI and tests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fieldkit import library
from fieldkit.content.model import Item
from fieldkit.i18n import N_, _, format_review_date, language_list
from fieldkit.store import Store

CATEGORY_LABELS = {
    "medical": N_("Medical care"),
    "psychosocial": N_("Psychosocial support"),
    "legal": N_("Legal aid"),
    "safety": N_("Safety and security"),
    "police": N_("Police"),
    "shelter": N_("Shelter"),
    "hotline": N_("Hotline"),
    "ombudsperson": N_("Ombudsperson"),
    "victims-rights": N_("Victims' rights"),
    "focal-point": N_("PSEA/SH focal point"),
}
LAW_STATUS_LABELS = {
    "criminalised": N_("Criminalised"),
    "legislated": N_("In law"),
    "policy": N_("Policy"),
    "practice": N_("Practice"),
    "risk": N_("Risk"),
    "unknown": N_("Unknown"),
}
COST_LABELS = {
    "free": N_("Free"), "low-cost": N_("Low cost"), "paid": N_("Paid"), "unknown": N_("Unknown"),
}
CONTACT_LABELS = {
    "phone": N_("Phone"), "email": N_("Email"), "web": N_("Web"), "address": N_("Address"),
    "sms": N_("SMS"),
}
TRISTATE_LABELS = {True: N_("Yes"), False: N_("No"), "unknown": N_("Unknown"), None: N_("Unknown")}


def label(table: dict[Any, str], key: Any) -> str:
    return _(table[key]) if key in table else str(key)


def contact_label(kind: str) -> str:
    return label(CONTACT_LABELS, kind)


def item_json(item: Item, lang: str) -> dict[str, Any]:
    version = item.pick(lang)
    return {
        "id": item.id,
        "kind": item.kind,
        "country": item.country,
        "location": item.location,
        "example": item.example,
        "lang": version.lang,
        "title": version.title,
        "summary": version.summary,
        "status": version.status,
        "body": version.body,
        "fields": version.fields,
        "meta": item.meta,
        "stale": item.is_stale(),
        "provenance": {
            "sources": item.meta.get("sources") or [],
            "reviewed": item.meta.get("reviewed"),
            "reviewer": item.meta.get("reviewer"),
            "not_reviewed_since_source": item.not_reviewed_since_source,
            "channel": item.channel,
            "version": item.version,
        },
        "languages": sorted(item.versions),
    }


def reviewed_label(item: Item, lang: str | None = None) -> str:
    return format_review_date(item.meta.get("reviewed"), lang)


def review_line(item: Item, lang: str | None = None,
                isolate: Callable[[str], str] = lambda text: text) -> str:
    """When a person last checked the item, or that nobody has since its source (whose
    date it then carries: a publication year is not a review). Shared by CLI and app."""
    date = isolate(reviewed_label(item, lang))
    if item.not_reviewed_since_source:
        return _("Not reviewed since the source, {date}").format(date=date)
    return _("Last reviewed: {date}").format(date=date)


def provenance_lines(item: Item, lang: str | None = None) -> list[str]:
    return [*_sources(item), review_line(item, lang)]


def source_texts(item: Item) -> list[str]:
    """Each cited source on one line: title, publisher, year — detail."""
    lines = []
    for src in item.meta.get("sources") or []:
        text = ", ".join(str(src[k]) for k in ("title", "publisher", "year") if src.get(k))
        if src.get("detail"):
            text += f" — {src['detail']}"
        lines.append(text)
    return lines


def _sources(item: Item) -> list[str]:
    return [_("Source: {source}").format(source=text) for text in source_texts(item)]


def law_lines(item: Item, lang: str) -> list[str]:
    version = item.pick(lang)
    lines = [_("Status: {status}").format(status=label(LAW_STATUS_LABELS, item.meta.get("status")))]
    if item.meta.get("risk"):
        lines.append(_("RISK: read this before you act or advise anyone."))
    lines += [version.summary, *provenance_lines(item, lang)]
    if item.is_stale():
        lines.append(_("This note may be out of date: ask your country team to confirm it."))
    return lines


def service_facts(item: Item, lang: str,
                  isolate: Callable[[str], str] = lambda text: text) -> list[str]:
    """What a person needs to know about a service, one line each. `isolate` wraps
    values that may run in another direction than the sentence (the UI's bidi marks)."""
    version, meta = item.pick(lang), item.meta
    facts = [_("Category: {category}").format(category=label(CATEGORY_LABELS,
                                                              meta.get("category")))]
    if version.fields.get("hours"):
        facts.append(_("Hours: {hours}").format(hours=isolate(version.fields["hours"])))
    facts.append(_("Languages served: {languages}").format(
        languages=isolate(language_list(meta.get("languages") or [], lang))))
    facts.append(_("Cost: {cost}").format(cost=label(COST_LABELS, meta.get("cost", "unknown"))))
    facts.append(_("Accessible: {value}").format(
        value=label(TRISTATE_LABELS, meta.get("accessible", "unknown"))))
    facts.append(_("Known to be safe for LGBTIQ+ people: {value}").format(
        value=label(TRISTATE_LABELS, meta.get("lgbtiq_safe", "unknown"))))
    return facts


def service_lines(item: Item, lang: str) -> list[str]:
    lines = [_("EXAMPLE — fictitious contacts, do not use")] if item.example else []
    lines += service_facts(item, lang)
    lines += [f"  {contact_label(str(c.get('type')))}: {c.get('value')}"
              for c in item.meta.get("contacts") or []]
    return lines


def pathway_lines(store: Store, item: Item, lang: str) -> list[str]:
    version = item.pick(lang)
    labels = version.fields.get("branches") or {}
    texts = version.fields.get("steps") or {}
    lines = []
    if item.example:
        lines.append(_("EXAMPLE — fictitious services, for illustration only"))
    for branch in item.meta.get("branches") or []:
        lines += ["", f"▸ {labels.get(branch['id'], branch['id'])}"]
        for n, step in enumerate(branch.get("steps") or [], 1):
            lines.append(f"  {n}. {texts.get(step['id'], step['id'])}")
            for service in library.existing_items(store, step.get("services") or []):
                contacts = ", ".join(c["value"] for c in service.meta.get("contacts") or [])
                lines.append(f"     → {service.pick(lang).title}: {contacts}")
    return lines
