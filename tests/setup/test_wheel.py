"""The wheel works without the source tree: built from a clean copy, installed elsewhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, ROOT

from .helpers import find_window, missing_x_tools, quick_exit, stop, virtual_screen

# One worker builds the wheel and holds the profile for all of them (`--dist loadgroup`).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]


def _tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return [f for f in out.stdout.split("\0") if f and (ROOT / f).is_file()]


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None,
         timeout: float = 300) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout, check=False)
    assert done.returncode == 0, f"{args} exit {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


def _command_exists(fieldkit: Path, command: str, cwd: Path) -> bool:
    done = subprocess.run([str(fieldkit), command, "--help"], cwd=cwd, capture_output=True,
                          text=True, check=False)
    return done.returncode == 0


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(wheel, fieldkit command of a fresh venv holding only that wheel)."""
    tmp = tmp_path_factory.mktemp("wheel")
    # A clean checkout: the files git holds (and new ones not ignored), no built pack or .mo.
    source = tmp / "checkout"
    for name in _tracked_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes((ROOT / name).read_bytes())
    # As `python -m build` does: the sdist first, then the wheel from the unpacked sdist.
    sdist_dir = tmp / "sdist"
    _run(sys.executable, "-c", "import sys, fieldkit_build; "
         "print(fieldkit_build.build_sdist(sys.argv[1]))", sdist_dir,
         cwd=source, env={"PYTHONPATH": str(source / "packaging")})
    (sdist,) = sdist_dir.glob("fieldkit-*.tar.gz")
    with tarfile.open(sdist) as archive:
        # Our own sdist; the safe "data" filter where this Python has it (3.11.4 and later).
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        archive.extractall(tmp / "unpacked", **safe)
    (unpacked,) = (tmp / "unpacked").iterdir()
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", tmp / "dist", unpacked, cwd=tmp)
    (wheel,) = (tmp / "dist").glob("fieldkit-*.whl")
    # A fresh venv outside the checkout: the wheel alone, its dependencies seen read-only
    # from this environment's site-packages (a plain path: its .pth files, such as an
    # editable install's finder, are not run).
    venv = tmp / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp)
    _run(sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "-q",
         "--no-deps", wheel, cwd=tmp)
    (site,) = venv.glob("lib/python3*/site-packages")
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return wheel, venv / "bin" / "fieldkit"


@pytest.fixture(scope="module")
def profile_env(installed, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A profile made by the installed wheel's `fieldkit init`, shared by the tests below."""
    _, fieldkit = installed
    folder = tmp_path_factory.mktemp("wheel-profile")
    env = {"FIELDKIT_HOME": str(folder / "profile"), "FIELDKIT_PASSPHRASE": PASSPHRASE,
           "PYTHONPATH": ""}
    _run(fieldkit, "init", cwd=folder, env=env)
    return env


def test_wheel_holds_the_package_and_what_the_build_makes(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"fieldkit"}  # no bare top-level `ui`
    assert "fieldkit/data/starter-pack.json" in names
    for lang in ("ar", "en", "es", "fr", "ru", "zh"):
        assert f"fieldkit/locales/{lang}/LC_MESSAGES/fieldkit.mo" in names
    assert "fieldkit/ui/app.py" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    # Every file of the two packages in git is in the wheel (a subpackage or data file
    # missing from pyproject's lists would be lost here).
    for name in _tracked_files():
        if name.startswith("fieldkit/") or name.startswith("ui/"):
            inside = "fieldkit/ui/" + name[3:] if name.startswith("ui/") else name
            assert inside in names, f"{name} is not in the wheel"
    fonts = {n for n in names if n.startswith("fieldkit/fonts/")}
    assert any(n.endswith(".ttf") for n in fonts)
    assert {"fieldkit/fonts/OFL-1.1.txt", "fieldkit/fonts/Apache-2.0.txt"} <= fonts


def test_installed_wheel_runs_without_the_source_tree(installed, profile_env, tmp_path):
    _, fieldkit = installed
    cwd = tmp_path  # not the checkout
    env = profile_env
    where = _run(fieldkit.parent / "python", "-c", "import fieldkit, fieldkit.ui; "
                 "print(fieldkit.__file__); print(fieldkit.ui.__file__)", cwd=cwd, env=env)
    for line in where.stdout.split():
        assert Path(line).is_relative_to(fieldkit.parents[1]), line
    assert "fieldkit 0.1.0" in _run(fieldkit, "--version", cwd=cwd, env=env).stdout
    found = _run(fieldkit, "search", "ombudsperson", "--json", cwd=cwd, env=env)
    assert '"id"' in found.stdout
    assert "harcèlement" in _run(fieldkit, "--lang", "fr", "search", "harcèlement",
                                 cwd=cwd, env=env).stdout.lower()


def _pdf_text(pdf: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


def test_installed_wheel_exports_a_report(installed, profile_env, tmp_path):
    _, fieldkit = installed
    if not _command_exists(fieldkit, "report", tmp_path):
        pytest.skip("`fieldkit report` is not in this version yet (the reports work lands it)")
    env = profile_env
    types = [t["id"] for t in json.loads(
        _run(fieldkit, "report", "types", "--json", cwd=tmp_path, env=env).stdout)]
    kind = "incident_note" if "incident_note" in types else types[0]
    draft = json.loads(_run(fieldkit, "report", "new", kind, "--json",
                            cwd=tmp_path, env=env).stdout)["id"]
    out = tmp_path / "report.pdf"
    _run(fieldkit, "report", "export", str(draft), "--out", out, cwd=tmp_path, env=env)
    assert out.read_bytes()[:5] == b"%PDF-"
    assert "CONFIDENTIAL" in _pdf_text(out).upper()


def test_installed_wheel_renders_a_material(installed, profile_env, tmp_path):
    _, fieldkit = installed
    if not _command_exists(fieldkit, "material", tmp_path):
        pytest.skip("`fieldkit material` is not in this version yet (the materials work lands it)")
    env = profile_env
    kinds = [k["kind"] for k in json.loads(
        _run(fieldkit, "material", "list", "--json", cwd=tmp_path, env=env).stdout)]
    kind = "wallet-cards" if "wallet-cards" in kinds else kinds[0]
    out = tmp_path / "material.pdf"
    _run(fieldkit, "material", "render", kind, "--country", "MD", "--lang", "en,ar",
         "--out", out, cwd=tmp_path, env=env)
    assert out.read_bytes()[:5] == b"%PDF-"
    assert _pdf_text(out).strip()


def test_installed_wheel_opens_the_app(installed, tmp_path):
    _, fieldkit = installed
    reason = missing_x_tools()
    if reason:
        pytest.skip(reason)
    with virtual_screen() as display:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
               "FIELDKIT_HOME": str(tmp_path / "profile")}
        app = subprocess.Popen([str(fieldkit), "gui"], cwd=tmp_path, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            window = find_window(display, "^Fieldkit$", app)
            assert window, app.communicate(timeout=30)[0] if app.poll() is not None else ""
            output = quick_exit(display, window, app)
        finally:
            stop(app)
    assert app.returncode == 0, output
