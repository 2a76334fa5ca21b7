"""Report types, read from the data files in `types/`, and validation of a draft's values.

A type is data (fields, sections, labels and help in the six languages, rules),
not code: adding a field is an edit to a YAML file. Each field carries a
sensitivity class that export and consent use.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from fieldkit import UN_LANGUAGES
from fieldkit.errors import NotFound
from fieldkit.i18n import _

KINDS = ("text", "longtext", "date", "select", "multi", "integer", "services", "consent",
         "count_table")
SENSITIVITY = ("identifying", "sensitive", "ordinary")
# When a field goes to a recipient without being named in that recipient's consent:
# "always" (administrative facts of the referral), "recipient" (only that recipient's
# own entry), "consent" (the default: only if consented).
SHARED = ("consent", "always", "recipient")
RULES = ("max_length", "min", "max", "not_future", "not_after", "not_before", "required_if",
         "max_sum")

Labels = dict[str, str]


def pick(labels: Labels, lang: str) -> str:
    """A label in `lang`, else English, else any."""
    return labels.get(lang) or labels.get("en") or next(iter(labels.values()), "")


@dataclass(frozen=True)
class Option:
    id: str
    label: Labels


@dataclass(frozen=True)
class Field:
    id: str
    kind: str
    label: Labels
    section: str
    sensitivity: str = "ordinary"
    required: bool = False
    help: Labels = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    rules: dict[str, Any] = field(default_factory=dict)
    shared: str = "consent"
    rows: tuple[Option, ...] = ()
    columns: tuple[Option, ...] = ()

    def option_label(self, value: str, lang: str) -> str:
        for option in self.options:
            if option.id == value:
                return pick(option.label, lang)
        return value

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)


@dataclass(frozen=True)
class Section:
    id: str
    label: Labels
    fields: tuple[Field, ...]
    help: Labels = field(default_factory=dict)


@dataclass(frozen=True)
class ReportType:
    id: str
    label: Labels
    help: Labels
    sections: tuple[Section, ...]
    consent: str | None = None          # "per_recipient" for referral notes
    summary: bool = False               # anonymised counts (suppression applies)
    consent_methods: tuple[Option, ...] = ()
    title: tuple[str, ...] = ()         # fields that name a draft in lists

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(f for s in self.sections for f in s.fields)

    def field(self, field_id: str) -> Field:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise NotFound(f"The report type {self.id} has no field {field_id!r}.")

    def has_field(self, field_id: str) -> bool:
        return any(f.id == field_id for f in self.fields)

    def field_label(self, field_id: str, lang: str) -> str:
        """The field's label in `lang` (its id only for a field the form does not have)."""
        return pick(self.field(field_id).label, lang) if self.has_field(field_id) else field_id


@dataclass(frozen=True)
class Problem:
    """A value that breaks a rule: names the field and the rule (for CLI and UI).

    A missing required value ("required") only means the draft is not complete yet:
    drafts may be saved and exported incomplete. Every other rule blocks saving and
    export: a value that is wrong, or consent that does not hold."""

    field: str
    rule: str
    message: str

    @property
    def blocking(self) -> bool:
        return self.rule != "required"

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "rule": self.rule, "message": self.message}


# -- loading -------------------------------------------------------------------


def _types_dir() -> Any:
    return resources.files("fieldkit.reports") / "types"


def _labels(raw: Any, where: str) -> Labels:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: labels must be a mapping of language to text")
    missing = [lang for lang in UN_LANGUAGES if not str(raw.get(lang) or "").strip()]
    if missing:
        raise ValueError(f"{where}: missing languages {', '.join(missing)}")
    return {str(k): str(v) for k, v in raw.items()}


