"""Report drafts: `report types | new | update | list | show | revisions | restore | export |
delete`.

Validation errors name the field and the rule (exit 1). An export writes one
file, where asked, and says which fields were left out and why.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from fieldkit import UN_LANGUAGES
from fieldkit.cli.common import (
    Subparsers,
    add_command,
    document_language,
    print_json,
    print_lines,
    with_store,
)
from fieldkit.errors import FieldkitError, UsageError
from fieldkit.i18n import _, word_list
from fieldkit.reports import drafts, export, pdf
from fieldkit.reports.model import (
    Problem,
    ReportType,
    get_type,
    is_empty,
    parse_value,
    pick,
    report_types,
    validate,
)
from fieldkit.reports.summary import fill_from_notes
from fieldkit.store import Store


class InvalidValues(FieldkitError):
    """Values that break the form's rules: each problem names its field and rule."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field} ({p.rule}): {p.message}" for p in problems))
        self.problems = problems


def _assignments(rtype: ReportType, pairs: list[str],
                 values: dict[str, Any]) -> dict[str, Any]:
    values = dict(values)
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name:
            raise UsageError(_("--set takes FIELD=VALUE, not “{pair}”.").format(pair=pair))
        head, _dot, rest = name.partition(".")
        if not rtype.has_field(head):
            raise InvalidValues([Problem(head, "unknown", _("The form has no such field."))])
        f = rtype.field(head)
        if f.kind == "count_table" and rest:
            row, _dot, col = rest.partition(".")
            table = dict(values.get(head) or {})
            table.setdefault(row, {})
            try:
                table[row] = {**table[row], col: int(text)}
            except ValueError:
                raise InvalidValues([Problem(head, "counts", _(
                    "Counts are whole numbers, 0 or more."))]) from None
            values[head] = table
            continue
        values[head] = parse_value(f, text)
    return {k: v for k, v in values.items() if not is_empty(v)}


def _check(store: Store, rtype: ReportType, values: dict[str, Any], lang: str,
           held: dict[str, Any] | None = None) -> None:
    """Wrong values fail (exit 1, each naming field and rule); missing ones are reported:
    a draft may be saved before it is complete.

    A service the draft already held (`held`, its saved values) that a content update
    has since removed is kept, with a note: the draft must not be lost to a sync."""
    known = export.service_ids(store)
    gone = [sid for sid in export.service_ids_in(held or {})
            if sid not in known and sid in export.service_ids_in(values)]
    problems = validate(rtype, values, services=known | set(gone))
    for sid in gone:
        print(_("The draft names {id}, which is no longer a service in this profile (a "
                "content update may have removed it); the draft keeps it as it was.").format(
                    id=sid), file=sys.stderr)
    if any(p.blocking for p in problems):
        raise InvalidValues([p for p in problems if p.blocking])
    if problems:
        print(_("Not complete yet: {fields}").format(
            fields=word_list((rtype.field_label(p.field, lang) for p in problems), lang)),
            file=sys.stderr)


def _date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("a date as YYYY-MM-DD")) from None


def cmd_types(args: argparse.Namespace) -> int:
    from fieldkit.i18n import language

    lang = args.lang or language()
    types = report_types()
    if args.json:
        print_json([{
            "id": t.id, "label": pick(t.label, lang),
            "fields": [{"id": f.id, "kind": f.kind, "label": pick(f.label, lang),
                        "sensitivity": f.sensitivity, "required": f.required,
                        "options": list(f.option_ids)} for f in t.fields],
        } for t in types.values()])
        return 0
    for t in types.values():
        print(f"{t.id}  {pick(t.label, lang)}")
    return 0


def _fill_summary(store: Store, rtype: ReportType, values: dict[str, Any]) -> dict[str, Any]:
    try:
        start = dt.date.fromisoformat(str(values.get("period_start")))
        end = dt.date.fromisoformat(str(values.get("period_end")))
    except ValueError:
        raise InvalidValues([Problem("period_start", "date", _(
            "A date as YYYY-MM-DD."))]) from None
    filled = fill_from_notes(store, start, end)
    print(_("Counted {n} incident notes; {m} in the period are not counted (no consent to "
            "anonymised reporting).").format(n=filled.counted, m=filled.skipped),
          file=sys.stderr)
    return {**values, "period_start": filled.period_start, "period_end": filled.period_end,
            "counts": filled.counts}


