"""Shared widgets: banners, headings, cards, the copy button, country choices."""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
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
from fieldkit.i18n import _, is_rtl, language
from fieldkit.markdown import escape
from fieldkit.presenters import contact_label, service_facts

# Colours only; sizes stay relative to the user's font (accessibility).
BANNER_STYLES = {
    "example": "background:#ffe08a; color:#3d2b00; border:1px solid #c9a227;",
    "warning": "background:#fde2e1; color:#5c0b07; border:1px solid #d9534f;",
    "info": "background:#e3ecfa; color:#0c2a5b; border:1px solid #8aa9d6;",
}
# Contacts whose value is laid out left to right in every language.
LTR_CONTACTS = {"phone", "sms", "email", "web"}
CONTACT_PATTERN = re.compile(
    r"(?:https?://|www\.)[^\s<>\"\u2066-\u2069]+"      # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"                    # e-mail addresses
    r"|\+?\(?\d[\d ().\-/]{4,}\d")                      # phone-like digit runs


def scaled_font(base: QFont, factor: float = 1.0, bold: bool = False) -> QFont:
    """A font relative to `base`, so the system font size is honoured."""
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    elif font.pixelSize() > 0:
        font.setPixelSize(round(font.pixelSize() * factor))
    font.setBold(bold)
    return font


TITLE_FACTOR = 1.6  # a view's title: larger than any heading inside a text


def heading(text: str = "", factor: float = 1.4) -> QLabel:
    widget = QLabel(text)
    widget.setFont(scaled_font(QApplication.font(), factor, bold=True))
    widget.setWordWrap(True)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def always_applies() -> list[str]:
    """What anyone can do wherever they are, whatever the library holds (no contacts)."""
    return [
        _("If you are in danger, go to a safe place if you can."),
        _("Contact your organisation's security focal point or security office."),
        _("When you are ready, and only if you want to, contact your organisation's "
          "PSEA/SH focal point. They can explain the reporting channels and the "
          "support your organisation offers."),
        _("You decide what happens next. Read about your options, formal and "
          "informal, before you choose."),
    ]


def help_button() -> QPushButton:
    """The red "Get help now" button (text set by the window's retranslate)."""
    button = QPushButton()
    button.setObjectName("helpNow")
    button.setFont(scaled_font(QApplication.font(), 1.1, bold=True))
    button.setStyleSheet(
        # The same border width with and without focus: focus must not eat into the text.
        "#helpNow { background:#b3261e; color:white; padding:4px 12px; border-radius:4px; "
        "border:3px solid #b3261e; }"
        "#helpNow:focus { border:3px solid #1d4ed8; }")
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return button


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


def ltr(value: str) -> str:
    """Force a value (phone number, e-mail, URL) left to right inside any line:
    LRI…PDI. A first-strong isolate is not enough: a number has no strong character."""
    return f"\u2066{value}\u2069"


def _force(match: re.Match[str]) -> str:
    text = match.group(0)
    if "@" in text or "://" in text or text.startswith("www."):
        core = text.rstrip(".,;:!?)")  # sentence punctuation after a URL is not part of it
        return ltr(core) + text[len(core):]
    # A phone number: international (+...) or national (0...) with at least 7 digits.
    # Other digit runs (years, "2019 190") keep the reading order of their sentence.
    if (text.startswith(("+", "0", "(")) and sum(c.isdigit() for c in text) >= 7):
        return ltr(text)
    return text


def ltr_runs(text: str) -> str:
    """Plain text with every phone number, e-mail address and URL forced left to right."""
    return CONTACT_PATTERN.sub(_force, text)


def ltr_runs_html(html: str) -> str:
    """The same for rich text: only text between tags is touched, never a link target."""
    parts = re.split(r"(<[^>]*>)", html)
    return "".join(p if p.startswith("<") else ltr_runs(p) for p in parts)


def highlighted_html(segments: Iterable[tuple[str, bool]]) -> str:
    """A snippet's (text, is_match) segments as rich text: matches in bold, and any
    phone number, e-mail or URL in it forced left to right even when a match
    highlight cuts through it."""
    pieces = list(segments)
    plain = "".join(text for text, _hit in pieces)
    marks: dict[int, str] = {}
    for match in CONTACT_PATTERN.finditer(plain):
        forced = _force(match)
        if forced != match.group(0):
            core = forced[1:forced.index("\u2069")]
            marks[match.start()] = marks.get(match.start(), "") + "\u2066"
            end = match.start() + len(core)
            marks[end] = "\u2069" + marks.get(end, "")
    out, pos = [], 0
    for text, hit in pieces:
        chunk = []
        for offset, char in enumerate(text):
            chunk.append(marks.get(pos + offset, "") + escape(char))
        pos += len(text)
        html = "".join(chunk)
        out.append(f"<b>{html}</b>" if hit else html)
    out.append(marks.get(pos, ""))
    return "".join(out)


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
    """Copies a value exactly as stored and says so on the button for a moment."""

    CONFIRM_MS = 2500  # long enough to be seen

    def __init__(self, value: str, what: str, parent: QWidget | None = None):
        super().__init__(_("Copy"), parent)
        self.value = value
        self.what = what
        name = _("Copy {what}").format(what=what)
        self.setAccessibleName(name)
        self.setToolTip(name)
        # Wide enough for "Copied" too, so the row does not jump.
        self.setMinimumWidth(max(self.sizeHint().width(),
                                 self.fontMetrics().horizontalAdvance(_("Copied ✓")) + 24))
        self._timer = QTimer(self, singleShot=True, interval=self.CONFIRM_MS)
        self._timer.timeout.connect(self._reset)
        self.clicked.connect(self._copy)

    def _copy(self) -> None:
        copy_to_clipboard(self.value)
        self.setText(_("Copied ✓"))
        self.setAccessibleDescription(_("Copied"))
        self._timer.start()

    def _reset(self) -> None:
        self.setText(_("Copy"))
        self.setAccessibleDescription("")

    @property
    def confirming(self) -> bool:
        return self._timer.isActive()


