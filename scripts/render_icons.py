"""Render the app icon (ui/icons/org.fieldkit.Fieldkit.svg) to PNG at the hicolor sizes.

The PNGs are committed: the app and the frozen build load them without Qt's SVG
plugin. Run after changing the SVG: python scripts/render_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "ui" / "icons"
APP_ID = "org.fieldkit.Fieldkit"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / f"{APP_ID}.svg"))
    if not renderer.isValid():
        raise SystemExit("the SVG icon cannot be read")
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        out = ICONS / f"{APP_ID}-{size}.png"
        if not image.save(str(out)):
            raise SystemExit(f"could not write {out}")
        print(out.name)
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
