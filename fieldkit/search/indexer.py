"""Keep the search index in step with the content.

What the index holds, all in ordinary tables of the encrypted profile:

- `search_postings`: for every analysed word (a stem, per language) the documents
  that contain it with their *impact* — the word's share of the document's score
  (`rank.impact`). The truth, kept row by row so that one document is cheap to
  add or remove;
- `search_lists`: the same postings packed per term (two arrays in one row), which
  is what a query reads and scores in bulk (`rank.py`). A *merge* remakes them;
  between merges `search_delta` holds the postings of documents indexed since,
  `search_stale` the documents whose packed entries are out of date, and
  `search_dirty` the terms whose lists the next merge patches. A query reads
  lists + delta − stale, so results are exact whether or not a merge has run;
- `search_terms`: per stem and language, its document frequency (for idf);
- `search_docs`: per document its item, language, kind and country (filters, one
  result per item);
- `search_index`: a contentless FTS5 index, used only to check phrases;
- `search_vocab`: folded words with their stem and frequency (prefixes while
  typing, and the vocabulary that typos are corrected against).

An impact depends only on its own document (and `avgdl`, a constant of the
scoring function fixed at the first load and at each rebuild), so adding,
replacing or deleting a document touches its own rows and a few counters,
whatever the size of the store; the lists catch up at the next merge (after a
bulk load, a sync, or once enough documents changed).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from fieldkit.search.analysis import Token, base_language, tokens
from fieldkit.search.rank import DEFAULT_AVGDL, impact, pack, unpack

REBUILD_CHUNK = 200     # documents indexed between two progress reports
# A write also merges once the changes since the last merge (documents indexed into the
# delta, documents whose packed entries went stale: a replaced one counts for both) reach
# MERGE_SHARE of the store, and at least MERGE_AFTER_DOCS. Queries read the delta row by
# row, which stays cheap at that size; a merge rewrites most lists, which costs about as
# much as the store's postings, so it must stay rare (in practice: inside a large sync).
MERGE_AFTER_DOCS = 1000
MERGE_SHARE = 0.1
# A merge remaking more lists than this reads all postings in one scan instead.
MERGE_SCAN_TERMS = 5_000

# Guidance first, then law, pathways, services; fictitious examples last among equals.
KIND_BOOST = {"guidance": 1.5, "law": 1.25, "pathway": 1.0, "service": 0.85}
EXAMPLE_BOOST = 0.7


@dataclass(frozen=True)
class Doc:
    doc: int
    lang: str
    kind: str
    country: str | None
    title: str
    text: str  # plain summary and body
    example: bool = False
    item: str = ""
    keywords: tuple[str, ...] = field(default=())

    @property
    def boost(self) -> float:
        return KIND_BOOST.get(self.kind, 1.0) * (EXAMPLE_BOOST if self.example else 1.0)


def keywords_of(fields: dict[str, Any] | None) -> tuple[str, ...]:
    """A version's `keywords` (a list of words or phrases, or one comma-separated string)."""
    value = (fields or {}).get("keywords") or ()
    if isinstance(value, str):
        value = value.split(",")
    return tuple(str(k).strip() for k in value if str(k).strip())


@dataclass
class _Analysed:
    doc: Doc
    title: list[Token]
    keywords: list[Token]
    body: list[Token]

    @property
    def length(self) -> int:
        return len(self.title) + len(self.keywords) + len(self.body)

    def vocabulary(self) -> set[tuple[str, str]]:
        return {(t.word, t.stem) for t in (*self.title, *self.keywords, *self.body)}


def _analyse(d: Doc) -> _Analysed:
    return _Analysed(d, list(tokens(d.title, d.lang)),
                     [t for k in d.keywords for t in tokens(k, d.lang)],
                     list(tokens(d.text, d.lang)))


def _stat(conn: Any, key: str, default: float = 0.0) -> float:
    row = conn.execute("SELECT value FROM search_stats WHERE key = ?", (key,)).fetchone()
    return float(row[0]) if row else default


