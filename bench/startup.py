"""Start-up benchmark: how fast the app opens and unlocks, and how fast it answers typing.

Each run starts a fresh process (offscreen Qt) on a profile with the starter
content, and measures:

- window: from process start to the unlock window shown (imports, fonts, catalogs);
- unlock: from pressing Unlock to the home view filled (key derivation, first queries);
- search: from a keystroke to results on screen, minus the 150 ms typing pause.

Usage: python bench/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "benchmark passphrase"

CHILD = r"""
import json, sys, time
started = time.perf_counter()
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from fieldkit.ui.app import setup_application
from fieldkit.ui.main_window import MainWindow
from fieldkit.ui.views.home import SEARCH_DELAY_MS
from pathlib import Path
setup_application(app)
window = MainWindow(Path(sys.argv[1]), lang="en")
window.show()
app.processEvents()
shown = time.perf_counter()

def wait(condition, timeout=30.0):
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise SystemExit("timed out")
        # processEvents, then sleep with the GIL released (QTest.qWait would hold it,
        # starving the worker thread and inflating every figure).
        app.processEvents()
        time.sleep(0.001)

window.unlock.passphrase.setText(sys.argv[2])
pressed = time.perf_counter()
window.unlock.try_unlock()
wait(lambda: not window.is_locked and window.home.list_box.count() > 0)
unlocked = time.perf_counter()
searches = []
for word in ("harassment", "report", "bystander", "témoin", "التحرش", "骚扰"):
    home = window.home
    asked = home._generation
    home.search.setText(word)
    typed = time.perf_counter()
    wait(lambda: home._generation > asked and home._search_task is None)
    assert home._results, word
    searches.append((time.perf_counter() - typed) * 1000 - SEARCH_DELAY_MS)
print(json.dumps({
    "window": (shown - started) * 1000,
    "unlock": (unlocked - pressed) * 1000,
    "first search": searches[0],
    "search": sorted(searches[1:])[len(searches[1:]) // 2],
}))
window.close()
"""


def make_profile(folder: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from fieldkit import library
    from fieldkit.content.pack import starter_items
    from fieldkit.store import Store

    with Store.create(folder, PASSPHRASE) as store:
        library.put_items(store, starter_items())
        store.set_setting("country", "MD")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    samples: dict[str, list[float]] = {"window": [], "unlock": [], "first search": [],
                                       "search": []}
    with tempfile.TemporaryDirectory(prefix="fieldkit-startup-") as tmp:
        make_profile(Path(tmp))
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, "-c", CHILD, tmp, PASSPHRASE], env=env,
                                 capture_output=True, text=True, check=True, cwd=ROOT)
            for key, value in json.loads(out.stdout.strip().splitlines()[-1]).items():
                samples[key].append(value)
    for key, values in samples.items():
        print(f"{key:<12} median {statistics.median(values):7.1f} ms   "
              f"max {max(values):7.1f} ms   ({len(values)} runs)")
    print("startup window={:.0f} unlock={:.0f} search={:.0f}".format(
        *(statistics.median(samples[k]) for k in ("window", "unlock", "search"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
