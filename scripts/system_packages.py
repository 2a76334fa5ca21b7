"""Install the system packages Fieldkit needs, only those missing, one per missing piece.

    python3 scripts/system_packages.py --for run     # pieces of scripts/system-packages.txt
    python3 scripts/system_packages.py --for test    # ... with those only the tests need
    python3 scripts/system_packages.py --qt .venv    # libraries the venv's Qt plugins lack

Runs with the system's Python before the virtual environment exists (standard
library only). As root on Debian/Ubuntu it installs what is missing with
apt-get; otherwise it prints the exact command and exits 0 so `make` goes on
(whatever can run without the piece still runs).

Why installing only the missing pieces: a list asked for whole can conflict
with what is there (Debian's npm with a Node.js from elsewhere: "held broken
packages"). Why the Qt libraries come from ldd: the plugin knows what it links;
a hand-kept list goes stale with every Qt release. A missing shared library is
mapped to its package by Debian Policy 8.1 (a run-time library package is
named after the SONAME: libxcb-icccm.so.4 -> libxcb-icccm4, libxkbcommon-x11.so.0
-> libxkbcommon-x11-0), with a short table of the libraries that predate the
rule; tests/setup checks the rule against dpkg for every library the plugins
link, and apt-cache confirms each name before it is installed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

LIST = Path(__file__).with_name("system-packages.txt")
KINDS = ("tool", "lib", "file")
NOT_ROOT = 2  # install() could only print the command

# Libraries whose package does not follow the SONAME rule.
EXCEPTIONS = {
    "libc.so.6": "libc6", "libm.so.6": "libc6", "libdl.so.2": "libc6",
    "libpthread.so.0": "libc6", "librt.so.1": "libc6",
    "libz.so.1": "zlib1g",
    "libcrypto.so.3": "libssl3", "libssl.so.3": "libssl3",
    "libGLdispatch.so.0": "libglvnd0",
    "libbrotlicommon.so.1": "libbrotli1", "libbrotlidec.so.1": "libbrotli1",
    "libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0", "libgio-2.0.so.0": "libglib2.0-0",
    "libgmodule-2.0.so.0": "libglib2.0-0",
}

# The Qt parts the app loads: its modules, and the platform plugins for a
# desktop (xcb) and for tests (offscreen).
QT_FILES = ("QtCore.abi3.so", "QtGui.abi3.so", "QtWidgets.abi3.so",
            "Qt/plugins/platforms/libqxcb.so", "Qt/plugins/platforms/libqoffscreen.so")


def debian_package(soname: str) -> str:
    """The Debian package that ships a shared library, by Policy 8.1's naming rule."""
    if soname in EXCEPTIONS:
        return EXCEPTIONS[soname]
    match = re.fullmatch(r"(.+?)\.so\.(\d+)(?:\.\d+)*", soname)
    if not match:
        raise ValueError(f"not a versioned shared library name: {soname}")
    name, version = match.group(1).lower().replace("_", "-"), match.group(2)
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def parse_ldd(output: str) -> list[str]:
    """The SONAMEs ldd reports as "not found"."""
    return sorted({line.split()[0] for line in output.splitlines() if "=> not found" in line})


def unresolved(files: Iterable[Path]) -> list[str]:
    missing: set[str] = set()
    for path in files:
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=False)
        missing.update(parse_ldd(out.stdout))
    return sorted(missing)


def qt_files(venv: Path) -> list[Path]:
    """The Qt files of PySide6 in a virtual environment (none if it is not installed)."""
    for site in sorted(venv.glob("lib/python3*/site-packages/PySide6")):
        return [site / f for f in QT_FILES if (site / f).exists()]
    return []


def read_list(purpose: str, path: Path = LIST) -> list[tuple[str, str, str]]:
    """(kind, name, package) of the pieces needed for `purpose` ("run" or "test")."""
    wanted = {"run": ("run",), "test": ("run", "test")}[purpose]
    entries = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].split()
        if not line:
            continue
        if len(line) != 4 or line[0] not in ("run", "test") or line[1] not in KINDS:
            raise SystemExit(f"{path}:{number}: expected FOR KIND NAME PACKAGE, got {raw!r}")
        if line[0] in wanted:
            entries.append((line[1], line[2], line[3]))
    return entries