def _options(raw: Any, shared: dict[str, Any], where: str) -> tuple[Option, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        if raw not in shared:
            raise ValueError(f"{where}: unknown option list {raw!r}")
        raw = shared[raw]
    return tuple(Option(str(o["id"]), _labels(o["label"], f"{where}.{o['id']}")) for o in raw)


def _field(raw: dict[str, Any], section: str, shared: dict[str, Any], type_id: str) -> Field:
    where = f"{type_id}.{raw.get('id')}"
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ValueError(f"{where}: unknown kind {kind!r}")
    sensitivity = raw.get("sensitivity", "ordinary")
    if sensitivity not in SENSITIVITY:
        raise ValueError(f"{where}: unknown sensitivity {sensitivity!r}")
    rules = dict(raw.get("rules") or {})
    unknown = set(rules) - set(RULES)
    if unknown:
        raise ValueError(f"{where}: unknown rules {sorted(unknown)}")
    shared_mode = raw.get("shared", "consent")
    if shared_mode not in SHARED:
        raise ValueError(f"{where}: unknown sharing {shared_mode!r}")
    options = _options(raw.get("options"), shared, where)
    if kind in ("select", "multi") and not options:
        raise ValueError(f"{where}: a {kind} field needs options")
    return Field(
        id=str(raw["id"]), kind=kind, label=_labels(raw.get("label"), where), section=section,
        sensitivity=sensitivity, required=bool(raw.get("required", False)),
        help=_labels(raw["help"], where + ".help") if raw.get("help") else {},
        options=options, rules=rules, shared=shared_mode,
        rows=_options(raw.get("rows"), shared, where + ".rows"),
        columns=_options(raw.get("columns"), shared, where + ".columns"),
    )


def _parse(raw: dict[str, Any], shared: dict[str, Any]) -> ReportType:
    type_id = str(raw["id"])
    sections = []
    for s in raw["sections"]:
        fields = tuple(_field(f, str(s["id"]), shared, type_id) for f in s["fields"])
        sections.append(Section(
            id=str(s["id"]), label=_labels(s["label"], f"{type_id}.{s['id']}"), fields=fields,
            help=_labels(s["help"], f"{type_id}.{s['id']}.help") if s.get("help") else {}))
    report_type = ReportType(
        id=type_id, label=_labels(raw["label"], type_id), help=_labels(raw["help"], type_id),
        sections=tuple(sections), consent=raw.get("consent"), summary=bool(raw.get("summary")),
        consent_methods=_options(raw.get("consent_methods"), shared, type_id + ".methods"),
        title=tuple(str(t) for t in raw.get("title") or ()))
    ids = [f.id for f in report_type.fields]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{type_id}: field ids repeat")
    for name in report_type.title:
        if name not in ids or report_type.field(name).sensitivity == "identifying":
            raise ValueError(f"{type_id}: title field {name} is unknown or identifying")
    for f in report_type.fields:
        for key in ("not_after", "not_before"):
            if key in f.rules and f.rules[key] not in ids:
                raise ValueError(f"{type_id}.{f.id}: {key} names no field")
    return report_type


@functools.cache
def report_types() -> dict[str, ReportType]:
    """Every report type, by id, in a stable order."""
    folder = _types_dir()
    shared = yaml.safe_load((folder / "_options.yaml").read_text(encoding="utf-8"))
    found: dict[str, ReportType] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml") and not entry.name.startswith("_"):
            parsed = _parse(yaml.safe_load(entry.read_text(encoding="utf-8")), shared)
            found[parsed.id] = parsed
    order = ("incident_note", "referral_note", "activity_report", "case_summary")
    return {k: found[k] for k in sorted(found, key=lambda k: (order.index(k)
                                                               if k in order else 99, k))}


def get_type(type_id: str) -> ReportType:
    types = report_types()
    if type_id not in types:
        raise NotFound(f"No report type {type_id!r}; the types are: {', '.join(types)}.")
    return types[type_id]


# -- values --------------------------------------------------------------------


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def parse_value(f: Field, text: str) -> Any:
    """A value typed as text (CLI `--set`, a line edit) in the field's own form."""
    text = text.strip()
    if f.kind in ("multi", "services"):
        return [part.strip() for part in text.split(",") if part.strip()]
    if f.kind == "integer":
        try:
            return int(text) if text else None
        except ValueError:
            return text  # kept as typed; validation names the rule
    if f.kind in ("consent", "count_table"):
        import json

        try:
            return json.loads(text) if text else None
        except ValueError:
            return text
    return text


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def validate(report_type: ReportType, values: dict[str, Any],
             today: dt.date | None = None,
             services: Collection[str] | None = None) -> list[Problem]:
    """Every problem with `values`, in the order of the form. Empty list: valid.

    `services`: the service ids a referral may name (the store's services); None
    skips that check (the caller has no store)."""
    today = today or dt.date.today()
    problems: list[Problem] = []
    known = {f.id for f in report_type.fields}
    for name in values:
        if name not in known:
            problems.append(Problem(name, "unknown", _("The form has no such field.")))
    for f in report_type.fields:
        found = _check_field(report_type, f, values, today)
        if not found and services is not None:
            found = _check_services(f, values.get(f.id), services)
        problems += found
    return problems


def _check_services(f: Field, value: Any, services: Collection[str]) -> list[Problem]:
    """Referred-to services and consent recipients must be services in the store."""
    if f.kind == "services":
        ids = [str(v) for v in value or []]
    elif f.kind == "consent":
        ids = [str(e.get("recipient")) for e in value or [] if isinstance(e, dict)]
    else:
        return []
    unknown = [sid for sid in ids if sid not in services]
    if unknown:
        return [Problem(f.id, "known_service", _(
            "No service {id} in this profile: choose a service of the pathway "
            "(fieldkit services COUNTRY lists them).").format(id=unknown[0]))]
    return []


def _check_field(report_type: ReportType, f: Field, values: dict[str, Any],
                 today: dt.date) -> list[Problem]:
    value = values.get(f.id)
    rules = f.rules
    condition = rules.get("required_if")
    required = f.required or (
        isinstance(condition, dict) and values.get(condition["field"]) == condition["equals"])
    if is_empty(value):
        if required:
            return [Problem(f.id, "required", _("Required."))]
        return []
    if f.kind in ("text", "longtext"):
        if not isinstance(value, str):
            return [Problem(f.id, "type", _("Must be text."))]
        limit = rules.get("max_length")
        if limit and len(value) > int(limit):
            return [Problem(f.id, "max_length", _("At most {n} characters.").format(n=limit))]
        return []
    if f.kind == "date":
        day = _date(value)
        if day is None:
            return [Problem(f.id, "date", _("A date as YYYY-MM-DD."))]
        if rules.get("not_future") and day > today:
            return [Problem(f.id, "not_future", _("Cannot be in the future."))]
        for key in ("not_after", "not_before"):
            other = _date(values.get(rules.get(key, ""))) if key in rules else None
            if other is not None and (day > other if key == "not_after" else day < other):
                text = (_("Cannot be after {other}.") if key == "not_after"
                        else _("Cannot be before {other}."))
                return [Problem(f.id, key, text.format(other=rules[key]))]
        return []
    if f.kind == "select":
        if value not in f.option_ids:
            return [Problem(f.id, "choice", _("One of: {choices}.").format(
                choices=", ".join(f.option_ids)))]
        return []
    if f.kind == "multi":
        if not isinstance(value, list) or any(v not in f.option_ids for v in value):
            return [Problem(f.id, "choice", _("Any of: {choices}.").format(
                choices=", ".join(f.option_ids)))]
        return []
    if f.kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return [Problem(f.id, "integer", _("A whole number."))]
        if "min" in rules and value < int(rules["min"]):
            return [Problem(f.id, "min", _("At least {n}.").format(n=rules["min"]))]
        if "max" in rules and value > int(rules["max"]):
            return [Problem(f.id, "max", _("At most {n}.").format(n=rules["max"]))]
        if "max_sum" in rules:
            parts = [values.get(p) for p in rules["max_sum"]]
            total = sum(p for p in parts if isinstance(p, int) and not isinstance(p, bool))
            if value > total:
                return [Problem(f.id, "max_sum", _("Cannot exceed {fields}.").format(
                    fields=" + ".join(rules["max_sum"])))]
        return []
    if f.kind == "services":
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            return [Problem(f.id, "services", _("Choose at least one service."))]
        return []
    if f.kind == "consent":
        return _check_consent(report_type, f, value, values, today)
    if f.kind == "count_table":
        return _check_counts(f, value)
    return []


def _check_consent(report_type: ReportType, f: Field, value: Any, values: dict[str, Any],
                   today: dt.date) -> list[Problem]:
    if not isinstance(value, list):
        return [Problem(f.id, "consent", _("A list of consent entries."))]
    recipients = values.get("referred_to") or []
    methods = {m.id for m in report_type.consent_methods}
    field_ids = {x.id for x in report_type.fields}
    seen: set[str] = set()
    for entry in value:
        if not isinstance(entry, dict) or not entry.get("recipient"):
            return [Problem(f.id, "consent", _("Each consent entry names a recipient."))]
        who = str(entry["recipient"])
        if who in seen:
            return [Problem(f.id, "consent_repeat", _("{who} appears twice.").format(who=who))]
        seen.add(who)
        if who not in recipients:
            return [Problem(f.id, "consent_recipient", _(
                "{who} is not among the services referred to.").format(who=who))]
        shared = entry.get("fields")
        if not isinstance(shared, list) or any(x not in field_ids for x in shared):
            return [Problem(f.id, "consent_fields", _(
                "The fields consented for {who} must be fields of the form.").format(who=who))]
        day = _date(entry.get("date"))
        if day is None or day > today:
            return [Problem(f.id, "consent_date", _(
                "The date consent was given for {who} (YYYY-MM-DD, not in the future)."
            ).format(who=who))]
        if entry.get("method") not in methods:
            return [Problem(f.id, "consent_method", _(
                "How consent was given for {who}: one of {choices}.").format(
                    who=who, choices=", ".join(sorted(methods))))]
    return []


def _check_counts(f: Field, value: Any) -> list[Problem]:
    rows = {o.id for o in f.rows}
    cols = {o.id for o in f.columns}
    if not isinstance(value, dict):
        return [Problem(f.id, "counts", _("Counts by row and column."))]
    for row, cells in value.items():
        if row not in rows or not isinstance(cells, dict):
            return [Problem(f.id, "counts", _("Unknown row {row}.").format(row=row))]
        for col, n in cells.items():
            if col not in cols:
                return [Problem(f.id, "counts", _("Unknown column {col}.").format(col=col))]
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                return [Problem(f.id, "counts", _("Counts are whole numbers, 0 or more."))]
    return []
