"""Turn what a person types into a safe FTS5 query, run it fast, and explain the hits.

Nothing typed can raise an FTS5 syntax error: the query string is built here
from analysed terms, each double-quoted, never from the raw text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from fieldkit.search.analysis import (
    _TOKEN,
    analyse_word,
    base_language,
    is_han,
    prefix_form,
    query_languages,
    tokens,
)
from fieldkit.search.indexer import BM25

MAX_QUERY_CHARS = 1000   # a long paste is cut, not refused
MAX_GROUPS = 12
PREFIX_EXPANSIONS = 8
EXACT_RANKING = 1500     # up to this many matches, bm25 ranks them all
MAX_MATCHES = 50_000     # matches listed before ranking: a bound on the work
_CHUNK = re.compile(r'"[^"]*"?|[^\s"]+')
_OPERATORS = {"AND", "NEAR", "OR", "NOT"}
COLUMNS = "{title body}"


@dataclass(frozen=True)
class Group:
    """One thing the query asks for: any of `stems`, or one of the phrase `variants`."""

    stems: frozenset[str] = frozenset()
    variants: tuple[tuple[str, ...], ...] = ()

    @property
    def all_stems(self) -> set[str]:
        return set(self.stems) | {s for v in self.variants for s in v}

    def fts(self) -> str:
        if self.variants:
            inner = " OR ".join('"' + " ".join(v) + '"' for v in self.variants)
        else:
            inner = " OR ".join(f'"{s}"' for s in sorted(self.stems))
        return f"{COLUMNS} : ({inner})"


@dataclass
class ParsedQuery:
    groups: list[Group] = field(default_factory=list)
    excluded: list[Group] = field(default_factory=list)

    @property
    def highlight(self) -> set[str]:
        return {s for g in self.groups for s in g.all_stems}


@dataclass
class Result:
    id: str
    kind: str
    title: str
    lang: str
    country: str | None
    snippet: str
    score: float
    example: bool
    status: str
    other_language: bool  # not in the reader's language
    segments: list[tuple[str, bool]] = field(default_factory=list, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "title": self.title, "lang": self.lang,
            "country": self.country, "snippet": self.snippet, "score": round(self.score, 4),
            "example": self.example, "status": self.status,
        }


# -- parsing -----------------------------------------------------------------


def _word_group(conn: Any, word: str, langs: tuple[str, ...], prefix: bool) -> Group:
    stems = {analyse_word(word, lang)[1] for lang in langs}
    folded = prefix_form(word)
    if prefix and len(folded) >= 2:
        upper = folded[:-1] + chr(ord(folded[-1]) + 1)
        rows = conn.execute(
            "SELECT stem FROM vocab WHERE word >= ? AND word < ? ORDER BY df DESC LIMIT ?",
            (folded, upper, PREFIX_EXPANSIONS),
        ).fetchall()
        stems.update(r[0] for r in rows)
    return Group(stems=frozenset(stems))


def _chunk_groups(conn: Any, chunk: str, reader: str, narrow: str | None,
                  prefix: bool) -> list[Group]:
    groups: list[Group] = []
    pieces = list(_TOKEN.finditer(chunk))
    for i, match in enumerate(pieces):
        piece = match.group()
        last = i == len(pieces) - 1
        if is_han(piece):
            groups.extend(Group(stems=frozenset({t.stem})) for t in tokens(piece, "zh", False))
            continue
        groups.append(_word_group(conn, piece, query_languages(piece, reader, narrow),
                                  prefix and last))
    return groups


def _phrase_group(text: str, reader: str, narrow: str | None) -> Group | None:
    words = [m.group() for m in _TOKEN.finditer(text)]
    if not words:
        return None
    if any(is_han(w) for w in words):
        seq = tuple(t.stem for t in tokens(text, "zh", False))
        return Group(variants=(seq,)) if seq else None
    langs = query_languages(words[0], reader, narrow)
    variants = {tuple(analyse_word(w, lang)[1] for w in words) for lang in langs}
    return Group(variants=tuple(sorted(variants)))


def parse(conn: Any, text: str, reader_lang: str = "en", narrow_lang: str | None = None,
          as_you_type: bool = False) -> ParsedQuery:
    """What a person typed → groups of terms. Quotes make phrases (closed or not),
    `-word` or `NOT word` excludes, `OR` joins its neighbours, `word*` (or the word
    still being typed) matches as a prefix."""
    text = text[:MAX_QUERY_CHARS]
    chunks = _CHUNK.findall(text)
    typing_last = as_you_type and bool(text) and not text[-1].isspace() and text[-1] != '"'
    parsed = ParsedQuery()
    negate = join = False
    for index, chunk in enumerate(chunks):
        if chunk == "-":  # `-"a phrase"`: the dash stands alone before the quote
            negate = True
            continue
        if chunk in _OPERATORS:
            negate = negate or chunk == "NOT"
            join = join or (chunk == "OR" and bool(parsed.groups))
            continue
        if chunk.startswith('"'):
            phrase = _phrase_group(chunk.strip('"'), reader_lang, narrow_lang)
            new = [phrase] if phrase else []
        else:
            excluded = chunk.startswith("-") and len(chunk) > 1
            negate = negate or excluded
            prefix = chunk.endswith("*") or (typing_last and index == len(chunks) - 1)
            new = _chunk_groups(conn, chunk, reader_lang, narrow_lang, prefix)
        if not new:
            continue
        if negate:
            parsed.excluded.extend(new)
        elif join and not new[0].variants and not parsed.groups[-1].variants:
            merged = Group(stems=parsed.groups[-1].stems | new[0].stems)
            parsed.groups[-1:] = [merged, *new[1:]]
        else:
            parsed.groups.extend(new)
        negate = join = False
    parsed.groups = parsed.groups[:MAX_GROUPS]
    parsed.excluded = parsed.excluded[:MAX_GROUPS]
    return parsed


# -- running -----------------------------------------------------------------


def _expression(groups: list[Group], excluded: list[Group], filters: list[str]) -> str:
    parts = [g.fts() for g in groups] + [f'tags : "{t}"' for t in filters]
    expr = " AND ".join(parts)
    for g in excluded:
        expr += f" NOT {g.fts()}"
    return expr


def _ranked(conn: Any, parsed: ParsedQuery, filters: list[str],
            limit: int) -> list[tuple[int, float]]:
    """The best `limit` documents for the query, (doc, score), best first.

    Listing the matches without ranking is cheap (doclists only); bm25 is the
    cost, per matching row. So: list the matches; if there are few, rank them
    all with bm25; if there are many (common words), rank only the documents
    that the champion lists name, with their stored scores.
    """
    expr = _expression(parsed.groups, parsed.excluded, filters)
    matches = [r[0] for r in conn.execute(
        "SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT ?",
        (expr, MAX_MATCHES),
    ).fetchall()]
    if len(matches) > EXACT_RANKING:
        ranked = _champion_ranked(conn, parsed, matches, limit)
        if ranked is not None:
            return ranked
    # Few matches, or a group made only of mid-frequency words (a half-typed word
    # expanding to several): its matches are bounded by a few COMMON_DF, rank exactly.
    rows = conn.execute(
        f"SELECT rowid, {BM25} AS score FROM search_index WHERE search_index MATCH ? "
        "ORDER BY score LIMIT ?",
        (expr, limit),
    ).fetchall()
    return [(int(doc), float(score)) for doc, score in rows]


def _champion_ranked(conn: Any, parsed: ParsedQuery, matches: list[int],
                     limit: int) -> list[tuple[int, float]] | None:
    """Approximate bm25 over many matches: per group, a document's score is its best
    champion score among the group's stems, else the weakest score those lists hold
    (a document outside a list scores no better than that). None when a group has
    no champion list at all."""
    matched = set(matches)
    totals: dict[int, float] = {}
    floor_sum = 0.0
    for group in parsed.groups:
        best: dict[int, float] = {}
        floor = 0.0
        listed = False
        for stem in group.all_stems:
            rows = conn.execute(
                "SELECT doc, score FROM champions WHERE stem = ?", (stem,)
            ).fetchall()
            for doc, score in rows:
                if doc in matched and score < best.get(doc, 0.0):
                    best[doc] = score
            if rows:
                listed = True
                floor = min(floor, max(score for _, score in rows))
        if not listed:
            return None
        for doc in set(best) | set(totals):
            totals[doc] = totals.get(doc, floor_sum) + best.get(doc, floor)
        floor_sum += floor
    ranked = sorted(totals.items(), key=lambda kv: kv[1])[:limit]
    if len(ranked) < limit:  # filters left few champions: fill with other matches
        seen = {doc for doc, _ in ranked}
        ranked += [(doc, floor_sum) for doc in matches if doc not in seen][: limit - len(ranked)]
    return ranked


def _tag_value(value: str) -> str:
    """A filter value as the index spells it; anything else (a quote…) cannot get in."""
    return re.sub(r"[^a-z0-9-]", "", value.lower())


def search(conn: Any, text: str, reader_lang: str = "en", *, kind: str | None = None,
           country: str | None = None, language: str | None = None, limit: int = 20,
           as_you_type: bool = False) -> list[Result]:
    """Ranked results, the reader's language first, one result per item."""
    limit = max(1, min(int(limit), 200))
    parsed = parse(conn, text, reader_lang, language, as_you_type)
    if not parsed.groups:
        return []
    filters = []
    if kind:
        filters.append(f"kind{_tag_value(kind)}")
    if country:
        filters.append(f"cc{_tag_value(country)}")
    if language:
        hits = _ranked(conn, parsed, [*filters, f"lang{_tag_value(base_language(language))}"],
                       limit)
    else:
        hits = _ranked(conn, parsed,
                       [*filters, f"lang{_tag_value(base_language(reader_lang))}"], limit)
        if len(hits) < limit:  # then the other languages, for items the reader's lacks
            hits += _ranked(conn, parsed, filters, limit + len(hits))
    return _results(conn, hits, parsed, reader_lang, limit)


