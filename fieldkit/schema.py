"""Schema migrations. MIGRATIONS[n] takes a profile from version n to n + 1.

Never edit a released migration; append a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _run(conn: Any, script: str) -> None:
    # executescript() would COMMIT behind our back; a migration is one transaction.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _v1_content(conn: Any) -> None:
    _run(
        conn,
        """
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
        """,
    )


def _v2_search_stats(conn: Any) -> None:
    # Statistics that let search stay fast on large stores: word -> stem with
    # document frequency (prefix expansion), stem frequency, and for common
    # stems their best documents ("champion lists").
    _run(
        conn,
        """
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
        """,
    )
    from fieldkit.search.indexer import rebuild

    rebuild(conn)


MIGRATIONS: list[Callable[[Any], None]] = [_v1_content, _v2_search_stats]
SCHEMA_VERSION = len(MIGRATIONS)
