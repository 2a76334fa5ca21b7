"""Anonymised case summaries filled from the store's incident notes.

Only notes whose person agreed to non-identifiable reporting are counted. The
data is coarsened before counting: the period grows to whole quarters, each
case is counted once (under its most serious type of conduct), and nothing
finer than the type of conduct and the outcome is kept: no place, no date
inside the quarter, no agency.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fieldkit.reports import drafts
from fieldkit.reports.model import Field
from fieldkit.reports.suppression import Published, suppress
from fieldkit.store import Store

# Most serious first: a case with several types of conduct counts under the first listed here.
SEVERITY = ("sexual_assault", "exchange", "quid_pro_quo", "physical", "online", "nonverbal",
            "verbal", "other")


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: dt.date) -> dt.date:
    start = quarter_start(day)
    month = start.month + 3
    following = dt.date(start.year + (month > 12), (month - 1) % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@dataclass(frozen=True)
class Filled:
    period_start: str
    period_end: str
    counts: dict[str, dict[str, int]]
    counted: int          # notes counted
    skipped: int          # notes in the period without consent to be counted


def fill_from_notes(store: Store, start: dt.date, end: dt.date) -> Filled:
    first, last = quarter_start(start), quarter_end(end)
    counts: dict[str, dict[str, int]] = {}
    counted = skipped = 0
    for note in drafts.list_drafts(store, "incident_note"):
        values = note.values
        when = values.get("incident_date") or values.get("note_date")
        try:
            day = dt.date.fromisoformat(str(when))
        except ValueError:
            continue
        if not first <= day <= last:
            continue
        if values.get("consent_statistics") != "yes":
            skipped += 1
            continue
        conduct = [c for c in SEVERITY if c in (values.get("conduct") or [])]
        row = conduct[0] if conduct else "other"
        col = values.get("outcome") or "open"
        counts.setdefault(row, {})
        counts[row][col] = counts[row].get(col, 0) + 1
        counted += 1
    return Filled(first.isoformat(), last.isoformat(), counts, counted, skipped)


def count_table(f: Field, values: dict[str, Any]) -> Published:
    """The published form of a count table field: its counts, suppressed."""
    rows = [o.id for o in f.rows]
    cols = [o.id for o in f.columns]
    raw = values.get(f.id) or {}
    cells = [[int(raw.get(r, {}).get(c, 0)) for c in cols] for r in rows]
    return suppress(cells)
