"""gettext for the core and the UI: one catalog domain, compiled .mo files shipped in the package.

Locale data (country and language names, dates, numbers) comes from CLDR through babel.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import locale
import os
from collections.abc import Iterable
from importlib import resources

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_format_date
from babel.dates import format_skeleton
from babel.lists import format_list
from babel.numbers import format_decimal

from fieldkit import RTL_LANGUAGES, UN_LANGUAGES

DOMAIN = "fieldkit"
_current: _gettext.NullTranslations = _gettext.NullTranslations()
_lang = "en"


def locale_dir() -> str:
    return str(resources.files("fieldkit") / "locales")


def set_language(lang: str) -> str:
    """Switch the catalog; unknown languages fall back to English. Returns the language used."""
    global _current, _lang
    lang = normalise(lang)
    _current = _gettext.translation(DOMAIN, locale_dir(), languages=[lang], fallback=True)
    _lang = lang
    return lang


def language() -> str:
    return _lang


def normalise(lang: str | None) -> str:
    if not lang:
        return "en"
    code = lang.replace("_", "-").split(".")[0].split("-")[0].lower()
    return code or "en"


def system_language() -> str:
    """The user's language from the environment, if it is one we ship; else English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value and value not in ("C", "POSIX"):
            lang = normalise(value)
            return lang if lang in UN_LANGUAGES else "en"
    try:
        guess = locale.getlocale()[0]
    except ValueError:
        guess = None
    lang = normalise(guess)
    return lang if lang in UN_LANGUAGES else "en"


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later with _()."""
    return message


def is_rtl(lang: str | None = None) -> bool:
    return normalise(lang or _lang) in RTL_LANGUAGES


def _babel_locale(lang: str | None = None) -> Locale:
    try:
        return Locale.parse(normalise(lang or _lang))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def country_name(code: str | None, lang: str | None = None) -> str:
    if not code:
        return _("Global")
    return str(_babel_locale(lang).territories.get(code.upper(), code.upper()))


def language_name(code: str, lang: str | None = None) -> str:
    loc = _babel_locale(lang)
    return str(loc.languages.get(normalise(code), code))


def language_list(codes: Iterable[str], lang: str | None = None) -> str:
    """Language names joined the way the reader's language joins a list (CLDR)."""
    names = [language_name(code, lang) for code in codes]
    if not names:
        return "—"
    return str(format_list(names, style="standard", locale=_babel_locale(lang)))


def word_list(words: Iterable[str], lang: str | None = None) -> str:
    """Words joined with the reader's own list pattern (CLDR: "a وb", "a和b"); commas for
    a language babel does not know."""
    items = list(words)
    try:
        return str(format_list(items, style="standard", locale=Locale.parse(normalise(
            lang or _lang))))
    except (UnknownLocaleError, ValueError, LookupError):
        return ", ".join(items)


def native_language_name(code: str) -> str:
    name = _babel_locale(code).get_display_name(_babel_locale(code)) or code
    return name[:1].upper() + name[1:]


def format_date(value: dt.date | None, lang: str | None = None, fmt: str = "medium") -> str:
    if value is None:
        return "—"
    return _babel_format_date(value, format=fmt, locale=_babel_locale(lang))


def format_review_date(value: object, lang: str | None = None) -> str:
    """A content date at the precision it was written with: 2023, Nov 2026 or 17 Feb 2023.

    A year alone must not print as "1 January": that would claim a precision nobody gave.
    """
    text = str(value or "").strip()
    if not text:
        return "—"
    try:
        if len(text) == 4:
            return format_skeleton("y", dt.date(int(text), 1, 1), locale=_babel_locale(lang))
        if len(text) == 7:
            year, month = (int(p) for p in text.split("-"))
            return format_skeleton("yMMM", dt.date(year, month, 1), locale=_babel_locale(lang))
        return format_date(dt.date.fromisoformat(text[:10]), lang)
    except ValueError:
        return text


def format_number(value: float, lang: str | None = None) -> str:
    return format_decimal(value, locale=_babel_locale(lang))
