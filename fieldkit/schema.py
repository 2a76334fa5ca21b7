"""Schema migrations: `MIGRATIONS[n]` takes a profile from version n to n + 1.

How to add a migration
----------------------
Append a `Migration` to `MIGRATIONS`; never edit one that is on main (released
profiles have run it: change it and they differ from new ones). Rebasing onto a
main that gained a migration, renumber yours after it.

- `script` is SQL, run whole: triggers with `BEGIN … END;`, string literals with
  semicolons and comments are fine (statements are split by SQLite's own
  `complete_statement`, never on a bare ";").
- The whole migration is one transaction together with the new `user_version`:
  if any statement fails, the profile stays exactly as it was.
- Foreign keys are OFF while it runs, so the standard table rebuild (create
  `x_new`, copy, drop `x`, rename `x_new` to `x`) keeps every row of tables that
  reference `x` (`ON DELETE CASCADE` does not fire). `PRAGMA foreign_key_check`
  runs after the script; a violation fails the migration.
- A migration is frozen text: it must not call live code (the indexer, the
  content model…), whose later versions would rewrite history. Work that needs
  live code is *scheduled*: list the derived data it invalidates in `rebuilds`
  (e.g. "search_index"), and the store rebuilds it with the code of the day after
  the migration (see `fieldkit.store.register_derived`).
- Before migrating an existing profile the store writes an encrypted copy next
  to it (`fieldkit.db.before-vN`), removed at the next successful open.

Test a new migration in tests/core/test_migrations.py: build a profile at the
previous version with `Store.create(..., schema_version=N)`, put rows in, open it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sqlcipher3

# Internal state of the store (not user settings): versions of derived data.
STATE_TABLE = "profile_state"


@dataclass(frozen=True)
class Migration:
    """One schema step. `script` is frozen once released; `rebuilds` names derived
    data (registered with the store) to rebuild with live code afterwards."""

    script: str
    rebuilds: tuple[str, ...] = ()


def statements(script: str) -> Iterator[str]:
    """The complete SQL statements of `script`, in order. SQLite's own tokenizer
    decides where one ends, so a `;` inside a trigger, a string or a comment stays
    put (a statement holding only a comment is harmless to execute)."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlcipher3.complete_statement(pending):
            if pending.strip(" \t\r\n;"):
                yield pending.strip()
            pending = ""
    if pending.strip(" \t\r\n;"):
        raise ValueError("the migration script ends inside an unfinished statement")


