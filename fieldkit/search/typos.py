"""A query word the index does not know: another form of a word it knows, a real
word it lacks, or a misspelling of a word it has.

Told apart in that order, because a wrong "did you mean" is worse than none:

1. *Another inflection.* An Arabic verb carries prefixes the stemmer keeps
   (يتحرش "he harasses" beside the index's تحرش): `inflection` finds the form
   the index knows, searched without a "did you mean" (nothing was misspelled).
2. *A real word.* A word the language's dictionary knows (pyspellchecker's word
   lists; jieba's lexicon for Chinese) is spelled as the reader meant it, so it
   is never turned into another word: "party" stays "party" even where the
   index only has "part".
3. *A misspelling.* `correction` finds the closest vocabulary word (rapidfuzz,
   optimal string alignment: a swap of two neighbouring letters is one edit).
   It compares the written words and also their stems, so "harasing" (stem
   "haras") meets "harassed" (stem "harass") although the text never writes
   "harassing"; letters doubled or undoubled ("harrased") count as one slip.
   One edit in a word of up to eight letters, two in a longer one; among the
   closest, the most frequent word wins.

Chinese is typed with pinyin input methods, so its misspellings are characters
of the same sound (搔扰 for 骚扰), or of a sound an input method's "fuzzy
pinyin" lets through (z/zh, c/ch, s/sh, n/l, an/ang, en/eng, in/ing). A word of
two to four characters is corrected into a vocabulary word that differs in one
such character, when jieba's lexicon finds the typed word at least
`HAN_RATIO` times rarer (a real word stays as typed).

Each look-up is one or a few indexed range or point queries on `search_vocab`,
whatever the size of the store.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import os
import re
import threading
import unicodedata
from collections.abc import Callable
from importlib import metadata
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from fieldkit import paths
from fieldkit.search import analysis, words
from fieldkit.search.analysis import _ARABIC, analyse_word, fold, is_han, prefix_form

MIN_LENGTH = 5  # shorter words are too often right and too easy to "correct" wrongly
MIN_LENGTH_ARABIC = 4  # Arabic writes short: three-letter roots, few vowels
MIN_STEM = 5  # an edit in a shorter stem costs SHORT_STEM more
SHORT_STEM = 0.5
STEM_MATCH = 0.25  # a match of stems only: the written word was further
SLIP = 0.5  # letters doubled or undoubled, or written for one another (confusions.txt)
OTHER_LANGUAGE = 0.25  # a word the index has only in a language other than the query's
HAN_RATIO = 100  # how much more common in the lexicon a Chinese correction must be
HAN_LENGTHS = range(2, 5)

# pyspellchecker's word lists; Russian, whose inflections they cannot hold, from
# pymorphy3's OpenCorpora lexicon (every inflected form).
DICTIONARY_LANGS = ("ar", "en", "es", "fr")
# Languages whose lexicon lists every inflected form: a form it lacks is misspelled.
EVERY_FORM = frozenset({"en", "ru"})
# Lists that hold mostly dictionary forms (Spanish, French), where an unlisted word with
# the stem of a listed one is taken as its inflection. Not Arabic: its stems are short
# roots that most misspellings of a word share with some other real word.
INFLECTED_FROM_STEM = frozenset({"es", "fr"})
INFLECTIONS_CHECKED = 300  # dictionary words read after a stem (a bisect, then these)

_DOUBLED = re.compile(r"(.)\1+")


def max_distance(word: str) -> int:
    """One edit in a word of up to eight letters, two in a longer one: more would turn
    misspellings into unrelated words the index has."""
    return 1 if len(word) <= 8 else 2


# -- real words ----------------------------------------------------------------


def _spelling_key(word: str) -> str:
    """A word as dictionaries are compared: case, accents, harakat, hamza seats,
    final forms and tatweel folded (no article or affix removed)."""
    return fold(word.replace("ـ", "")).replace("ё", "е").translate(_AR_FINAL)


_AR_FINAL = str.maketrans({"ة": "ه", "ى": "ي"})
_LOCK = threading.Lock()


# The layout of the cached word lists and readings (and `_spelling_key`'s folding): a
# change makes new ones.
DICTIONARY_FORMAT = 2


@functools.cache
def _dictionary(lang: str) -> tuple[str, ...]:
    """The language's words, folded as the vocabulary folds them, sorted (one copy:
    looked up by bisection; loaded when a word of the language is first checked).
    Made once from pyspellchecker's list (about 0.7 s a language)."""
    def make() -> list[str]:
        from spellchecker import SpellChecker

        words = SpellChecker(language=lang, distance=1).word_frequency.keys()
        return sorted({_spelling_key(w) for w in words} - {""})

    return _cached_lines(f"words-{lang}-{_version('pyspellchecker')}", make)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:  # a frozen app without the package's metadata
        return "unknown"


