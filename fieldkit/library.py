"""Reading and writing content in an open store: items, countries, law, services, pathways."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from fieldkit import paths
from fieldkit.content.model import Item, Version
from fieldkit.errors import NotFound, ProfileExists
from fieldkit.i18n import _, normalise
from fieldkit.markdown import to_plain
from fieldkit.schema import STATE_TABLE
from fieldkit.search import analysis, indexer
from fieldkit.search.query import Answer
from fieldkit.search.query import search as run_search
from fieldkit.store import (
    Connection,
    Row,
    Store,
    check_new_passphrase,
    fsync_directory,
    lock_new_folder,
    now_utc,
    register_derived,
    remove_database,
)

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]
# Store state marking a removed item that was example data (key: prefix + item id).
REMOVED_EXAMPLE = "removed-example:"


def _plain_text(version: Version) -> str:
    return "\n".join(p for p in (version.summary, to_plain(version.body)) if p)


def create_profile(directory: Path, passphrase: str, items: list[Item],
                   settings: dict[str, str | None] | None = None,
                   progress: Progress | None = None) -> Store:
    """A new profile holding `items`, all or nothing.

    It is built under a temporary name in the same folder and renamed into place
    only once complete, so an interrupted first run leaves no half-made profile.
    The folder's exclusive lock is held throughout: a second `init` at the same
    time is told the profile is in use, and nobody removes another's partial file.
    """
    final = paths.db_path(directory)
    if final.exists():
        raise ProfileExists(_("A profile already exists in {dir}.").format(dir=directory))
    check_new_passphrase(passphrase)
    lock = lock_new_folder(directory, _("The profile is being created by another Fieldkit "
                                        "window."))
    try:
        if final.exists():  # made by another window before we took the lock
            raise ProfileExists(_("A profile already exists in {dir}.").format(dir=directory))
        partial = final.with_name(final.name + ".partial")
        remove_database(partial)  # left over from a run that died: we hold the lock
        store = Store.create(directory, passphrase, filename=partial.name, lock=lock)
        try:
            log.info("loading %d items into the new profile", len(items))
            put_items(store, items, progress=progress, bulk=True)  # lists packed once
            for key, value in (settings or {}).items():
                store.set_setting(key, value)
            store.close()
            os.replace(partial, final)
            fsync_directory(directory)
        except BaseException:
            store.close()
            remove_database(partial)  # it held only the starter content
            raise
    except BaseException:
        if not final.exists():
            lock.remove()  # nothing left behind by a failed first run
        raise
    finally:
        lock.release()
    return Store.open(directory, passphrase)


def put_items(store: Store, items: Iterable[Item], progress: Progress | None = None,
              bulk: bool = False) -> int:
    """Insert or replace items and re-index them, in one transaction."""
    items = list(items)
    with store.transaction() as conn:
        if bulk:
            indexer.begin_bulk(conn)
        docs = []
        stamp = now_utc()
        for n, item in enumerate(items, 1):
            conn.execute(
                "INSERT INTO items(id, kind, country, location, example, meta, channel, version, "
                "origin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET "
                "kind=excluded.kind, country=excluded.country, location=excluded.location, "
                "example=excluded.example, meta=excluded.meta, channel=excluded.channel, "
                "version=excluded.version, origin=excluded.origin, "
                "updated_at=excluded.updated_at",
                (item.id, item.kind, item.country, item.location, int(item.example),
                 json.dumps(item.meta, ensure_ascii=False), item.channel, item.version,
                 item.origin, stamp, stamp),
            )
            old = [r[0] for r in conn.execute(
                "SELECT doc FROM versions WHERE item_id = ?", (item.id,)).fetchall()]
            indexer.remove_docs(conn, old)
            conn.execute("DELETE FROM versions WHERE item_id = ?", (item.id,))
            for v in item.versions.values():
                plain = _plain_text(v)
                cur = conn.execute(
                    "INSERT INTO versions(item_id, lang, title, summary, body, fields, status, "
                    "plain) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (item.id, v.lang, v.title, v.summary, v.body,
                     json.dumps(v.fields, ensure_ascii=False), v.status, plain),
                )
                docs.append(indexer.Doc(cur.lastrowid, v.lang, item.kind, item.country,
                                        v.title, plain, item.example, item.id,
                                        indexer.keywords_of(v.fields)))
            if progress and (n % 200 == 0 or n == len(items)):
                progress(n, len(items), "indexing")
        indexer.index_docs(conn, docs, bulk=bulk)
        if bulk:  # a large load: statistics and merging once, at the end
            indexer.finish_bulk(conn)
    return len(items)


def delete_items(store: Store, item_ids: Iterable[str]) -> int:
    """Remove items, their versions and their search entries, in one transaction
    (joined with the caller's, e.g. a sync apply). Unknown ids are skipped;
    returns how many items were removed."""
    removed = 0
    with store.transaction() as conn:
        for item_id in dict.fromkeys(item_ids):
            row = conn.execute("SELECT example FROM items WHERE id = ?", (item_id,)).fetchone()
            if row is not None:
                # A report draft may still name it: its export must stay stamped SAMPLE
                # if it was an example, and only then (an id can come back as real data).
                conn.execute(f"DELETE FROM {STATE_TABLE} WHERE key = ?",
                             (REMOVED_EXAMPLE + item_id,))
                if row[0]:
                    conn.execute(f"INSERT INTO {STATE_TABLE}(key, value) VALUES (?, '1')",
                                 (REMOVED_EXAMPLE + item_id,))
            docs = [int(r[0]) for r in conn.execute(
                "SELECT doc FROM versions WHERE item_id = ?", (item_id,)).fetchall()]
            indexer.remove_docs(conn, docs)
            conn.execute("DELETE FROM versions WHERE item_id = ?", (item_id,))
            removed += conn.execute("DELETE FROM items WHERE id = ?", (item_id,)).rowcount
        indexer.merge_if_due(conn)
    return removed


def was_example(store: Store, item_id: str) -> bool:
    """Whether `item_id`, no longer in the store, was example (fictitious) data."""
    return store.get_state(REMOVED_EXAMPLE + item_id) is not None


def item_times(store: Store, item_id: str) -> tuple[str, str]:
    """When the item was first stored and last changed (UTC, ISO 8601)."""
    row = store.query_one("SELECT created_at, updated_at FROM items WHERE id = ?", (item_id,))
    if row is None:
        raise NotFound(_("There is no item with the id '{id}'.").format(id=item_id))
    return str(row[0]), str(row[1])


def rebuild_index(store: Store, progress: Progress | None = None) -> int:
    """Rebuild the search index from the stored content, in one transaction:
    cancelled or interrupted, the old index stays as it was."""
    with store.transaction() as conn:
        return indexer.rebuild(conn, progress)


def text_analysis_version() -> str:
    """What the search index depends on: the analysis code and the stemmer and
    segmenter releases. A profile indexed under another one is re-indexed on open."""
    parts = [f"analysis-{getattr(analysis, 'VERSION', 1)}"]
    for package in ("snowballstemmer", "jieba"):
        try:
            parts.append(f"{package}-{metadata.version(package)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{package}-unknown")
    return ";".join(parts)


register_derived("search_index", text_analysis_version(), rebuild_index)


def _item_from_row(conn: Connection, row: Row) -> Item:
    item_id, kind, country, location, example, meta, channel, version, origin = row
    versions = {}
    for lang, title, summary, body, fields, status in conn.execute(
        "SELECT lang, title, summary, body, fields, status FROM versions WHERE item_id = ? "
        "ORDER BY lang", (item_id,)
    ).fetchall():
        versions[lang] = Version(lang, title, status, summary, body, json.loads(fields))
    return Item(id=item_id, kind=kind, meta=json.loads(meta), versions=versions,
                country=country, location=location, example=bool(example),
                channel=channel, version=version, origin=origin)


_ITEM_COLUMNS = "id, kind, country, location, example, meta, channel, version, origin"


def get_item(store: Store, item_id: str) -> Item:
    row = store.query_one(f"SELECT {_ITEM_COLUMNS} FROM items WHERE id = ?", (item_id,))
    if row is None:
        raise NotFound(_("There is no item with the id '{id}'.").format(id=item_id))
    return _item_from_row(store.conn, row)


def existing_items(store: Store, item_ids: list[str]) -> list[Item]:
    """The items of these ids that exist, in order (a pathway may name a service
    that a later update removed: show the rest, not an error)."""
    found = []
    for item_id in item_ids:
        with contextlib.suppress(NotFound):
            found.append(get_item(store, item_id))
    return found


def pathway_services(store: Store, pathway: Item) -> list[Item]:
    """The services a pathway's steps point at, each once, in the order of the steps."""
    ids: list[str] = []
    for branch in pathway.meta.get("branches") or []:
        for step in branch.get("steps") or []:
            ids += [s for s in step.get("services") or [] if s not in ids]
    return existing_items(store, ids)


def items(store: Store, kind: str | None = None, country: str | None = None,
          include_global: bool = False) -> list[Item]:
    clauses: list[str] = []
    params: list[str] = []
    if kind:
        clauses.append("kind = ?")
        params.append(kind)
    if country:
        clauses.append("(country = ? OR country IS NULL)" if include_global else "country = ?")
        params.append(country.upper())
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = store.query(f"SELECT {_ITEM_COLUMNS} FROM items {where} ORDER BY id", params)
    return [_item_from_row(store.conn, row) for row in rows]


@dataclass(frozen=True)
class CountrySummary:
    code: str
    items: int
    kinds: tuple[str, ...]


def countries(store: Store) -> list[CountrySummary]:
    rows = store.query(
        "SELECT country, count(*), group_concat(DISTINCT kind) FROM items "
        "WHERE country IS NOT NULL GROUP BY country ORDER BY country")
    return [CountrySummary(c, n, tuple(sorted(k.split(",")))) for c, n, k in rows]


def law_notes(store: Store, country: str) -> list[Item]:
    """The country's law notes, then the global notes that apply everywhere."""
    notes = items(store, "law", country, include_global=True)
    return sorted(notes, key=lambda i: (i.country is None, i.id))


def fold(text: str) -> str:
    """For matching what people type: case and diacritics ignored (chisinau = Chișinău)."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def services(store: Store, country: str, category: str | None = None,
             language: str | None = None, location: str | None = None) -> list[Item]:
    found = []
    for item in items(store, "service", country):
        if category and item.meta.get("category") != category:
            continue
        if language and normalise(language) not in {
                normalise(code) for code in item.meta.get("languages") or []}:
            continue
        if location and item.location and fold(item.location) != fold(location):
            continue
        found.append(item)
    return found


def pathways(store: Store, country: str, location: str | None = None) -> list[Item]:
    found = items(store, "pathway", country)
    if location:
        found = [p for p in found if fold(p.location or "") == fold(location)]
    if not found:
        where = f"{country.upper()}" + (f" / {location}" if location else "")
        raise NotFound(_("There is no referral pathway for {place} yet.").format(place=where))
    return found


def locations(store: Store, country: str) -> list[str]:
    rows = store.query(
        "SELECT DISTINCT location FROM items WHERE country = ? AND location IS NOT NULL "
        "ORDER BY location", (country.upper(),))
    return [r[0] for r in rows]


def search(store: Store, text: str, reader_lang: str = "en", **filters: Any) -> Answer:
    """Ranked results (a list) that also say what was searched: `did_you_mean`, `dropped`."""
    return run_search(store.conn, text, reader_lang, **filters)


def item_count(store: Store) -> int:
    return int(store.conn.scalar("SELECT count(*) FROM items"))