@with_store
def cmd_new(args: argparse.Namespace, store: Store, lang: str) -> int:
    rtype = get_type(args.type)
    values = _assignments(rtype, args.set or [], {})
    if args.from_notes:
        if not rtype.summary:
            raise UsageError(_("--from-notes fills an anonymised case summary only."))
        values = _fill_summary(store, rtype, values)
    _check(store, rtype, values, lang)
    draft = drafts.create(store, rtype.id, values)
    if args.json:
        print_json({"id": draft.id, "revision": draft.head})
    else:
        print(_("Created draft {id}: {title}").format(id=draft.id, title=draft.title(lang)))
    return 0


@with_store
def cmd_update(args: argparse.Namespace, store: Store, lang: str) -> int:
    draft = drafts.get(store, args.id)
    values = _assignments(draft.report_type, args.set or [], draft.values)
    _check(store, draft.report_type, values, lang, draft.values)
    n = drafts.save(store, draft.id, values)
    if args.json:
        print_json({"id": draft.id, "revision": n})
    else:
        print(_("Saved draft {id}, revision {n}.").format(id=draft.id, n=n))
    return 0


@with_store
def cmd_list(args: argparse.Namespace, store: Store, lang: str) -> int:
    found = drafts.list_drafts(store, args.type, args.since, args.until, args.text)
    if args.json:
        print_json([{"id": d.id, "type": d.type, "title": d.title(lang), "created": d.created,
                     "updated": d.updated, "revision": d.head} for d in found])
        return 0
    if not found:
        print(_("No drafts."))
    for d in found:
        print(f"{d.id}  {d.updated}  {d.title(lang)}")
    return 0


def _show_lines(rtype: ReportType, values: dict[str, Any], lang: str,
                store: Store) -> list[str]:
    lines: list[str] = []
    for section in rtype.sections:
        shown = [f for f in section.fields if not is_empty(values.get(f.id))]
        if not shown:
            continue
        lines += ["", f"## {pick(section.label, lang)}"]
        for f in shown:
            if f.kind == "consent":
                for entry in values[f.id]:
                    who = export.service_title(store, str(entry.get("recipient")), lang)
                    lines.append(f"{pick(f.label, lang)}: {who} "
                                 f"({entry.get('date')}, {entry.get('method')}): "
                                 f"{', '.join(entry.get('fields') or [])}")
            elif f.kind == "count_table":
                lines.append(f"{pick(f.label, lang)}: {values[f.id]}")
            else:
                text = export.value_text(f, values[f.id], lang, store)
                lines.append(f"{pick(f.label, lang)}: {text}")
    return lines


@with_store
def cmd_show(args: argparse.Namespace, store: Store, lang: str) -> int:
    draft = drafts.get(store, args.id)
    values = draft.values
    if args.revision is not None:
        values = drafts.revision(store, draft.id, args.revision).values
    if args.json:
        print_json({**draft.to_json(lang), "values": values,
                    "shown_revision": args.revision or draft.head})
        return 0
    lines = [draft.title(lang), _("Draft {id}, revision {n} of {head}").format(
        id=draft.id, n=args.revision or draft.head, head=draft.head)]
    problems = validate(draft.report_type, values)
    lines += _show_lines(draft.report_type, values, lang, store)
    if problems:
        lines += ["", _("Not complete:")]
        rtype = draft.report_type
        lines += [f"- {rtype.field_label(p.field, lang)}: {p.message}" for p in problems]
    print_lines(lines)
    return 0


@with_store
def cmd_revisions(args: argparse.Namespace, store: Store, lang: str) -> int:
    found = drafts.revisions(store, args.id)
    if args.json:
        print_json([r.to_json() for r in found])
        return 0
    for r in found:
        print(f"{r.n}  {r.saved}  {r.origin}")
    return 0


@with_store
def cmd_restore(args: argparse.Namespace, store: Store, lang: str) -> int:
    n = drafts.restore(store, args.id, args.revision)
    if args.json:
        print_json({"id": args.id, "revision": n})
    else:
        print(_("Revision {old} is current again, as revision {n}.").format(
            old=args.revision, n=n))
    return 0


