"""Every language file of the content: no unconditional consent promise, no English
left in other languages. The phrases live beside this test, in content_language_rules.yaml."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from fieldkit import UN_LANGUAGES
from fieldkit.content.source import read_version
from tests.conftest import ROOT

CONTENT = ROOT / "content"
RULES = yaml.safe_load((Path(__file__).with_name("content_language_rules.yaml"))
                       .read_text(encoding="utf-8"))
NOT_TEXT = re.compile(r"\]\((?:item|local):[^)]*\)|https?://\S+|\S+@\S+|\S+\.invalid\b")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def texts(lang: str) -> Iterator[tuple[str, str]]:
    """(file, text) for every shown text of every `lang` file: keywords are search terms
    only and are left out."""
    for path in sorted(CONTENT.glob(f"*/*/{lang}.md")):
        version = read_version(path)
        fields = {k: v for k, v in version.fields.items() if k != "keywords"}
        name = str(path.relative_to(CONTENT))
        for text in (version.title, version.summary, version.body, *_strings(fields)):
            yield name, NOT_TEXT.sub(" ", text)


@pytest.mark.parametrize("lang", UN_LANGUAGES)
def test_no_unconditional_consent_promise(lang: str) -> None:
    patterns = [re.compile(p, re.IGNORECASE) for p in RULES["consent_promises"][lang]]
    found = [f"{name}: «{m.group(0)}»" for name, text in texts(lang)
             for pattern in patterns for m in pattern.finditer(text)]
    assert not found, "consent promised without condition:\n" + "\n".join(found)


def english_words(lang: str, text: str) -> list[str]:
    for allowed in sorted(RULES["allowed_latin"], key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z]){re.escape(allowed)}(?![A-Za-z])", " ", text)
    words = LATIN_WORD.findall(text)
    if lang in ("fr", "es"):
        markers = set(RULES["english_in_latin_script"])
        return [w for w in words if w.lower() in markers]
    return words


@pytest.mark.parametrize("lang", [lang for lang in UN_LANGUAGES if lang != "en"])
def test_no_english_left_in_other_languages(lang: str) -> None:
    found = sorted({f"{name}: {word}" for name, text in texts(lang)
                    for word in english_words(lang, text)})
    assert not found, f"English words in {lang} text:\n" + "\n".join(found)


def test_the_checks_see_what_they_look_for() -> None:
    assert english_words("ru", "Задокументировать (Document), ClearCheck, ПСЭН") == ["Document"]
    assert english_words("fr", "le manager du bureau, ClearCheck") == ["manager"]
    assert english_words("ar", "تهديد بالكشف («outing») LGBTIQ+") == ["outing"]
