"""The page quick exit can switch to: an empty note, nothing about Fieldkit or its subject.

The library is already locked behind it; Escape leads back to the unlock page.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from fieldkit.i18n import _


class _Pad(QPlainTextEdit):
    escape = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.escape.emit()
        else:
            super().keyPressEvent(event)


class NeutralPage(QWidget):
    leave = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.pad = _Pad()
        self.pad.escape.connect(self._leave)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.pad)
        self.setFocusProxy(self.pad)

    def title(self) -> str:
        return _("Untitled")

    def _leave(self) -> None:
        self.pad.clear()  # whatever was typed here is not kept
        self.leave.emit()
