"""The CLI contract: commands, --json, exit codes, one-line errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fieldkit import cli
from fieldkit.errors import VerificationFailed
from tests.conftest import PASSPHRASE, ROOT, run_fieldkit


def test_init_then_use(isolated_env: Path) -> None:
    created = run_fieldkit("init", "--json")
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["items"] > 40
    again = run_fieldkit("init")
    assert again.returncode == 1
    assert again.stderr.count("\n") == 1 and "already exists" in again.stderr


def test_wrong_passphrase_exit_3_and_file_unchanged(starter_home: Path) -> None:
    db = starter_home / "fieldkit.db"
    before = db.read_bytes()
    result = run_fieldkit("countries", env={"FIELDKIT_PASSPHRASE": "wrong passphrase"})
    assert result.returncode == 3
    assert result.stderr.strip() == (
        "fieldkit: The passphrase is not correct for this profile; nothing was changed."
    )
    assert db.read_bytes() == before
    assert sorted(p.name for p in starter_home.iterdir()) == ["fieldkit.db", "fieldkit.lock"]


def test_exit_codes(starter_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["show", "bystander-intervention"]) == 0
    assert cli.main(["show", "no-such-item"]) == 1
    assert "no-such-item" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        cli.main(["search"])
    assert usage.value.code == 2
    with pytest.raises(SystemExit) as unknown:
        cli.main(["no-such-command"])
    assert unknown.value.code == 2
    assert VerificationFailed("x").exit_code == 4


def test_no_profile_is_one_clear_line(isolated_env: Path) -> None:
    result = run_fieldkit("search", "harassment")
    assert result.returncode == 1
    assert result.stderr.startswith("fieldkit: No profile in")
    assert "Traceback" not in result.stderr


def test_search_json_shape(starter_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["search", "bystander", "--json", "--limit", "5"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert 0 < len(results) <= 5
    for key in ("id", "kind", "title", "lang", "country", "snippet"):
        assert key in results[0]
    assert results[0]["id"] == "bystander-intervention"


def test_passphrase_change_via_cli(starter_home: Path) -> None:
    changed = run_fieldkit("passphrase", env={"FIELDKIT_NEW_PASSPHRASE": "another passphrase"})
    assert changed.returncode == 0, changed.stderr
    assert run_fieldkit("countries").returncode == 3
    assert run_fieldkit("countries", env={"FIELDKIT_PASSPHRASE": "another passphrase"}
                        ).returncode == 0


def test_passphrase_asked_twice_without_env(isolated_env: Path) -> None:
    result = run_fieldkit("init", env={"FIELDKIT_PASSPHRASE": ""},
                          stdin=f"{PASSPHRASE}\nsomething else\n")
    assert result.returncode == 2
    assert "differ" in result.stderr
    assert not isolated_env.exists() or not any(isolated_env.iterdir())


def test_show_law_note_says_verify_locally(starter_home: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["show", "law-bd-sexual-harassment"]) == 0
    assert "Not legal advice — verify locally." in capsys.readouterr().out


def test_output_survives_narrow_consoles_and_closed_pipes(starter_home: Path) -> None:
    narrow = run_fieldkit("--lang", "zh", "search", "骚扰", "--json",
                          env={"PYTHONIOENCODING": "cp1252"})
    assert narrow.returncode == 0, narrow.stderr
    assert json.loads(narrow.stdout)[0]["lang"] == "zh"
    piped = subprocess.run(
        f"{sys.executable} -m fieldkit law BD | head -c 10", shell=True,
        capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert piped.returncode == 0
    assert "Traceback" not in piped.stderr and "Unexpected" not in piped.stderr


def test_every_command_group_is_registered() -> None:
    import importlib
    import pkgutil

    import fieldkit.cli
    from fieldkit.cli.main import GROUPS

    with_register = sorted(
        m.name for m in pkgutil.iter_modules(fieldkit.cli.__path__)
        if hasattr(importlib.import_module(f"fieldkit.cli.{m.name}"), "register"))
    assert sorted(GROUPS) == with_register
    commands = cli.build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in ("gui", "init", "passphrase", "search", "show", "countries", "law", "services",
                 "pathway", "content"):
        assert name in commands


@pytest.mark.parametrize("argv", [
    ["pathway", ""], ["services", ""], ["law", ""], ["law", "MDA"], ["law", "XX"],
    ["law", "1"], ["law", "EU"], ["search", "help", "--country", ""],
    ["search", "help", "--limit", "0"], ["search", "help", "--limit", "201"],
    ["search", "help", "--limit", "many"], ["services", "MD", "--language", "r"],
])
def test_malformed_arguments_are_usage_errors(starter_home: Path, argv: list[str],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as usage:
        cli.main(argv)
    assert usage.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_country_without_content_says_so_and_lists_others(
        starter_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["law", "fr"], ["pathway", "FR"], ["services", "FR"],
                 ["search", "help", "--country", "FR"]):
        assert cli.main(argv) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert "There is no content for France (FR) yet" in err
        assert "MD (Moldova)" in err and "BD (Bangladesh)" in err


def test_location_and_language_as_people_type_them(
        starter_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["pathway", "md", "--location", "chisinau", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["location"] == "Chișinău"
    assert cli.main(["services", "MD", "--language", "RO", "--json"]) == 0
    upper = json.loads(capsys.readouterr().out)
    assert cli.main(["services", "MD", "--language", "ro", "--json"]) == 0
    assert upper and upper == json.loads(capsys.readouterr().out)
    assert cli.main(["search", "harcèlement", "--language", "FR", "--json"]) == 0
    assert {r["lang"] for r in json.loads(capsys.readouterr().out)} == {"fr"}
    assert cli.main(["search", "help", "--limit", "200", "--json"]) == 0



@pytest.mark.parametrize(("lang", "query", "joiner"), [
    ("ar", "مديري تحرش", " و"), ("zh", "骚扰 举报", "和")])
def test_search_matched_words_join_as_the_language_joins_a_list(
        starter_home: Path, capsys: pytest.CaptureFixture[str], lang: str, query: str,
        joiner: str) -> None:
    assert cli.main(["--lang", lang, "search", query, "--limit", "5"]) == 0
    # Every result prints three lines: title, snippet, matched words.
    lines = capsys.readouterr().out.splitlines()
    matched = [line for line in lines[2::3] if line.startswith("   ")]
    pairs = [line for line in matched if joiner in line]
    assert pairs, matched
    assert not any(", " in line for line in pairs)


def test_word_list_falls_back_to_commas_for_an_unknown_language() -> None:
    from fieldkit.i18n import word_list

    assert word_list(["a", "b"], "ar") == "a وb"
    assert word_list(["a", "b", "c"], "qq") == "a, b, c"


def test_init_interrupted_midway_leaves_nothing_and_exits_130(
        isolated_env: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from fieldkit import library

    def interrupted(*args: object, **kwargs: object) -> int:
        raise KeyboardInterrupt  # as Ctrl-C arrives while the items are loaded

    monkeypatch.setattr(library, "put_items", interrupted)
    assert cli.main(["init"]) == 130
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == "fieldkit: Interrupted; no profile was created."
    assert not isolated_env.exists()  # not even the empty folder


def test_ctrl_c_during_init_exits_130_without_a_profile(isolated_env: Path) -> None:
    import os
    import signal

    child = subprocess.Popen(
        [sys.executable, "-m", "fieldkit", "init"], cwd=ROOT, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "FIELDKIT_LOG": "info"},
        # A child of a non-interactive shell may inherit SIGINT ignored: Ctrl-C's default.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert child.stderr is not None
    try:
        for line in child.stderr:  # the library logs the start of the loading
            if "items into the new profile" in line:
                break
        else:
            raise AssertionError("the loading never started")
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        child.kill()  # whatever happened, no child outlives the test
    assert child.returncode == 130, (out, err)
    assert out == "" and err.splitlines()[-1] == "fieldkit: Interrupted; no profile was created."
    assert "Traceback" not in err
    assert not isolated_env.exists() or os.listdir(isolated_env) == []


@pytest.mark.parametrize("given", ["xx", "english", "12", "", "qq-QQ"])
def test_a_malformed_or_unknown_lang_is_refused_with_exit_2(
        starter_home: Path, capsys: pytest.CaptureFixture[str], given: str) -> None:
    assert cli.main(["--lang", given, "countries"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (f"fieldkit: '{given}' is not a language code: give a code "
                            "such as en, fr or ro.\n")


def test_a_regional_lang_speaks_its_language_and_another_says_what_it_falls_back_to(
        starter_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--lang", "fr-CA", "show", "no-such-item"]) == 1
    assert capsys.readouterr().err == (  # in French, and no note
        "fieldkit: Aucun élément n'a l'identifiant 'no-such-item'.\n")
    assert cli.main(["--lang=zh_TW", "countries"]) == 0
    assert capsys.readouterr().err == ""
    assert cli.main(["--lang", "pt-BR", "countries"]) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        "fieldkit: Portuguese is not one of Fieldkit's languages (ar, en, es, fr, ru, zh): "
        "its messages are in English; content, country names and dates are in Portuguese "
        "where they exist.\n")
    assert "MD  Moldávia" in captured.out  # CLDR speaks Portuguese


def test_services_language_filter_is_checked_and_an_empty_answer_says_why(
        starter_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        cli.main(["services", "MD", "--language", "xx"])
    assert refused.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1].endswith("'xx' is not a language code: give a code such as "
                                         "en, fr or ro.")
    assert cli.main(["services", "MD", "--language", "pt"]) == 0
    assert capsys.readouterr().out == (
        "No service in Moldova is listed as working in Portuguese.\n")
    assert cli.main(["services", "MD", "--language", "pt", "--category", "shelter"]) == 0
    assert capsys.readouterr().out == ("No service of the category Shelter in Moldova is "
                                       "listed as working in Portuguese.\n")
    assert cli.main(["services", "MD", "--language", "ro-MD", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)  # Romanian-speaking services are there
