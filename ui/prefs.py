"""The one preference kept outside the encrypted library: the language of the unlock page.

Only a language code is written (it reveals nothing a look at the screen would not);
everything else lives in the encrypted store.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from fieldkit import UN_LANGUAGES
from fieldkit.i18n import normalise

FILENAME = "ui-language"


def last_language(data_dir: Path) -> str | None:
    """The language last used with the profile in `data_dir`, if one was recorded."""
    try:
        text = (data_dir / FILENAME).read_text(encoding="ascii").strip()
    except (OSError, UnicodeError):
        return None
    lang = normalise(text)
    return lang if lang in UN_LANGUAGES else None


def remember_language(data_dir: Path, lang: str) -> None:
    """Record the language, atomically; a failure to write only loses the convenience."""
    if lang not in UN_LANGUAGES or last_language(data_dir) == lang:
        return
    with contextlib.suppress(OSError):
        data_dir.mkdir(parents=True, exist_ok=True)
        temp = data_dir / f".{FILENAME}.tmp"
        temp.write_text(lang + "\n", encoding="ascii")
        os.replace(temp, data_dir / FILENAME)
