"""Shared widgets: banners, headings, cards, the copy button, country choices."""

from __future__ import annotations

from collections.abc import Iterable

from babel import Locale
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from fieldkit.content.model import Item
from fieldkit.i18n import _, country_name, is_rtl, language
from fieldkit.markdown import escape
from fieldkit.presenters import contact_label, service_facts

# Colours only; sizes stay relative to the user's font (accessibility).
BANNER_STYLES = {
    "example": "background:#ffe08a; color:#3d2b00; border:1px solid #c9a227;",
    "warning": "background:#fde2e1; color:#5c0b07; border:1px solid #d9534f;",
    "info": "background:#e3ecfa; color:#0c2a5b; border:1px solid #8aa9d6;",
}
NOT_COUNTRIES = {"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"}


def scaled_font(base: QFont, factor: float = 1.0, bold: bool = False) -> QFont:
    """A font relative to `base`, so the system font size is honoured."""
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    elif font.pixelSize() > 0:
        font.setPixelSize(round(font.pixelSize() * factor))
    font.setBold(bold)
    return font


def heading(text: str = "", factor: float = 1.4) -> QLabel:
    widget = QLabel(text)
    widget.setFont(scaled_font(QApplication.font(), factor, bold=True))
    widget.setWordWrap(True)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def buddy_label(widget: QWidget) -> QLabel:
    """The label naming `widget`: its mnemonic focuses the widget, screen readers pair them."""
    label = QLabel()
    label.setBuddy(widget)
    return label


def scrolling_column() -> tuple[QVBoxLayout, QScrollArea]:
    """A vertical column of cards in a scroll area that wraps to its width
    (never scrolls sideways). Returns the column's layout and the area."""
    holder = QWidget()
    inner = QVBoxLayout(holder)
    column = QVBoxLayout()
    inner.addLayout(column)
    inner.addStretch(1)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(holder)
    return column, area


def wrapped(text: str = "", rich: bool = False) -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(True)
    widget.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return widget


