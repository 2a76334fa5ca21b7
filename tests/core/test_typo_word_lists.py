"""The word lists that tell a real word from a misspelling are made once, kept in the
app's private cache, and made again when that copy is missing or damaged."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fieldkit.search import typos


@pytest.fixture
def spanish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[tuple[str, ...], Path]:
    """The Spanish list as first made, and the file it is kept in."""
    monkeypatch.setenv("FIELDKIT_CACHE", str(tmp_path))
    typos._dictionary.cache_clear()
    made = typos._dictionary("es")
    typos._dictionary.cache_clear()  # the next call reads what was kept
    kept = list(tmp_path.glob("words-es-*.txt"))
    assert len(kept) == 1
    return made, kept[0]


def test_word_lists_are_kept_and_read_back(spanish: tuple[tuple[str, ...], Path],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    made, kept = spanish
    assert kept.stat().st_mode & 0o777 == 0o600
    monkeypatch.setitem(sys.modules, "spellchecker", None)  # not needed any more
    assert typos._dictionary("es") == made
    assert typos._listed(typos._spelling_key("ayuda"), "es")


def test_a_damaged_word_list_is_made_again(spanish: tuple[tuple[str, ...], Path]) -> None:
    made, kept = spanish
    kept.write_text(kept.read_text("utf-8")[: len(made) * 3], "utf-8")  # cut short
    assert typos._dictionary("es") == made
    typos._dictionary.cache_clear()
    assert typos._dictionary("es") == made  # and kept whole again


def test_a_typo_is_corrected_without_a_usable_cache_folder(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from fieldkit import library
    from fieldkit.store import Store
    from tests.conftest import PASSPHRASE
    from tests.core.corpus import item

    (tmp_path / "file").write_text("")
    with Store.create(tmp_path / "profile", PASSPHRASE) as store:
        library.put_items(store, [item("a", "en", "Harassment", "Harassment at work.")])
        monkeypatch.setenv("FIELDKIT_CACHE", str(tmp_path / "file" / "cache"))  # not a folder
        typos._dictionary.cache_clear()
        answer = library.search(store, "harasment")
        assert [r.id for r in answer] == ["a"] and answer.did_you_mean == "harassment"
    typos._dictionary.cache_clear()
