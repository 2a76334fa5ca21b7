"""Word lists that shape a query: stopwords per language and the field's synonyms.

Stopwords come from the `stopwordsiso` package (Stopwords ISO, a maintained list
per language);
`data/keep.txt` exempts the few words those lists drop that carry meaning for
the people Fieldkit serves (help, work, name, alone…). Synonyms are data too
(`data/synonyms.txt`), compared after analysis so inflections meet.
"""

from __future__ import annotations

import functools
from importlib import resources

import stopwordsiso

from fieldkit.search.analysis import _TOKEN, analyse_word, base_language, prefix_form

STOPWORD_LANGS = ("ar", "en", "es", "fr", "ru", "zh")


def data_lines(name: str) -> list[tuple[str, str]]:
    """(language, rest) of each `ll: …` line of a data file."""
    text = resources.files("fieldkit.search").joinpath("data", name).read_text("utf-8")
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        lang, rest = line.split(":", 1)
        lines.append((lang.strip(), rest.strip()))
    return lines


@functools.cache
def _kept() -> dict[str, frozenset[str]]:
    kept: dict[str, set[str]] = {}
    for lang, rest in data_lines("keep.txt"):
        kept.setdefault(lang, set()).update(prefix_form(w) for w in rest.split())
    return {lang: frozenset(words) for lang, words in kept.items()}


@functools.cache
def stopwords(lang: str) -> frozenset[str]:
    """Folded stopwords of a language (empty for a language without a list)."""
    lang = base_language(lang)
    if lang not in STOPWORD_LANGS:
        return frozenset()
    words: set[str] = set()
    for entry in stopwordsiso.stopwords(lang):
        # Text is cut into words at apostrophes ("quelqu'un" → quelqu, un): so are entries.
        words.update(prefix_form(m.group()) for m in _TOKEN.finditer(entry))
    return frozenset(words - _kept().get(lang, frozenset()))


def is_stopword(word: str, lang: str) -> bool:
    return prefix_form(word) in stopwords(lang)


@functools.cache
def _synonym_sets(lang: str) -> dict[str, tuple[str, ...]]:
    """Analysed form → the words of its set (as written in the table)."""
    table: dict[str, tuple[str, ...]] = {}
    for set_lang, rest in data_lines("synonyms.txt"):
        if set_lang != lang:
            continue
        words = tuple(w.strip() for w in rest.split(",") if w.strip())
        for word in words:
            table[analyse_word(word, lang)[1]] = words
    return table


def synonyms(word: str, lang: str) -> tuple[str, ...]:
    """The other words of `word`'s synonym set in `lang` (none if it has no set)."""
    lang = base_language(lang)
    stem = analyse_word(word, lang)[1]
    words = _synonym_sets(lang).get(stem, ())
    return tuple(w for w in words if analyse_word(w, lang)[1] != stem)
