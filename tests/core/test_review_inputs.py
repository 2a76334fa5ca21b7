"""Inputs people give that nobody planned for: each gets one true sentence, never a traceback."""

from __future__ import annotations

import json
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


@pytest.mark.parametrize("country", ["", "XX", "MDA"])
def test_material_render_refuses_what_is_not_a_country(
        starter_home: Path, tmp_path: Path, country: str) -> None:
    """A script with an unset $CC must not print a card with no country on it."""
    out = tmp_path / "cards.pdf"
    result = run_fieldkit("material", "render", "wallet-cards", "--country", country,
                          "--lang", "en", "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert "is not a country code" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_material_render_names_the_places_when_the_location_is_unknown(
        starter_home: Path, tmp_path: Path) -> None:
    """A misspelt town silently gave a card with no local contacts on it."""
    out = tmp_path / "cards.pdf"
    result = run_fieldkit("material", "render", "wallet-cards", "--country", "MD",
                          "--location", "Chisinau-typo", "--lang", "en", "--out", str(out))
    assert result.returncode == 1, result.stdout
    assert result.stderr.strip() == (
        "fieldkit: Moldova has no place named 'Chisinau-typo'; places with content: "
        "Chișinău.")
    assert not out.exists()
    same = run_fieldkit("material", "render", "wallet-cards", "--country", "MD",
                        "--location", "CHIȘINĂU", "--lang", "en", "--out", str(out))
    assert same.returncode == 0, same.stderr  # any case, as the printout matches it


@pytest.mark.parametrize("name", ["fieldkit.db", "fieldkit.db-wal"])
def test_backup_onto_the_profile_itself_is_refused(starter_home: Path, name: str) -> None:
    """A backup written over the live profile (or its log) is no backup at all."""
    target = starter_home / name
    result = run_fieldkit("backup", str(target))
    assert result.returncode == 2, result.stdout
    assert result.stderr.strip() == (
        f"fieldkit: {target} is the profile itself; write the backup to another file, "
        "e.g. on a USB stick.")
    assert run_fieldkit("check").returncode == 0


@pytest.mark.parametrize("channel", ["XX", "MDA", ""])
def test_sync_refuses_a_channel_that_cannot_exist(
        starter_home: Path, tmp_path: Path, channel: str) -> None:
    """A typo in --channel synced nothing for it and still exited 0."""
    result = run_fieldkit("sync", "--source", str(tmp_path), "--channel", channel)
    assert result.returncode == 2, result.stdout
    assert result.stderr.strip() == (
        f"fieldkit: '{channel}' is not a channel: use 'global' or a country code such as MD.")


def test_material_render_without_a_place_names_the_places_that_have_services(
        starter_home: Path, tmp_path: Path) -> None:
    """Moldova's services are all in one town: a country-wide card names the town (its
    services are example data, so the card is stamped SAMPLE), and the focal point printing
    it must learn how to get the town's contacts on it."""
    result = run_fieldkit("material", "render", "wallet-cards", "--country", "MD",
                          "--lang", "en", "--out", str(tmp_path / "cards.pdf"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        "Printed from example data: every page is stamped SAMPLE.",
        "No services are listed for Moldova as a whole; to print a place's services, add "
        "--location with one of: Chișinău."]


def test_reports_in_a_language_without_a_locale_never_fail(starter_home: Path) -> None:
    """`--lang xx` (a typo) must not turn a referral's services into an unexpected error."""
    made = run_fieldkit("report", "new", "referral_note", "--json",
                        "--set", "referral_date=2026-12-01", "--set", "priority=urgent",
                        "--set", "referred_by=Focal point",
                        "--set", "referred_to=svc-md-medical-example,svc-md-legal-example",
                        "--set", "person_code=P-1", "--set", "services_requested=health",
                        "--set", "reasons=Needs care")
    assert made.returncode == 0, made.stderr
    draft = json.loads(made.stdout)["id"]
    shown = run_fieldkit("--lang", "xx", "report", "show", draft)  # no language: refused
    assert shown.returncode == 2
    assert shown.stderr == ("fieldkit: 'xx' is not a language code: give a code such as en, "
                            "fr or ro.\n")
    shown = run_fieldkit("--lang", "ay", "report", "show", draft)  # Aymara: no CLDR locale
    assert shown.returncode == 0, shown.stderr
    assert "Traceback" not in shown.stderr and "Unexpected error" not in shown.stderr


@pytest.mark.parametrize("name", ["fieldkit.db", "poster.txt"])
def test_material_render_writes_only_pdf_files(starter_home: Path, name: str) -> None:
    """`--out` pointing at the profile replaced it with a poster: every draft was lost."""
    target = starter_home / name
    before = target.read_bytes() if target.exists() else None
    result = run_fieldkit("material", "render", "five-ds", "--country", "MD",
                          "--lang", "en", "--out", str(target))
    assert result.returncode == 2, result.stdout
    assert result.stderr.strip() == "fieldkit: The export file name must end in .pdf."
    assert (target.read_bytes() if target.exists() else None) == before
    assert run_fieldkit("check").returncode == 0
