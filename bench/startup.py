"""Start-up benchmark: from starting Fieldkit to an unlocked home window, against its floor.

Each run starts fresh processes (offscreen Qt) on a profile holding the starter
content, and measures, from the moment the process is started:

- home: to the home view of the unlocked app filled (the passphrase is typed the
  moment the unlock window shows): imports, fonts, catalogs, window, key
  derivation, first queries;
- bare_qt: to a bare PySide6 window shown (Python and Qt start-up: the floor of
  any Qt app), measured in the same run;
- kdf: SQLCipher's key derivation alone (open, key, first read of the profile);
- window / unlock / search: where home's time goes, and a keystroke to results
  (minus the typing pause).

ratio = home / (bare_qt + kdf): what Fieldkit adds over what no Qt app with an
encrypted profile can avoid (target: at most 1.5). With a frozen build in
dist/fieldkit, its folder size is printed too.

Usage: python bench/startup.py [--runs 5]
Last line: startup home=<ms> bare_qt=<ms> kdf=<ms> ratio=<x>
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "benchmark passphrase"

BARE = r"""
import json, sys, time
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
window = QWidget()
window.setWindowTitle("bare")
window.resize(1000, 720)
window.show()
app.processEvents()
print(json.dumps({"shown": time.monotonic()}))
"""

CHILD = r"""
import json, sys, time
# As `python -m fieldkit gui` runs: the CLI first, then the app's own run(); the main
# window is wrapped only to type the passphrase once it shows and to take the times.
from fieldkit.cli import main
import fieldkit.ui.app as app_module
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from fieldkit.ui.views.home import SEARCH_DELAY_MS

marks = {}

def wait(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        # processEvents, then sleep with the GIL released (QTest.qWait would hold it,
        # starving the worker thread and inflating every figure).
        QApplication.processEvents()
        time.sleep(0.001)

class TimedWindow(app_module.MainWindow):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        QTimer.singleShot(0, self._drive)  # runs once the event loop shows the window

    def _drive(self):
        marks["shown"] = time.monotonic()
        self.unlock.passphrase.setText(sys.argv[2])
        self.unlock.try_unlock()
        wait(lambda: not self.is_locked and self.home.list_box.count() > 0)
        QApplication.processEvents()
        marks["home"] = time.monotonic()
        searches = []
        for word in ("harassment", "report", "bystander", "témoin", "التحرش", "骚扰"):
            view = self.home
            asked = view._generation
            view.search.setText(word)
            typed = time.monotonic()
            wait(lambda: view._generation > asked and view._search_task is None)
            assert view._results, word
            searches.append((time.monotonic() - typed) * 1000 - SEARCH_DELAY_MS)
        marks["first search"] = searches[0]
        marks["search"] = sorted(searches[1:])[len(searches[1:]) // 2]
        QApplication.quit()

app_module.MainWindow = TimedWindow
code = main(["--data-dir", sys.argv[1], "--lang", "en", "gui"])
print(json.dumps(marks))
sys.exit(code)
"""


def make_profile(folder: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from fieldkit import library
    from fieldkit.content.pack import starter_items
    from fieldkit.store import Store

    with Store.create(folder, PASSPHRASE) as store:
        library.put_items(store, starter_items())
        store.set_setting("country", "MD")


def time_child(code: str, *args: str) -> tuple[float, dict[str, float]]:
    """(monotonic time the process was started, what it printed)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                         text=True, check=True, cwd=ROOT)
    return started, json.loads(out.stdout.strip().splitlines()[-1])


def time_kdf(folder: Path) -> float:
    """Key derivation and the first read of the profile, as opening it does (ms)."""
    import sqlcipher3

    from fieldkit.paths import db_path

    quoted = "'" + PASSPHRASE.replace("'", "''") + "'"
    started = time.perf_counter()
    conn = sqlcipher3.connect(str(db_path(folder)))
    conn.execute(f"PRAGMA key = {quoted}")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    return elapsed


def time_to_window(command: list[str], profile: Path, runs: int) -> list[float] | None:
    """Start to a visible "Fieldkit" window on a virtual X screen (xcb), in ms; None
    without Xvfb and xdotool."""
    import shutil

    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        return None
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    times = []
    try:
        with os.fdopen(read) as pipe:
            display = ":" + pipe.readline().strip()
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
               "FIELDKIT_HOME": str(profile)}
        for _ in range(runs):
            started = time.monotonic()
            app = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
            try:
                while app.poll() is None and time.monotonic() - started < 60:
                    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name",
                                            "^Fieldkit$"], env=env, capture_output=True)
                    if found.stdout.strip():
                        times.append((time.monotonic() - started) * 1000)
                        break
                    time.sleep(0.005)
            finally:
                app.terminate()
                app.wait(30)
    finally:
        server.terminate()
        server.wait(30)
    return times


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    samples: dict[str, list[float]] = {k: [] for k in (
        "home", "bare_qt", "kdf", "window", "unlock", "first search", "search")}
    with tempfile.TemporaryDirectory(prefix="fieldkit-startup-") as tmp:
        make_profile(Path(tmp))
        for _ in range(args.runs):
            # Alternate, so that a busy moment of the machine weighs on both alike.
            started, bare = time_child(BARE)
            samples["bare_qt"].append((bare["shown"] - started) * 1000)
            samples["kdf"].append(time_kdf(Path(tmp)))
            started, app = time_child(CHILD, tmp, PASSPHRASE)
            samples["home"].append((app["home"] - started) * 1000)
            samples["window"].append((app["shown"] - started) * 1000)
            samples["unlock"].append((app["home"] - app["shown"]) * 1000)
            samples["first search"].append(app["first search"])
            samples["search"].append(app["search"])
        for key, values in samples.items():
            print(f"{key:<12} median {statistics.median(values):7.1f} ms   "
                  f"min {min(values):7.1f} ms   max {max(values):7.1f} ms   ({len(values)} runs)")
        frozen = ROOT / "dist" / "fieldkit"
        if frozen.is_dir():
            print(f"frozen app   {folder_size(frozen) / 2**20:7.1f} MiB "
                  f"in {frozen.relative_to(ROOT)}")
            # The unlock window on a real X server: the frozen program against Python's.
            for label, command in (("frozen", [str(frozen / "fieldkit"), "gui"]),
                                   ("python", [sys.executable, "-m", "fieldkit", "gui"])):
                times = time_to_window(command, Path(tmp), args.runs)
                if times:
                    print(f"{label:<6} to its unlock window on Xvfb: median "
                          f"{statistics.median(times):7.1f} ms   ({len(times)} runs)")
    home, bare_qt, kdf = (statistics.median(samples[k]) for k in ("home", "bare_qt", "kdf"))
    print(f"startup home={home:.0f} bare_qt={bare_qt:.0f} kdf={kdf:.0f} "
          f"ratio={home / (bare_qt + kdf):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
