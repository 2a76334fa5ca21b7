"""What an export contains: consent and sensitivity decide, field by field.

`plan()` is the single place that decides what leaves the profile. The PDF,
the app's preview and the CLI all show a plan, so the preview is exactly what
the recipient receives.

- A referral note is exported for one recipient, who receives only the fields
  the person consented to share with that recipient (plus the administrative
  facts of the referral, and of the consent record only that recipient's own).
- Identifying fields appear on no export unless the user includes them
  explicitly (and, for a referral, consent covers them).
- Every field left out is listed with the reason, for the user (never for the
  recipient).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gettext
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from babel.core import UnknownLocaleError
from babel.lists import format_list

from fieldkit import library
from fieldkit.errors import FieldkitError, NotFound, UsageError
from fieldkit.i18n import N_, _, format_date, format_number, locale_dir, normalise
from fieldkit.reports.drafts import Draft
from fieldkit.reports.model import Field, Problem, ReportType, is_empty, pick, validate
from fieldkit.reports.summary import count_table
from fieldkit.reports.suppression import Published
from fieldkit.store import Store

# Reasons a field is left out (shown to the user in the app and the CLI).
NOT_CONSENTED = "not_consented"
IDENTIFYING = "identifying"


@dataclass(frozen=True)
class Row:
    field: str
    label: str
    text: str
    long: bool = False


@dataclass(frozen=True)
class Table:
    field: str
    label: str
    columns: list[str]            # header labels, last is "Total"
    rows: list[tuple[str, list[str]]]   # (row label, cells incl. total and percentage)
    note: str


@dataclass(frozen=True)
class Block:
    label: str
    rows: list[Row] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class LeftOut:
    field: str
    label: str
    reason: str

    def explain(self) -> str:
        if self.reason == NOT_CONSENTED:
            return _("not consented for this recipient")
        return _("identifying: not included")


@dataclass(frozen=True)
class Plan:
    """Everything the exported document shows, in the reader's language."""

    draft_id: str
    type_id: str
    lang: str
    title: str
    recipient: str | None
    recipient_name: str | None
    blocks: list[Block]
    left_out: list[LeftOut]
    sample: bool                  # carries example (fictitious) services: stamp SAMPLE

    def texts(self) -> list[str]:
        """Every value shown, for tests and the preview."""
        out = [r.text for b in self.blocks for r in b.rows]
        out += [c for b in self.blocks for t in b.tables for _, cells in t.rows for c in cells]
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "draft": self.draft_id, "type": self.type_id, "lang": self.lang,
            "recipient": self.recipient,
            "fields": [r.field for b in self.blocks for r in b.rows]
            + [t.field for b in self.blocks for t in b.tables],
            "left_out": [{"field": x.field, "reason": x.reason} for x in self.left_out],
        }


class InvalidDraft(FieldkitError):
    """A draft that fails its type's rules cannot be exported."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


@functools.cache
def doc_text(lang: str) -> Callable[[str], str]:
    """gettext in the document's language, which may differ from the app's."""
    return gettext.translation("fieldkit", locale_dir(), languages=[normalise(lang)],
                               fallback=True).gettext


def recipients(draft: Draft) -> list[str]:
    """Services this draft has recorded consent for (referral notes)."""
    return [str(e.get("recipient")) for e in draft.values.get("consent") or []
            if isinstance(e, dict)]


def service_ids(store: Store) -> set[str]:
    """The ids of the services in the store: those a referral may name."""
    return {str(row[0]) for row in store.query("SELECT id FROM items WHERE kind = 'service'")}


def service_ids_in(values: dict[str, Any]) -> list[str]:
    """Every service id a draft's values name (referred to, consent recipients)."""
    ids = [str(v) for v in values.get("referred_to") or []]
    ids += [str(e.get("recipient")) for e in values.get("consent") or [] if isinstance(e, dict)]
    return list(dict.fromkeys(ids))


def missing_service_text(service_id: str, lang: str) -> str:
    """What a reader sees for a service a content update has since removed."""
    return doc_text(lang)(N_("a service no longer in this profile (was {id})")).format(
        id=service_id)


def _service_name(store: Store | None, service_id: str, lang: str) -> tuple[str, bool]:
    if store is not None:
        with contextlib.suppress(NotFound):
            item = library.get_item(store, service_id)
            return item.pick(lang).title, item.example
        # Removed by a content update: still fictitious if it was an example.
        return missing_service_text(service_id, lang), library.was_example(store, service_id)
    return service_id, False


def service_title(store: Store | None, service_id: str, lang: str) -> str:
    """A service's name for a reader of `lang`; plainly said if it is no longer in the store."""
    return _service_name(store, service_id, lang)[0]


def _babel_list(items: Iterable[str], lang: str) -> str:
    values = list(items)
    if not values:
        return ""
    try:
        return str(format_list(values, locale=lang))
    except (ValueError, LookupError, UnknownLocaleError):  # --lang names no CLDR locale
        return ", ".join(values)


def value_text(f: Field, value: Any, lang: str, store: Store | None = None) -> str:
    """A value as the reader of `lang` reads it (CLDR dates, numbers and lists)."""
    if f.kind == "date":
        try:
            return format_date(dt.date.fromisoformat(str(value)), lang, "long")
        except ValueError:
            return str(value)
    if f.kind == "select":
        return f.option_label(str(value), lang)
    if f.kind == "multi":
        return _babel_list((f.option_label(str(v), lang) for v in value), lang)
    if f.kind == "integer":
        return format_number(int(value), lang)
    if f.kind == "services":
        return _babel_list((_service_name(store, str(v), lang)[0] for v in value), lang)
    return str(value)


