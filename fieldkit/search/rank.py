"""One scoring function, and the exact top results without scoring every match.

The score of document d for a query made of groups g (a group is what one typed
word or phrase asks for: its alternatives are its analyses in several languages,
its synonyms, the words a prefix can become, or a quoted phrase):

    score(d) = Σ_g max over alternatives a of g matched by d of w(a)·Σ_{s in a} idf(s)·impact(s, d)
    impact(s, d) = round(SCALE·boost(d)·(COORD + tf·(K1 + 1) / (tf + K1·(1 − B + B·len(d)/avgdl))))
    tf = TITLE·tf_title + KEYWORDS·tf_keywords + tf_body          (BM25F)
    idf(s) = ln(1 + (N − df(s) + 0.5) / (df(s) + 0.5))           (over the whole store)

w(a) is 1 for the word as typed (in any language it may be written in) and less for
a synonym from the table. COORD gives every matched group a share of its idf on top
of bm25, so a document that matches more of the query (and its rarer words) ranks first. Results are
ordered by (tier, −score, doc) and kept one per item, best first, where the tier
puts the reader's language before the others and, within each, documents that
match every group before those that match only some. Documents matching an
excluded group, or outside the filters, are left out.

`Ranker.top` finds the best k of one tier with the threshold algorithm over
impact-ordered postings: it reads the lists with the highest remaining bound
first, scores each newly seen document completely (random access by document),
and stops when the k-th best score exceeds what any unseen document could
reach. Floating-point sums are formed in the same order for scores and bounds,
so the bounds are true bounds and the answer is exactly `exhaustive()`'s.
"""

from __future__ import annotations

import heapq
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SCALE = 1000
K1 = 1.2
B = 0.75
COORD = 1.0
TITLE_WEIGHT = 3.0
KEYWORDS_WEIGHT = 3.0
BODY_WEIGHT = 1.0
DEFAULT_AVGDL = 200.0
FIRST_BLOCK = 32
MAX_BLOCK = 2048
EVAL_CHUNK = 400
# A query of several groups whose lists hold up to this many postings in a tier reads them
# whole and scores what it read: the threshold algorithm would look up most of their
# documents one by one (each look-up costs ~50 postings read). One group (a word, its
# forms, a prefix) is always answered by the threshold algorithm: its best impacts are
# its best scores, so it stops after about k documents.
WHOLE_LISTS = 20_000
PHRASE_COLUMNS = "{title body keywords}"


def impact(in_title: int, in_keywords: int, in_body: int, length: int, avgdl: float,
           boost: float) -> int:
    """A word's share of a document's score, before idf (an integer, stored)."""
    tf = TITLE_WEIGHT * in_title + KEYWORDS_WEIGHT * in_keywords + BODY_WEIGHT * in_body
    norm = K1 * (1 - B + B * length / avgdl)
    return max(1, round(SCALE * boost * (COORD + tf * (K1 + 1) / (tf + norm))))


def idf(df: int, total: int) -> float:
    return math.log(1 + (max(total, df) - df + 0.5) / (df + 0.5))


@dataclass(frozen=True)
class Group:
    """One thing the query asks for: any of its alternatives (a stem, or a phrase's stems),
    each with a weight (a synonym counts less than the word typed)."""

    alts: tuple[tuple[str, ...], ...]
    label: str = ""
    weights: tuple[float, ...] = ()

    def weight(self, index: int) -> float:
        return self.weights[index] if self.weights else 1.0

    @property
    def stems(self) -> set[str]:
        return {s for alt in self.alts for s in alt}


@dataclass(frozen=True)
class Hit:
    doc: int
    item: str
    lang: str
    score: float            # in the scale of bm25 (impacts divided by SCALE)
    matched: tuple[int, ...]  # indexes of the query groups this document matches


@dataclass(frozen=True)
class _Eval:
    item: str
    lang: str
    kind: str
    country: str | None
    score: float
    matched: tuple[bool, ...]
    excluded: bool


ALL, SOME, ANY = "all", "some", "any"


