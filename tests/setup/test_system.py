"""What the system must give Fieldkit: Qt's libraries, the listed tools, a real window."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT

from .helpers import find_window, missing_x_tools, quick_exit, stop, virtual_screen, xdotool


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "system_packages", ROOT / "scripts" / "system_packages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


system_packages = _load_script()


def _pyside_dir() -> Path:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        pytest.skip("PySide6 is not installed")
    return Path(spec.origin).parent


def test_xcb_plugin_finds_every_library():
    """`make run` on a desktop loads the xcb plugin: each library it links must resolve."""
    plugin = _pyside_dir() / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    assert plugin.exists(), plugin
    out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=True)
    missing = system_packages.parse_ldd(out.stdout)
    assert not missing, "the xcb platform plugin cannot load: missing " + ", ".join(
        f"{so} (Debian: {system_packages.debian_package(so)})" for so in missing)


def test_parse_ldd_reads_not_found_lines():
    out = ("\tlibxcb-cursor.so.0 => not found\n"
           "\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f)\n"
           "\tlibxkbcommon-x11.so.0 => not found\n")
    assert system_packages.parse_ldd(out) == ["libxcb-cursor.so.0", "libxkbcommon-x11.so.0"]


@pytest.mark.skipif(not shutil.which("dpkg"), reason="dpkg is not installed (not Debian)")
def test_soname_rule_names_the_package_dpkg_knows():
    """The SONAME -> package rule, checked against dpkg for every library Qt links here."""
    files = system_packages.qt_files(Path(sys.prefix))
    assert files
    resolved: dict[str, str] = {}
    for path in files:
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=True)
        for line in out.stdout.splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[1] == "=>" and parts[2].startswith("/") \
                    and "PySide6" not in parts[2]:
                resolved[parts[0]] = parts[2]
    assert len(resolved) > 20
    forms = {}
    for soname, path in resolved.items():
        for candidate in {path, os.path.realpath(path)}:
            for form in (candidate, candidate.replace("/usr/lib/", "/lib/", 1),
                         candidate.replace("/lib/", "/usr/lib/", 1)):
                forms[form] = soname
    # One dpkg call: lines "package[, package]: /path" for the paths it knows.
    found = subprocess.run(["dpkg", "-S", *forms], capture_output=True, text=True, check=False)
    owners: dict[str, set[str]] = {}
    for line in found.stdout.splitlines():
        packages, _, form = line.partition(": ")
        if form in forms:
            owners.setdefault(forms[form], set()).update(
                p.split(":")[0] for p in packages.split(", "))
    assert len(owners) > 20
    wrong = {so: (system_packages.debian_package(so), sorted(names))
             for so, names in owners.items()
             if system_packages.debian_package(so) not in names}
    assert not wrong


def test_package_list_is_well_formed():
    run = system_packages.read_list("run")
    test = system_packages.read_list("test")
    assert set(run) <= set(test)
    assert all(kind in system_packages.KINDS for kind, _, _ in test)
    assert "npm" not in {package for _, _, package in test}  # conflicts with other Node.js


@pytest.mark.skipif(not shutil.which("apt-cache"), reason="apt-cache is not installed")
def test_listed_packages_exist_in_debian():
    packages = {package for _, _, package in system_packages.read_list("test")}
    listed = subprocess.run(["apt-cache", "show", "--no-all-versions", *sorted(packages)],
                            capture_output=True, text=True, check=False).stdout
    if "Package:" not in listed:
        pytest.skip("apt's package lists are empty here (apt-get update not run)")
    known = {line.split()[1] for line in listed.splitlines() if line.startswith("Package: ")}
    assert packages <= known, sorted(packages - known)


@pytest.mark.slow
def test_app_opens_a_real_window_on_xcb(tmp_path):
    """`python -m fieldkit gui` on a new profile, on a real X server with the xcb plugin."""
    reason = missing_x_tools()
    if reason:
        pytest.skip(reason)
    home = tmp_path / "new-profile"
    with virtual_screen() as display:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
               "FIELDKIT_HOME": str(home)}
        env.pop("FIELDKIT_PASSPHRASE", None)
        app = subprocess.Popen([sys.executable, "-m", "fieldkit", "gui"], env=env, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            window = find_window(display, "^Fieldkit$", app)
            if window is None:
                app.kill()
                pytest.fail("no Fieldkit window appeared; the app said:\n"
                            + app.communicate(timeout=30)[0])
            width, height = (int(v) for v in xdotool(
                display, "getwindowgeometry", "--shell", window).split("WIDTH=")[1]
                .replace("HEIGHT=", "").split()[:2])
            assert width >= 400 and height >= 300
            # The app's own icon, as the window manager and taskbar read it.
            icon = subprocess.run(["xprop", "-id", window, "_NET_WM_ICON"], text=True,
                                  capture_output=True, env={**os.environ, "DISPLAY": display})
            assert "Icon (128 x 128)" in icon.stdout, icon.stdout[:200] + icon.stderr
            # Quick exit (the real app quits on it): the window goes and the process ends well.
            output = quick_exit(display, window, app)
        finally:
            stop(app)
    assert app.returncode == 0, output
    assert "qt.qpa" not in output, output
    assert not (home / "fieldkit.db").exists()  # nothing created before first-run setup


def test_not_root_prints_the_exact_command_and_goes_on(monkeypatch, capsys):
    monkeypatch.setattr(system_packages.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(system_packages.shutil, "which", lambda name: f"/usr/bin/{name}")
    code = system_packages.install({"zbarimg": "zbar-tools", "pdftotext": "poppler-utils"},
                                   "listed")
    out = capsys.readouterr().out
    assert code == system_packages.NOT_ROOT
    assert "apt-get install -y --no-install-recommends poppler-utils zbar-tools" in out
    # And `make` goes on: the script itself exits 0 when it could only print the command.
    monkeypatch.setattr(system_packages, "missing_pieces", lambda entries: {"x": "x-pkg"})
    assert system_packages.main(["--for", "test"]) == 0


def test_missing_piece_is_found_by_kind(tmp_path):
    entries = [("tool", "surely-not-a-command", "a"), ("file", str(tmp_path / "none.h"), "b"),
               ("lib", "libsurely-not-there.so.9", "c"), ("tool", "sh", "d")]
    assert system_packages.missing_pieces(entries) == {
        "surely-not-a-command": "a", str(tmp_path / "none.h"): "b",
        "libsurely-not-there.so.9": "c"}