def plan(store: Store | None, draft: Draft, lang: str, recipient: str | None = None,
         include: Iterable[str] = (), check: bool = True) -> Plan:
    """Decide what an export of `draft` for `recipient` in `lang` contains."""
    rtype = draft.report_type
    values = draft.values
    include = set(include)
    for name in include:
        if not rtype.has_field(name):
            raise UsageError(_("The form has no field {field}.").format(field=name))
    if check:
        problems = [p for p in validate(rtype, values) if p.blocking]
        if problems:
            raise InvalidDraft(_("The draft is not complete: {field}: {message}").format(
                field=problems[0].field, message=problems[0].message), problems)
    entry = _consent_entry(rtype, draft, recipient)
    blocks: list[Block] = []
    left_out: list[LeftOut] = []
    sample = False
    for section in rtype.sections:
        block = Block(pick(section.label, lang))
        for f in section.fields:
            value = values.get(f.id)
            if is_empty(value) and f.kind != "count_table":
                continue
            reason = _withheld(f, entry, include)
            if reason:
                left_out.append(LeftOut(f.id, pick(f.label, lang), reason))
                continue
            if f.kind == "consent":
                assert entry is not None
                block.rows.extend(_consent_rows(rtype, entry, lang))
            elif f.kind == "count_table":
                block.tables.append(_table(f, values, lang))
            elif f.kind == "services" and entry is not None and f.shared == "recipient":
                name, example = _service_name(store, str(entry["recipient"]), lang)
                sample |= example
                block.rows.append(Row(f.id, pick(f.label, lang), name))
            else:
                if f.kind == "services":
                    sample |= any(_service_name(store, str(v), lang)[1] for v in value or [])
                block.rows.append(Row(f.id, pick(f.label, lang),
                                      value_text(f, value, lang, store), f.kind == "longtext"))
        if block.rows or block.tables:
            blocks.append(block)
    recipient_name = (_service_name(store, recipient, lang)[0] if recipient else None)
    return Plan(draft.id, rtype.id, lang, pick(rtype.label, lang), recipient, recipient_name,
                blocks, left_out, sample)


def _consent_entry(rtype: ReportType, draft: Draft,
                   recipient: str | None) -> dict[str, Any] | None:
    if rtype.consent != "per_recipient":
        if recipient:
            raise UsageError(_("Only a referral note is exported for a recipient."))
        return None
    known = recipients(draft)
    if not recipient:
        raise UsageError(_(
            "A referral note is exported for one recipient: choose one of {services}."
        ).format(services=", ".join(known) or "—"))
    for entry in draft.values.get("consent") or []:
        if isinstance(entry, dict) and entry.get("recipient") == recipient:
            return entry
    raise FieldkitError(_(
        "No consent is recorded for sharing with {service}; recorded: {services}."
    ).format(service=recipient, services=", ".join(known) or "—"))


def _withheld(f: Field, entry: dict[str, Any] | None, include: set[str]) -> str | None:
    if entry is not None and f.shared == "consent" and f.id not in (entry.get("fields") or []):
        return NOT_CONSENTED
    if f.sensitivity == "identifying" and f.id not in include:
        return IDENTIFYING
    return None


def _consent_rows(rtype: ReportType, entry: dict[str, Any], lang: str) -> list[Row]:
    method = next((pick(m.label, lang) for m in rtype.consent_methods
                   if m.id == entry.get("method")), str(entry.get("method")))
    when = format_date(dt.date.fromisoformat(str(entry["date"])), lang, "long")
    shared = _babel_list((pick(rtype.field(x).label, lang) for x in entry.get("fields") or []
                          if rtype.has_field(x)), lang)
    t = doc_text(lang)
    return [Row("consent.date", t(N_("Consent given on")), when),
            Row("consent.method", t(N_("How consent was given")), method),
            Row("consent.fields", t(N_("Information the person agreed to share")), shared, True)]


def _table(f: Field, values: dict[str, Any], lang: str) -> Table:
    published: Published = count_table(f, values)
    t = doc_text(lang)
    total = t(N_("Total"))
    columns = [pick(c.label, lang) for c in f.columns] + [total, "%"]
    rows: list[tuple[str, list[str]]] = []
    n_cols = len(f.columns)

    def pct(entry: tuple[str, int, int]) -> str:
        share = published.percent(entry, ("all", -1, -1))
        return "x" if share is None else format_number(round(share, 1), lang)

    def num(entry: tuple[str, int, int]) -> str:
        text = published.text(entry)
        return format_number(int(text), lang) if text.isdigit() else text

    for i, option in enumerate(f.rows):
        cells = [num(("cell", i, j)) for j in range(n_cols)]
        rows.append((pick(option.label, lang), [*cells, num(("row", i, -1)),
                                                pct(("row", i, -1))]))
    totals = [num(("col", -1, j)) for j in range(n_cols)]
    rows.append((total, [*totals, num(("all", -1, -1)), ""]))
    note = t(N_("<5: between 1 and 4. x: not shown, so that no small count can be worked "
                "out from the totals."))
    if published.withheld:
        note = t(N_("Too few cases to publish any count without revealing small numbers."))
    return Table(f.id, pick(f.label, lang), columns, rows, note)