def _results(conn: Any, hits: list[tuple[int, float]], parsed: ParsedQuery,
             reader_lang: str, limit: int) -> list[Result]:
    if not hits:
        return []
    scores = dict(hits)
    rows = conn.execute(
        "SELECT v.doc, v.item_id, i.kind, v.title, v.lang, i.country, v.plain, i.example, "
        "v.status FROM versions v JOIN items i ON i.id = v.item_id "
        "WHERE v.doc IN (SELECT value FROM json_each(?))",
        (json.dumps(list(scores)),),
    ).fetchall()
    by_doc = {row[0]: row for row in rows}
    reader = base_language(reader_lang)
    results: list[Result] = []
    seen: set[str] = set()
    for doc, score in hits:
        row = by_doc.get(doc)
        if row is None or row[1] in seen:
            continue
        seen.add(row[1])
        _, item_id, kind, title, lang, country, plain, example, status = row
        segments = snippet_segments(plain, lang, parsed.highlight)
        results.append(Result(
            id=item_id, kind=kind, title=title, lang=lang, country=country,
            snippet="".join(f"**{t}**" if hit else t for t, hit in segments),
            score=score, example=bool(example), status=status,
            other_language=base_language(lang) != reader, segments=segments,
        ))
        if len(results) >= limit:
            break
    return results