def _ldconfig_names() -> str:
    ldconfig = shutil.which("ldconfig") or next(
        (p for p in ("/sbin/ldconfig", "/usr/sbin/ldconfig") if os.path.exists(p)), None)
    if not ldconfig:
        return ""
    return subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=False).stdout


def missing_pieces(entries: list[tuple[str, str, str]]) -> dict[str, str]:
    """Missing piece -> its package."""
    libs = None
    missing: dict[str, str] = {}
    for kind, name, package in entries:
        if kind == "tool":
            present = shutil.which(name) is not None
        elif kind == "file":
            present = os.path.exists(name)
        else:
            libs = _ldconfig_names() if libs is None else libs
            present = f"{name} " in libs
        if not present:
            missing[name] = package
    return missing


def apt_has(package: str) -> bool:
    out = subprocess.run(["apt-cache", "show", "--no-all-versions", package],
                         capture_output=True, text=True, check=False)
    return out.returncode == 0 and "Package:" in out.stdout


def install(missing: dict[str, str], what: str) -> int:
    if not missing:
        return 0
    packages = sorted(set(missing.values()))
    for piece, package in sorted(missing.items()):
        print(f"system: missing {piece} ({what}) -> Debian package {package}")
    command = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    if not shutil.which("apt-get"):
        print("system: no apt-get here; install the equivalent of: " + " ".join(packages))
        return NOT_ROOT
    if os.geteuid() != 0:
        print("system: not root; as root run:\n  " + " ".join(command))
        return NOT_ROOT
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
    unknown = [p for p in packages if not apt_has(p)]
    if unknown:
        print("system: Debian has no package named " + ", ".join(unknown)
              + "; find the package that ships the piece and fix its line")
    wanted = [p for p in packages if p not in unknown]
    if not wanted:
        return 1
    print("system: " + " ".join([*command[:4], *wanted]), flush=True)
    if subprocess.run([*command[:4], *wanted], env=env, check=False).returncode == 0:
        return 1 if unknown else 0
    # One at a time, so a package that conflicts with this machine does not stop the others.
    failed = [p for p in wanted
              if subprocess.run([*command[:4], p], env=env, check=False).returncode != 0]
    if failed:
        print("system: could not install " + " ".join(failed))
    return 1 if failed or unknown else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--for", dest="purpose", choices=("run", "test"), default="run",
                        help="what the pieces are needed for (test includes run)")
    parser.add_argument("--qt", metavar="VENV", type=Path,
                        help="check the Qt libraries of PySide6 in this virtual environment")
    parser.add_argument("--check", action="store_true",
                        help="only say what is missing (exit 1 if anything is)")
    args = parser.parse_args(argv)
    if not args.qt:
        missing = missing_pieces(read_list(args.purpose))
        if args.check:
            return report(missing)
        install(missing, "listed in " + LIST.name)
        return 0
    files = qt_files(args.qt)
    if not files:
        print(f"system: PySide6 is not installed in {args.qt}; no Qt libraries to check")
        return 0
    # A library ldd cannot find hides its own dependencies: look again after each install.
    tried: set[str] = set()
    for _ in range(4):
        missing = {so: debian_package(so) for so in unresolved(files)}
        if args.check:
            return report(missing)
        if not missing or set(missing) <= tried:
            break
        tried |= set(missing)
        if install(missing, "needed by Qt in " + str(args.qt)) == NOT_ROOT:
            break
    still = unresolved(files)
    if still:
        print("system: Qt cannot load its platform plugins without " + " ".join(still))
    return 0


def report(missing: dict[str, str]) -> int:
    for piece, package in sorted(missing.items()):
        print(f"missing {piece} -> {package}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
