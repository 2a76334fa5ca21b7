"""Keep the FTS5 index, the vocabulary and the champion lists in step with the content.

The index holds analysed text (stems), so inflections meet. Two side tables
make search fast on large stores:

- `vocab` maps each folded word to its stem with a document count, so a
  half-typed word expands to the few most frequent words it can become;
- `champions` keeps, for every stem found in many documents, the documents
  where it scores best. A query made only of common words ranks those
  candidates instead of every document that contains them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from fieldkit.search.analysis import base_language, tokens

COMMON_DF = 1500        # a stem in more documents than this gets a champion list
CHAMPIONS = 400         # documents kept per champion list
REBUILD_CHUNK = 200     # documents indexed between two progress reports
WEIGHTS = (4.0, 1.0, 0.0)  # bm25 weights: title, body, tags
# Guidance first, then law, pathways, services; fictitious examples last among equals.
KIND_BOOST = {"guidance": 1.5, "law": 1.25, "pathway": 1.0, "service": 0.85}
EXAMPLE_BOOST = 0.7
BM25 = "bm25(search_index, {}, {}, {}) * boost".format(*WEIGHTS)


@dataclass(frozen=True)
class Doc:
    doc: int
    lang: str
    kind: str
    country: str | None
    title: str
    text: str  # plain summary and body
    example: bool = False

    @property
    def boost(self) -> float:
        return KIND_BOOST.get(self.kind, 1.0) * (EXAMPLE_BOOST if self.example else 1.0)


def tags(kind: str, country: str | None, lang: str) -> str:
    """Filter terms, matched in the `tags` column: kind, country, language."""
    return f"kind{kind} cc{(country or 'global').lower()} lang{base_language(lang)}"


def index_docs(conn: Any, docs: Iterable[Doc], bulk: bool = False) -> None:
    """(Re)index `docs`. Call inside the caller's transaction.

    With `bulk`, champion lists are left for `finish_bulk()` at the end.
    """
    vocab: Counter[tuple[str, str]] = Counter()
    rows = []
    for d in docs:
        title_tokens = list(tokens(d.title, d.lang))
        body_tokens = list(tokens(d.text, d.lang))
        pairs = {(t.word, t.stem) for t in title_tokens + body_tokens}
        vocab.update(pairs)
        rows.append((
            d.doc,
            " ".join(t.stem for t in title_tokens),
            " ".join(t.stem for t in body_tokens),
            tags(d.kind, d.country, d.lang),
            d.boost,
        ))
    if not rows:
        return
    _drop_rows(conn, [r[0] for r in rows])  # re-indexing replaces; vocab is the caller's
    conn.executemany(
        "INSERT INTO search_index(rowid, title, body, tags, boost) VALUES (?, ?, ?, ?, ?)", rows
    )
    conn.executemany(
        "INSERT INTO vocab(word, stem, df) VALUES (?, ?, ?) "
        "ON CONFLICT(word, stem) DO UPDATE SET df = df + excluded.df",
        [(w, s, n) for (w, s), n in vocab.items()],
    )
    if not bulk:  # the lists of the common stems these documents contain
        refresh_champions(conn, {stem for _, stem in vocab})


def remove_docs(conn: Any, doc_ids: list[int]) -> None:
    """Take documents out of the index and out of the vocabulary counts.
    Call while their versions are still stored (their words are read from there)."""
    if not doc_ids:
        return
    gone: Counter[tuple[str, str]] = Counter()
    for d in docs_from_store(conn, "WHERE v.doc IN (SELECT value FROM json_each(?))",
                             (json.dumps(doc_ids),)):
        gone.update({(t.word, t.stem) for t in (*tokens(d.title, d.lang),
                                                 *tokens(d.text, d.lang))})
    conn.executemany("UPDATE vocab SET df = df - ? WHERE word = ? AND stem = ?",
                     [(n, w, s) for (w, s), n in gone.items()])
    conn.execute("DELETE FROM vocab WHERE df <= 0")
    _drop_rows(conn, doc_ids)


def _drop_rows(conn: Any, doc_ids: list[int]) -> None:
    conn.executemany("DELETE FROM search_index WHERE rowid = ?", [(d,) for d in doc_ids])
    conn.executemany("DELETE FROM champions WHERE doc = ?", [(d,) for d in doc_ids])


def doc_frequency(conn: Any, stem: str) -> int:
    row = conn.execute("SELECT doc FROM search_terms WHERE term = ?", (stem,)).fetchone()
    return int(row[0]) if row else 0


def _champion_list(conn: Any, stem: str) -> list[tuple[str, int, float]]:
    query = f'{{title body}} : "{stem}"'
    rows = conn.execute(
        f"SELECT rowid, {BM25} AS score FROM search_index WHERE search_index MATCH ? "
        f"ORDER BY score LIMIT {CHAMPIONS}",
        (query,),
    ).fetchall()
    return [(stem, doc, score) for doc, score in rows]


def refresh_champions(conn: Any, stems: Iterable[str] | None = None) -> int:
    """Recompute champion lists (all common stems when `stems` is None)."""
    if stems is None:
        conn.execute("DELETE FROM champions")
        stems = [
            r[0]
            for r in conn.execute(
                "SELECT term FROM search_terms WHERE doc > ?", (COMMON_DF,)
            ).fetchall()
        ]
    count = 0
    for stem in stems:
        conn.execute("DELETE FROM champions WHERE stem = ?", (stem,))
        if doc_frequency(conn, stem) > COMMON_DF:
            conn.executemany(
                "INSERT INTO champions(stem, doc, score) VALUES (?, ?, ?)",
                _champion_list(conn, stem),
            )
            count += 1
    return count


def docs_from_store(conn: Any, where: str = "", params: tuple[Any, ...] = ()) -> list[Doc]:
    rows = conn.execute(
        "SELECT v.doc, v.lang, i.kind, i.country, v.title, v.plain, i.example "
        f"FROM versions v JOIN items i ON i.id = v.item_id {where}",
        params,
    ).fetchall()
    return [Doc(doc, lang, kind, country, title, plain, bool(example))
            for doc, lang, kind, country, title, plain, example in rows]


def rebuild(conn: Any, progress: Callable[[int, int, str], None] | None = None) -> int:
    """Re-index everything from the content tables (inside the caller's transaction).

    `progress` may raise to stop; the caller's transaction then keeps the old index.
    """
    conn.execute("DELETE FROM search_index")
    conn.execute("DELETE FROM vocab")
    conn.execute("DELETE FROM champions")
    docs = docs_from_store(conn)
    for start in range(0, len(docs), REBUILD_CHUNK):
        index_docs(conn, docs[start:start + REBUILD_CHUNK], bulk=True)
        if progress:
            progress(min(start + REBUILD_CHUNK, len(docs)), len(docs), "indexing")
    finish_bulk(conn)
    return len(docs)


def finish_bulk(conn: Any) -> None:
    """After a bulk load: all champion lists, then the index segments merged into one
    (fewer pages to read, and decrypt, per query)."""
    refresh_champions(conn)
    conn.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")
