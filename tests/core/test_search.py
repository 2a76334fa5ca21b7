"""Search: inflections in six languages, prefixes, filters, snippets, and any input at all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldkit import library
from fieldkit.search.query import parse
from fieldkit.store import Store
from tests.conftest import PASSPHRASE
from tests.core.corpus import CORPUS


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder: Path = tmp_path_factory.mktemp("search")
    with Store.create(folder, PASSPHRASE) as s:
        library.put_items(s, CORPUS)
        yield s


def ids(store: Store, query: str, lang: str = "en", **kw: object) -> list[str]:
    return [r.id for r in library.search(store, query, lang, **kw)]


@pytest.mark.parametrize(
    ("query", "lang", "expected"),
    [
        ("bystander", "en", "en-bystander"),          # bystanders
        ("intervening", "en", "en-bystander"),        # intervene
        ("reporting", "en", "en-report"),             # report
        ("harcelement", "fr", "fr-harcelement"),      # accents folded
        ("témoin", "fr", "fr-harcelement"),           # témoins
        ("signalement", "fr", "fr-harcelement"),      # signaler
        ("acoso", "es", "es-acoso"),                  # acosos
        ("testigo", "es", "es-acoso"),                # testigos
        ("домогательство", "ru", "ru-domog"),         # домогательства / домогательств
        ("свидетель", "ru", "ru-domog"),              # свидетели
        ("تحرش", "ar", "ar-taharrush"),                # التحرش (definite article)
        ("التَّحَرُّش", "ar", "ar-taharrush"),          # with tashkeel
        ("والتحرش", "ar", "ar-taharrush"),             # conjunction + article
        ("骚扰", "zh", "zh-saorao"),                   # inside 性骚扰
        ("举报", "zh", "zh-saorao"),
    ],
)
def test_inflections_meet(store: Store, query: str, lang: str, expected: str) -> None:
    assert ids(store, query, lang)[:1] == [expected]


def test_query_language_is_guessed_from_script(store: Store) -> None:
    # A Russian word found while the reader's language is English.
    assert ids(store, "свидетели", "en")[:1] == ["ru-domog"]
    assert ids(store, "harcèlement", "en")[:1] == ["fr-harcelement"]


def test_prefix_while_typing(store: Store) -> None:
    assert ids(store, "bysta", as_you_type=True)[:1] == ["en-bystander"]
    assert ids(store, "harcè", "fr", as_you_type=True)[:1] == ["fr-harcelement"]
    assert ids(store, "bysta*")[:1] == ["en-bystander"]
    assert ids(store, "bysta") == []  # a whole word when not typing


def test_filters(store: Store) -> None:
    assert ids(store, "harassment", kind="law") == ["law-xx"]
    assert ids(store, "harassment", country="MD") == ["law-xx"]
    assert "law-xx" not in ids(store, "harassment", kind="guidance")
    assert ids(store, "harassment", language="fr") == []


def test_reader_language_first(store: Store) -> None:
    # "harassment" (en) and "harcèlement" (fr) both stem to words in their docs;
    # a French reader searching both sees French first.
    results = library.search(store, "harassment OR harcèlement", "fr")
    assert results[0].lang == "fr"
    assert not results[0].other_language
    assert any(r.other_language and r.lang == "en" for r in results)


def test_phrases_and_exclusion(store: Store) -> None:
    assert ids(store, '"report it formally"') == ["en-report"]
    assert ids(store, '"formally report"') == []
    assert "law-xx" not in ids(store, "harassment -law")
    assert "law-xx" not in ids(store, "harassment NOT law")


def test_snippet_in_original_text(store: Store) -> None:
    result = library.search(store, "bystander")[0]
    assert "**Bystanders**" in result.snippet
    zh = library.search(store, "骚扰", "zh")[0]
    assert "**骚扰**" in zh.snippet


@pytest.mark.parametrize("text", ['"unclosed', "*", "-", "AND", "NEAR", "OR OR", "a NEAR b",
                                  '"" "', "(", ")", "^", ":", "{a b}:", "x" * 10_000,
                                  "harassment " * 2000, "混合 mixed текст نص", "\x00", "' OR 1=1"])
def test_awkward_input_never_breaks(store: Store, text: str) -> None:
    library.search(store, text)
    library.search(store, text, as_you_type=True)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_any_text_is_a_valid_query(store: Store, text: str) -> None:
    parsed = parse(store.conn, text, "en", as_you_type=True)
    for group in parsed.groups + parsed.excluded:
        assert '"' not in "".join(group.stems)
    library.search(store, text, "en", as_you_type=True)
    library.search(store, text, "ar")


def test_rebuild_index_reports_progress_and_cancel_keeps_index(tmp_path: Path) -> None:
    from fieldkit.errors import Cancelled
    from tests.core.corpus import item

    items = CORPUS + [item(f"extra-{n}", "en", f"Extra {n}", "bystander " * 3) for n in range(450)]
    with Store.create(tmp_path, PASSPHRASE) as store:
        library.put_items(store, items)
        reports: list[tuple[int, int]] = []
        assert library.rebuild_index(store, lambda d, t, _l: reports.append((d, t))) == len(items)
        assert reports[-1] == (len(items), len(items)) and len(reports) >= 3

        def stop(done: int, total: int, label: str) -> None:
            raise Cancelled()

        before = ids(store, "bystander", limit=200)
        with pytest.raises(Cancelled):
            library.rebuild_index(store, stop)
        assert ids(store, "bystander", limit=200) == before  # the index was kept whole
        assert len(before) == 200  # the limit; 451 items match


def test_vocabulary_follows_updates(tmp_path: Path) -> None:
    from tests.core.corpus import item

    with Store.create(tmp_path, PASSPHRASE) as store:
        for _ in range(3):
            library.put_items(store, [item("a", "en", "Bystanders", "bystanders act")])
        df = store.conn.execute("SELECT df FROM search_vocab WHERE word = 'bystanders'").fetchone()
        assert df == (1,)
        library.put_items(store, [item("a", "en", "Witnesses", "witnesses act")])
        assert store.conn.execute(
            "SELECT count(*) FROM search_vocab WHERE word = 'bystanders'").fetchone() == (0,)
        assert ids(store, "bysta", as_you_type=True) == []
        assert ids(store, "witn", as_you_type=True) == ["a"]


def test_excluded_phrase_and_arabic_prefix_with_article(store: Store) -> None:
    assert "law-xx" not in ids(store, 'harassment -"covered by law"')
    assert ids(store, 'harassment -"covered by law"')  # the rest still found
    assert ids(store, "التحر", "ar", as_you_type=True)[:1] == ["ar-taharrush"]
    assert ids(store, "والتحر", "ar", as_you_type=True)[:1] == ["ar-taharrush"]


@pytest.mark.parametrize("bad", ['e"n', "M\"D", "law\" OR x", ""])
def test_filter_values_cannot_break_the_query(store: Store, bad: str) -> None:
    library.search(store, "harassment", "en", language=bad or None, country=bad or None,
                   kind=bad or None)


def test_interrupted_profile_creation_leaves_nothing(tmp_path: Path) -> None:
    from fieldkit.errors import Cancelled

    def stop(done: int, total: int, label: str) -> None:
        raise Cancelled()

    with pytest.raises(Cancelled):
        library.create_profile(tmp_path, PASSPHRASE, CORPUS, progress=stop)
    assert list(tmp_path.iterdir()) == []
    with library.create_profile(tmp_path, PASSPHRASE, CORPUS, {"lang": "fr"}) as store:
        assert library.item_count(store) == len(CORPUS)
        assert store.get_setting("lang") == "fr"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fieldkit.db", "fieldkit.lock"]


def test_phrase_or_word_finds_either(store: Store) -> None:
    found = ids(store, '"report it formally" OR bystanders')
    assert set(found[:2]) == {"en-report", "en-bystander"}
    assert ids(store, 'bystanders OR "report it formally"')[:2] == found[:2]


def test_limit_returns_n_when_n_items_match(tmp_path: Path) -> None:
    """Items in several languages match once each: the limit counts items, not versions."""
    from fieldkit.content.model import Item, Version

    def many(n: int) -> Item:
        return Item(id=f"m-{n}", kind="guidance", meta={}, versions={
            lang: Version(lang, f"Witness {n}", "original", body="bystanders witness " * (n % 5))
            for lang in ("en", "fr", "es")})

    with Store.create(tmp_path, PASSPHRASE) as s:
        library.put_items(s, [many(n) for n in range(40)])
        for limit in (1, 7, 20, 40):
            assert len(library.search(s, "witness", "ru", limit=limit)) == limit
            assert len(library.search(s, "witness", "en", limit=limit)) == limit
        assert len(library.search(s, "witness", "en", limit=100)) == 40


def test_cli_limit(starter_home: Path) -> None:
    import json

    from tests.conftest import run_fieldkit

    for limit in ("1", "4", "9"):
        result = run_fieldkit("search", "harassment", "--limit", limit, "--json")
        assert result.returncode == 0, result.stderr
        assert len(json.loads(result.stdout)) == int(limit)


def test_snippet_work_is_linear_in_the_matches() -> None:
    from fieldkit.search.query import SNIPPET_SPANS, Highlight, WorkMeter, snippet_segments

    pattern = Highlight({"bystanders", "report"})

    def work(matches: int, max_spans: int | None) -> int:
        text = "Bystanders can report it. " * (matches // 2)
        WorkMeter.steps = 0
        segments = snippet_segments(text, "en", pattern, max_spans)
        assert any(hit for _, hit in segments)
        return WorkMeter.steps

    small, large = work(1_000, None), work(10_000, None)  # every match looked at
    assert large <= 4 * 10_000  # a few steps per match
    assert large <= 11 * small  # ten times the matches, ten times the work
    # as searches run: bounded, whatever the number of matches
    assert work(10_000, SNIPPET_SPANS) == work(1_000, SNIPPET_SPANS) <= 6 * SNIPPET_SPANS


def test_highlight_finds_what_the_regular_expression_finds() -> None:
    """Forms found with str.find are the matches of the one expression they replace:
    whole words, any case, Chinese inside runs, the longest form at a place."""
    from fieldkit.content.pack import starter_items
    from fieldkit.search.query import Highlight, _regex_spans

    texts = [v.body for i in starter_items() for v in i.versions.values()]
    texts += ["Report, REPORTS and reporting: report.", "İstanbul report", "性骚扰和骚扰",
              "report_card, my_report and report", "骚扰骚扰 骚扰骚扰 骚扰骚扰骚扰 骚扰"]
    form_sets = [{"report", "reports", "reporting"}, {"harassment", "harcèlement", "acoso"},
                 {"骚扰", "性骚扰", "举报"}, {"骚扰", "骚扰骚扰"}, {"التحرش", "تحرش"},
                 {"домогательства", "жалоба"}, {"a", "an", "the"}]
    for forms in form_sets:
        highlight = Highlight(forms)
        for text in texts:
            text = " ".join(text.split())
            for limit in (None, 1, 2, 3, 5):
                assert highlight.spans(text, limit) == \
                    _regex_spans(text, highlight.pattern, limit), (forms, text[:60], limit)


def test_a_search_reads_one_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write committed by another connection while a search runs (a sync) is not half
    seen: the search answers from the state it started in, and leaves no transaction."""
    from fieldkit.search import rank

    with Store.create(tmp_path, PASSPHRASE) as reader, Store.open(tmp_path, PASSPHRASE) as sync:
        library.put_items(reader, CORPUS)
        real_init = rank.Ranker.__init__

        def sync_meanwhile(self: rank.Ranker, *args: object, **kwargs: object) -> None:
            real_init(self, *args, **kwargs)  # type: ignore[arg-type]
            library.delete_items(sync, ["en-bystander"])  # committed by the other connection

        monkeypatch.setattr(rank.Ranker, "__init__", sync_meanwhile)
        found = library.search(reader, "bystanders")
        assert [r.id for r in found] == ["en-bystander"] and found[0].snippet
        assert not reader.conn.in_transaction
        monkeypatch.setattr(rank.Ranker, "__init__", real_init)
        assert library.search(reader, "bystanders") == []  # the next search sees the sync

        def fail(self: rank.Ranker, *args: object, **kwargs: object) -> None:
            raise ValueError("a bug")

        monkeypatch.setattr(rank.Ranker, "__init__", fail)
        with pytest.raises(ValueError):
            library.search(reader, "harassment")
        assert not reader.conn.in_transaction  # the snapshot is closed