def _cached_lines(name: str, make: Callable[[], list[str]]) -> tuple[str, ...]:
    """Lines made once by `make` and kept in the app's cache folder, from which later
    sessions read them in milliseconds instead of loading the package that made them.
    A copy that is missing, cut short or unreadable is made again; without a usable
    cache folder they are made every session (slower, never an error)."""
    # What the folding depends on: this code's, and Python's Unicode tables.
    name = f"{name}-{DICTIONARY_FORMAT}-{analysis.VERSION}-{unicodedata.unidata_version}.txt"
    with _LOCK:
        try:
            header, _, body = (paths.cache_dir() / name).read_text("utf-8").partition("\n")
            lines = tuple(body.split("\n"))
            if header == f"fieldkit lines {len(lines)}" and list(lines) == sorted(lines):
                return lines
        except (OSError, UnicodeDecodeError):
            pass  # not made yet, unreadable, or no cache folder at all
        lines = tuple(sorted(make()))
        _keep(name, f"fieldkit lines {len(lines)}\n" + "\n".join(lines))
        return lines


def _keep(name: str, text: str) -> None:
    """Write a cache file whole or not at all (a failure only costs the next session
    the time to make it again). Copies left by an interrupted writer go."""
    try:
        path = paths.cache_dir() / name
        for left in path.parent.glob(f".{name}.*"):
            left.unlink(missing_ok=True)
        spare = path.with_name(f".{name}.{os.getpid()}")
    except OSError:
        return
    try:
        with os.fdopen(os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
                       "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(spare, path)
    except OSError:
        spare.unlink(missing_ok=True)


def _listed(key: str, lang: str) -> bool:
    ordered = _dictionary(lang)
    at = bisect.bisect_left(ordered, key)
    return at < len(ordered) and ordered[at] == key


def _inflects_a_word(word: str, lang: str) -> bool:
    """Whether the word has the stem of a dictionary word (the Spanish and French
    lists hold few inflections: "sirven" is not listed, "servir" is)."""
    stem = analyse_word(word, lang)[1]
    ordered = _dictionary(lang)
    start = bisect.bisect_left(ordered, stem)
    for other in itertools.islice(ordered, start, start + INFLECTIONS_CHECKED):
        if not other.startswith(stem):
            break
        if analyse_word(other, lang)[1] == stem:
            return True
    return False


@functools.cache
def _field_words() -> dict[str, frozenset[str]]:
    """Per language, the field's words the lists lack (data/lexicon.txt)."""
    found: dict[str, set[str]] = {}
    for lang, rest in words.data_lines("lexicon.txt"):
        found.setdefault(lang, set()).update(_spelling_key(w) for w in rest.split())
    return {lang: frozenset(ws) for lang, ws in found.items()}


@functools.cache
def _russian() -> Any:
    import pymorphy3
    import pymorphy3_dicts_ru

    with _LOCK:
        return pymorphy3.MorphAnalyzer(path=pymorphy3_dicts_ru.get_path())


def is_real_word(word: str, langs: tuple[str, ...], inflected: bool = True) -> bool:
    """Whether the word is in the dictionary of one of `langs` (accents or not), or,
    with `inflected`, has the stem of a word that is."""
    lowered, key = word.casefold(), _spelling_key(word)
    for lang in langs:
        if key in _field_words().get(lang, ()):
            return True
        if lang == "ru" and _russian().word_is_known(lowered):
            return True
        if lang in DICTIONARY_LANGS:
            if _listed(key, lang):
                return True
            if lang == "ar" and any(_listed(_spelling_key(form), lang)
                                    for form in _arabic_forms(key)):
                return True  # a listed word with a conjunction or preposition before it
            if inflected and lang in INFLECTED_FROM_STEM and _inflects_a_word(word, lang):
                return True
    return False


# -- inflections -------------------------------------------------------------

# Arabic joins small words to the next: a conjunction (و، ف), then a preposition
# (ب، ك، ل) before a noun or the future marker (س) and a person prefix (ي ت ن أ)
# before a verb, which may also end in a plural or pronoun suffix. The stemmer
# keeps some of them (لاعتداء, يتحرش).
_AR_CONJUNCTIONS = ("و", "ف")
_AR_PREPOSITIONS = ("ب", "ك", "ل")
_AR_PERSON = ("ي", "ت", "ن", "ا")
_AR_SUFFIXES = ("ون", "ين", "ان", "وا", "ها", "هم", "هن", "كم", "نا", "ني", "ه", "ك")
_AR_ROOT = 3  # what must remain


def _arabic_forms(word: str) -> list[str]:
    """The word without the small words and affixes it may carry, fewest taken off
    first (the word itself not included)."""
    heads = [word]
    if word[:1] in _AR_CONJUNCTIONS and len(word) > _AR_ROOT + 1:
        heads.append(word[1:])
    forms: list[str] = []
    for head in heads:
        if head[:1] in _AR_PREPOSITIONS and len(head) > _AR_ROOT:
            forms.append(head[1:])
        verb = head[1:] if head[:1] == "س" and len(head) > _AR_ROOT + 1 else head
        if verb[:1] in _AR_PERSON and len(verb) > _AR_ROOT:
            bare = verb[1:]
            forms.append(bare)
            forms += [bare[:-len(suffix)] for suffix in _AR_SUFFIXES
                      if bare.endswith(suffix) and len(bare) - len(suffix) >= _AR_ROOT]
    if heads[1:]:
        forms.insert(0, heads[1])
    return [f for f in dict.fromkeys(forms) if f != word]


def inflection(conn: Any, word: str) -> str | None:
    """Another form of the same word that the index knows (for an Arabic verb whose
    prefixes the stemmer keeps), or None."""
    if not _ARABIC.search(word):
        return None
    normalised = prefix_form(word)
    stems = {analyse_word(form, "ar")[1]: form for form in _arabic_forms(normalised)}
    stems.pop(analyse_word(word, "ar")[1], None)
    if not stems:
        return None
    found = {row[0] for row in conn.execute(
        "SELECT DISTINCT stem FROM search_vocab WHERE stem IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(stems)),)).fetchall()}
    for stem, form in stems.items():  # longest first: the least taken off
        if stem in found:
            return form
    return None


# -- misspellings --------------------------------------------------------------


def _undoubled(text: str) -> str:
    return _DOUBLED.sub(r"\1", text)


@functools.cache
def _confusions() -> frozenset[tuple[str, str]]:
    """Pairs of letters written for one another (data/confusions.txt), both ways."""
    pairs: set[tuple[str, str]] = set()
    for _, rest in words.data_lines("confusions.txt"):
        for pair in rest.split(","):
            a, b = pair.split()
            pairs |= {(a, b), (b, a)}
    return frozenset(pairs)


def _slip(a: str, b: str) -> bool:
    """Whether `a` and `b` differ only by letters doubled or undoubled, or by one pair
    of letters people write for one another."""
    if a != b and _undoubled(a) == _undoubled(b):
        return True
    if len(a) != len(b):
        return False
    differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(differ) == 1 and differ[0] in _confusions()


def _closest(query: str, choices: list[str], limit: int) -> dict[int, float]:
    """Index of each choice within `limit` edits of `query` → its distance. Letters
    doubled or undoubled (whatever their number), or one pair of letters written for
    one another, count half an edit: the likeliest slips."""
    found: dict[int, float] = {}
    # Every doubling slip is one raw edit: two of them are within `limit` + 1.
    single = _undoubled(query)
    for choice, score, index in process.extract(query, choices, scorer=OSA.distance,
                                                score_cutoff=limit + 1, limit=None):
        if _slip(query, choice):
            found[index] = SLIP
        elif score <= limit:
            found[index] = score
        elif limit >= 1 and OSA.distance(single, _undoubled(choice)) <= limit - 1:
            found[index] = OSA.distance(single, _undoubled(choice)) + SLIP
    return found


def correction(conn: Any, word: str, langs: tuple[str, ...] = ("en",),
               stem_known: bool = False, lang: str = "") -> str | None:
    """The vocabulary word the reader most likely meant (as the text writes it), or
    None. `langs`: the languages the word may be written in; `lang`: the query's.

    `stem_known`: the index knows the word's stem but not its written form. Only a
    misspelling of a word with that stem is then corrected, so the results stay
    those of the stem and the reader sees the spelling: letters doubled or
    undoubled ("harcellement" → "harcèlement"), or any slip in a language whose
    lexicon lists every form ("remot" → "remote"; elsewhere an unlisted form may
    be a correct inflection: "sirven" beside "sirve")."""
    folded = prefix_form(word)
    if is_han(folded):
        return None if stem_known else _han_correction(conn, folded)
    shortest = MIN_LENGTH_ARABIC if _ARABIC.search(folded) else MIN_LENGTH
    # A three-letter Arabic word is corrected only for the likeliest slips
    # (confusions.txt, doubled letters): one edit in three letters makes many words.
    slips_only = len(folded) < shortest
    floor = shortest - 1 if _ARABIC.search(folded) else shortest
    if len(folded) < floor or is_real_word(word, langs, inflected=not stem_known):
        return None
    typed_forms = [folded, *(_arabic_forms(folded) if _ARABIC.search(folded) else [])]
    stems = sorted({s for s in (analyse_word(form, lang)[1] for form in [word, *typed_forms]
                                for lang in langs) if len(s) >= shortest - 1})
    rows: dict[tuple[str, str], tuple[str, int]] = {}
    # Words that start like the typed one, or with a letter written for its first, or
    # with its second (an extra first letter).
    starts = [(folded[0], folded[1:]), (folded[1], folded[2:])]
    starts += [(b, folded[1:]) for a, b in sorted(_confusions()) if a == folded[0]]
    for first, rest in dict.fromkeys(starts):
        rows.update(_starting(conn, "word", first, rest, len(first + rest)))
    for stem in [] if stem_known else stems:
        rows.update(_starting(conn, "stem", stem[0], stem[1:], len(stem)))
    if any(w == folded for w, _ in rows):
        return None
    keys = list(rows)
    distance: dict[int, float] = {}
    for form in typed_forms:
        for index, d in _closest(form, [w for w, _ in keys], max_distance(form)).items():
            distance[index] = min(d, distance.get(index, d))
    if slips_only:
        distance = {i: d for i, d in distance.items() if d == SLIP}
    elif stem_known:
        any_slip = lang in EVERY_FORM
        distance = {i: d for i, d in distance.items() if keys[i][1] in stems and (
            any_slip or _undoubled(folded) == _undoubled(keys[i][0]))}
        if min(distance.values(), default=2) > 1:
            # A letter doubled by mistake in a form the text never writes.
            for single in _undoublings(word.casefold()):
                if is_real_word(single, langs) and any(
                        analyse_word(single, lang)[1] in stems for lang in langs):
                    return single
    else:
        for stem in stems:
            # A short stem leaves little to compare: its match counts for less than
            # one of the written word.
            extra = STEM_MATCH + (SHORT_STEM if len(stem) < MIN_STEM else 0.0)
            for index, d in _closest(stem, [s for _, s in keys], max_distance(stem)).items():
                distance[index] = min(d + extra, distance.get(index, d + extra))
    if not distance:
        return None
    if lang:  # the query's language before the others
        ours = _stems_in(conn, {keys[i][1] for i in distance}, lang)
        distance = {i: d + (0 if keys[i][1] in ours else OTHER_LANGUAGE)
                    for i, d in distance.items()}
    best = min(distance.values())
    frequency: dict[str, int] = {}
    for index, d in distance.items():
        if d == best:
            stem = keys[index][1]
            frequency[stem] = frequency.get(stem, 0) + rows[keys[index]][1]
    # Among the closest, the stem whose written forms are nearest what was typed, then
    # the most frequent.
    nearest: dict[str, float] = {}
    for w, stem in keys:
        if stem in frequency:
            nearest[stem] = min(nearest.get(stem, len(w)), OSA.distance(folded, w))
    meant = min(frequency, key=lambda s: (nearest[s], -frequency[s], s))
    # Its written form closest to what was typed ("abussed" → "abused", not "abuse").
    forms = [k for k in keys if k[1] == meant]
    closest = min(forms, key=lambda k: (OSA.distance(folded, k[0]), -rows[k][1], k[0]))
    shown = rows[closest][0]
    rebuilt = None if stem_known else _with_typed_ending(word, langs, stems, meant, shown)
    if rebuilt and OSA.distance(folded, prefix_form(rebuilt)) < OSA.distance(folded, closest[0]):
        return rebuilt
    head = folded[:1]
    if _ARABIC.search(head) and head in _AR_CONJUNCTIONS + _AR_PREPOSITIONS and (
            OSA.distance(folded[1:], closest[0]) < OSA.distance(folded, closest[0])):
        return head + closest[0]  # the small word typed before it stays (لاعتدا → لاعتداء)
    return shown


def _starting(conn: Any, column: str, first: str, rest: str,
              length: int) -> dict[tuple[str, str], tuple[str, int]]:
    """Vocabulary rows whose `column` starts with `first`, two letters longer or shorter
    at most, and with the second or third letter of `rest` as their own second or
    third: every word one edit away qualifies (an edit moves a letter one place at
    most), and an indexed range of one letter returns a small part of itself."""
    near = rest[:2] or " "
    return {(w, s): (shown, df) for w, s, shown, df in conn.execute(
        f"SELECT word, stem, shown, df FROM search_vocab WHERE {column} >= ? AND {column} < ? "
        f"AND length({column}) BETWEEN ? AND ? AND (instr(?, substr({column}, 2, 1)) "
        f"OR instr(?, substr({column}, 3, 1)))",
        (first, chr(ord(first) + 1), length - 2, length + 2, near, near)).fetchall()}


def _stems_in(conn: Any, stems: set[str], lang: str) -> set[str]:
    return {row[0] for row in conn.execute(
        "SELECT stem FROM search_terms WHERE lang = ? AND stem IN "
        "(SELECT value FROM json_each(?))", (lang, json.dumps(sorted(stems)))).fetchall()}


def _undoublings(word: str) -> list[str]:
    """The word with one of its doubled letters written once."""
    return [word[:m.start()] + word[m.start() + 1:] for m in re.finditer(r"(.)\1", word)]


def _with_typed_ending(word: str, langs: tuple[str, ...], stems: list[str], meant: str,
                       shown: str) -> str | None:
    """The meant stem with the ending that was typed, when that is a form of it the
    text never writes ("harasing" → "harassing", where the text has "harassed")."""
    typed = prefix_form(word)
    if not fold(shown).startswith(meant):
        return None
    for stem in stems:
        if typed.startswith(stem) and len(typed) > len(stem):
            rebuilt = shown[:len(meant)] + typed[len(stem):]
            if rebuilt != typed and is_real_word(rebuilt, langs, inflected=False) and any(
                    analyse_word(rebuilt, lang)[1] == meant for lang in langs):
                return rebuilt
    return None


# -- Chinese -------------------------------------------------------------------

_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"))
_FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


def _fuzzy(sound: str) -> str:
    for long, short in _FUZZY_INITIALS:
        if sound.startswith(long):
            sound = short + sound[len(long):]
            break
    for long, short in _FUZZY_FINALS:
        if sound.endswith(long):
            return sound[:-len(long)] + short
    return sound


@functools.cache
def _sounds() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]],
                       dict[str, frozenset[str]]]:
    """Per common character its toneless readings; per reading and per fuzzy reading
    the characters that have it. From pypinyin's table, kept as lines "字 zi,ci": the
    table itself takes some 60 MB once imported, the lines a few."""
    def make() -> list[str]:
        from pypinyin.contrib.tone_convert import to_normal
        from pypinyin.pinyin_dict import pinyin_dict

        return [f"{chr(code)} {','.join(sorted({to_normal(s) for s in marked.split(',')}))}"
                for code, marked in sorted(pinyin_dict.items())
                if 0x4E00 <= code <= 0x9FFF]  # the common block: what input methods offer

    readings: dict[str, frozenset[str]] = {}
    by_sound: dict[str, set[str]] = {}
    by_fuzzy: dict[str, set[str]] = {}
    for line in _cached_lines(f"pinyin-{_version('pypinyin')}", make):
        char, _, listed = line.partition(" ")
        sounds = frozenset(listed.split(","))
        readings[char] = sounds
        for sound in sounds:
            by_sound.setdefault(sound, set()).add(char)
            by_fuzzy.setdefault(_fuzzy(sound), set()).add(char)
    return (readings, {k: frozenset(v) for k, v in by_sound.items()},
            {k: frozenset(v) for k, v in by_fuzzy.items()})


