"""Per-language text analysis, shared by indexing and querying.

A word goes through: case folding → (Arabic) normalisation and definite
article → Snowball stem (where the language has one) → diacritics folded.
Chinese runs are segmented with jieba (search mode at index time, so that
骚扰 is found inside 性骚扰). The same pipeline runs on documents and queries,
so whatever a reader types meets the text on equal terms.
"""

from __future__ import annotations

import functools
import importlib
import logging
import re
import threading
import unicodedata
from collections.abc import Iterator
from typing import Any, NamedTuple

import snowballstemmer

from fieldkit import paths

# What the stored index depends on, besides the stemmer and segmenter releases: this
# module's analysis and the index's layout and impacts (indexer.py, rank.py). A change
# to any of them bumps it, and every profile is re-indexed when next opened.
VERSION = 2

# Snowball algorithm per language subtag (only the ones we index with stemming).
SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "fi": "finnish", "fr": "french", "hu": "hungarian",
    "id": "indonesian", "it": "italian", "nl": "dutch", "no": "norwegian", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sv": "swedish", "tr": "turkish", "hi": "hindi",
    "ne": "nepali", "fa": "persian", "sr": "serbian", "lt": "lithuanian", "hy": "armenian",
}
# Languages a Latin-script query is tried in when the reader did not narrow it.
LATIN_QUERY_LANGS = ("en", "fr", "es")

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Combining marks (Latin accents typed decomposed, Arabic harakat) stay inside their word.
_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_TOKEN = re.compile(rf"[{_HAN}]+|[^\W{_HAN}][^\W{_HAN}{_MARKS}]*(?:[{_MARKS}]+[^\W{_HAN}]*)*")
_HAN_RUN = re.compile(rf"[{_HAN}]")
_ARABIC = re.compile("[\u0600-\u06ff]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")

_TASHKEEL = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, superscript alef, tatweel
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})
_AR_FINAL = str.maketrans({"ة": "ه", "ى": "ي"})
_AR_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")


class Token(NamedTuple):
    start: int  # span in the original text
    end: int
    word: str   # folded surface form (for prefix matching)
    stem: str   # analysed form (what the index holds)
    shown: str = ""  # the surface form in lower case, accents kept ("did you mean")


def base_language(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].lower()


_local = threading.local()


def _stemmer(lang: str) -> snowballstemmer.stemmer | None:
    name = SNOWBALL.get(lang)
    if name is None:
        return None
    cache = getattr(_local, "stemmers", None)
    if cache is None:
        cache = _local.stemmers = {}
    if name not in cache:
        cache[name] = snowballstemmer.stemmer(name)
    return cache[name]


def fold(text: str) -> str:
    """Case and diacritics folded (also Arabic harakat)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _arabic_normalise(word: str) -> str:
    word = _TASHKEEL.sub("", word).translate(_ALEF)
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix):]
    return word


@functools.lru_cache(maxsize=200_000)
def analyse_word(word: str, lang: str) -> tuple[str, str]:
    """(folded word, stem) of one word in `lang` (a base language subtag)."""
    lowered = word.casefold()
    if _ARABIC.search(lowered):
        lowered = _arabic_normalise(lowered)
        lang = "ar"
    elif lang == "ru" or _CYRILLIC.search(lowered):
        lowered = lowered.replace("ё", "е")
        if lang not in ("ru", "uk", "sr", "bg"):
            lang = "ru"
    stemmer = _stemmer(lang)
    stem = stemmer.stemWord(lowered) if stemmer else lowered
    folded_stem = fold(stem).translate(_AR_FINAL)
    return fold(lowered).translate(_AR_FINAL), folded_stem or fold(lowered)


def prefix_form(word: str) -> str:
    """A half-typed word as the vocabulary spells words (for prefix look-ups)."""
    lowered = word.casefold()
    if _ARABIC.search(lowered):
        lowered = _arabic_normalise(lowered)
    elif _CYRILLIC.search(lowered):
        lowered = lowered.replace("ё", "е")
    return fold(lowered).translate(_AR_FINAL)


def _jieba() -> Any:  # imported lazily: it costs a second and is only needed for Chinese
    module: Any = getattr(_local, "jieba", None)
    if module is None:
        module = importlib.import_module("jieba")
        module.setLogLevel(logging.WARNING)
        # Its dictionary cache is loaded with marshal: keep it in the app's private
        # cache folder, never in a world-writable temp folder.
        module.dt.tmp_dir = str(paths.cache_dir())
        _local.jieba = module
    return module


_JIEBA_LOCK = threading.Lock()


def _segment(run: str, search_mode: bool) -> list[tuple[str, int, int]]:
    jieba = _jieba()
    with _JIEBA_LOCK:  # jieba's lazy dictionary load is not thread-safe
        mode = "search" if search_mode else "default"
        return [t for t in jieba.tokenize(run, mode=mode) if t[0].strip()]


def tokens(text: str, lang: str, index_mode: bool = True) -> Iterator[Token]:
    """Analysed tokens of `text` written in `lang`, with their original spans."""
    base = base_language(lang)
    for match in _TOKEN.finditer(text):
        piece = match.group()
        if _HAN_RUN.match(piece):
            for word, start, end in _segment(piece, index_mode):
                if _TOKEN.fullmatch(word):
                    w = fold(word)
                    yield Token(match.start() + start, match.start() + end, w, w, word)
            continue
        folded, stem = analyse_word(piece, base)
        yield Token(match.start(), match.end(), folded, stem, piece.casefold())


def analysed_text(text: str, lang: str) -> str:
    """The text as the index stores it: stems separated by spaces."""
    return " ".join(t.stem for t in tokens(text, lang))


def query_languages(word: str, reader_lang: str, narrow: str | None = None) -> tuple[str, ...]:
    """Which analysers a query word is tried with, from its script."""
    if narrow:
        return (base_language(narrow),)
    if _ARABIC.search(word):
        return ("ar",)
    if _CYRILLIC.search(word):
        return ("ru",)
    if _HAN_RUN.search(word):
        return ("zh",)
    reader = base_language(reader_lang)
    langs = [reader] if reader not in ("ar", "ru", "zh") else []
    return tuple(dict.fromkeys([*langs, *LATIN_QUERY_LANGS]))


def is_han(text: str) -> bool:
    return bool(_HAN_RUN.search(text))