def _set_stat(conn: Any, key: str, value: float) -> None:
    conn.execute("INSERT INTO search_stats(key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


def index_docs(conn: Any, docs: Iterable[Doc], bulk: bool = False) -> None:
    """(Re)index `docs`. Call inside the caller's transaction. In `bulk` (between
    `begin_bulk` and `finish_bulk`, which merges) the postings skip the delta."""
    docs = list(docs)
    for start in range(0, len(docs), REBUILD_CHUNK):
        _index_batch(conn, [_analyse(d) for d in docs[start:start + REBUILD_CHUNK]], bulk)
    if not bulk and docs:
        _set_stat(conn, "delta_docs", _stat(conn, "delta_docs") + len(docs))
        merge_if_due(conn)


def merge_if_due(conn: Any) -> None:
    """Merge once enough documents changed since the last merge (inside the caller's
    transaction), so that what queries read row by row stays small."""
    due = max(MERGE_AFTER_DOCS, MERGE_SHARE * _stat(conn, "docs"))
    if _stat(conn, "delta_docs") >= due:
        merge(conn)


def _index_batch(conn: Any, batch: list[_Analysed], bulk: bool = False) -> None:
    if not batch:
        return
    _drop_rows(conn, [a.doc.doc for a in batch])  # re-indexing replaces
    avgdl = _stat(conn, "avgdl")
    if avgdl <= 0:  # the first load fixes the scoring function's avgdl
        avgdl = sum(a.length for a in batch) / len(batch) or DEFAULT_AVGDL
        _set_stat(conn, "avgdl", avgdl)
    _set_stat(conn, "docs", _stat(conn, "docs") + len(batch))

    conn.executemany(
        "INSERT INTO search_docs(doc, item, lang, kind, country) VALUES (?, ?, ?, ?, ?)",
        [(a.doc.doc, a.doc.item, base_language(a.doc.lang), a.doc.kind, a.doc.country)
         for a in batch])
    conn.executemany(
        "INSERT INTO search_index(rowid, title, body, keywords) VALUES (?, ?, ?, ?)",
        [(a.doc.doc, " ".join(t.stem for t in a.title), " ".join(t.stem for t in a.body),
          " ".join(t.stem for t in a.keywords)) for a in batch])

    # Impacts per (stem, language), per term its document count, and the words seen (one
    # pass over the tokens).
    postings: list[tuple[str, str, int, int]] = []
    terms: Counter[tuple[str, str]] = Counter()
    vocab: Counter[tuple[str, str]] = Counter()
    shown: dict[tuple[str, str], str] = {}
    for a in batch:
        lang = base_language(a.doc.lang)
        boost, length = a.doc.boost, a.length
        tf: dict[str, list[int]] = {}
        words: dict[tuple[str, str], str] = {}
        for column, toks in enumerate((a.title, a.keywords, a.body)):
            for t in toks:
                counts = tf.get(t.stem)
                if counts is None:
                    counts = tf[t.stem] = [0, 0, 0]
                counts[column] += 1
                words.setdefault((t.word, t.stem), t.shown)
        for stem, (in_title, in_keywords, in_body) in tf.items():
            value = impact(in_title, in_keywords, in_body, length, avgdl, boost)
            postings.append((stem, lang, value, a.doc.doc))
            terms[(stem, lang)] += 1
        vocab.update(words.keys())
        for key, surface in words.items():
            shown.setdefault(key, surface)
    # max_impact: read by no query since the lists are scored whole (kept by the schema).
    conn.executemany(
        "INSERT INTO search_terms(stem, lang, df, max_impact) VALUES (?, ?, ?, 0) "
        "ON CONFLICT(stem, lang) DO UPDATE SET df = df + excluded.df",
        [(stem, lang, n) for (stem, lang), n in terms.items()])
    ids = _term_ids(conn, terms)
    rows = sorted((ids[(stem, lang)], value, doc) for stem, lang, value, doc in postings)
    conn.executemany("INSERT INTO search_postings(term, impact, doc) VALUES (?, ?, ?)", rows)
    if bulk:  # the merge at the end of the load remakes these lists from the postings
        conn.executemany("INSERT INTO search_dirty(term, remake) VALUES (?, 1) "
                         "ON CONFLICT(term) DO UPDATE SET remake = 1",
                         [(term,) for term in sorted(set(ids.values()))])
    else:
        conn.executemany("INSERT INTO search_delta(term, doc, impact) VALUES (?, ?, ?)",
                         [(term, doc, value) for term, value, doc in rows])
    conn.executemany(
        "INSERT INTO search_vocab(word, stem, shown, df) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(word, stem) DO UPDATE SET df = df + excluded.df",
        [(w, s, shown[(w, s)], n) for (w, s), n in vocab.items()])


def _term_ids(conn: Any, terms: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    by_lang: dict[str, list[str]] = {}
    for stem, lang in terms:
        by_lang.setdefault(lang, []).append(stem)
    ids: dict[tuple[str, str], int] = {}
    for lang, stems in by_lang.items():
        for term_id, stem in conn.execute(
            "SELECT id, stem FROM search_terms WHERE lang = ? AND stem IN "
            "(SELECT value FROM json_each(?))", (lang, json.dumps(stems))
        ):
            ids[(stem, lang)] = term_id
    return ids


def remove_docs(conn: Any, doc_ids: list[int]) -> None:
    """Take documents out of the index. Call while their versions are still stored
    (the vocabulary counts are read back from their text)."""
    if not doc_ids:
        return
    gone: Counter[tuple[str, str]] = Counter()
    for d in docs_from_store(conn, "WHERE v.doc IN (SELECT value FROM json_each(?))",
                             (json.dumps(doc_ids),)):
        gone.update(_analyse(d).vocabulary())
    conn.executemany("UPDATE search_vocab SET df = df - ? WHERE word = ? AND stem = ?",
                     [(n, w, s) for (w, s), n in gone.items()])
    conn.executemany("DELETE FROM search_vocab WHERE word = ? AND stem = ? AND df <= 0",
                     [(w, s) for w, s in gone])
    _drop_rows(conn, doc_ids)


def _drop_rows(conn: Any, doc_ids: Sequence[int]) -> None:
    """Remove what the index holds for these documents (nothing if it holds nothing)."""
    docs = json.dumps(list(doc_ids))
    present = [r[0] for r in conn.execute(
        "SELECT doc FROM search_docs WHERE doc IN (SELECT value FROM json_each(?))", (docs,))]
    if not present:
        return
    docs = json.dumps(present)
    per_term = Counter(r[0] for r in conn.execute(
        "SELECT term FROM search_postings WHERE doc IN (SELECT value FROM json_each(?))",
        (docs,)))
    conn.executemany("UPDATE search_terms SET df = df - ? WHERE id = ?",
                     [(n, term) for term, n in per_term.items()])
    # Their entries in the packed lists are out of date until those lists are remade.
    conn.executemany("INSERT OR IGNORE INTO search_dirty(term) VALUES (?)",
                     [(term,) for term in sorted(per_term)])
    conn.execute("INSERT OR IGNORE INTO search_stale(doc) SELECT value FROM json_each(?)",
                 (docs,))
    conn.execute("DELETE FROM search_delta WHERE doc IN (SELECT value FROM json_each(?))",
                 (docs,))
    # A term no document holds any more is forgotten, and its bound with it.
    conn.executemany("DELETE FROM search_terms WHERE id = ? AND df <= 0",
                     [(term,) for term in per_term])
    conn.execute("DELETE FROM search_postings WHERE doc IN (SELECT value FROM json_each(?))",
                 (docs,))
    conn.executemany("DELETE FROM search_index WHERE rowid = ?", [(d,) for d in present])
    conn.execute("DELETE FROM search_docs WHERE doc IN (SELECT value FROM json_each(?))",
                 (docs,))
    _set_stat(conn, "docs", max(0.0, _stat(conn, "docs") - len(present)))
    _set_stat(conn, "delta_docs", _stat(conn, "delta_docs") + len(present))


def docs_from_store(conn: Any, where: str = "", params: tuple[Any, ...] = ()) -> list[Doc]:
    rows = conn.execute(
        "SELECT v.doc, v.lang, i.kind, i.country, v.title, v.plain, i.example, i.id, v.fields "
        f"FROM versions v JOIN items i ON i.id = v.item_id {where}",
        params,
    ).fetchall()
    return [Doc(doc, lang, kind, country, title, plain, bool(example), item_id,
                keywords_of(json.loads(fields or "{}")))
            for doc, lang, kind, country, title, plain, example, item_id, fields in rows]


def rebuild(conn: Any, progress: Callable[[int, int, str], None] | None = None) -> int:
    """Re-index everything from the content tables (inside the caller's transaction).

    `progress` may raise to stop; the caller's transaction then keeps the old index.
    """
    for table in ("search_index", "search_docs", "search_terms", "search_postings",
                  "search_vocab", "search_stats", "search_lists", "search_delta",
                  "search_stale", "search_dirty"):
        conn.execute(f"DELETE FROM {table}")
    begin_bulk(conn)
    docs = docs_from_store(conn)
    if docs:  # the scoring function's average length, fixed until the next rebuild
        _set_stat(conn, "avgdl", sum(_analyse(d).length for d in docs[:2000])
                  / min(len(docs), 2000) or DEFAULT_AVGDL)
    for start in range(0, len(docs), REBUILD_CHUNK):
        index_docs(conn, docs[start:start + REBUILD_CHUNK], bulk=True)
        if progress:
            progress(min(start + REBUILD_CHUNK, len(docs)), len(docs), "indexing")
    finish_bulk(conn)
    return len(docs)


def begin_bulk(conn: Any) -> None:
    """Before a large load of new documents: the by-document index of the postings is
    built once at the end (sorting once costs far less than inserting in doc order)."""
    conn.execute("DROP INDEX IF EXISTS search_postings_doc")


def finish_bulk(conn: Any) -> None:
    """After a large load: the by-document index back, the phrase index's segments and
    the packed lists merged."""
    conn.execute("CREATE INDEX IF NOT EXISTS search_postings_doc ON search_postings(doc, term)")
    conn.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")
    merge(conn)


def merge(conn: Any) -> int:
    """Bring the packed lists up to date and forget the delta (inside the caller's
    transaction). A list that a bulk load changed is remade from the postings; any
    other changed list is patched: its stale entries dropped, its delta appended.
    Returns how many lists changed. Queries are exact before and after; a merge only
    makes them read less."""
    import numpy as np
    remake = [r[0] for r in conn.execute(
        "SELECT term FROM search_dirty WHERE remake").fetchall()]
    patch = [r[0] for r in conn.execute(
        "SELECT term FROM search_dirty WHERE NOT remake UNION SELECT term FROM search_delta"
    ).fetchall()]
    if len(remake) > MERGE_SCAN_TERMS:
        conn.execute("DELETE FROM search_lists")
        _write_lists(conn, _every_list(conn), set())
        patch = []
    elif remake:
        def remade() -> Iterable[tuple[int, Any]]:
            for term in remake:
                rows = conn.execute("SELECT doc, impact FROM search_postings WHERE term = ?",
                                    (term,)).fetchall()
                if rows:
                    yield term, np.array(rows, dtype=np.int64)
        _write_lists(conn, remade(), set(remake))
        patch = sorted(set(patch) - set(remake))
    if patch:
        _write_lists(conn, _patched(conn, patch), set(patch))
    for table in ("search_delta", "search_stale", "search_dirty"):
        conn.execute(f"DELETE FROM {table}")
    _set_stat(conn, "delta_docs", 0)
    return len(remake) + len(patch)


def _patched(conn: Any, terms: list[int]) -> Iterable[tuple[int, Any]]:
    """(term, rows of (doc, impact)): each list without its stale entries, with its delta."""
    import numpy as np
    stale = np.array([r[0] for r in conn.execute("SELECT doc FROM search_stale").fetchall()],
                     dtype=np.int64)
    for start in range(0, len(terms), 500):
        chunk = json.dumps(terms[start:start + 500])
        lists = {term: (unpack(docs), unpack(impacts)) for term, docs, impacts in conn.execute(
            "SELECT term, docs, impacts FROM search_lists WHERE term IN "
            "(SELECT value FROM json_each(?))", (chunk,)).fetchall()}
        delta: dict[int, list[tuple[int, int]]] = {}
        for term, doc, value in conn.execute(
            "SELECT term, doc, impact FROM search_delta WHERE term IN "
            "(SELECT value FROM json_each(?))", (chunk,)).fetchall():
            delta.setdefault(term, []).append((doc, value))
        for term in terms[start:start + 500]:
            docs, impacts = lists.get(term, (np.empty(0, np.int64), np.empty(0, np.int64)))
            if stale.size:
                fresh = ~np.isin(docs, stale)
                docs, impacts = docs[fresh], impacts[fresh]
            rows = np.column_stack([docs, impacts])
            if term in delta:
                rows = np.concatenate([rows, np.array(delta[term], dtype=np.int64)])
            if len(rows):
                yield term, rows


def _write_lists(conn: Any, lists: Iterable[tuple[int, Any]], remade: set[int]) -> None:
    """Store each (term, rows of (doc, impact)); terms of `remade` not given are gone."""
    written: set[int] = set()
    batch: list[tuple[int, bytes, bytes]] = []
    for term, rows in lists:
        written.add(term)
        batch.append((term, pack(rows[:, 0]), pack(rows[:, 1])))
        if len(batch) >= 500:
            conn.executemany("INSERT OR REPLACE INTO search_lists(term, docs, impacts) "
                             "VALUES (?, ?, ?)", batch)
            batch = []
    conn.executemany("INSERT OR REPLACE INTO search_lists(term, docs, impacts) VALUES (?, ?, ?)",
                     batch)
    conn.executemany("DELETE FROM search_lists WHERE term = ?",
                     [(term,) for term in sorted(remade - written)])


def _every_list(conn: Any) -> Iterable[tuple[int, Any]]:
    """Every term's postings, from one scan in term order: (term, rows of (doc, impact))."""
    import numpy as np
    cursor = conn.execute("SELECT term, doc, impact FROM search_postings ORDER BY term")
    carry = np.empty((0, 3), dtype=np.int64)
    while True:
        chunk = cursor.fetchmany(200_000)
        rows = np.concatenate([carry, np.array(chunk, dtype=np.int64).reshape(-1, 3)])
        if not len(rows):
            return
        terms = rows[:, 0]
        starts = np.flatnonzero(np.diff(terms)) + 1
        bounds = [0, *starts.tolist(), len(rows)]
        last = len(bounds) - 2 if chunk else len(bounds) - 1  # the last term may go on
        for a, b in itertools.pairwise(bounds[:last + 1]):
            yield int(terms[a]), rows[a:b, 1:]
        carry = rows[bounds[last]:] if chunk else np.empty((0, 3), dtype=np.int64)
        if not chunk:
            return
