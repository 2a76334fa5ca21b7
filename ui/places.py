"""Countries and places as a reader sees them: ISO 3166-1 countries only, names from
CLDR in the reader's language, sorted the way that language sorts (ICU collation
through Qt: pinyin order for Chinese, Cyrillic order for Russian)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone_location
from PySide6.QtCore import QCollator, QLocale

from fieldkit.i18n import country_name

# CLDR's two-letter territory codes that are not ISO 3166-1 country codes: the
# exceptionally reserved ones (EU, UN, Ascension…) and the user-assigned ones (XK, ZZ…).
# What remains are the 249 countries and territories of ISO 3166-1.
NOT_ISO_3166_1 = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN",
                            "XA", "XB", "XK", "ZZ"})


@lru_cache(maxsize=1)
def iso_countries() -> tuple[str, ...]:
    """Every ISO 3166-1 alpha-2 code that CLDR names."""
    return tuple(sorted(code for code in Locale.parse("en").territories
                        if len(code) == 2 and code.isalpha() and code not in NOT_ISO_3166_1))


def collator(lang: str) -> QCollator:
    return QCollator(QLocale(lang))


def sorted_names(pairs: Iterable[tuple[str, str]], lang: str) -> list[tuple[str, str]]:
    """(name, value) pairs in the order of the reader's language."""
    order = collator(lang)
    return sorted(pairs, key=lambda pair: order.sortKey(pair[0]))


def countries_by_name(codes: Iterable[str], lang: str) -> list[tuple[str, str]]:
    return sorted_names(((country_name(code, lang), code) for code in codes), lang)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


@lru_cache(maxsize=256)
def place_name(location: str, country: str | None, lang: str) -> str:
    """A location inside a country in the reader's language, where CLDR names it (its
    cities that give a time zone its name, e.g. Chișinău → 基希讷乌); else as written."""
    if not country:
        return location
    wanted = _fold(location)
    for zone in get_global("territory_zones").get(country.upper(), []):
        english = get_timezone_location(zone, locale="en", return_city=True)
        if wanted in (_fold(english), _fold(zone.rsplit("/", 1)[-1].replace("_", " "))):
            return str(get_timezone_location(zone, locale=lang, return_city=True))
    return location
