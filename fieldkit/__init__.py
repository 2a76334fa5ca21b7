"""Fieldkit core: encrypted store, content, search and CLI. Never imports Qt."""

__version__ = "0.1.0"

UN_LANGUAGES: tuple[str, ...] = ("ar", "en", "es", "fr", "ru", "zh")
RTL_LANGUAGES: frozenset[str] = frozenset({"ar", "fa", "he", "ur"})