class Banner(QLabel):
    """A coloured one-line notice: EXAMPLE, warnings, information."""

    def __init__(self, kind: str = "info", text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet(f"QLabel {{ {BANNER_STYLES[kind]} padding:6px; border-radius:4px; }}")
        if kind == "example":
            self.setFont(scaled_font(QApplication.font(), 1.0, bold=True))
        self.setAccessibleName(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setAccessibleName(text)


def example_text(kind: str) -> str:
    if kind == "service":
        return _("EXAMPLE — fictitious contacts, do not use")
    if kind == "pathway":
        return _("EXAMPLE — fictitious services, for illustration only")
    return _("EXAMPLE — for illustration only")


def isolate(text: str) -> str:
    """Wrap a value (a date, a name) in Unicode isolates so it keeps its own
    direction inside a sentence of the other direction."""
    return f"\u2068{text}\u2069"


def block(html: str, lang: str) -> str:
    """A rich-text paragraph laid out in the direction of the language it is in."""
    return f'<div dir="{"rtl" if is_rtl(lang) else "ltr"}">{html}</div>'


def ui_text(msgid: str) -> tuple[str, str]:
    """A UI string and the language it is really in: English while its
    translation is missing, so it is laid out left-to-right even in Arabic."""
    text = _(msgid)
    return text, (language() if text != msgid else "en")


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every widget of a layout (used when a view is cleared)."""
    while layout.count():
        child = layout.takeAt(0)
        if child.widget() is not None:
            child.widget().deleteLater()
        elif child.layout() is not None:
            clear_layout(child.layout())


def copy_to_clipboard(text: str) -> None:
    QGuiApplication.clipboard().setText(text)
    copy_to_clipboard.last = text  # type: ignore[attr-defined]


def forget_clipboard() -> None:
    """On lock, clear the clipboard if it still holds what we put there."""
    last = getattr(copy_to_clipboard, "last", None)
    board = QGuiApplication.clipboard()
    if last is not None and board.text() == last:
        board.clear()
    copy_to_clipboard.last = None  # type: ignore[attr-defined]


class CopyButton(QPushButton):
    def __init__(self, value: str, what: str, parent: QWidget | None = None):
        super().__init__(_("Copy"), parent)
        self.value = value
        self.setAccessibleName(_("Copy {what}").format(what=what))
        self.setToolTip(_("Copy {what}").format(what=what))
        self.clicked.connect(lambda: copy_to_clipboard(self.value))


class ServiceCard(QFrame):
    """A referral service: name, category, contacts with Copy, hours, languages,
    cost, accessibility, LGBTIQ+-safe."""

    def __init__(self, item: Item, lang: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.item = item
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("serviceCard")
        self.setStyleSheet("#serviceCard { border:1px solid palette(mid); border-radius:6px; }")
        version = item.pick(lang)
        meta = item.meta
        box = QVBoxLayout(self)
        title = wrapped(version.title)
        title.setFont(scaled_font(QApplication.font(), 1.1, bold=True))
        box.addWidget(title)
        if item.example:
            box.addWidget(Banner("example", _("EXAMPLE — fictitious contacts, do not use")))
        rows = service_facts(item, lang, isolate)
        details = wrapped("\n".join(rows))
        details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(details)
        for contact in meta.get("contacts") or []:
            kind, value = str(contact.get("type", "")), str(contact.get("value", ""))
            row = QHBoxLayout()
            # Isolated: in a right-to-left line, "+000 0000 0105" would otherwise show its
            # digit groups in reverse order, a wrong number to dial.
            text = wrapped(f"{contact_label(kind)}: {isolate(value)}")
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            row.addWidget(text, 1)
            row.addWidget(CopyButton(value, f"{contact_label(kind)} {value}"))
            box.addLayout(row)
        self.setAccessibleName(version.title)


class Card(QFrame):
    """A focusable, clickable block of rich text (search results, topics, law notes)."""

    activated = Signal()

    def __init__(self, html: str, accessible: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet(
            "#card { border:1px solid palette(mid); border-radius:6px; }"
            "#card:focus { border:2px solid palette(highlight); }"
            "#card:hover { background: palette(alternate-base); }")
        self.text = QLabel(html)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        # Clicks go to the card, not to links inside the label.
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.text.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        box = QVBoxLayout(self)
        box.setContentsMargins(8, 6, 8, 6)
        box.addWidget(self.text)
        self.setAccessibleName(accessible)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.activated.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit()
        elif key == Qt.Key.Key_Down:
            self.focusNextChild()
        elif key == Qt.Key.Key_Up:
            self.focusPreviousChild()
        else:
            super().keyPressEvent(event)


def tag(text: str, colour: str = "#555") -> str:
    """A small inline tag for rich text (e.g. EXAMPLE, a language name)."""
    return (f'<span style="color:{colour}; font-weight:bold;">[{escape(text)}]</span>')


def fill_country_combo(combo: QComboBox, featured: Iterable[str], current: str | None,
                       lang: str) -> None:
    """Countries with content first, then every other country, names in the UI language."""
    featured = [c.upper() for c in featured]
    others = [c for c in Locale.parse("en").territories
              if len(c) == 2 and c.isalpha() and c not in NOT_COUNTRIES and c not in featured]
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(_("Choose a country…"), None)
    for code in sorted(featured, key=lambda c: country_name(c, lang).casefold()):
        combo.addItem(country_name(code, lang), code)
    combo.insertSeparator(combo.count())
    for code in sorted(others, key=lambda c: country_name(c, lang).casefold()):
        combo.addItem(country_name(code, lang), code)
    index = combo.findData(current) if current else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


def fill_location_combo(combo: QComboBox, locations: Iterable[str], current: str | None) -> None:
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(_("Whole country"), None)
    for loc in locations:
        combo.addItem(loc, loc)
    index = combo.findData(current) if current else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


def fill_language_combo(combo: QComboBox, languages: Iterable[str], current: str) -> None:
    """The UI languages, each named in itself."""
    from fieldkit.i18n import native_language_name

    combo.blockSignals(True)
    combo.clear()
    for code in languages:
        combo.addItem(native_language_name(code), code)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    combo.blockSignals(False)
