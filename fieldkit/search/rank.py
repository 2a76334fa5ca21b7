"""One scoring function, and its exact top results, scored in bulk.

The score of document d for a query made of groups g (a group is what one typed
word or phrase asks for: its alternatives are its analyses in several languages,
its synonyms, the words a prefix can become, or a quoted phrase):

    score(d) = Σ_g max over alternatives a of g matched by d of w(a)·Σ_{s in a} idf(s)·impact(s, d)
    impact(s, d) = round(SCALE·boost(d)·(COORD + tf·(K1 + 1) / (tf + K1·(1 − B + B·len(d)/avgdl))))
    tf = TITLE·tf_title + KEYWORDS·tf_keywords + tf_body          (BM25F)
    idf(s) = round(IDF_SCALE·ln(1 + (N − df(s) + 0.5) / (df(s) + 0.5)))   (over the whole store)

w(a) is TYPED for the word as typed (in any language it may be written in) and
SYNONYM for a synonym from the table. COORD gives every matched group a share
of its idf on top of bm25, so a document that matches more of the query (and
its rarer words) ranks first. Every factor is an integer, so a score is the same
whatever order its terms are added in: the fast path and the definition agree
to the last digit. Results are ordered by (tier, −score, doc) and kept one per
item, best first, where the tier puts the reader's language before the others
and, within each, documents that match every group before those that match only
some. Documents matching an excluded group, or outside the filters, are left out.

`Ranker.top` reads each query word's packed list (`indexer.py`: one row per
term, plus the few postings changed since the last merge) and scores every
document of the lists at once with numpy: a few thousand postings per word at
50,000 items cost tens of microseconds, less than looking documents up one by
one. `exhaustive` is the definition, scored document by document from the
postings table: the tests hold the two equal.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SCALE = 1000
IDF_SCALE = 1000
K1 = 1.2
B = 0.75
COORD = 1.0
TITLE_WEIGHT = 3.0
KEYWORDS_WEIGHT = 3.0
BODY_WEIGHT = 1.0
DEFAULT_AVGDL = 200.0
TYPED, SYNONYM = 2, 1   # a synonym from the table counts half as much as the word typed
EVAL_CHUNK = 400
FIRST_CANDIDATES = 64   # documents looked at first for k results (more if filters refuse)
# Arrays are indexed by document number (no mapping: the usual case) unless the numbers
# in play pass SPARSE_FROM and SPARSE_FACTOR times the entries read; then by rank among
# the documents read.
SPARSE_FROM = 1 << 18
SPARSE_FACTOR = 16
PHRASE_COLUMNS = "{title body keywords}"
LIST_DTYPE = "<i4"  # a packed list: doc ids, and impacts, little-endian
# numpy is imported where it is used: it costs the app's start ~60 ms, and the first
# search (or write) is soon enough.


def pack(values: Any) -> bytes:
    import numpy as np
    return np.asarray(values, dtype=LIST_DTYPE).tobytes()


def unpack(blob: bytes) -> Any:
    import numpy as np
    return np.frombuffer(blob, dtype=LIST_DTYPE).astype(np.int64)


def impact(in_title: int, in_keywords: int, in_body: int, length: int, avgdl: float,
           boost: float) -> int:
    """A word's share of a document's score, before idf (an integer, stored)."""
    tf = TITLE_WEIGHT * in_title + KEYWORDS_WEIGHT * in_keywords + BODY_WEIGHT * in_body
    norm = K1 * (1 - B + B * length / avgdl)
    return max(1, round(SCALE * boost * (COORD + tf * (K1 + 1) / (tf + norm))))


def idf(df: int, total: int) -> int:
    """Inverse document frequency in units of 1/IDF_SCALE (at least 1: a word every
    document holds still counts for the documents that match it)."""
    return max(1, round(IDF_SCALE * math.log(1 + (max(total, df) - df + 0.5) / (df + 0.5))))


def score_scale() -> int:
    """What an integer score is divided by to be read in the scale of bm25."""
    return SCALE * IDF_SCALE * TYPED


@dataclass(frozen=True)
class Group:
    """One thing the query asks for: any of its alternatives (a stem, or a phrase's stems),
    each with an integer weight (TYPED, or SYNONYM for a synonym from the table)."""

    alts: tuple[tuple[str, ...], ...]
    label: str = ""
    weights: tuple[int, ...] = ()

    def weight(self, index: int) -> int:
        return self.weights[index] if self.weights else TYPED

    @property
    def stems(self) -> set[str]:
        return {s for alt in self.alts for s in alt}


@dataclass(frozen=True)
class Hit:
    doc: int
    item: str
    lang: str
    score: float            # in the scale of bm25
    matched: tuple[int, ...]  # indexes of the query groups this document matches


@dataclass(frozen=True)
class _Eval:
    item: str
    lang: str
    kind: str
    country: str | None
    score: int
    matched: tuple[bool, ...]
    excluded: bool


@dataclass
class _Scored:
    """Every document of one tier's lists, scored: parallel arrays."""

    docs: Any      # doc ids (int64)
    scores: Any    # integer scores (int64)
    counts: Any    # how many groups each document matches
    has: list[Any]  # per group, a boolean array: the document matches it
    ids: Any = None  # when set, `has` is indexed by rank in these doc ids, not by id

    def matched(self, doc: int) -> tuple[int, ...]:
        at = doc if self.ids is None else int(self.ids.searchsorted(doc))
        return tuple(i for i, h in enumerate(self.has) if h[at])


ALL, SOME, ANY = "all", "some", "any"


class Ranker:
    """Scores for one query, read in one snapshot of the store."""

    def __init__(self, conn: Any, groups: list[Group], excluded: list[Group],
                 kind: str | None = None, country: str | None = None) -> None:
        self.conn = conn
        self.groups = groups
        self.excluded = excluded
        self.kind = kind
        self.country = country.upper() if country else None
        stems = sorted({s for g in (*groups, *excluded) for s in g.stems})
        self.terms: dict[str, dict[str, int]] = {}  # stem -> language -> term id
        df: dict[str, int] = {}
        self._stem_of: dict[int, str] = {}
        for term, stem, lang, count in conn.execute(
            "SELECT id, stem, lang, df FROM search_terms WHERE stem IN "
            "(SELECT value FROM json_each(?))", (json.dumps(stems),)
        ).fetchall():
            self.terms.setdefault(stem, {})[lang] = term
            df[stem] = df.get(stem, 0) + count
            self._stem_of[term] = stem
        row = conn.execute("SELECT value FROM search_stats WHERE key = 'docs'").fetchone()
        total = int(row[0]) if row else 0
        self.df = df
        self.idf = {s: idf(df.get(s, 0), total) for s in stems}
        self.languages = {lang for per in self.terms.values() for lang in per}
        self.evals: dict[int, _Eval | None] = {}
        self._phrases: dict[tuple[str, ...], set[int]] = {}
        self._scored: dict[frozenset[str], _Scored] = {}
        self._meta: dict[int, tuple[str, str, str, str | None] | None] = {}

    # -- reading the lists -----------------------------------------------------

    def _lists(self, terms: list[int]) -> dict[int, tuple[Any, Any]]:
        """term -> (docs, impacts): its packed list without stale entries, plus the
        postings indexed since the last merge."""
        import numpy as np
        if not terms:
            return {}
        listed = json.dumps(terms)
        stale = np.array([r[0] for r in self.conn.execute(
            "SELECT doc FROM search_stale").fetchall()], dtype=np.int64)
        found: dict[int, tuple[Any, Any]] = {}
        for term, docs, impacts in self.conn.execute(
            "SELECT term, docs, impacts FROM search_lists WHERE term IN "
            "(SELECT value FROM json_each(?))", (listed,)
        ).fetchall():
            d, i = unpack(docs), unpack(impacts)
            if stale.size:
                fresh = ~np.isin(d, stale)
                d, i = d[fresh], i[fresh]
            found[term] = (d, i)
        delta: dict[int, list[tuple[int, int]]] = {}
        for term, doc, value in self.conn.execute(
            "SELECT term, doc, impact FROM search_delta WHERE term IN "
            "(SELECT value FROM json_each(?))", (listed,)
        ).fetchall():
            delta.setdefault(term, []).append((doc, value))
        for term, rows in delta.items():
            extra = np.array(rows, dtype=np.int64)
            d, i = found.get(term, (np.empty(0, np.int64), np.empty(0, np.int64)))
            found[term] = (np.concatenate([d, extra[:, 0]]), np.concatenate([i, extra[:, 1]]))
        return found

    def _tier_terms(self, stem: str, langs: set[str]) -> list[int]:
        return [t for lang, t in sorted(self.terms.get(stem, {}).items()) if lang in langs]

    def _score_tier(self, langs: set[str]) -> _Scored:
        """Every document of the query's lists in these languages, scored by the
        definition's operations on whole arrays (integers: any order gives the same)."""
        import numpy as np
        cached = self._scored.get(frozenset(langs))
        if cached is not None:
            return cached
        stems = sorted({s for g in (*self.groups, *self.excluded) for s in g.stems})
        lists = self._lists([t for s in stems for t in self._tier_terms(s, langs)])
        size = 1 + max((int(d.max()) for d, _ in lists.values() if d.size), default=0)
        entries = sum(d.size for d, _ in lists.values())
        ids = None  # document numbers, when the arrays are indexed by rank among them
        if entries and size > max(SPARSE_FROM, SPARSE_FACTOR * entries):
            # Numbers spread far apart (years of replaced items): index by rank among the
            # documents read, not by number, so the arrays stay as small as the lists.
            ids = np.unique(np.concatenate([d for d, _ in lists.values()]))
            lists = {t: (np.searchsorted(ids, d), i) for t, (d, i) in lists.items()}
            size = ids.size
        per_stem: dict[str, tuple[Any, Any]] = {}
        for stem in stems:
            parts = [lists[t] for t in self._tier_terms(stem, langs) if t in lists]
            if parts:
                per_stem[stem] = (np.concatenate([d for d, _ in parts]),
                                  np.concatenate([i for _, i in parts]))

        def group_best(group: Group) -> Any:
            best = np.zeros(size, dtype=np.int64)
            for index, alt in enumerate(group.alts):
                factor = group.weight(index)
                if len(alt) == 1:
                    if alt[0] not in per_stem:
                        continue
                    docs, values = per_stem[alt[0]]
                    scored = values * (self.idf[alt[0]] * factor)
                    best[docs] = np.maximum(best[docs], scored)
                    continue
                if not all(s in per_stem for s in alt):
                    continue
                holding = np.array(sorted(self.phrase_docs(alt)), dtype=np.int64)
                if ids is not None:
                    at = np.searchsorted(ids, holding).clip(max=max(ids.size - 1, 0))
                    holding = at[ids[at] == holding] if ids.size else at[:0]
                holding = holding[holding < size]
                total = np.zeros(holding.size, dtype=np.int64)
                present = np.ones(holding.size, dtype=bool)
                for stem in alt:
                    dense = np.zeros(size, dtype=np.int64)
                    docs, values = per_stem[stem]
                    dense[docs] = values
                    present &= dense[holding] > 0
                    total += dense[holding] * self.idf[stem]
                holding, total = holding[present], total[present] * factor
                best[holding] = np.maximum(best[holding], total)
            return best

        bests = [group_best(g) for g in self.groups]
        has = [b > 0 for b in bests]
        counts = np.zeros(size, dtype=np.int64)
        scores = np.zeros(size, dtype=np.int64)
        for b, h in zip(bests, has, strict=True):
            counts += h
            scores += b
        keep = counts > 0
        for g in self.excluded:
            keep &= group_best(g) == 0
        at = np.flatnonzero(keep)
        scored = _Scored(ids[at] if ids is not None else at, scores[at], counts[at], has, ids)
        self._scored[frozenset(langs)] = scored
        return scored

    # -- top k of one tier -----------------------------------------------------

    def top(self, langs: set[str], mode: str, k: int, skip_items: set[str]) -> list[Hit]:
        """The best k items of one tier, in the definition's order."""
        import numpy as np
        if k <= 0 or not self.groups:
            return []
        tier = self._score_tier(langs)
        groups = len(self.groups)
        if mode == ALL:
            chosen = tier.counts == groups
        elif mode == SOME:
            chosen = tier.counts < groups
        else:
            chosen = np.ones(tier.docs.size, dtype=bool)
        docs, scores = tier.docs[chosen], tier.scores[chosen]
        wanted = k + len(skip_items) + FIRST_CANDIDATES
        while True:
            if docs.size > wanted:  # the best `wanted` scores, every tie at the edge included
                edge = np.partition(scores, docs.size - wanted)[docs.size - wanted]
                near = scores >= edge
                cand_docs, cand_scores = docs[near], scores[near]
            else:
                cand_docs, cand_scores = docs, scores
            order = np.lexsort((cand_docs, -cand_scores))
            hits = self._take([int(d) for d in cand_docs[order]],
                              [int(s) for s in cand_scores[order]], langs, k, skip_items)
            if len(hits) >= k or cand_docs.size == docs.size:
                return hits
            wanted *= 4

    def _take(self, docs: list[int], scores: list[int], langs: set[str], k: int,
              skip_items: set[str]) -> list[Hit]:
        """Walk documents best first, keeping those the filters admit, one per item."""
        hits: list[Hit] = []
        items: set[str] = set()
        tier = self._score_tier(langs)
        start, size = 0, k + 8
        while start < len(docs):
            chunk = docs[start:start + size]
            self._load_meta(chunk)
            for offset, doc in enumerate(chunk):
                meta = self._meta.get(doc)
                if meta is None:
                    continue
                item, lang, kind, country = meta
                if lang not in langs or item in skip_items or item in items:
                    continue
                if self.kind and kind != self.kind:
                    continue
                if self.country and (country or "").upper() != self.country:
                    continue
                items.add(item)
                matched = tier.matched(doc)
                hits.append(Hit(doc, item, lang, scores[start + offset] / score_scale(),
                                matched))
                if len(hits) >= k:
                    return hits
            start, size = start + size, min(size * 2, EVAL_CHUNK)
        return hits

    def _load_meta(self, docs: Iterable[int]) -> None:
        missing = [d for d in docs if d not in self._meta]
        if not missing:
            return
        for doc in missing:
            self._meta[doc] = None  # deleted meanwhile, or never indexed
        for doc, item, lang, kind, country in self.conn.execute(
            "SELECT doc, item, lang, kind, country FROM search_docs "
            "WHERE doc IN (SELECT value FROM json_each(?))", (json.dumps(missing),)
        ).fetchall():
            self._meta[doc] = (item, lang, kind, country)

    # -- the definition: one document at a time ------------------------------------

    def _evaluate(self, docs: Iterable[int]) -> None:
        new = [d for d in dict.fromkeys(docs) if d not in self.evals]
        ids = json.dumps(list(self._stem_of))
        for start in range(0, len(new), EVAL_CHUNK):
            chunk = new[start:start + EVAL_CHUNK]
            self._load_meta(chunk)
            impacts: dict[int, dict[str, int]] = {}
            for doc, term, value in self.conn.execute(
                "SELECT doc, term, impact FROM search_postings WHERE doc IN "
                "(SELECT value FROM json_each(?)) AND term IN (SELECT value FROM json_each(?))",
                (json.dumps(chunk), ids),
            ).fetchall():
                impacts.setdefault(doc, {})[self._stem_of[term]] = value
            for doc in chunk:
                meta = self._meta.get(doc)
                if meta is None:
                    self.evals[doc] = None
                    continue
                item, lang, kind, country = meta
                score, matched, excluded = self._score(doc, impacts.get(doc, {}))
                self.evals[doc] = _Eval(item, lang, kind, country, score, matched, excluded)

    def _score(self, doc: int, found: dict[str, int]) -> tuple[int, tuple[bool, ...], bool]:
        """The score of one document from its impacts: (score, groups matched, excluded)."""
        score = 0
        matched = []
        for group in self.groups:
            best = self._group_score(group, found, doc)
            matched.append(best is not None)
            score += best if best is not None else 0
        excluded = any(self._group_score(g, found, doc) is not None for g in self.excluded)
        return score, tuple(matched), excluded

    def phrase_docs(self, alt: tuple[str, ...]) -> set[int]:
        """Every document holding the phrase (FTS5 merges the position lists, once)."""
        found = self._phrases.get(alt)
        if found is None:
            phrase = f'{PHRASE_COLUMNS} : "{" ".join(alt)}"'
            found = self._phrases[alt] = {r[0] for r in self.conn.execute(
                "SELECT rowid FROM search_index WHERE search_index MATCH ?", (phrase,)).fetchall()}
        return found

    def _group_score(self, group: Group, found: dict[str, int], doc: int) -> int | None:
        best: int | None = None
        for index, alt in enumerate(group.alts):
            if len(alt) > 1 and doc not in self.phrase_docs(alt):
                continue
            if not all(stem in found for stem in alt):
                continue
            total = group.weight(index) * sum(self.idf[stem] * found[stem] for stem in alt)
            if best is None or total > best:
                best = total
        return best

    def _admits(self, e: _Eval | None, langs: set[str], mode: str,
                skip_items: set[str]) -> bool:
        if e is None or e.excluded or e.lang not in langs or e.item in skip_items:
            return False
        if self.kind and e.kind != self.kind:
            return False
        if self.country and (e.country or "").upper() != self.country:
            return False
        if mode == ALL:
            return all(e.matched)
        if mode == SOME:
            return any(e.matched) and not all(e.matched)
        return any(e.matched)

    def all_matches(self, langs: set[str]) -> list[int]:
        """Every document holding a stem of the query in these languages."""
        terms = [t for g in self.groups for s in g.stems for t in self._tier_terms(s, langs)]
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT doc FROM search_postings WHERE term IN "
            "(SELECT value FROM json_each(?))", (json.dumps(terms),)).fetchall()]

    def hit(self, doc: int) -> Hit:
        e = self.evals[doc]
        assert e is not None
        return Hit(doc, e.item, e.lang, e.score / score_scale(),
                   tuple(i for i, m in enumerate(e.matched) if m))