def _sound_alikes(char: str) -> dict[str, int]:
    """Characters an input method offers for the same typing: same sound → 0, a
    fuzzy-pinyin sound → 1."""
    readings, by_sound, by_fuzzy = _sounds()
    alike: dict[str, int] = {}
    for sound in readings.get(char, ()):
        for other in by_fuzzy.get(_fuzzy(sound), ()):
            alike.setdefault(other, 1)
        for other in by_sound.get(sound, ()):
            alike[other] = 0
    alike.pop(char, None)
    return alike


def _lexicon_frequency(word: str) -> int:
    jieba = analysis._jieba()
    with analysis._JIEBA_LOCK:
        jieba.dt.check_initialized()
    return int(jieba.dt.FREQ.get(word) or 0)


def _han_correction(conn: Any, typed: str) -> str | None:
    if len(typed) not in HAN_LENGTHS:
        return None
    variants: dict[str, int] = {}
    for i, char in enumerate(typed):
        for other, cost in _sound_alikes(char).items():
            variants[typed[:i] + other + typed[i + 1:]] = cost
    if not variants:
        return None
    rows = conn.execute(
        "SELECT word, shown, df FROM search_vocab WHERE word IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(variants), ensure_ascii=False),)).fetchall()
    typed_frequency = _lexicon_frequency(typed)
    found = [(variants[w], -df, w, shown) for w, shown, df in rows
             if _lexicon_frequency(w) >= HAN_RATIO * typed_frequency]
    return min(found)[3] if found else None



def written(conn: Any, words: list[str]) -> set[str]:
    """Which of `words` the indexed text writes (folded as the vocabulary holds them)."""
    forms = sorted({prefix_form(w) for w in words})
    return {row[0] for row in conn.execute(
        "SELECT DISTINCT word FROM search_vocab WHERE word IN (SELECT value FROM json_each(?))",
        (json.dumps(forms, ensure_ascii=False),)).fetchall()}


def han_window(conn: Any, piece: str) -> tuple[str, str] | None:
    """In a run of Chinese the segmenter could not make sense of, the first stretch of
    two to four characters that `correction` fixes: (as typed, as meant)."""
    for size in HAN_LENGTHS:
        for start in range(len(piece) - size + 1):
            typed = piece[start:start + size]
            meant = _han_correction(conn, typed)
            if meant:
                return typed, meant
    return None