# -- snippets ----------------------------------------------------------------

SNIPPET_CHARS = 180


def _match_spans(text: str, lang: str, stems: set[str]) -> list[tuple[int, int]]:
    base = base_language(lang)
    han_stems = [s for s in stems if is_han(s)]
    spans = []
    for match in _TOKEN.finditer(text):
        piece = match.group()
        if is_han(piece):
            for stem in han_stems:
                start = piece.find(stem)
                while start >= 0:
                    spans.append((match.start() + start, match.start() + start + len(stem)))
                    start = piece.find(stem, start + len(stem))
        elif analyse_word(piece, base)[1] in stems:
            spans.append(match.span())
    return sorted(set(spans))


def snippet_segments(text: str, lang: str, stems: set[str]) -> list[tuple[str, bool]]:
    """A short passage of the original text around the best cluster of matches,
    as (text, is_match) pieces."""
    text = " ".join(text.split())
    spans = _match_spans(text, lang, stems)
    width = SNIPPET_CHARS // 2 if lang.startswith(("zh", "ja")) else SNIPPET_CHARS
    if not spans:
        cut = text[:width]
        return [(cut + ("…" if len(text) > width else ""), False)]
    best = max(spans, key=lambda s: len({text[a:b].casefold()
                                         for a, b in spans if s[0] <= a < s[0] + width}))
    start = max(0, best[0] - width // 4)
    if start > 0:
        space = text.find(" ", start, best[0])
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", best[1], end)
        end = space if space > best[1] else end
    segments: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
    cursor = start
    for a, b in spans:
        if a < start or b > end:
            continue
        if a > cursor:
            segments.append((text[cursor:a], False))
        segments.append((text[a:b], True))
        cursor = b
    if cursor < end:
        segments.append((text[cursor:end], False))
    if end < len(text):
        segments.append(("…", False))
    return segments