@with_store
def cmd_export(args: argparse.Namespace, store: Store, lang: str) -> int:
    draft = drafts.get(store, args.id)
    # The reader's language, if a printout can be made in it (--lang pt reads in
    # Portuguese where it can; the form exists in six languages).
    doc_lang = args.doc_lang or (lang if lang in UN_LANGUAGES else "en")
    password = None
    if args.password_env:
        password = os.environ.get(args.password_env)
        if not password:
            raise UsageError(_("The environment variable {var} holds no password.").format(
                var=args.password_env))
    plan = export.plan(store, draft, doc_lang, args.recipient, args.include or [])
    path = pdf.write(plan, Path(args.out), args.paper, password)
    if args.json:
        print_json({**plan.to_json(), "out": str(path), "encrypted": password is not None})
        return 0
    print(_("Exported {out}.").format(out=path))
    for gone in plan.left_out:
        print(_("Left out: {label} ({reason})").format(label=gone.label, reason=gone.explain()))
    return 0


@with_store
def cmd_delete(args: argparse.Namespace, store: Store, lang: str) -> int:
    draft = drafts.get(store, args.id)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError(_("Deleting cannot be undone: add --yes to confirm."))
        answer = input(_("Delete {title} and all its revisions? This cannot be undone. "
                         "[y/N] ").format(title=draft.title(lang)))
        if answer.strip().lower() not in ("y", "yes"):
            print(_("Nothing was deleted."))
            return 1
    drafts.delete(store, draft.id)
    if args.json:
        print_json({"id": draft.id, "deleted": True})
    else:
        print(_("Deleted draft {id}.").format(id=draft.id))
    return 0


def register(sub: Subparsers) -> None:
    group = sub.add_parser("report", help=_("confidential report drafts"))
    actions = group.add_subparsers(dest="report_command", metavar="ACTION", required=True)
    add_command(actions, "types", cmd_types, _("the report types and their fields"))
    p = add_command(actions, "new", cmd_new, _("create a draft"))
    p.add_argument("type", choices=list(report_types()))
    p.add_argument("--set", action="append", metavar="FIELD=VALUE",
                   help=_("a field's value (lists: comma-separated; counts: FIELD.ROW.COL=N)"))
    p.add_argument("--from-notes", action="store_true",
                   help=_("fill a case summary from the incident notes that may be counted"))
    p = add_command(actions, "update", cmd_update, _("save new values as a new revision"))
    p.add_argument("id")
    p.add_argument("--set", action="append", metavar="FIELD=VALUE")
    p = add_command(actions, "list", cmd_list, _("list drafts"))
    p.add_argument("--type", choices=list(report_types()))
    p.add_argument("--since", type=_date_arg, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=_date_arg, metavar="YYYY-MM-DD")
    p.add_argument("--text", help=_("words the draft contains"))
    p = add_command(actions, "show", cmd_show, _("show a draft"))
    p.add_argument("id")
    p.add_argument("--revision", type=int)
    p = add_command(actions, "revisions", cmd_revisions, _("the revisions of a draft"))
    p.add_argument("id")
    p = add_command(actions, "restore", cmd_restore, _("make an earlier revision current"))
    p.add_argument("id")
    p.add_argument("revision", type=int)
    p = add_command(actions, "export", cmd_export, _("export a draft as PDF"))
    p.add_argument("id")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--for", dest="recipient", metavar="SERVICE_ID",
                   help=_("the recipient (referral notes): only what was consented for it"))
    p.add_argument("--lang", dest="doc_lang", metavar="LL", type=document_language,
                   help=_("language of the PDF"))
    p.add_argument("--paper", choices=("a4", "letter"), default="a4")
    p.add_argument("--password-env", metavar="VAR",
                   help=_("encrypt the PDF with the password in this environment variable"))
    p.add_argument("--include", action="append", metavar="FIELD",
                   help=_("include this identifying field (left out by default)"))
    p = add_command(actions, "delete", cmd_delete, _("delete a draft and all its revisions"))
    p.add_argument("id")
    p.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
