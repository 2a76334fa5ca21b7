"""Exact ranking: the fast top k equals scoring every match, for every query shape,
on a generated store of 5,000 items, and still after a fifth is replaced and a fifth deleted."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit import library
from fieldkit.content.model import Item, Version
from fieldkit.search.query import search
from fieldkit.store import Store
from tests.conftest import PASSPHRASE

ITEMS = 5_000
LANGS = ("en", "fr", "es", "ru", "ar")
KINDS = ("guidance", "law", "service", "pathway")
COUNTRIES = (None, "MD", "BD", "KE")
ALPHABETS = {
    "en": ("bcdfghklmnprstvw", "aeiou"), "fr": ("bcdfglmnprstv", "aeiouéè"),
    "es": ("bcdfgjlmnprstv", "aeiouáó"), "ru": ("бвгдзклмнпрст", "аеиоуя"),
    "ar": ("بتجدرزسشعفقكلمن", "اوي"),
}


def vocabulary(lang: str, rng: random.Random, size: int = 600) -> list[str]:
    consonants, vowels = ALPHABETS[lang]
    words: dict[str, None] = {}
    while len(words) < size:
        syllables = 1 + min(3, int(rng.expovariate(1.0)) + len(words) // 200)
        words["".join(rng.choice(consonants) + rng.choice(vowels)
                      for _ in range(syllables))] = None
    return list(words)


class Corpus:
    def __init__(self, seed: int = 11) -> None:
        self.rng = random.Random(seed)
        self.words = {lang: vocabulary(lang, self.rng) for lang in LANGS}
        self.weights = [1 / r for r in range(1, 601)]

    def draw(self, lang: str, n: int) -> list[str]:
        return self.rng.choices(self.words[lang], weights=self.weights, k=n)

    def item(self, n: int, version: int = 0) -> Item:
        langs = [LANGS[n % len(LANGS)]]
        if n % 7 == 0:  # some items in two languages: one result per item
            langs.append(LANGS[(n + 2) % len(LANGS)])
        versions = {lang: Version(lang, " ".join(self.draw(lang, 4)), "original",
                                  body=" ".join(self.draw(lang, self.rng.randint(10, 60))),
                                  fields={"keywords": self.draw(lang, self.rng.randint(0, 2))})
                    for lang in langs}
        return Item(id=f"gen-{n}", kind=KINDS[n % 4], meta={}, versions=versions,
                    country=COUNTRIES[(n // 4) % 4], example=n % 10 == 0, version=version)


def queries(corpus: Corpus, rng: random.Random) -> list[tuple[str, str, dict[str, object]]]:
    """(text, reader language, options) for every query shape."""
    shapes = []
    for lang in LANGS:
        w = corpus.words[lang]
        common, mid, rare = w[:8], w[20:150], w[300:600]
        pick = rng.choice
        shapes += [
            (pick(common), lang, {}),
            (pick(rare), lang, {}),
            (f"{pick(common)} {pick(mid)}", lang, {}),
            (f"{pick(mid)} {pick(mid)} {pick(rare)}", lang, {}),
            (f"{pick(common)} OR {pick(common)}", lang, {}),
            (pick(mid)[:3], lang, {"as_you_type": True}),
            (f"{pick(common)} {pick(mid)[:3]}*", lang, {}),
            (f'"{pick(common)} {pick(common)}"', lang, {}),
            (f'"{pick(common)} {pick(mid)}" OR {pick(mid)}', lang, {}),
            (f"{pick(common)} -{pick(common)}", lang, {}),
            (f'{pick(mid)} -"{pick(common)} {pick(common)}"', lang, {}),
            (f"{pick(common)} {pick(mid)}", lang, {"kind": "law"}),
            (f"{pick(mid)}", lang, {"country": "MD"}),
            (f"{pick(common)}", "en", {"language": lang}),
            (f"{pick(common)} {pick(mid)}", "fr" if lang != "fr" else "en", {}),
        ]
        # questions: stopwords around words of the text
        stop = {"en": "what can i do if my {} and {} at the {}",
                "fr": "que faire si mon {} et {} dans le {}",
                "es": "qué puedo hacer si mi {} y {} en el {}",
                "ru": "что мне делать если мой {} и {} на {}",
                "ar": "ماذا أفعل إذا {} و {} في {}"}[lang]
        shapes.append((stop.format(pick(common), pick(mid), pick(rare)), lang, {}))
    return shapes


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Corpus]]:
    folder: Path = tmp_path_factory.mktemp("exact")
    corpus = Corpus()
    with Store.create(folder, PASSPHRASE) as store:
        library.put_items(store, [corpus.item(n) for n in range(ITEMS)], bulk=True)
        yield store, corpus


def check_exact(store: Store, shapes: list[tuple[str, str, dict[str, object]]]) -> int:
    """Every query's fast answer equals the exhaustive one; returns how many found anything."""
    found = 0
    for (text, lang, options), limit in itertools.product(shapes, (3, 20)):
        fast = search(store.conn, text, lang, limit=limit, **options)  # type: ignore[arg-type]
        full = search(store.conn, text, lang, limit=limit, exhaustive=True,
                      **options)  # type: ignore[arg-type]
        assert [(r.id, r.lang, r.score) for r in fast] == \
            [(r.id, r.lang, r.score) for r in full], (text, lang, options, limit)
        found += bool(fast)
    return found


