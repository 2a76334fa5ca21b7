"""Inputs people give that nobody planned for: each gets one true sentence, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_fieldkit


def test_empty_passphrase_at_the_prompt_is_a_wrong_passphrase(
        starter_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Enter pressed at the prompt: SQLCipher refuses an empty key; say the true thing."""
    monkeypatch.delenv("FIELDKIT_PASSPHRASE")
    db = starter_home / "fieldkit.db"
    before = db.read_bytes()
    result = run_fieldkit("countries", stdin="\n")
    assert result.returncode == 3, result.stderr
    assert result.stderr.strip() == (
        "fieldkit: The passphrase is not correct for this profile; nothing was changed.")
    assert db.read_bytes() == before
