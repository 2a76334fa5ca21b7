""""Get help now" benchmark: from F1 to the first contact of "I am in immediate danger"
on screen, in the unlocked app (offscreen Qt, starter content, Chișinău).

Measured per press, from the key event to the moment the first phone number's widget
is shown: the pathway read on the worker, the steps and their service cards built.
The directory tab is built only when it is opened; `eager` measures the same press
with the directory built at once too (what the app did before), for the ratio.

Usage: python bench/help.py [--presses 20]
Last line: help f1_median=<ms> f1_p95=<ms> eager_median=<ms> ratio=<x>
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSPHRASE = "benchmark passphrase"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--presses", type=int, default=20)
    args = parser.parse_args(argv)

    from fieldkit.ui.app import setup_application
    from fieldkit.ui.main_window import MainWindow
    from fieldkit.ui.widgets import ContactValue
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from fieldkit import library
    from fieldkit.content.pack import starter_items
    from fieldkit.store import Store

    app = QApplication.instance() or QApplication(sys.argv[:1])
    setup_application(app)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "profile"
        with Store.create(home, PASSPHRASE) as store:
            library.put_items(store, starter_items())
            store.set_setting("country", "MD")
            store.set_setting("location", "Chișinău")
        win = MainWindow(home, lang="en")
        win.resize(1024, 600)
        win.show()
        win.unlock.passphrase.setText(PASSPHRASE)
        win.unlock.try_unlock()
        _wait(lambda: not win.is_locked)
        _wait(lambda: not win.runner.busy)

        def press(eager: bool) -> float:
            win.go_home()
            _wait(lambda: not win.runner.busy)
            start = time.perf_counter()
            QTest.keyClick(win.home.search, Qt.Key.Key_F1)
            _wait(lambda: win.pathway.loaded and any(
                w.isVisible() for w in win.pathway.steps_area.widget().findChildren(
                    ContactValue)), step_ms=1)
            if eager:
                win.pathway.visible_service_ids()  # builds the directory as well
                QApplication.processEvents()
            return (time.perf_counter() - start) * 1000

        press(False)  # warm-up
        lazy = [press(False) for _ in range(args.presses)]
        eager = [press(True) for _ in range(args.presses)]
        win.close()
    median = statistics.median(lazy)
    p95 = sorted(lazy)[max(0, round(0.95 * len(lazy)) - 1)]
    eager_median = statistics.median(eager)
    print(f"help f1_median={median:.1f} f1_p95={p95:.1f} eager_median={eager_median:.1f} "
          f"ratio={median / eager_median:.2f}")
    return 0


def _wait(condition, timeout: float = 20.0, step_ms: int = 5) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtTest import QTest

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        QTest.qWait(step_ms)


if __name__ == "__main__":
    raise SystemExit(main())
