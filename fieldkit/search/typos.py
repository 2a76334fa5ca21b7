"""Misspelled words: the closest word of the index's vocabulary (rapidfuzz).

Candidates start with the typed word's first or second letter (so a wrong or
extra first letter is caught too, such as an Arabic verb prefix the stemmer
keeps, while the candidates stay few at any store size) and are at most two
letters longer or shorter; the distance is optimal string alignment (a swap of
two neighbouring letters counts as one edit). Among the closest, the most
frequent word wins.
"""

from __future__ import annotations

from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from fieldkit.search.analysis import _ARABIC, is_han, prefix_form

MIN_LENGTH = 5  # shorter words are too often right and too easy to "correct" wrongly
MIN_LENGTH_ARABIC = 4  # Arabic writes short: three-letter roots, few vowels


def max_distance(word: str) -> int:
    """One edit in a word of up to eight letters, two in a longer one: more would turn
    real words the index lacks ("party") into other words it has."""
    return 1 if len(word) <= 8 else 2


def correction(conn: Any, word: str) -> str | None:
    """The vocabulary word the reader most likely meant (as the text writes it), or None."""
    folded = prefix_form(word)
    shortest = MIN_LENGTH_ARABIC if _ARABIC.search(folded) else MIN_LENGTH
    if len(folded) < shortest or is_han(folded):
        return None
    frequency: dict[str, int] = {}
    shown: dict[str, str] = {}
    for first in dict.fromkeys(folded[:2]):
        for candidate, surface, df in conn.execute(
            "SELECT word, shown, df FROM search_vocab WHERE word >= ? AND word < ? "
            "AND length(word) BETWEEN ? AND ?",
            (first, chr(ord(first) + 1), len(folded) - 2, len(folded) + 2),
        ).fetchall():
            frequency[candidate] = frequency.get(candidate, 0) + df
            shown.setdefault(candidate, surface)
    if not frequency or folded in frequency:
        return None
    limit = max_distance(folded)
    found = process.extract(folded, list(frequency), scorer=OSA.distance,
                            score_cutoff=limit, limit=None)
    if not found:
        return None
    best = min(found, key=lambda f: (f[1], -frequency[f[0]], f[0]))
    return shown[best[0]]