class _Stream:
    """One posting list (a stem in one language), read best impact first."""

    def __init__(self, conn: Any, term: int, bound: int) -> None:
        self.conn = conn
        self.term = term
        self.offset = 0
        self.last = bound    # no unread entry has a higher impact
        self.done = False
        self.block = FIRST_BLOCK

    def read(self) -> list[tuple[int, int]]:
        """The next block of (impact, doc), best first."""
        wanted = self.block  # blocks of doubling size: few statements, little read ahead
        rows = self.conn.execute(
            "SELECT impact, doc FROM search_postings WHERE term = ? "
            "ORDER BY impact DESC, doc LIMIT ? OFFSET ?", (self.term, wanted, self.offset)
        ).fetchall()
        self.offset += len(rows)
        self.block = min(wanted * 2, MAX_BLOCK)
        if rows:
            self.last = rows[-1][0]
        if len(rows) < wanted:
            self.done = True
            self.last = 0
        return [(int(impact), int(doc)) for impact, doc in rows]


class Ranker:
    """Scores for one query; documents scored once are remembered across tiers."""

    def __init__(self, conn: Any, groups: list[Group], excluded: list[Group],
                 kind: str | None = None, country: str | None = None) -> None:
        self.conn = conn
        self.groups = groups
        self.excluded = excluded
        self.kind = kind
        self.country = country.upper() if country else None
        stems = sorted({s for g in (*groups, *excluded) for s in g.stems})
        # stem -> language -> (term id, max impact)
        self.terms: dict[str, dict[str, tuple[int, int]]] = {}
        df: dict[str, int] = {}
        self._stem_of: dict[int, str] = {}
        self._df_by_lang: dict[str, dict[str, int]] = {}
        for term, stem, lang, count, top in conn.execute(
            "SELECT id, stem, lang, df, max_impact FROM search_terms WHERE stem IN "
            "(SELECT value FROM json_each(?))", (json.dumps(stems),)
        ).fetchall():
            self.terms.setdefault(stem, {})[lang] = (term, top)
            self._df_by_lang.setdefault(stem, {})[lang] = count
            df[stem] = df.get(stem, 0) + count
            self._stem_of[term] = stem
        row = conn.execute("SELECT value FROM search_stats WHERE key = 'docs'").fetchone()
        total = int(row[0]) if row else 0
        self.df = df
        self.idf = {s: idf(df.get(s, 0), total) for s in stems}
        self.languages = {lang for per in self.terms.values() for lang in per}
        self.evals: dict[int, _Eval | None] = {}
        self._phrases: dict[tuple[str, ...], set[int]] = {}
        # languages -> every document of the lists, scored: (-score, doc, groups matched)
        self._whole: dict[frozenset[str], list[tuple[float, int, tuple[bool, ...]]]] = {}

    # -- scoring one document ------------------------------------------------

    def _evaluate(self, docs: Iterable[int]) -> None:
        new = [d for d in dict.fromkeys(docs) if d not in self.evals]
        ids = json.dumps(list(self._stem_of))
        for start in range(0, len(new), EVAL_CHUNK):
            chunk = new[start:start + EVAL_CHUNK]
            listed = json.dumps(chunk)
            meta = {doc: rest for doc, *rest in self.conn.execute(
                "SELECT doc, item, lang, kind, country FROM search_docs "
                "WHERE doc IN (SELECT value FROM json_each(?))", (listed,)).fetchall()}
            impacts: dict[int, dict[str, int]] = {}
            for doc, term, value in self.conn.execute(
                "SELECT doc, term, impact FROM search_postings WHERE doc IN "
                "(SELECT value FROM json_each(?)) AND term IN (SELECT value FROM json_each(?))",
                (listed, ids),
            ).fetchall():
                impacts.setdefault(doc, {})[self._stem_of[term]] = value
            phrases = self._phrase_matches(impacts)
            for doc in chunk:
                if doc not in meta:
                    self.evals[doc] = None  # deleted meanwhile, or never indexed
                    continue
                item, lang, kind, country = meta[doc]
                score, matched, excluded = self._score(doc, impacts.get(doc, {}), phrases)
                self.evals[doc] = _Eval(item, lang, kind, country, score, matched, excluded)

    def _score(self, doc: int, found: dict[str, int],
               phrases: dict[tuple[str, ...], set[int]]) -> tuple[float, tuple[bool, ...], bool]:
        """The score of one document from its impacts: (score, groups matched, excluded)."""
        score = 0.0
        matched = []
        for group in self.groups:
            best = self._group_score(group, found, phrases, doc)
            matched.append(best is not None)
            score += best if best is not None else 0.0
        excluded = any(self._group_score(g, found, phrases, doc) is not None
                       for g in self.excluded)
        return score, tuple(matched), excluded

    def _phrase_matches(self, impacts: dict[int, dict[str, int]]) -> dict[tuple[str, ...],
                                                                           set[int]]:
        """For each phrase of the query, the documents in which it occurs."""
        del impacts
        return {alt: self.phrase_docs(alt) for g in (*self.groups, *self.excluded)
                for alt in g.alts if len(alt) > 1}

    def phrase_docs(self, alt: tuple[str, ...]) -> set[int]:
        """Every document holding the phrase (FTS5 merges the position lists, once)."""
        found = self._phrases.get(alt)
        if found is None:
            phrase = f'{PHRASE_COLUMNS} : "{" ".join(alt)}"'
            found = self._phrases[alt] = {r[0] for r in self.conn.execute(
                "SELECT rowid FROM search_index WHERE search_index MATCH ?", (phrase,)).fetchall()}
        return found

    def _group_score(self, group: Group, found: dict[str, int],
                     phrases: dict[tuple[str, ...], set[int]], doc: int) -> float | None:
        best: float | None = None
        for index, alt in enumerate(group.alts):
            if len(alt) > 1 and doc not in phrases.get(alt, ()):
                continue
            total = 0.0
            for stem in alt:
                value = found.get(stem)
                if value is None:
                    break
                total += self.idf[stem] * value
            else:
                total *= group.weight(index)
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

    # -- bounds ----------------------------------------------------------------

    def _max_impact(self, stem: str, langs: set[str]) -> int:
        return max((top for lang, (_, top) in self.terms.get(stem, {}).items()
                    if lang in langs), default=0)

    def _driver(self, alt: tuple[str, ...]) -> str:
        """The alternative's rarest stem: its list is the one read for it."""
        return min(alt, key=lambda s: (self.df.get(s, 0), s))

    def _alt_bound(self, group: Group, index: int, langs: set[str],
                   driver_last: int | None) -> float:
        """What an unseen document can score on an alternative (the operations of
        `_group_score` in the same order, on values at least as large)."""
        alt = group.alts[index]
        driver = self._driver(alt)
        total = 0.0
        for stem in alt:
            value = driver_last if (stem == driver and driver_last is not None) else \
                self._max_impact(stem, langs)
            total += self.idf[stem] * value
        return total * group.weight(index)

    # -- top k of one tier -----------------------------------------------------

    def top(self, langs: set[str], mode: str, k: int, skip_items: set[str]) -> list[Hit]:
        if k <= 0 or not self.groups:
            return []
        if len(self.groups) > 1 and self._postings(langs) <= WHOLE_LISTS:
            return self._top_from_whole_lists(langs, mode, k, skip_items)
        streams: dict[tuple[int, int], list[_Stream]] = {}  # (group, alt) -> its lists
        for gi, group in enumerate(self.groups):
            for ai, alt in enumerate(group.alts):
                if any(not self._max_impact(s, langs) for s in alt):
                    continue  # a stem this tier's languages lack: the alternative cannot match
                per_lang = self.terms.get(self._driver(alt), {})
                streams[(gi, ai)] = [_Stream(self.conn, term, top)
                                     for lang, (term, top) in sorted(per_lang.items())
                                     if lang in langs]
        readable = set(range(len(self.groups)))
        if mode == ALL:  # every match is in the lists of the rarest group: read those only
            def group_df(gi: int) -> int:
                return sum(self.df.get(self._driver(a), 0) for a in self.groups[gi].alts)
            readable = {min(range(len(self.groups)), key=group_df)}
        best: dict[str, tuple[float, int]] = {}  # item -> (-score, doc)
        seen: set[int] = set()
        while True:
            bounds = self._group_bounds(streams, langs, readable)
            live = [(bound, gi) for gi, bound in enumerate(bounds)
                    if gi in readable and self._live(streams, gi)]
            if not live:
                break
            if mode == ALL and not all(self._live(streams, gi) for gi in readable):
                break
            threshold = 0.0
            for bound in bounds:
                threshold += bound
            if len(best) >= k:
                kth = heapq.nsmallest(k, best.values())[-1]
                if threshold < -kth[0]:
                    break
            _, gi = max(live)
            stream, ai = self._next_stream(streams, gi, langs)
            group = self.groups[gi]
            rows = [(i, d) for i, d in stream.read() if d not in seen]
            if len(group.alts[ai]) > 1:  # a phrase: only its documents match through this list
                holding = self.phrase_docs(group.alts[ai])
                rows = [(i, d) for i, d in rows if d in holding]
            seen.update(d for _, d in rows)
            if len(best) >= k:
                # A document first seen here scores at most its share in this list plus
                # what the other lists can still give (it is in none of their read parts).
                kth_score = -heapq.nsmallest(k, best.values())[-1][0]
                after = self._group_bounds(streams, langs, readable)
                rows = [(i, d) for i, d in rows if d in self.evals or
                        self._seen_bound(after, gi, ai, i, langs) >= kth_score]
            docs = [d for _, d in rows]
            self._evaluate(docs)
            for doc in docs:
                e = self.evals[doc]
                if e is not None and self._admits(e, langs, mode, skip_items):
                    key = (-e.score, doc)
                    if e.item not in best or key < best[e.item]:
                        best[e.item] = key
        return self._hits(sorted(best.values())[:k])

    # -- short lists: read whole ---------------------------------------------------

    def _postings(self, langs: set[str]) -> int:
        """How many postings the query's lists hold in these languages."""
        stems = {s for g in (*self.groups, *self.excluded) for s in g.stems}
        return sum(count for s in stems for lang, count in self._df_by_lang.get(s, {}).items()
                   if lang in langs)

    def _top_from_whole_lists(self, langs: set[str], mode: str, k: int,
                              skip_items: set[str]) -> list[Hit]:
        """Every list of the query read whole, every document in them scored from what
        was read: when the lists are short, far cheaper than looking up documents one by
        one (the operations of `_score`, so the same answer)."""
        scored = self._whole.get(frozenset(langs))
        if scored is None:
            scored = self._score_whole_lists(langs)
            self._whole[frozenset(langs)] = scored
        wanted = [(key, doc, matched) for key, doc, matched in scored
                  if (all(matched) if mode == ALL else
                      not all(matched) if mode == SOME else True)]
        best: list[tuple[float, int]] = []
        items: set[str] = set()
        for start in range(0, len(wanted), EVAL_CHUNK):
            chunk = wanted[start:start + EVAL_CHUNK]
            missing = json.dumps([doc for _, doc, _ in chunk if doc not in self.evals])
            meta = {doc: rest for doc, *rest in self.conn.execute(
                "SELECT doc, item, lang, kind, country FROM search_docs "
                "WHERE doc IN (SELECT value FROM json_each(?))", (missing,)).fetchall()}
            for key, doc, matched in chunk:
                if doc not in self.evals:
                    if doc in meta:
                        item, lang, kind, country = meta[doc]
                        self.evals[doc] = _Eval(item, lang, kind, country, -key, matched,
                                                False)
                    else:
                        self.evals[doc] = None
            for key, doc, _ in chunk:
                e = self.evals[doc]
                if e is not None and e.item not in items and \
                        self._admits(e, langs, mode, skip_items):
                    items.add(e.item)
                    best.append((key, doc))
                    if len(best) >= k:
                        return self._hits(best)
        return self._hits(best)

    def _score_whole_lists(self, langs: set[str]) -> list[tuple[float, int, tuple[bool, ...]]]:
        """(-score, doc, groups matched) of every document in the query's lists, best
        first. Group by group, with the very operations of `_score` (same floats)."""
        postings: dict[str, list[tuple[int, int]]] = {}  # stem -> (doc, impact)
        for stem in {s for g in (*self.groups, *self.excluded) for s in g.stems}:
            for lang, (term, _) in self.terms.get(stem, {}).items():
                if lang in langs:
                    postings.setdefault(stem, []).extend(self.conn.execute(
                        "SELECT doc, impact FROM search_postings WHERE term = ?", (term,)
                    ).fetchall())

        def group_best(group: Group) -> dict[int, float]:
            best: dict[int, float] = {}
            for index, alt in enumerate(group.alts):
                weight = group.weight(index)
                if len(alt) == 1:
                    factor = self.idf[alt[0]]
                    for doc, value in postings.get(alt[0], ()):
                        total = 0.0
                        total += factor * value
                        total *= weight
                        if total > best.get(doc, -1.0):
                            best[doc] = total
                    continue
                per_stem = [dict(postings.get(stem, ())) for stem in alt]
                for doc in self.phrase_docs(alt):
                    if not all(doc in values for values in per_stem):
                        continue
                    total = 0.0
                    for stem, values in zip(alt, per_stem, strict=True):
                        total += self.idf[stem] * values[doc]
                    total *= weight
                    if total > best.get(doc, -1.0):
                        best[doc] = total
            return best

        per_group = [group_best(g) for g in self.groups]
        excluded: set[int] = set()
        for g in self.excluded:
            excluded.update(group_best(g))
        docs = set().union(*per_group) - excluded
        scored = []
        for doc in docs:
            score = 0.0
            matched = []
            for best in per_group:
                value = best.get(doc)
                matched.append(value is not None)
                score += value if value is not None else 0.0
            scored.append((-score, doc, tuple(matched)))
        scored.sort()
        return scored

    # -- long lists: the threshold algorithm ---------------------------------------

    def _seen_bound(self, bounds: list[float], gi: int, ai: int, impact: int,
                    langs: set[str]) -> float:
        """What a document seen for the first time in list (group gi, alternative ai) at
        `impact` can score: summed in the order of the score."""
        total = 0.0
        for g, bound in enumerate(bounds):
            if g == gi:
                bound = max(bound, self._alt_bound(self.groups[gi], ai, langs, impact))
            total += bound
        return total

    def _live(self, streams: dict[tuple[int, int], list[_Stream]], gi: int) -> bool:
        return any(not s.done for (g, _), ss in streams.items() if g == gi for s in ss)

    def _group_bounds(self, streams: dict[tuple[int, int], list[_Stream]], langs: set[str],
                      readable: set[int]) -> list[float]:
        bounds = []
        for gi, group in enumerate(self.groups):
            bound = 0.0
            for ai in range(len(group.alts)):
                lists = streams.get((gi, ai))
                if lists is None:
                    continue
                if gi in readable:
                    open_lists = [s.last for s in lists if not s.done]
                    if not open_lists:
                        continue
                    value = self._alt_bound(group, ai, langs, max(open_lists))
                else:
                    value = self._alt_bound(group, ai, langs, None)
                bound = max(bound, value)
            bounds.append(bound)
        return bounds

    def _next_stream(self, streams: dict[tuple[int, int], list[_Stream]], gi: int,
                     langs: set[str]) -> tuple[_Stream, int]:
        options = []
        for (g, ai), lists in streams.items():
            if g != gi:
                continue
            group = self.groups[gi]
            for s in lists:
                if not s.done:
                    options.append((self._alt_bound(group, ai, langs, s.last), id(s), s, ai))
        best = max(options, key=lambda o: (o[0], -o[1]))
        return best[2], best[3]

    def _hits(self, keys: list[tuple[float, int]]) -> list[Hit]:
        hits = []
        for _, doc in keys:
            e = self.evals[doc]
            assert e is not None
            hits.append(Hit(doc, e.item, e.lang, e.score / SCALE,
                            tuple(i for i, m in enumerate(e.matched) if m)))
        return hits

    # -- the reference -----------------------------------------------------------

    def all_matches(self, langs: set[str]) -> list[int]:
        """Every document holding a stem of the query in these languages."""
        terms = [t for g in self.groups for s in g.stems
                 for lang, (t, _) in self.terms.get(s, {}).items() if lang in langs]
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT doc FROM search_postings WHERE term IN "
            "(SELECT value FROM json_each(?))", (json.dumps(terms),)).fetchall()]


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
    hits: list[tuple[float, int]] = []
    items: set[str] = set()
    for _, negative, doc in sorted(keyed):
        e = ranker.evals[doc]
        assert e is not None
        if e.item not in items:
            items.add(e.item)
            hits.append((negative, doc))
        if len(hits) >= limit:
            break
    return ranker._hits(hits)