MIGRATIONS: list[Migration] = [
    # 1: content and its search index.
    Migration("""
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        CREATE TABLE items (
            id        TEXT PRIMARY KEY,
            kind      TEXT NOT NULL,
            country   TEXT,
            location  TEXT,
            example   INTEGER NOT NULL DEFAULT 0,
            meta      TEXT NOT NULL,          -- JSON: topics, sources, reviewed, kind fields
            channel   TEXT NOT NULL DEFAULT 'starter',
            version   INTEGER NOT NULL DEFAULT 0,
            origin    TEXT NOT NULL DEFAULT 'pack'   -- pack | sync | local
        );
        CREATE INDEX items_kind_country ON items(kind, country);

        CREATE TABLE versions (
            doc      INTEGER PRIMARY KEY,     -- rowid in the search index
            item_id  TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            lang     TEXT NOT NULL,
            title    TEXT NOT NULL,
            summary  TEXT NOT NULL DEFAULT '',
            body     TEXT NOT NULL DEFAULT '',
            fields   TEXT NOT NULL DEFAULT '{}',  -- JSON: kind-specific translated fields
            plain    TEXT NOT NULL DEFAULT '',    -- summary and body as plain text (snippets)
            status   TEXT NOT NULL,
            UNIQUE (item_id, lang)
        );

        CREATE VIRTUAL TABLE search_index USING fts5(
            title, body, tags, boost UNINDEXED,
            tokenize = 'unicode61 remove_diacritics 0'
        );
    """),
    # 2: statistics that let search stay fast on large stores: word -> stem with
    # document frequency (prefix expansion), and for common stems their best
    # documents ("champion lists"). Filled by the indexer (scheduled).
    Migration("""
        CREATE TABLE vocab (
            word TEXT NOT NULL, stem TEXT NOT NULL, df INTEGER NOT NULL,
            PRIMARY KEY (word, stem)
        ) WITHOUT ROWID;
        CREATE TABLE champions (
            stem TEXT NOT NULL, doc INTEGER NOT NULL, score REAL NOT NULL,
            PRIMARY KEY (stem, doc)
        ) WITHOUT ROWID;
        CREATE INDEX champions_doc ON champions(doc);
        CREATE VIRTUAL TABLE search_terms USING fts5vocab(search_index, 'row');
    """, rebuilds=("search_index",)),
    # 3: the store's own state (versions of derived data such as the search index,
    # so that a new text analysis re-indexes), and when each item was first stored
    # and last changed (UTC, ISO 8601).
    Migration("""
        CREATE TABLE profile_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        ALTER TABLE items ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
        ALTER TABLE items ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
        UPDATE items SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now');
    """),
    # 4: sync. The newest verified TUF metadata of each role and every root version
    # (the trust anchor, rollback protection, and what a mirror copies); per target,
    # what upstream last signed and what was applied here. A local edit is an item
    # whose content no longer has the applied hash; a conflict is upstream != applied.
    Migration("""
        CREATE TABLE sync_metadata (role TEXT PRIMARY KEY, data BLOB NOT NULL);
        CREATE TABLE sync_roots (version INTEGER PRIMARY KEY, data BLOB NOT NULL);
        CREATE TABLE sync_targets (
            path             TEXT PRIMARY KEY,
            channel          TEXT NOT NULL,
            item_id          TEXT NOT NULL,
            info             TEXT NOT NULL,   -- the signed entry (TUF TargetFile, JSON)
            data             BLOB NOT NULL,   -- the target's bytes, for mirrors
            upstream_version INTEGER NOT NULL,
            upstream_sha256  TEXT NOT NULL,
            removed          INTEGER NOT NULL DEFAULT 0,
            applied_version  INTEGER,
            applied_sha256   TEXT,
            applied_hash     TEXT,            -- content hash of the item as applied
            conflict_since   TEXT
        );
        CREATE INDEX sync_targets_item ON sync_targets(item_id);
    """),
    # 5: exact ranking with cheap updates. Impact-ordered postings per (stem, language)
    # replace the champion lists; per document its item, language, kind and country;
    # per term its document count and largest impact; the phrase index gains a
    # keywords column and keeps no copy of the text; the vocabulary keeps a written
    # form of each word (for "did you mean"). Filled by the indexer (scheduled).
    Migration("""
        DROP TABLE champions;
        DROP TABLE search_terms;
        DROP TABLE vocab;
        DROP TABLE search_index;
        CREATE VIRTUAL TABLE search_index USING fts5(
            title, body, keywords, content = '', contentless_delete = 1,
            tokenize = 'unicode61 remove_diacritics 0'
        );
        CREATE TABLE search_docs (
            doc INTEGER PRIMARY KEY, item TEXT NOT NULL, lang TEXT NOT NULL,
            kind TEXT NOT NULL, country TEXT
        );
        CREATE TABLE search_terms (
            id INTEGER PRIMARY KEY, stem TEXT NOT NULL, lang TEXT NOT NULL,
            df INTEGER NOT NULL, max_impact INTEGER NOT NULL, UNIQUE (stem, lang)
        );
        CREATE TABLE search_postings (
            term INTEGER NOT NULL, impact INTEGER NOT NULL, doc INTEGER NOT NULL,
            PRIMARY KEY (term, impact DESC, doc)
        ) WITHOUT ROWID;
        CREATE INDEX search_postings_doc ON search_postings(doc, term);
        CREATE TABLE search_vocab (
            word TEXT NOT NULL, stem TEXT NOT NULL, shown TEXT NOT NULL, df INTEGER NOT NULL,
            PRIMARY KEY (word, stem)
        ) WITHOUT ROWID;
        CREATE INDEX search_vocab_stem ON search_vocab(stem);
        CREATE TABLE search_stats (key TEXT PRIMARY KEY, value REAL NOT NULL);
    """, rebuilds=("search_index",)),
    # 6: report drafts and their revisions: every save is a new revision, so an
    # autosave never overwrites the only copy. No full-text index over drafts: a
    # delete must leave no trace of the text (secure_delete zeroes table pages; an
    # FTS index would keep copies of its own).
    Migration("""
        CREATE TABLE drafts (
            id       TEXT PRIMARY KEY,
            type     TEXT NOT NULL,
            created  TEXT NOT NULL,           -- ISO 8601 UTC
            updated  TEXT NOT NULL,
            head     INTEGER NOT NULL         -- number of the current revision
        );
        CREATE INDEX drafts_type_updated ON drafts(type, updated);
        CREATE TABLE draft_revisions (
            draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
            n        INTEGER NOT NULL,
            saved    TEXT NOT NULL,
            origin   TEXT NOT NULL,           -- save | autosave | restore
            data     TEXT NOT NULL,           -- JSON: field id -> value
            PRIMARY KEY (draft_id, n)
        ) WITHOUT ROWID;
    """),
    # 7: search reads packed lists. Per term its documents and impacts as two arrays
    # (read in one row, scored in bulk), made from `search_postings` when the index
    # is merged; what changed since lives in `search_delta` (postings of documents
    # indexed since), `search_stale` (documents whose entries in the lists are out
    # of date) and `search_dirty` (terms whose lists a merge must patch, or remake
    # from the postings after a bulk load).
    Migration("""
        CREATE TABLE search_lists (
            term INTEGER PRIMARY KEY, docs BLOB NOT NULL, impacts BLOB NOT NULL
        );
        CREATE TABLE search_delta (
            term INTEGER NOT NULL, doc INTEGER NOT NULL, impact INTEGER NOT NULL,
            PRIMARY KEY (term, doc)
        ) WITHOUT ROWID;
        CREATE INDEX search_delta_doc ON search_delta(doc);
        CREATE TABLE search_stale (doc INTEGER PRIMARY KEY);
        CREATE TABLE search_dirty (
            term INTEGER PRIMARY KEY, remake INTEGER NOT NULL DEFAULT 0
        );
    """, rebuilds=("search_index",)),
]
SCHEMA_VERSION = len(MIGRATIONS)