@pytest.mark.parametrize("arrays", ["by document number", "by rank among the documents"])
def test_top_k_equals_exhaustive_for_every_shape(generated: tuple[Store, Corpus], arrays: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from fieldkit.search import rank

    if arrays == "by rank among the documents":  # as after years of replaced items
        monkeypatch.setattr(rank, "SPARSE_FACTOR", 0)
        monkeypatch.setattr(rank, "SPARSE_FROM", 0)
    store, corpus = generated
    shapes = queries(corpus, random.Random(5))
    assert check_exact(store, shapes) > len(shapes)  # most queries find something


def test_exact_after_replacing_and_deleting_a_fifth(generated: tuple[Store, Corpus],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Exact while the changes wait in the delta (packed lists out of date), and after
    the merge that folds them in."""
    from fieldkit.search import indexer

    monkeypatch.setattr(indexer, "MERGE_AFTER_DOCS", 10**9)
    store, corpus = generated
    rng = random.Random(9)
    numbers = list(range(ITEMS))
    rng.shuffle(numbers)
    replaced, deleted = numbers[:ITEMS // 5], numbers[ITEMS // 5: 2 * ITEMS // 5]
    library.put_items(store, [corpus.item(n, version=1) for n in replaced])
    for chunk in range(0, len(deleted), 100):  # many small updates, as sync applies them
        library.delete_items(store, [f"gen-{n}" for n in deleted[chunk:chunk + 100]])
    shapes = queries(corpus, random.Random(6))
    assert store.conn.scalar("SELECT count(*) FROM search_stale") >= 2 * ITEMS // 5
    gone = {f"gen-{n}" for n in deleted}
    for merged in (False, True):
        if merged:
            with store.transaction() as conn:
                indexer.merge(conn)
            assert store.conn.scalar("SELECT count(*) FROM search_delta") == 0
            assert packed_lists(store) == postings(store)  # patched = remade from the truth
        assert check_exact(store, shapes) > len(shapes)
        for text, lang, options in shapes:
            ids = {r.id for r in search(store.conn, text, lang, limit=50,
                                        **options)}  # type: ignore[arg-type]
            assert not ids & gone, text  # a deleted item vanishes at once


def packed_lists(store: Store) -> dict[int, Counter[tuple[int, int]]]:
    """Per term its packed (doc, impact) entries, counted (a duplicate would show)."""
    from fieldkit.search.rank import unpack

    return {term: Counter(zip(unpack(docs).tolist(), unpack(impacts).tolist(), strict=True))
            for term, docs, impacts in store.conn.execute(
                "SELECT term, docs, impacts FROM search_lists").fetchall()}


def postings(store: Store) -> dict[int, Counter[tuple[int, int]]]:
    found: dict[int, Counter[tuple[int, int]]] = {}
    for term, doc, value in store.conn.execute(
            "SELECT term, doc, impact FROM search_postings").fetchall():
        found.setdefault(term, Counter())[(doc, value)] += 1
    return found


def test_a_write_merges_once_enough_changed(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from fieldkit.search import indexer
    from tests.core.corpus import CORPUS

    monkeypatch.setattr(indexer, "MERGE_AFTER_DOCS", 4)
    monkeypatch.setattr(indexer, "MERGE_SHARE", 0.0)
    with Store.create(tmp_path, PASSPHRASE) as store:
        library.put_items(store, CORPUS[:2], bulk=True)
        for one in CORPUS[2:5]:
            library.put_items(store, [one])  # three new documents wait in the delta
        assert store.conn.scalar("SELECT count(DISTINCT doc) FROM search_delta") == 3
        library.put_items(store, [CORPUS[5]])  # the fourth change: merged
        assert store.conn.scalar("SELECT count(*) FROM search_delta") == 0
        assert packed_lists(store) == postings(store)


def test_a_reused_document_number_keeps_none_of_its_old_words(tmp_path: Path) -> None:
    """Replacing the newest item gives its new text the same document number: the
    packed lists still hold the old text's entries for that number until the next
    merge, and they must not count."""
    from tests.core.corpus import item

    with Store.create(tmp_path, PASSPHRASE) as store:
        library.put_items(store, [item("first", "en", "Offices", "Offices, desks and zebras."),
                                  item("newest", "en", "Zebras", "Zebras and lions.")],
                          bulk=True)
        old = store.conn.scalar("SELECT doc FROM versions WHERE item_id = 'newest'")
        library.put_items(store, [item("newest", "en", "Lions", "Only lions here.")])
        assert store.conn.scalar("SELECT doc FROM versions WHERE item_id = 'newest'") == old
        assert [r.id for r in library.search(store, "zebras")] == ["first"]
        assert [r.id for r in library.search(store, "lions")] == ["newest"]
        assert check_exact(store, [("zebras lions", "en", {}), ("offices", "en", {})]) >= 2