class ContactValue(QLabel):
    """A phone number, e-mail address or URL, always laid out left to right.

    A number has no strong direction of its own: in a right-to-left line its digit
    groups would be drawn in reverse order, a wrong number to dial. This label's own
    direction is left-to-right whatever the UI language, and it holds the value alone
    (selecting and copying it gives exactly the stored value).
    """

    def __init__(self, value: str, parent: QWidget | None = None):
        super().__init__(value, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setFont(scaled_font(QApplication.font(), 1.1, bold=True))
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)


class ServiceCard(QFrame):
    """A referral service, contact first: name, the contacts with Copy, then the
    details (category, hours, languages, cost, accessibility, LGBTIQ+-safe)."""

    def __init__(self, item: Item, lang: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.item = item
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("serviceCard")
        self.setStyleSheet("#serviceCard { border:1px solid palette(mid); border-radius:6px; }")
        version = item.pick(lang)
        meta = item.meta
        box = QVBoxLayout(self)
        box.setSpacing(4)
        title = wrapped(version.title)
        title.setFont(scaled_font(QApplication.font(), 1.1, bold=True))
        box.addWidget(title)
        if item.example:
            box.addWidget(Banner("example", _("EXAMPLE — fictitious contacts, do not use")))
        self.contacts: list[ContactValue | QLabel] = []
        for contact in meta.get("contacts") or []:
            kind, value = str(contact.get("type", "")), str(contact.get("value", ""))
            row = QHBoxLayout()
            name = QLabel(_("{label}:").format(label=contact_label(kind)))
            row.addWidget(name)
            if kind in LTR_CONTACTS:
                shown: QLabel = ContactValue(value)
            else:
                shown = wrapped(value)
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            name.setBuddy(shown)
            self.contacts.append(shown)
            row.addWidget(shown, 0 if kind in LTR_CONTACTS else 1)
            row.addStretch(1 if kind in LTR_CONTACTS else 0)
            row.addWidget(CopyButton(value, f"{contact_label(kind)} {ltr(value)}"))
            box.addLayout(row)
        rows = service_facts(item, lang, isolate)
        details = wrapped("\n".join(rows))
        details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(details)
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


class CountryBox(QComboBox):
    """A country chooser for 250 entries: type part of a name to filter the list."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(20)
        # As wide as a usual name, not as the longest of 250 (small screens).
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.activated[str].connect(self._chosen)
        self.setCompleter(completer)
        self.lineEdit().editingFinished.connect(self._settle)
        self.currentIndexChanged.connect(lambda _index: self.show_current())

    def _chosen(self, text: str) -> None:
        index = self.findText(text, Qt.MatchFlag.MatchExactly)
        if index >= 0:
            self.setCurrentIndex(index)

    def _settle(self) -> None:
        """Enter or leaving the box: the country named, else the first one the typed
        text matches; text that matches none goes back to the current choice."""
        text = self.lineEdit().text().strip()
        index = self.findText(text, Qt.MatchFlag.MatchFixedString) if text else -1
        if index < 0 and text:
            completer = self.completer()
            completer.setCompletionPrefix(text)
            if completer.completionCount() > 0:
                index = self.findText(completer.currentCompletion(),
                                      Qt.MatchFlag.MatchExactly)
        if index >= 0 and self.itemData(index) is not None:
            if index != self.currentIndex():
                self.setCurrentIndex(index)
            else:
                self.show_current()
        else:
            self.show_current()

    def show_current(self) -> None:
        """The chosen country's name; no choice yet shows the prompt as a placeholder, so
        that what the user types is not appended to it."""
        self.lineEdit().setText(self.currentText() if self.currentData() is not None else "")


def fill_country_combo(combo: QComboBox, featured: Iterable[str], current: str | None,
                       lang: str) -> None:
    """Countries with content first, then every other ISO 3166-1 country, named in the
    UI language and sorted the way it sorts."""
    from .places import countries_by_name, iso_countries

    featured = [c.upper() for c in featured]
    others = [c for c in iso_countries() if c not in featured]
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(_("Choose a country…"), None)
    for name, code in countries_by_name(featured, lang):
        combo.addItem(name, code)
    combo.insertSeparator(combo.count())
    for name, code in countries_by_name(others, lang):
        combo.addItem(name, code)
    index = combo.findData(current) if current else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)
    if isinstance(combo, CountryBox):
        combo.lineEdit().setPlaceholderText(_("Choose a country…"))
        combo.show_current()


def fill_location_combo(combo: QComboBox, locations: Iterable[str], current: str | None,
                        country: str | None = None) -> None:
    """"Whole country", then the places, named in the UI language where CLDR names them."""
    from .places import place_name

    combo.blockSignals(True)
    combo.clear()
    combo.addItem(_("Whole country"), None)
    for loc in locations:
        combo.addItem(place_name(loc, country, language()), loc)
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
