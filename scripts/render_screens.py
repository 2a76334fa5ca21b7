"""Render each main view in English, Arabic and Chinese to PNG, offscreen.

    python scripts/render_screens.py [OUT_DIR]     (default: screenshots/)

Uses a temporary profile with the starter content; nothing outside OUT_DIR is written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PASSPHRASE = "correct horse battery"
SEARCHES = {"en": "ombudsperson", "ar": "تحرش", "zh": "骚扰"}
LANGS = ("en", "ar", "zh")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", default="screenshots")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from fieldkit.ui.app import setup_application
    from fieldkit.ui.main_window import MainWindow
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

        # First-run screen, from an empty folder.
        for lang in LANGS:
            win = MainWindow(Path(tmp) / "empty", lang=lang)
            win.show()
            _settle(win, QTest)
            _save(win, out / f"first-run-{lang}.png")
            win.close()

        for lang in LANGS:
            win = MainWindow(home, lang=lang)
            win.show()
            _settle(win, QTest)
            _save(win, out / f"unlock-{lang}.png")
            win.unlock.passphrase.setText(PASSPHRASE)
            win.unlock.try_unlock()
            _wait(lambda win=win: not win.is_locked, QTest)
            _settle(win, QTest)
            win.home.search.setText(SEARCHES[lang])
            QTest.qWait(300)
            _settle(win, QTest)
            _save(win, out / f"home-{lang}.png")
            win.home.search.clear()
            QTest.qWait(300)
            _settle(win, QTest)
            _save(win, out / f"topics-{lang}.png")
            win.session.open_item("reporting-options")
            _settle(win, QTest)
            _save(win, out / f"article-{lang}.png")
            win.session.set_place("BD", None)
            win.session.open_law()
            _settle(win, QTest)
            _save(win, out / f"law-{lang}.png")
            win.session.set_place("MD", "Chișinău")
            win.session.open_pathway()
            _settle(win, QTest)
            _save(win, out / f"pathway-{lang}.png")
            win.pathway.tabs.setCurrentIndex(1)
            _settle(win, QTest)
            _save(win, out / f"directory-{lang}.png")
            win.close()
    print(f"screens written to {out}/")
    return 0


def _wait(condition: Callable[[], bool], qtest: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        qtest.qWait(20)  # type: ignore[attr-defined]


def _settle(win: object, qtest: object) -> None:
    _wait(lambda: not win.runner.busy, qtest)  # type: ignore[attr-defined]
    qtest.qWait(100)  # type: ignore[attr-defined]


def _save(win: object, path: Path) -> None:
    if not win.grab().save(str(path)):  # type: ignore[attr-defined]
        raise OSError(f"could not write {path}")


if __name__ == "__main__":
    raise SystemExit(main())
