"""Turn what a person types into a query, rank it exactly, and explain the hits.

People type questions: "what can I do if my supervisor keeps touching me".
Each meaningful word becomes a group that any of its forms can satisfy (its
analyses in the languages it may be written in, its synonyms, or, while typing,
the words it can become); stopwords of the query's language are dropped; a word
the index does not know is corrected to the closest one it does. Quotes make
phrases, `-word` or `NOT word` excludes, `OR` joins its neighbours (words or
phrases). Ranking is `rank.py`'s: every group may match, more and rarer matches
first, all-groups matches before partial ones, the reader's language first.

Nothing typed reaches FTS5 as syntax: phrases are checked with strings built
here from analysed stems, each double-quoted.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fieldkit.search import rank, typos, words
from fieldkit.search.analysis import (
    _ARABIC,
    _CYRILLIC,
    _HAN,
    _TOKEN,
    analyse_word,
    base_language,
    is_han,
    prefix_form,
    query_languages,
    tokens,
)
from fieldkit.search.rank import Group

MAX_QUERY_CHARS = 1000   # a long paste is cut, not refused
MAX_GROUPS = 12
MAX_LIMIT = 1000
PREFIX_EXPANSIONS = 8
_CHUNK = re.compile(r'"[^"]*"?|[^\s"]+')
_OPERATORS = {"AND", "NEAR", "OR", "NOT"}


@dataclass
class _Term:
    """One word or phrase as typed, before analysis."""

    text: str
    phrase: bool = False
    prefix: bool = False
    negate: bool = False
    joined: bool = False  # OR with the term before it


@dataclass
class ParsedQuery:
    groups: list[Group] = field(default_factory=list)
    excluded: list[Group] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)  # typed word -> meant word
    dropped: list[str] = field(default_factory=list)  # stopwords left out

    @property
    def highlight(self) -> set[str]:
        return {s for g in self.groups for s in g.stems}


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
    matched: list[str] = field(default_factory=list)  # the query's words this item matched

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "title": self.title, "lang": self.lang,
            "country": self.country, "snippet": self.snippet, "score": round(self.score, 4),
            "example": self.example, "status": self.status, "matched": self.matched,
        }


# -- parsing -----------------------------------------------------------------


def _terms(text: str, as_you_type: bool) -> list[_Term]:
    """What was typed, as words and phrases with their operators."""
    chunks = _CHUNK.findall(text)
    typing_last = as_you_type and bool(text) and not text[-1].isspace() and text[-1] != '"'
    terms: list[_Term] = []
    negate = join = False
    for index, chunk in enumerate(chunks):
        if chunk == "-":  # `-"a phrase"`: the dash stands alone before the quote
            negate = True
            continue
        if chunk in _OPERATORS:
            negate = negate or chunk == "NOT"
            join = join or (chunk == "OR" and bool(terms))
            continue
        new: list[_Term] = []
        if chunk.startswith('"'):
            inner = chunk.strip('"')
            if _TOKEN.search(inner):
                new = [_Term(inner, phrase=True)]
        else:
            negate = negate or (chunk.startswith("-") and len(chunk) > 1)
            pieces = [m.group() for m in _TOKEN.finditer(chunk)]
            prefix = chunk.endswith("*") or (typing_last and index == len(chunks) - 1)
            for i, piece in enumerate(pieces):
                last = prefix and i == len(pieces) - 1
                if is_han(piece):  # a run of Chinese: its words, as the segmenter cuts them
                    new += [_Term(t.word) for t in tokens(piece, "zh", False)]
                else:
                    new.append(_Term(piece, prefix=last))
        if not new:
            continue
        for term in new:
            term.negate = negate
        new[0].joined = join and not negate
        terms += new
        negate = join = False
    return terms


def _stop_language(words_typed: list[str], reader: str, narrow: str | None) -> str:
    """The language whose stopwords apply: from the script, and for Latin script the
    candidate language whose list holds most of the words (the reader's on a tie)."""
    if narrow:
        return base_language(narrow)
    joined = " ".join(words_typed)
    if _ARABIC.search(joined):
        return "ar"
    if _CYRILLIC.search(joined):
        return "ru"
    if re.search(f"[{_HAN}]", joined):
        return "zh"
    candidates = query_languages("a", reader)
    return max(candidates, key=lambda lang: (
        sum(words.is_stopword(w, lang) for w in words_typed), -candidates.index(lang)))


def _script_language(word: str, query_lang: str) -> str:
    """The language a word is taken to be in: from its script, else the query's."""
    if _ARABIC.search(word):
        return "ar"
    if _CYRILLIC.search(word):
        return "ru"
    if is_han(word):
        return "zh"
    return query_lang


def _is_stopword(term: _Term, stop_lang: str) -> bool:
    if term.phrase or term.negate or term.joined:
        return False
    return words.is_stopword(term.text, _script_language(term.text, stop_lang))


def _prefix_stems(conn: Any, word: str) -> set[str]:
    folded = prefix_form(word)
    if len(folded) < 2:
        return set()
    upper = folded[:-1] + chr(ord(folded[-1]) + 1)
    return {r[0] for r in conn.execute(
        "SELECT stem FROM search_vocab WHERE word >= ? AND word < ? ORDER BY df DESC LIMIT ?",
        (folded, upper, PREFIX_EXPANSIONS)).fetchall()}


Alts = dict[tuple[str, ...], int]  # alternative -> its weight (rank.TYPED or rank.SYNONYM)


def _word_alts(conn: Any, word: str, langs: tuple[str, ...], prefix: bool,
               query_lang: str) -> Alts:
    if is_han(word):
        alts: Alts = {(prefix_form(word),): rank.TYPED}
    else:
        alts = {(analyse_word(word, lang)[1],): rank.TYPED for lang in langs}
    if prefix:
        alts.update({(s,): rank.TYPED for s in _prefix_stems(conn, word)})
    elif query_lang in langs or is_han(word):  # synonyms in the language of the query
        for synonym in words.synonyms(word, query_lang):
            alts.setdefault((analyse_word(synonym, query_lang)[1],), rank.SYNONYM)
    return alts


def _phrase_alts(text: str, reader: str, narrow: str | None) -> Alts:
    typed = [m.group() for m in _TOKEN.finditer(text)]
    if any(is_han(w) for w in typed):
        seq = tuple(t.stem for t in tokens(text, "zh", False))
        return {seq: rank.TYPED} if seq else {}
    langs = query_languages(typed[0], reader, narrow)
    return {tuple(analyse_word(w, lang)[1] for w in typed): rank.TYPED for lang in langs}


def _known(conn: Any, stems: set[str]) -> set[str]:
    return {r[0] for r in conn.execute(
        "SELECT DISTINCT stem FROM search_terms WHERE stem IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(stems)),)).fetchall()}


def parse(conn: Any, text: str, reader_lang: str = "en", narrow_lang: str | None = None,
          as_you_type: bool = False) -> ParsedQuery:
    """What a person typed → groups of alternatives, exclusions, typo corrections."""
    terms = _terms(text[:MAX_QUERY_CHARS], as_you_type)
    parsed = ParsedQuery()
    positive = [t for t in terms if not t.negate]
    stop_lang = _stop_language([t.text for t in positive if not t.phrase], reader_lang,
                               narrow_lang)
    stop = [t for t in positive if _is_stopword(t, stop_lang)]
    if len(stop) < len(positive):  # a query of stopwords alone keeps them
        parsed.dropped = [t.text for t in stop]
        terms = [t for t in terms if not any(t is s for s in stop)]
    built: list[tuple[_Term, Alts]] = []
    for term in terms:
        if term.phrase:
            alts = _phrase_alts(term.text, reader_lang, narrow_lang)
        else:
            langs = query_languages(term.text, reader_lang, narrow_lang)
            alts = _word_alts(conn, term.text, langs, term.prefix, _script_language(
                term.text, stop_lang))
        if alts:
            built.append((term, alts))
    # A word the index does not know at all: another form of a word it knows (searched
    # as typed), or the closest word it knows unless the word is real (typos.py).
    # A word whose stem the index knows but whose written form it has never seen may
    # still be misspelled: then its spelling is corrected (the stem stays the same).
    known = _known(conn, {s for _, alts in built for alt in alts for s in alt})
    written = typos.written(conn, [t.text for t, _ in built if not t.phrase])
    unknown: set[int] = set()  # still unknown after the corrections below
    for n, (term, alts) in enumerate(built):
        if term.phrase or term.negate:
            continue
        stem_known = any(all(s in known for s in a) for a in alts)
        if stem_known and (term.prefix or prefix_form(term.text) in written):
            continue
        form = None if stem_known else typos.inflection(conn, term.text)
        if form:
            alts.update(_word_alts(conn, form, ("ar",), False, "ar"))
            continue
        langs = query_languages(term.text, reader_lang, narrow_lang)
        meant = typos.correction(conn, term.text, langs, stem_known,
                                 _script_language(term.text, stop_lang))
        if meant:
            parsed.corrections[term.text] = meant
            langs = query_languages(meant, reader_lang, narrow_lang)
            built[n] = (_Term(meant, negate=term.negate, joined=term.joined),
                        _word_alts(conn, meant, langs, False, _script_language(meant, stop_lang)))
        elif not stem_known:
            unknown.add(n)
    built = _join_han_typos(conn, built, unknown, text, parsed)
    for term, alts in built:
        target = parsed.excluded if term.negate else parsed.groups
        label = f'"{term.text}"' if term.phrase else term.text
        if term.joined and target:
            previous = target[-1]
            merged = {alt: previous.weight(n) for n, alt in enumerate(previous.alts)}
            for alt, weight in alts.items():
                merged[alt] = max(weight, merged.get(alt, 0))
            target[-1] = _group(merged, f"{previous.label} OR {label}")
        else:
            target.append(_group(alts, label))
    parsed.groups = parsed.groups[:MAX_GROUPS]
    parsed.excluded = parsed.excluded[:MAX_GROUPS]
    return parsed


def _join_han_typos(conn: Any, built: list[tuple[_Term, Alts]], unknown: set[int],
                    text: str, parsed: ParsedQuery) -> list[tuple[_Term, Alts]]:
    """A wrong character can make the segmenter cut a Chinese word apart (举抱 for 举报
    becomes 人举 + 抱): neighbouring words the index does not know are put back
    together and corrected as one piece, then cut again."""
    result: list[tuple[_Term, Alts]] = []
    n = 0
    while n < len(built):
        end = n
        while (end + 1 < len(built) and {n, end + 1} <= unknown and is_han(built[n][0].text)
               and is_han(built[end + 1][0].text) and not built[end + 1][0].joined
               and "".join(t.text for t, _ in built[n:end + 2]) in text):
            end += 1
        fixed = None
        if end > n:
            piece = "".join(t.text for t, _ in built[n:end + 1])
            fixed = typos.han_window(conn, piece)
        if fixed is None:
            result.append(built[n])
            n += 1
            continue
        typed, meant = fixed
        parsed.corrections[typed] = meant
        for token in tokens(piece.replace(typed, meant, 1), "zh", False):
            if not words.is_stopword(token.word, "zh"):
                result.append((_Term(token.word), _word_alts(conn, token.word, ("zh",), False,
                                                             "zh")))
        n = end + 1
    return result


def _group(alts: Alts, label: str) -> Group:
    ordered = sorted(alts)
    return Group(tuple(ordered), label, tuple(alts[a] for a in ordered))


def corrected_query(text: str, corrections: dict[str, str]) -> str:
    """The typed query with each misspelled word replaced by the one meant."""
    for typed, meant in corrections.items():
        # A Chinese run has no spaces: its word is replaced inside the run.
        pattern = re.escape(typed) if is_han(typed) else rf"(?<!\w){re.escape(typed)}(?!\w)"
        text = re.sub(pattern, meant, text, count=1)
    return text


# -- running -----------------------------------------------------------------


class Answer(list[Result]):
    """Results, best first, with what the query was understood as."""

    def __init__(self, results: list[Result] = (), *,  # type: ignore[assignment]
                 did_you_mean: str | None = None, dropped: list[str] | None = None) -> None:
        super().__init__(results)
        self.did_you_mean = did_you_mean  # the query with its typos corrected (searched)
        self.dropped = dropped or []


def search(conn: Any, text: str, reader_lang: str = "en", *, kind: str | None = None,
           country: str | None = None, language: str | None = None, limit: int = 20,
           as_you_type: bool = False, exhaustive: bool = False) -> Answer:
    """Ranked results, one per item: the reader's language first, then the others.
    `exhaustive` scores every match instead (the definition the fast path equals)."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    with snapshot(conn):
        parsed = parse(conn, text, reader_lang, language, as_you_type)
        meant = corrected_query(text, parsed.corrections) if parsed.corrections else None
        if not parsed.groups:
            return Answer(did_you_mean=meant, dropped=parsed.dropped)
        ranker = rank.Ranker(conn, parsed.groups, parsed.excluded, kind=kind, country=country)
        reader = base_language(reader_lang)
        narrow = base_language(language) if language else None
        order = rank.exhaustive if exhaustive else rank.ranked
        hits = order(ranker, reader, narrow, limit)
        return Answer(_results(conn, hits, parsed, reader), did_you_mean=meant,
                      dropped=parsed.dropped)


@contextlib.contextmanager
def snapshot(conn: Any) -> Iterator[None]:
    """Every statement of one search reads the same state of the store: a write
    committed meanwhile (a sync on another connection) is seen whole or not at all.
    Inside the caller's transaction, that transaction is the snapshot."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")  # read only: nothing to lose, nothing to hide
        raise
    if conn.in_transaction:
        conn.execute("COMMIT")


def _results(conn: Any, hits: list[rank.Hit], parsed: ParsedQuery,
             reader: str) -> list[Result]:
    if not hits:
        return []
    rows = conn.execute(
        "SELECT v.doc, v.item_id, i.kind, v.title, v.lang, i.country, v.plain, i.example, "
        "v.status FROM versions v JOIN items i ON i.id = v.item_id "
        "WHERE v.doc IN (SELECT value FROM json_each(?))",
        (json.dumps([h.doc for h in hits]),),
    ).fetchall()
    by_doc = {row[0]: row for row in rows}
    pattern = surface_pattern(conn, parsed.highlight)
    results: list[Result] = []
    for hit in hits:
        row = by_doc.get(hit.doc)
        if row is None:
            continue
        _, item_id, kind, title, lang, country, plain, example, status = row
        segments = snippet_segments(plain, lang, pattern, SNIPPET_SPANS)
        results.append(Result(
            id=item_id, kind=kind, title=title, lang=lang, country=country,
            snippet="".join(f"**{t}**" if hit_ else t for t, hit_ in segments),
            score=hit.score, example=bool(example), status=status,
            other_language=base_language(lang) != reader, segments=segments,
            matched=[parsed.groups[i].label for i in hit.matched],
        ))
    return results


# -- snippets ----------------------------------------------------------------

SNIPPET_CHARS = 180
# A snippet is chosen among the first matches of a document only: where the query's
# words occur hundreds of times (a phrase of common words), the first few dozen already
# hold a dense passage, and reading on costs more than the ranking (the benchmark
# prints how often the snippet differs from one chosen among all matches).
SNIPPET_SPANS: int | None = 64


class WorkMeter:
    """Counts the steps of the snippet builder (tests check that it stays linear)."""

    steps = 0


class Highlight:
    """Every written form of the query's words that the index has seen, to find in a
    text: whole words (any Chinese run), leftmost first, the longest form at a place.
    Each form is looked for with `str.find` on the lower-cased text, which runs in C
    and skips ahead far faster than one regular expression of many alternatives; a
    text whose lower case changes its length (a rare letter such as İ) is read with
    that expression instead."""

    def __init__(self, forms: set[str]) -> None:
        self.forms = sorted({f.lower() for f in forms if f}, key=len, reverse=True)
        alternatives = "|".join(re.escape(f) for f in self.forms)
        self.pattern = re.compile(rf"(?<![^\W{_HAN}])(?:{alternatives})(?![^\W{_HAN}])",
                                  re.IGNORECASE)

    def spans(self, text: str, limit: int | None) -> list[tuple[int, int]]:
        """The first `limit` (all if None) matches as (start, end), in text order."""
        lowered = text.lower()
        if len(lowered) != len(text):
            return _regex_spans(text, self.pattern, limit)
        cap = limit
        while True:
            found: list[tuple[int, int]] = []
            cut_short: list[int] = []  # where the forms that reached the cap stopped
            for form in self.forms:
                start, kept = 0, 0
                while cap is None or kept < cap:
                    at = lowered.find(form, start)
                    if at < 0:
                        break
                    WorkMeter.steps += 1
                    end = at + len(form)
                    if not ((at and _WORD_CHAR.match(lowered, at - 1))
                            or _WORD_CHAR.match(lowered, end)):
                        found.append((at, -end))
                        kept += 1
                    start = at + 1
                if cap is not None and kept >= cap:
                    cut_short.append(start - 1)
            spans = _leftmost_longest(found, limit)
            # Exact unless a form stopped before the last span kept (a longer form can
            # hide matches of a shorter one inside it: 骚扰骚扰 and 骚扰): then look further.
            if cap is None or not cut_short or (
                    len(spans) == limit and min(cut_short) >= spans[-1][0]):
                return spans
            cap *= 2


def _leftmost_longest(found: list[tuple[int, int]],
                      limit: int | None) -> list[tuple[int, int]]:
    """From (start, −end) matches: by place, the longest at a place, none overlapping."""
    found.sort()
    spans: list[tuple[int, int]] = []
    for at, negative_end in found:
        if spans and at < spans[-1][1]:
            continue  # inside a longer form found at an earlier place
        spans.append((at, -negative_end))
        if limit is not None and len(spans) >= limit:
            break
    return spans


# A character that continues a word (Chinese characters do not: any run may hold the word).
_WORD_CHAR = re.compile(rf"[^\W{_HAN}]")


def surface_pattern(conn: Any, stems: set[str]) -> Highlight | None:
    """Every written form of `stems` that the index has seen, to highlight."""
    forms = {s for s in stems if is_han(s)}
    forms |= {r[0] for r in conn.execute(
        "SELECT DISTINCT shown FROM search_vocab WHERE stem IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(stems)),)).fetchall()}
    return Highlight(forms) if forms else None


def _regex_spans(text: str, pattern: re.Pattern[str],
                 limit: int | None) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(text):
        WorkMeter.steps += 1
        spans.append(match.span())
        if limit is not None and len(spans) >= limit:
            break
    return spans


def _best_window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """The span starting the window of `width` characters with the most different matched
    words (one pass: each span enters and leaves the window once)."""
    keys = [text[a:b].casefold() for a, b in spans]
    counts: dict[str, int] = {}
    best, best_distinct, right = spans[0], 0, 0
    for left, (a, _) in enumerate(spans):
        while right < len(spans) and spans[right][0] < a + width:
            WorkMeter.steps += 1
            counts[keys[right]] = counts.get(keys[right], 0) + 1
            right += 1
        if len(counts) > best_distinct:
            best, best_distinct = spans[left], len(counts)
        WorkMeter.steps += 1
        counts[keys[left]] -= 1
        if not counts[keys[left]]:
            del counts[keys[left]]
    return best


def snippet_segments(text: str, lang: str, highlight: Highlight | None,
                     max_spans: int | None = None) -> list[tuple[str, bool]]:
    """A short passage of the original text around the best cluster of matches
    (`highlight`, from `surface_pattern`; among the first `max_spans`), as (text,
    is_match) pieces."""
    text = " ".join(text.split())
    spans = highlight.spans(text, max_spans) if highlight else []
    width = SNIPPET_CHARS // 2 if lang.startswith(("zh", "ja")) else SNIPPET_CHARS
    if not spans:
        cut = text[:width]
        return [(cut + ("…" if len(text) > width else ""), False)]
    best = _best_window(text, spans, width)
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
        WorkMeter.steps += 1
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
