"""Report drafts in the encrypted store: every save a new revision, restore, search, delete.

A draft's text exists only inside the encrypted profile. Saving never
overwrites: each save (and each autosave, and each restore) appends a revision
in one transaction, so a crash loses at most the typing not yet saved. Delete
removes every revision; the store runs with `secure_delete` and there is no
full-text index over drafts, so no copy of the text remains in the file.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fieldkit.errors import NotFound
from fieldkit.reports.model import ReportType, get_type, is_empty, pick
from fieldkit.store import Store

ORIGINS = ("save", "autosave", "restore")


@dataclass(frozen=True)
class Draft:
    id: str
    type: str
    created: str
    updated: str
    head: int
    values: dict[str, Any]

    @property
    def report_type(self) -> ReportType:
        return get_type(self.type)

    def title(self, lang: str) -> str:
        return draft_title(self.report_type, self.values, lang)

    def to_json(self, lang: str) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "title": self.title(lang),
                "created": self.created, "updated": self.updated, "revision": self.head,
                "values": self.values}


@dataclass(frozen=True)
class Revision:
    n: int
    saved: str
    origin: str
    values: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"revision": self.n, "saved": self.saved, "origin": self.origin}


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def draft_title(report_type: ReportType, values: dict[str, Any], lang: str) -> str:
    return " · ".join(title_parts(report_type, values, lang))


def title_parts(report_type: ReportType, values: dict[str, Any], lang: str) -> list[str]:
    """The type's name and the values that name a draft (codes, dates: never a name)."""
    parts = [pick(report_type.label, lang)]
    for name in report_type.title:
        value = values.get(name)
        if is_empty(value):
            continue
        f = report_type.field(name)
        parts.append(f.option_label(str(value), lang) if f.kind == "select" else str(value))
    return parts


def _encode(values: dict[str, Any]) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if not is_empty(v)}


def create(store: Store, type_id: str, values: dict[str, Any]) -> Draft:
    """A new draft with its first revision."""
    get_type(type_id)
    draft_id = secrets.token_hex(4)
    stamp = now()
    data = _encode(_clean(values))
    with store.transaction() as conn:
        while conn.execute("SELECT 1 FROM drafts WHERE id = ?", (draft_id,)).fetchone():
            draft_id = secrets.token_hex(4)
        conn.execute("INSERT INTO drafts(id, type, created, updated, head) VALUES (?,?,?,?,1)",
                     (draft_id, type_id, stamp, stamp))
        conn.execute("INSERT INTO draft_revisions(draft_id, n, saved, origin, data) "
                     "VALUES (?, 1, ?, 'save', ?)", (draft_id, stamp, data))
    return get(store, draft_id)


def get(store: Store, draft_id: str) -> Draft:
    row = store.conn.execute(
        "SELECT d.id, d.type, d.created, d.updated, d.head, r.data FROM drafts d "
        "JOIN draft_revisions r ON r.draft_id = d.id AND r.n = d.head WHERE d.id = ?",
        (draft_id,)).fetchone()
    if row is None:
        raise NotFound(f"No draft {draft_id!r}.")
    return Draft(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]))


def save(store: Store, draft_id: str, values: dict[str, Any], origin: str = "save") -> int:
    """Append a revision holding `values`; returns its number. Unchanged values add nothing."""
    if origin not in ORIGINS:
        raise ValueError(origin)
    data = _encode(_clean(values))
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT d.head, r.data FROM drafts d JOIN draft_revisions r "
            "ON r.draft_id = d.id AND r.n = d.head WHERE d.id = ?", (draft_id,)).fetchone()
        if row is None:
            raise NotFound(f"No draft {draft_id!r}.")
        head, current = int(row[0]), row[1]
        if current == data and origin != "restore":
            return head
        stamp = now()
        conn.execute("INSERT INTO draft_revisions(draft_id, n, saved, origin, data) "
                     "VALUES (?, ?, ?, ?, ?)", (draft_id, head + 1, stamp, origin, data))
        conn.execute("UPDATE drafts SET head = ?, updated = ? WHERE id = ?",
                     (head + 1, stamp, draft_id))
    return head + 1


def revisions(store: Store, draft_id: str) -> list[Revision]:
    """Every revision, newest first."""
    get(store, draft_id)
    rows = store.conn.execute(
        "SELECT n, saved, origin, data FROM draft_revisions WHERE draft_id = ? ORDER BY n DESC",
        (draft_id,)).fetchall()
    return [Revision(r[0], r[1], r[2], json.loads(r[3])) for r in rows]


def revision(store: Store, draft_id: str, n: int) -> Revision:
    row = store.conn.execute(
        "SELECT n, saved, origin, data FROM draft_revisions WHERE draft_id = ? AND n = ?",
        (draft_id, n)).fetchone()
    if row is None:
        raise NotFound(f"Draft {draft_id!r} has no revision {n}.")
    return Revision(row[0], row[1], row[2], json.loads(row[3]))


def restore(store: Store, draft_id: str, n: int) -> int:
    """Make revision `n` current again, as a new revision: nothing in between is lost."""
    return save(store, draft_id, revision(store, draft_id, n).values, origin="restore")


def fold(text: str) -> str:
    """Case and diacritics folded, for a search that forgives both."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _texts(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v)
    elif value is not None:
        yield str(value)


def list_drafts(store: Store, type_id: str | None = None, since: dt.date | None = None,
                until: dt.date | None = None, text: str | None = None) -> list[Draft]:
    """Drafts, most recently changed first, filtered by type, date of last change and text.

    The text filter runs over the decrypted current revisions in memory: no index
    of the text exists outside the rows themselves.
    """
    sql = ("SELECT d.id, d.type, d.created, d.updated, d.head, r.data FROM drafts d "
           "JOIN draft_revisions r ON r.draft_id = d.id AND r.n = d.head WHERE 1 = 1")
    params: list[Any] = []
    if type_id:
        get_type(type_id)
        sql += " AND d.type = ?"
        params.append(type_id)
    if since:
        sql += " AND d.updated >= ?"
        params.append(since.isoformat())
    if until:
        sql += " AND d.updated < ?"
        params.append((until + dt.timedelta(days=1)).isoformat())
    sql += " ORDER BY d.updated DESC, d.id"
    found = [Draft(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]))
             for r in store.conn.execute(sql, params).fetchall()]
    words = fold(text or "").split()
    if not words:
        return found
    kept = []
    for draft in found:
        haystack = fold(" ".join([draft.id, *_texts(draft.values)]))
        if all(word in haystack for word in words):
            kept.append(draft)
    return kept


def delete(store: Store, draft_id: str) -> None:
    """Remove the draft and all its revisions, leaving no trace of the text in the file."""
    get(store, draft_id)
    with store.transaction() as conn:
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("DELETE FROM draft_revisions WHERE draft_id = ?", (draft_id,))
        conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))
    mode = str(store.conn.scalar("PRAGMA journal_mode")).lower()
    if mode == "wal":
        # Frames still in the log hold the old pages: copy the zeroed pages back and empty it.
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
