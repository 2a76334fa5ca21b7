"""Search benchmark: the encrypted store against plain SQLite, on a hard synthetic corpus.

Builds the same synthetic multilingual corpus twice, in the encrypted profile
through the real indexing code and in a plain `sqlite3` database with the same
schema and analysed text, runs one fixed mix of queries on both, and prints
the median and p95 per query class, then as its last line:

    search p95 encrypted=<ms> plain=<ms> ratio=<x>

The corpus is meant to be as hard as real text: per language a Zipf-distributed
vocabulary of tens of thousands of words, items of 150-500 words, and the
common-word queries drawn from the most frequent analysed words.

Usage: python bench/search.py [--items 50000] [--queries 200] [--seed 7]
"""

from __future__ import annotations

import argparse
import itertools
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fieldkit import library
from fieldkit.content.model import Item, Version
from fieldkit.schema import SCHEMA_VERSION
from fieldkit.search.analysis import analyse_word
from fieldkit.store import CACHE_KIB, Connection, Store

LANGS = ("en", "fr", "es", "ru", "ar", "zh")
VOCABULARY = 30_000
ZIPF_S = 1.05
PASSPHRASE = "benchmark passphrase"
CLASSES = ("common", "rare", "two words", "prefix", "phrase")
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
    """Distinct words; frequent ranks get short words (as in real languages)."""
    words: list[str] = []
    seen: set[str] = set()
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
        items.append(Item(
            id=f"bench-{n}", kind=rng.choice(KINDS), country=rng.choice(COUNTRIES),
            example=rng.random() < 0.1, meta={"sources": []},
            versions={lang: Version(lang=lang, title=joiner.join(title_words),
                                    status="original", body="\n\n".join(sentences))},
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
        words = vocab[lang]
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


def build(store: Store, items: list[Item]) -> float:
    started = time.perf_counter()
    library.put_items(store, items, bulk=True)
    return time.perf_counter() - started


def plain_store(folder: Path) -> Store:
    """A plain SQLite database with the very same schema and tuning, no encryption."""
    path = folder / "plain.db"
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in ("temp_store = MEMORY", "journal_mode = WAL", "synchronous = FULL",
                   f"cache_size = -{CACHE_KIB}", "foreign_keys = ON"):
        conn.execute(f"PRAGMA {pragma}")
    store = Store(Connection(conn), path)
    store.migrate(SCHEMA_VERSION)
    return store


def time_queries(search: Callable[[str, str, bool], object],
                 queries: list[tuple[str, str, str, bool]]) -> dict[str, list[float]]:
    for _cls, lang, text, typing in queries:  # warm the page cache, as a session in use would
        search(text, lang, typing)
    timings: dict[str, list[float]] = {cls: [] for cls in CLASSES}
    for cls, lang, text, typing in queries:
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            search(text, lang, typing)
            runs.append((time.perf_counter() - started) * 1000)
        timings[cls].append(statistics.median(runs))
    return timings


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path,
                        help="build the databases in this folder once and reuse them")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    items, vocab = make_corpus(args.items, rng)
    words = sum(len(i.versions[next(iter(i.versions))].body.split()) for i in items)
    print(f"corpus: {len(items)} items, {len(LANGS)} languages, vocabulary {VOCABULARY}/language, "
          f"built in {time.perf_counter() - started:.1f} s", flush=True)
    queries = make_queries(items, vocab, args.queries, rng)
    results = {}
    with tempfile.TemporaryDirectory(prefix="fieldkit-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        reuse = (folder / "plain.db").exists()
        encrypted = (Store.open(folder / "encrypted", PASSPHRASE) if reuse
                     else Store.create(folder / "encrypted", PASSPHRASE))
        plain = plain_store(folder)
        for name, store in (("encrypted", encrypted), ("plain", plain)):
            if not reuse:
                seconds = build(store, items)
                size = store.path.stat().st_size / 2**20
                print(f"{name}: indexed in {seconds:.1f} s, {size:.0f} MiB", flush=True)

            def search(text: str, lang: str, typing: bool, store: Store = store) -> object:
                return library.search(store, text, lang, limit=20, as_you_type=typing)

            results[name] = time_queries(search, queries)
            store.close()
    del words
    print(f"{'class':<10} {'enc median':>10} {'enc p95':>8} {'plain median':>12} {'plain p95':>9}")
    for cls in CLASSES:
        enc, pl = results["encrypted"][cls], results["plain"][cls]
        print(f"{cls:<10} {statistics.median(enc):>10.2f} {p95(enc):>8.2f} "
              f"{statistics.median(pl):>12.2f} {p95(pl):>9.2f}")
    enc_all = [t for ts in results["encrypted"].values() for t in ts]
    plain_all = [t for ts in results["plain"].values() for t in ts]
    enc95, plain95 = p95(enc_all), p95(plain_all)
    print(f"search p95 encrypted={enc95:.2f} plain={plain95:.2f} "
          f"ratio={enc95 / plain95:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
