"""Search benchmark: the encrypted store, the same code on a plain database, and a naive peer.

Builds one synthetic multilingual corpus three times: in the encrypted profile
through the real indexing code, in an unencrypted database with the very same
code and schema (SQLCipher's SQLite with no key), and in a naive peer: plain
SQLite FTS5 over the same analysed text, queried with the words OR-ed and
`ORDER BY bm25 LIMIT 20` (no design). It runs one fixed mix of queries on all
three and prints per query class the median and p95 of each, the exactness
(the fraction of queries whose top 20 equals exhaustive scoring, on the
encrypted store), how often a snippet differs from one chosen among every match,
and the time to add, replace and delete one item at 1,000 and 10,000 items and
at the full size, with the merge that then folds those changes into the packed
lists (searches are exact before it; it only makes them read less). Last line:

    search p95 encrypted=<ms> plain=<ms> ratio=<enc/plain> naive=<ms> exact=<fraction> update=<ms>

(update: the slowest median of add, replace and delete at the full size.)

The corpus is meant to be as hard as real text: per language a Zipf-distributed
vocabulary of tens of thousands of words, items of 150-500 words, everyday
keywords, and the common-word queries drawn from the most frequent analysed
words. Questions are 6-12 words: the language's own stopwords mixed with
corpus words drawn as people draw them (mostly common, some rare).

Usage: python bench/search.py [--items 50000] [--queries 240] [--seed 7] [--keep DIR]
(--keep builds the databases in DIR once; later runs reuse them and time only
updates at the full size and searches.)
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3
import stopwordsiso

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fieldkit import library
from fieldkit.content.model import Item, Version
from fieldkit.schema import SCHEMA_VERSION
from fieldkit.search import indexer, query
from fieldkit.search.analysis import _TOKEN, analyse_word, is_han, tokens
from fieldkit.search.query import search as run_search
from fieldkit.store import CACHE_KIB, Connection, Store

LANGS = ("en", "fr", "es", "ru", "ar", "zh")
VOCABULARY = 30_000
ZIPF_S = 1.05
PASSPHRASE = "benchmark passphrase"
CLASSES = ("common", "rare", "two words", "prefix", "phrase", "question")
STOP_RANKS = 60  # the first ranks of every vocabulary: the language's stopwords
UPDATE_CHECKPOINTS = (1_000, 10_000)  # sizes at which updates are timed, besides the full size
UPDATES = 15  # operations of each kind timed at a checkpoint
KINDS = ("guidance", "law", "service", "pathway")
COUNTRIES = (None, "MD", "BD", "AU", "IS", "IL", "NG", "ZW", "KE", "CO", "LB", "MM")

ALPHABETS = {
    "en": ("bcdfghjklmnprstvwy", "aeiou"),
    "fr": ("bcdfghjlmnprstv", "aeiouéèà"),
    "es": ("bcdfgjlmnprstvñ", "aeiouáéó"),
    "ru": ("бвгджзклмнпрстфхцчшщ", "аеиоуыэюя"),
    "ar": ("بتثجحخدذرزسشصضطظعغفقكلمنهوي", "اوي"),
}
HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 3500)]


def make_vocabulary(lang: str, rng: random.Random) -> list[str]:
    """Distinct words; the most frequent are the language's own stopwords (as in real
    text), then frequent ranks get short words (as in real languages)."""
    stop = sorted(w for w in stopwordsiso.stopwords(lang) if w.isalpha())
    words: list[str] = rng.sample(stop, STOP_RANKS)
    seen: set[str] = set(words)
    while len(words) < VOCABULARY:
        rank = len(words) + 1
        if lang == "zh":
            size = 1 if rank < 40 else rng.choice((2, 2, 2, 3))
            word = "".join(rng.choice(HAN) for _ in range(size))
        else:
            consonants, vowels = ALPHABETS[lang]
            syllables = max(1, min(5, int(rng.gauss(1 + rank ** 0.15, 0.7))))
            word = "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(syllables))
            if lang == "ar" and rank > 200 and rng.random() < 0.3:
                word = "ال" + word
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Sampler:
    def __init__(self, words: list[str], rng: random.Random) -> None:
        self.words = words
        self.rng = rng
        weights = [1 / (r ** ZIPF_S) for r in range(1, len(words) + 1)]
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, n: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=n)


def make_corpus(count: int, rng: random.Random) -> tuple[list[Item], dict[str, list[str]]]:
    vocab = {lang: make_vocabulary(lang, rng) for lang in LANGS}
    samplers = {lang: Sampler(words, rng) for lang, words in vocab.items()}
    items = []
    for n in range(count):
        lang = LANGS[n % len(LANGS)]
        words = samplers[lang].draw(rng.randint(150, 500))
        title_words = samplers[lang].draw(rng.randint(3, 8))
        joiner = "" if lang == "zh" else " "
        body = joiner.join(words)
        sentences = [body[i:i + 400] for i in range(0, len(body), 400)]
        keywords = samplers[lang].draw(rng.randint(0, 4))
        items.append(Item(
            id=f"bench-{n}", kind=rng.choice(KINDS), country=rng.choice(COUNTRIES),
            example=rng.random() < 0.1, meta={"sources": []},
            versions={lang: Version(lang=lang, title=joiner.join(title_words),
                                    status="original", body="\n\n".join(sentences),
                                    fields={"keywords": keywords})},
        ))
    return items, vocab


def analysed_rank(words: list[str], lang: str, top: int) -> list[str]:
    """The most frequent words whose analysed forms are distinct (what survives analysis)."""
    chosen, stems = [], set()
    for word in words:
        stem = analyse_word(word, lang)[1]
        if stem not in stems and len(stem) > 1:
            stems.add(stem)
            chosen.append(word)
        if len(chosen) >= top:
            break
    return chosen


def make_queries(items: list[Item], vocab: dict[str, list[str]], total: int,
                 rng: random.Random) -> list[tuple[str, str, str, bool]]:
    """(class, lang, text, as_you_type), the same fixed mix for both databases."""
    queries = []
    per_class = total // len(CLASSES)
    for cls, n in itertools.product(CLASSES, range(per_class)):
        lang = LANGS[n % len(LANGS)]
        words = vocab[lang][STOP_RANKS:]  # what people search for: not "the"
        common = analysed_rank(words, lang, 50)
        joiner = "" if lang == "zh" else " "
        if cls == "common":
            text = rng.choice(common)
        elif cls == "rare":
            text = rng.choice(words[5_000:20_000])
        elif cls == "two words":
            text = rng.choice(common) + " " + rng.choice(words[50:2_000])
        elif cls == "prefix":
            word = rng.choice([w for w in words[20:3_000] if len(w) >= 5] or words[20:3_000])
            text = word[: max(3, len(word) - 2)] if lang != "zh" else word[:2]
        elif cls == "question":
            text = question(lang, vocab[lang], rng)
        else:
            item = items[rng.randrange(len(items) // len(LANGS)) * len(LANGS) + n % len(LANGS)]
            body = item.versions[lang].body
            if lang == "zh":
                start = rng.randrange(max(1, len(body) - 4))
                text = f'"{body[start:start + 4]}"'
            else:
                tokens = body.split()
                start = rng.randrange(max(1, len(tokens) - 2))
                text = '"' + joiner.join(tokens[start:start + 2]) + '"'
        queries.append((cls, lang, text, cls == "prefix"))
    return queries


def question(lang: str, words: list[str], rng: random.Random) -> str:
    """6-12 words: the corpus's stopwords around its other words, mostly common ones."""
    size = rng.randint(6, 12)
    content = rng.randint(2, max(2, size // 2))
    picked = [rng.choice(words[:STOP_RANKS]) for _ in range(size - content)]
    for _ in range(content):
        rank = min(len(words) - 1, STOP_RANKS + int(rng.paretovariate(0.6)) * 10
                   + rng.randrange(10))
        picked.insert(rng.randrange(len(picked) + 1), words[rank])
    return ("" if lang == "zh" else " ").join(picked)


def build(store: Store, items: list[Item]) -> float:
    started = time.perf_counter()
    library.put_items(store, items, bulk=True)
    return time.perf_counter() - started


def _open_plain(path: Path) -> Any:
    """SQLCipher's SQLite with no key: the same engine and code, no encryption."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    for pragma in ("temp_store = MEMORY", "journal_mode = WAL", "synchronous = FULL",
                   f"cache_size = -{CACHE_KIB}", "foreign_keys = ON"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def plain_store(folder: Path) -> Store:
    """A plain database with the very same schema and tuning, no encryption."""
    path = folder / "plain.db"
    return Store(Connection(_open_plain(path)), path)


def build_encrypted(store: Store, items: list[Item],
                    analysed: dict[int, tuple[str, str]]) -> float:
    """Index through the real code, keeping each document's analysed text for the peer."""
    original = indexer._analyse

    def keep(doc: indexer.Doc) -> Any:
        result = original(doc)
        analysed[doc.doc] = (" ".join(t.stem for t in result.title),
                             " ".join(t.stem for t in (*result.body, *result.keywords)))
        return result

    indexer._analyse = keep  # type: ignore[assignment]
    try:
        return build(store, items)
    finally:
        indexer._analyse = original  # type: ignore[assignment]


def export_plain(encrypted: Store, folder: Path) -> float:
    """The same database without encryption (SQLCipher's own export), for the same code."""
    started = time.perf_counter()
    path = folder / "plain.db"
    encrypted.conn.execute(f"ATTACH DATABASE '{path}' AS plain KEY ''")
    encrypted.conn.execute("SELECT sqlcipher_export('plain')")
    encrypted.conn.execute(f"PRAGMA plain.user_version = {SCHEMA_VERSION}")
    encrypted.conn.execute("DETACH DATABASE plain")
    return time.perf_counter() - started


def naive_store(folder: Path, analysed: dict[int, tuple[str, str]]) -> tuple[object, float]:
    """The naive peer: FTS5 over the same analysed text, nothing else."""
    path = folder / "naive.db"
    fresh = not path.exists()
    conn: Any = _open_plain(path)
    started = time.perf_counter()
    if fresh:
        conn.execute("CREATE VIRTUAL TABLE naive USING fts5(title, body, "
                     "tokenize = 'unicode61 remove_diacritics 0')")
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO naive(rowid, title, body) VALUES (?, ?, ?)",
                         ((doc, title, body) for doc, (title, body) in analysed.items()))
        conn.execute("COMMIT")
        conn.execute("INSERT INTO naive(naive) VALUES ('optimize')")
    return conn, time.perf_counter() - started


def naive_query(text: str, lang: str, typing: bool) -> str:
    """The words OR-ed (phrases kept), analysed as the index is, nothing dropped."""
    parts = []
    for chunk in re.findall(r'"[^"]*"?|[^\s"]+', text):
        if chunk.startswith('"'):
            stems = [t.stem for t in tokens(chunk.strip('"'), lang, False)]
            if stems:
                parts.append('"' + " ".join(stems) + '"')
            continue
        for match in _TOKEN.finditer(chunk):
            piece = match.group()
            if is_han(piece):
                parts += [f'"{t.stem}"' for t in tokens(piece, "zh", False)]
            else:
                parts.append(f'"{analyse_word(piece, lang)[1]}"')
    if typing and parts and not text.endswith(" "):
        parts[-1] += "*"
    return " OR ".join(parts) or '""'


def time_queries(search: Callable[[str, str, bool], object],
                 queries: list[tuple[str, str, str, bool]],
                 cpu: dict[str, list[float]] | None = None) -> dict[str, list[float]]:
    """Per class, each query's median wall-clock milliseconds over three runs; `cpu`
    receives the processor time of the same runs (on a shared machine the wall clock
    also counts the time other programs held the processor)."""
    for _cls, lang, text, typing in queries:  # warm the page cache, as a session in use would
        search(text, lang, typing)
    timings: dict[str, list[float]] = {cls: [] for cls in CLASSES}
    for cls, lang, text, typing in queries:
        runs, used = [], []
        for _ in range(3):
            started, processor = time.perf_counter(), time.thread_time()
            search(text, lang, typing)
            runs.append((time.perf_counter() - started) * 1000)
            used.append((time.thread_time() - processor) * 1000)
        timings[cls].append(statistics.median(runs))
        if cpu is not None:
            cpu.setdefault(cls, []).append(statistics.median(used))
    return timings


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def time_updates(store: Store, items: list[Item], rng: random.Random) -> dict[str, float]:
    """Median milliseconds to add, replace and delete one item (each its own transaction),
    and the milliseconds of the merge that then folds these changes into the lists."""
    spent: dict[str, list[float]] = {"add": [], "replace": [], "delete": []}
    added = []
    for n in range(UPDATES):
        source = items[rng.randrange(len(items))]
        new = Item(id=f"bench-new-{n}", kind=source.kind, country=source.country,
                   meta=source.meta, versions=source.versions, example=source.example)
        started = time.perf_counter()
        library.put_items(store, [new])
        spent["add"].append(time.perf_counter() - started)
        added.append(new.id)
        started = time.perf_counter()
        library.put_items(store, [source])  # the same content again: a full replace
        spent["replace"].append(time.perf_counter() - started)
    for item_id in added:
        started = time.perf_counter()
        library.delete_items(store, [item_id])
        spent["delete"].append(time.perf_counter() - started)
    medians = {kind: statistics.median(times) * 1000 for kind, times in spent.items()}
    started = time.perf_counter()
    with store.transaction() as conn:
        indexer.merge(conn)
    medians["merge"] = (time.perf_counter() - started) * 1000
    return medians


def snippets_as_if_every_match(store: Store, queries: list[tuple[str, str, str, bool]]
                                ) -> tuple[int, int]:
    """How many snippets of the query mix are those chosen among every match."""
    capped = query.SNIPPET_SPANS
    same = shown = 0
    for _cls, lang, text, typing in queries:
        fast = run_search(store.conn, text, lang, limit=20, as_you_type=typing)
        query.SNIPPET_SPANS = None
        try:
            full = run_search(store.conn, text, lang, limit=20, as_you_type=typing)
        finally:
            query.SNIPPET_SPANS = capped
        shown += len(fast)
        same += sum(a.snippet == b.snippet for a, b in zip(fast, full, strict=True))
    return same, shown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=240)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path,
                        help="build the databases in this folder once and reuse them")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    items, vocab = make_corpus(args.items, rng)
    print(f"corpus: {len(items)} items, {len(LANGS)} languages, vocabulary {VOCABULARY}/language, "
          f"built in {time.perf_counter() - started:.1f} s", flush=True)
    queries = make_queries(items, vocab, args.queries, rng)
    results: dict[str, dict[str, list[float]]] = {}
    cpu: dict[str, dict[str, list[float]]] = {"encrypted": {}, "plain": {}, "naive": {}}
    updates: dict[int, dict[str, float]] = {}
    exact: dict[str, list[bool]] = {cls: [] for cls in CLASSES}
    with tempfile.TemporaryDirectory(prefix="fieldkit-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        reuse = (folder / "plain.db").exists()
        analysed: dict[int, tuple[str, str]] = {}
        encrypted = (Store.open(folder / "encrypted", PASSPHRASE) if reuse
                     else Store.create(folder / "encrypted", PASSPHRASE))
        if not reuse:
            seconds, built = 0.0, 0
            for size in (*(c for c in UPDATE_CHECKPOINTS if c < len(items)), len(items)):
                seconds += build_encrypted(encrypted, items[built:size], analysed)
                built = size
                if size < len(items):
                    updates[size] = time_updates(encrypted, items, rng)
            size = encrypted.path.stat().st_size / 2**20
            print(f"encrypted: indexed in {seconds:.1f} s, {size:.0f} MiB", flush=True)
        updates[len(items)] = time_updates(encrypted, items, rng)
        if not reuse:
            print(f"plain: exported in {export_plain(encrypted, folder):.1f} s", flush=True)
            # Searched as a user's session finds the profile: opened anew after it was
            # filled (the load's write-ahead log folded in), like the plain copy.
            encrypted.close()
            encrypted = Store.open(folder / "encrypted", PASSPHRASE)
        plain = plain_store(folder)
        for name, store in (("encrypted", encrypted), ("plain", plain)):

            def search(text: str, lang: str, typing: bool, store: Store = store) -> object:
                return library.search(store, text, lang, limit=20, as_you_type=typing)

            gc.collect()
            results[name] = time_queries(search, queries, cpu[name])
        naive, seconds = naive_store(folder, analysed)
        print(f"naive: indexed in {seconds:.1f} s", flush=True)
        del analysed

        def naive_search(text: str, lang: str, typing: bool) -> object:
            return naive.execute(  # type: ignore[attr-defined]
                "SELECT rowid FROM naive WHERE naive MATCH ? ORDER BY bm25(naive) LIMIT 20",
                (naive_query(text, lang, typing),)).fetchall()

        results["naive"] = time_queries(naive_search, queries, cpu["naive"])
        started = time.perf_counter()
        for cls, lang, text, typing in queries:
            fast = run_search(encrypted.conn, text, lang, limit=20, as_you_type=typing)
            full = run_search(encrypted.conn, text, lang, limit=20, as_you_type=typing,
                              exhaustive=True)
            exact[cls].append([(r.id, r.score) for r in fast] == [(r.id, r.score) for r in full])
        print(f"exactness checked against exhaustive scoring in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        same, shown = snippets_as_if_every_match(encrypted, queries)
        print(f"snippets: {same} of {shown} are the passage chosen among every match "
              f"({same / max(1, shown):.3f}; searches look at the first "
              f"{query.SNIPPET_SPANS} matches)", flush=True)
        encrypted.close()
        plain.close()
        naive.close()  # type: ignore[attr-defined]
    for size, spent in sorted(updates.items()):
        print(f"update at {size} items: add {spent['add']:.1f} ms, replace "
              f"{spent['replace']:.1f} ms, delete {spent['delete']:.1f} ms; then the merge "
              f"of these {3 * UPDATES} changes {spent['merge']:.0f} ms")
    print(f"{'class':<10} {'enc med':>8} {'enc p95':>8} {'plain med':>9} {'plain p95':>9} "
          f"{'naive med':>9} {'naive p95':>9} {'exact':>6}")
    for cls in CLASSES:
        enc, pl, nv = results["encrypted"][cls], results["plain"][cls], results["naive"][cls]
        share = sum(exact[cls]) / max(1, len(exact[cls]))
        print(f"{cls:<10} {statistics.median(enc):>8.2f} {p95(enc):>8.2f} "
              f"{statistics.median(pl):>9.2f} {p95(pl):>9.2f} "
              f"{statistics.median(nv):>9.2f} {p95(nv):>9.2f} {share:>6.2f}")
    print("processor time (ms):")
    for cls in CLASSES:
        cells = (f"{statistics.median(cpu[n][cls]):>8.2f} {p95(cpu[n][cls]):>8.2f}"
                 for n in ("encrypted", "plain", "naive"))
        print(f"{cls:<10} " + " ".join(cells))
    cpu_all = {n: p95([t for ts in per.values() for t in ts]) for n, per in cpu.items()}
    print(f"cpu p95 encrypted={cpu_all['encrypted']:.2f} plain={cpu_all['plain']:.2f} "
          f"naive={cpu_all['naive']:.2f}")
    every = {name: [t for ts in per.values() for t in ts] for name, per in results.items()}
    enc95, plain95, naive95 = (p95(every[n]) for n in ("encrypted", "plain", "naive"))
    exact_all = sum(sum(v) for v in exact.values()) / max(1, sum(len(v) for v in exact.values()))
    update = max(v for k, v in updates[len(items)].items() if k != "merge")
    print(json.dumps({"items": len(items), "updates": updates}), file=sys.stderr)
    print(f"search p95 encrypted={enc95:.2f} plain={plain95:.2f} ratio={enc95 / plain95:.2f} "
          f"naive={naive95:.2f} exact={exact_all:.2f} update={update:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
