"""Render every view of the app to PNG: first run, unlock, home, Get help now, the
service directory, an article, law notes, a country without a pathway, Settings.

    python scripts/render_screens.py [OUT_DIR] [--langs en,ar,zh,ru] [--size 1024x600]

Offscreen (QT_QPA_PLATFORM=offscreen) each window is grabbed at --size. On a real
X server (QT_QPA_PLATFORM=xcb under Xvfb, ideally with a window manager) the window
opens as a user's would (show_fitted: maximised on a small screen) and the whole
screen is captured with ImageMagick's `import -window root`. A larger font: run with
QT_SCALE_FACTOR=1.25, or pass --font-scale 1.25 to enlarge the app font itself.

Uses a temporary profile with the starter content; nothing outside OUT_DIR is written.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PASSPHRASE = "correct horse battery"
SEARCHES = {"en": "ombudsperson", "ar": "تحرش", "zh": "骚扰", "ru": "омбудсмен",
            "fr": "médiateur", "es": "acoso"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", default="screenshots")
    parser.add_argument("--langs", default="en,ar,zh")
    parser.add_argument("--size", default="1000x720", help="window size when offscreen")
    parser.add_argument("--font-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    size = tuple(int(v) for v in args.size.lower().split("x"))

    from fieldkit.ui.app import setup_application
    from fieldkit.ui.main_window import MainWindow
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from fieldkit import library
    from fieldkit.content.pack import starter_items
    from fieldkit.store import Store

    app = QApplication.instance() or QApplication(sys.argv[:1])
    setup_application(app)
    if args.font_scale != 1.0:
        font = app.font()
        font.setPointSizeF(font.pointSizeF() * args.font_scale)
        app.setFont(font)
    real_screen = os.environ.get("QT_QPA_PLATFORM", "").startswith("xcb")

    def show(win: MainWindow) -> None:
        if real_screen:
            win.show_fitted()
        else:
            win.resize(*size)
            win.show()
        _settle(win, QTest)

    def save(win: MainWindow, name: str) -> None:
        _settle(win, QTest)
        path = out / f"{name}.png"
        if real_screen:
            QTest.qWait(300)  # let the window manager and the X server catch up
            subprocess.run(["import", "-window", "root", str(path)], check=True)
        elif not win.grab().save(str(path)):
            raise OSError(f"could not write {path}")

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "profile"
        with Store.create(home, PASSPHRASE) as store:
            library.put_items(store, starter_items())
            store.set_setting("country", "MD")
            store.set_setting("location", "Chișinău")

        for lang in args.langs.split(","):
            win = MainWindow(Path(tmp) / f"empty-{lang}", lang=lang)
            show(win)
            _wait(lambda win=win: win.unlock.create_button.isEnabled(), QTest)
            save(win, f"first-run-{lang}")
            win.unlock.new_pass.setText("short")
            win.unlock.create()
            save(win, f"first-run-error-{lang}")
            win.close()

            win = MainWindow(home, lang=lang)
            show(win)
            save(win, f"unlock-{lang}")
            win.unlock.passphrase.setText(PASSPHRASE)
            win.unlock.try_unlock()
            _wait(lambda win=win: not win.is_locked, QTest)
            win.session.set_place("MD", "Chișinău")
            _settle(win, QTest)
            save(win, f"topics-{lang}")
            win.home.search.setText(SEARCHES.get(lang, "harassment"))
            QTest.qWait(300)
            save(win, f"home-{lang}")
            win.home.search.clear()
            QTest.keyClick(win.home.search, Qt.Key.Key_F1)
            save(win, f"pathway-{lang}")
            win.pathway.tabs.setCurrentIndex(1)
            save(win, f"directory-{lang}")
            win.session.open_item("reporting-options")
            save(win, f"article-{lang}")
            bar = win.article.scroll.verticalScrollBar()
            bar.setValue(bar.maximum())
            save(win, f"article-end-{lang}")
            win.session.set_place("BD", None)
            win.session.open_law()
            save(win, f"law-{lang}")
            win.session.set_place("IS", None)
            win.get_help()
            save(win, f"no-pathway-{lang}")
            win.session.set_place("MD", "Chișinău")
            QTimer.singleShot(700, lambda win=win, lang=lang: _save_dialog(win, out, lang,
                                                                           real_screen))
            win.open_settings()
            win.close()
    print(f"screens written to {out}/")
    return 0


def _save_dialog(win: object, out: Path, lang: str, real_screen: bool) -> None:
    from PySide6.QtWidgets import QApplication, QDialog

    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, QDialog) and w.isVisible())
    path = out / f"settings-{lang}.png"
    if real_screen:
        subprocess.run(["import", "-window", "root", str(path)], check=True)
    else:
        dialog.grab().save(str(path))
    dialog.reject()


def _wait(condition: Callable[[], bool], qtest: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        qtest.qWait(20)  # type: ignore[attr-defined]


def _settle(win: object, qtest: object) -> None:
    _wait(lambda: not win.runner.busy, qtest)  # type: ignore[attr-defined]
    qtest.qWait(150)  # type: ignore[attr-defined]


if __name__ == "__main__":
    raise SystemExit(main())
