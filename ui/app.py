"""Start the desktop app: QApplication, fonts, language, the main window."""

from __future__ import annotations

import logging
import os
import sys
from importlib import resources

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from fieldkit import __version__, paths
from fieldkit.i18n import language, normalise, system_language

from . import prefs
from .about import APP_ID, app_icon
from .collector import GuiThreadCollector
from .main_window import MainWindow

log = logging.getLogger(__name__)

# Latin/Cyrillic first, then Arabic, then Chinese: Qt falls back along the list
# glyph by glyph, so every UI language renders without system fonts.
FONT_FAMILIES = ["Noto Sans", "Noto Sans Arabic", "Droid Sans Fallback"]


def register_fonts() -> list[str]:
    """Register every bundled TTF with Qt; returns the families found."""
    families: list[str] = []
    folder = resources.files("fieldkit") / "fonts"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.lower().endswith(".ttf"):
            continue
        font_id = QFontDatabase.addApplicationFontFromData(entry.read_bytes())
        if font_id < 0:
            log.warning("could not register the font %s", entry.name)
            continue
        families += QFontDatabase.applicationFontFamilies(font_id)
    return families


def setup_application(app: QApplication) -> None:
    """Fonts and the app font; keeps the size the system chose (accessibility)."""
    app.setApplicationName("Fieldkit")
    app.setApplicationDisplayName("Fieldkit")
    app.setApplicationVersion(__version__)
    # The icon every window shows, and the desktop entry that window belongs to.
    app.setWindowIcon(app_icon())
    app.setDesktopFileName(APP_ID)
    register_fonts()
    font = QFont(app.font())
    font.setFamilies(FONT_FAMILIES)
    app.setFont(font)


def run(data_dir: str | os.PathLike[str] | None = None, lang: str | None = None) -> int:
    """Run the app until it is closed; returns the exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    setup_application(app)
    collector = GuiThreadCollector(app)
    directory = paths.data_dir(data_dir)
    window = MainWindow(directory, lang=normalise(lang) if lang else None,
                        quit_on_quick_exit=True)
    if not lang and not prefs.last_language(directory):
        # No language asked for and none remembered: the system's, for Qt too.
        window.session.set_language(language() or system_language(), save=False)
    window.show_fitted()
    code = app.exec()
    window.close()  # locks (the store is closed on the worker) and removes the idle watcher
    window.deleteLater()
    collector.stop()
    return int(code)


def main() -> int:  # `python -m fieldkit.ui.app`
    return run()


if __name__ == "__main__":
    raise SystemExit(main())
