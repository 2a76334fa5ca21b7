"""Smoke test of the frozen app (`make dist-test`; FIELDKIT_FROZEN names its program).

Not part of `make test`: building the frozen app takes minutes. Without
FIELDKIT_FROZEN these tests skip and say so.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE

from .helpers import find_window, missing_x_tools, quick_exit, stop, virtual_screen

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("frozen")]


@pytest.fixture(scope="module")
def frozen() -> Path:
    program = os.environ.get("FIELDKIT_FROZEN")
    if not program:
        pytest.skip("no frozen app named: `make dist-test` builds one and runs these tests")
    path = Path(program).resolve()
    assert os.access(path, os.X_OK), f"{path} is not an executable"
    return path


def _run(frozen: Path, *args: str, env: dict[str, str], cwd: Path) -> str:
    # A clean environment: nothing of the developer's Python leaks into the frozen app.
    clean = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(cwd), **env}
    done = subprocess.run([str(frozen), *args], env=clean, cwd=cwd, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout}{done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


def test_frozen_version(frozen, tmp_path):
    lines = _run(frozen, "--version", env={}, cwd=tmp_path).splitlines()
    assert lines[0] == "fieldkit 0.1.0"
    assert lines[1].startswith("starter content: reviewed up to 20"), lines
    assert lines[2].startswith("SQLCipher: 4."), lines


def test_frozen_folder_carries_what_is_loaded_at_run_time(frozen):
    """Libraries loaded with ctypes or dlopen, which the analysis cannot see."""
    internal = frozen.parent / "_internal"
    if (internal / "pypdfium2").is_dir():  # the materials preview
        assert list(internal.glob("pypdfium2_raw/libpdfium*.so")), "PDFium is missing"
    assert list(internal.glob("PySide6/Qt/plugins/platforms/libqxcb.so"))


def test_frozen_init_and_search_headless(frozen, tmp_path):
    env = {"FIELDKIT_HOME": str(tmp_path / "profile"), "FIELDKIT_PASSPHRASE": PASSPHRASE}
    _run(frozen, "init", env=env, cwd=tmp_path)
    results = json.loads(_run(frozen, "search", "ombudsperson", "--json", env=env, cwd=tmp_path))
    assert results and all("id" in r for r in results)
    # Chinese needs jieba's dictionary, French the compiled catalogs: both bundled.
    assert json.loads(_run(frozen, "--lang", "zh", "search", "骚扰", "--json",
                           env=env, cwd=tmp_path))
    assert "Aucun" not in _run(frozen, "--lang", "fr", "search", "témoin", env=env, cwd=tmp_path)
    # Typos need the word lists (pyspellchecker, pymorphy3's Russian dictionary, pypinyin).
    for lang, typed, meant in (("en", "harrased", "harassed"),
                               ("ru", "домагательство", "домогательство"), ("zh", "搔扰", "骚扰")):
        shown = _run(frozen, "--lang", lang, "search", typed, env=env, cwd=tmp_path)
        assert meant in shown.splitlines()[0], (lang, shown[:200])


def test_frozen_renders_a_material_and_exports_a_report(frozen, tmp_path):
    """ReportLab, the fonts and the typesetting data inside the frozen folder."""
    env = {"FIELDKIT_HOME": str(tmp_path / "profile"), "FIELDKIT_PASSPHRASE": PASSPHRASE}
    _run(frozen, "init", env=env, cwd=tmp_path)
    commands = _run(frozen, "--help", env={}, cwd=tmp_path)
    if "material" not in commands:
        pytest.skip("this build has no `material` command yet")
    out = tmp_path / "cards.pdf"
    _run(frozen, "material", "render", "wallet-cards", "--country", "MD", "--lang", "en,ar",
         "--out", str(out), env=env, cwd=tmp_path)
    assert out.read_bytes()[:5] == b"%PDF-"
    if "report" in commands:
        draft = json.loads(_run(frozen, "report", "new", "incident_note", "--json",
                                env=env, cwd=tmp_path))["id"]
        report = tmp_path / "report.pdf"
        _run(frozen, "report", "export", str(draft), "--out", str(report), env=env, cwd=tmp_path)
        assert report.read_bytes()[:5] == b"%PDF-"


def test_frozen_window_opens_and_closes(frozen, tmp_path):
    reason = missing_x_tools()
    if reason:
        pytest.skip(reason)
    with virtual_screen() as display:
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(tmp_path),
               "DISPLAY": display, "FIELDKIT_HOME": str(tmp_path / "profile")}
        app = subprocess.Popen([str(frozen)], env=env, cwd=tmp_path, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            window = find_window(display, "^Fieldkit$", app)
            assert window, app.communicate(timeout=30)[0] if app.poll() is not None else ""
            icon = subprocess.run(["xprop", "-id", window, "_NET_WM_ICON"], text=True,
                                  capture_output=True, env={**os.environ, "DISPLAY": display})
            assert "Icon (128 x 128)" in icon.stdout
            output = quick_exit(display, window, app)
        finally:
            stop(app)
    assert app.returncode == 0, output
    assert "Traceback" not in output and "qt.qpa" not in output, output