def tiers(ranker: Ranker, reader: str, narrow: str | None) -> list[tuple[set[str], str]]:
    """The order in which results are taken: language tier, then all-words before some."""
    modes = [ALL, SOME] if len(ranker.groups) > 1 else [ANY]
    lang_tiers = [{narrow}] if narrow else [{reader}, ranker.languages - {reader}]
    return [(langs, mode) for langs in lang_tiers for mode in modes if langs]


def ranked(ranker: Ranker, reader: str, narrow: str | None, limit: int) -> list[Hit]:
    """The best `limit` items, exactly as `exhaustive` orders them."""
    hits: list[Hit] = []
    items: set[str] = set()
    for langs, mode in tiers(ranker, reader, narrow):
        found = ranker.top(langs, mode, limit - len(hits), items)
        hits += found
        items.update(h.item for h in found)
        if len(hits) >= limit:
            break
    return hits


def exhaustive(ranker: Ranker, reader: str, narrow: str | None, limit: int) -> list[Hit]:
    """The definition: score every match, order by (tier, −score, doc), one per item."""
    order = tiers(ranker, reader, narrow)
    every = set().union(*(langs for langs, _ in order)) if order else set()
    docs = ranker.all_matches(every)
    ranker._evaluate(docs)
    keyed = []
    for doc in docs:
        e = ranker.evals[doc]
        for position, (langs, mode) in enumerate(order):
            if ranker._admits(e, langs, mode, set()):
                assert e is not None
                keyed.append((position, -e.score, doc))
                break
    hits: list[Hit] = []
    items: set[str] = set()
    for _, _, doc in sorted(keyed):
        e = ranker.evals[doc]
        assert e is not None
        if e.item not in items:
            items.add(e.item)
            hits.append(ranker.hit(doc))
        if len(hits) >= limit:
            break
    return hits
