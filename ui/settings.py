"""Settings a user can change: when the library locks itself, and what quick exit does."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fieldkit.i18n import _

from .widgets import buddy_label, wrapped

IDLE_RANGE = (1, 120)  # minutes


class SettingsDialog(QDialog):
    def __init__(self, idle_minutes: int, quick_exit: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        self.idle = QSpinBox()
        self.idle.setRange(*IDLE_RANGE)
        self.idle.setValue(max(IDLE_RANGE[0], min(IDLE_RANGE[1], idle_minutes)))
        self.idle.setSuffix(" " + _("min"))
        self.idle.setMinimumWidth(self.fontMetrics().horizontalAdvance(
            f"{IDLE_RANGE[1]} {_('min')}") + 48)  # room for the arrows, whatever the digits
        self.idle.setAccessibleName(_("Lock after this many minutes without use"))
        idle_label = buddy_label(self.idle)
        idle_label.setText(_("&Lock after this many minutes without use:"))

        self.quit = QRadioButton(_("&Quit Fieldkit"))
        self.neutral = QRadioButton(_("Show a &blank page (Fieldkit stays open, locked)"))
        group = QButtonGroup(self)
        group.addButton(self.quit)
        group.addButton(self.neutral)
        (self.neutral if quick_exit == "neutral" else self.quit).setChecked(True)
        exit_note = wrapped(_("Quick exit (Ctrl+Shift+X) always locks the library at once. "
                              "Then it should:"))
        # A word-wrapped label asks for a narrow, tall box unless told its width.
        exit_note.setMinimumWidth(self.fontMetrics().averageCharWidth() * 55)
        exit_note.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(idle_label, self.idle)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(exit_note)
        box.addWidget(self.quit)
        box.addWidget(self.neutral)
        box.addStretch(1)
        box.addWidget(buttons)

    def values(self) -> tuple[int, str]:
        return self.idle.value(), ("neutral" if self.neutral.isChecked() else "quit")
