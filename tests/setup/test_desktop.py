"""Linux desktop integration and honesty about itself: entry, metadata, icons, versions."""

from __future__ import annotations

import shutil
import struct
import subprocess

import pytest

from tests.conftest import ROOT, run_fieldkit

APP_ID = "org.fieldkit.Fieldkit"


@pytest.fixture(scope="module")
def share(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("share")
    subprocess.run([str(ROOT / "scripts" / "desktop_files.sh"), str(folder)], check=True)
    return folder


def _validator(tool: str) -> None:
    if not shutil.which(tool):
        pytest.skip(f"{tool} is not installed (`make test` installs it as root; "
                    "see scripts/system-packages.txt)")


def test_desktop_entry_is_valid(share):
    _validator("desktop-file-validate")
    entry = share / "applications" / f"{APP_ID}.desktop"
    done = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr
    text = entry.read_text(encoding="utf-8")
    assert f"Icon={APP_ID}\n" in text and "Exec=fieldkit gui\n" in text


def test_appstream_metadata_is_valid(share):
    _validator("appstreamcli")
    done = subprocess.run(["appstreamcli", "validate", "--no-net",
                           str(share / "metainfo" / f"{APP_ID}.metainfo.xml")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_hicolor_icons_at_their_sizes(share):
    for size in (16, 24, 32, 48, 64, 128, 256):
        png = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (size, size), png
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").exists()


def test_version_names_app_content_and_sqlcipher():
    done = run_fieldkit("--version")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "fieldkit 0.1.0"
    assert lines[1].startswith("starter content: reviewed up to 20")
    assert "items, sha256 " in lines[1]
    assert lines[2].startswith("SQLCipher: 4.")
