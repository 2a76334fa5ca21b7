"""The About box: versions and licences, read from what is installed (fieldkit.about)."""

from __future__ import annotations

from html import escape
from importlib import resources

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from fieldkit import __version__
from fieldkit.i18n import _, format_date, format_number, is_rtl, ngettext

APP_ID = "org.fieldkit.Fieldkit"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """The app's icon at every size it ships (PNG: no SVG plugin needed)."""
    icon = QIcon()
    folder = resources.files("fieldkit.ui") / "icons"
    for size in ICON_SIZES:
        pixmap = QPixmap()
        if pixmap.loadFromData((folder / f"{APP_ID}-{size}.png").read_bytes()):
            icon.addPixmap(pixmap)
    return icon


# Each cell is a bidi isolate taking the direction of its own first letter: in an Arabic
# window "Copyright 2015 Google LLC." keeps its full stop at its end.
FIRST_STRONG_ISOLATE, POP_ISOLATE = "\u2068", "\u2069"


def _row(cells: tuple[str, ...], tag: str = "td") -> str:
    # Qt's rich text does not mirror table columns: right to left, they are laid out reversed.
    ordered = reversed(cells) if is_rtl() else iter(cells)
    align = "right" if is_rtl() else "left"
    return "<tr>" + "".join(
        f"<{tag} align='{align}'>{FIRST_STRONG_ISOLATE}{escape(c)}{POP_ISOLATE}</{tag}>"
        for c in ordered) + "</tr>"


def _table(head: tuple[str, ...] | None, rows: list[tuple[str, ...]]) -> str:
    header = _row(head, "th") if head else ""
    side = "right" if is_rtl() else "left"
    return f"<table cellspacing='4' align='{side}'>{header}{''.join(_row(r) for r in rows)}</table>"


def _content_text() -> str:
    from fieldkit import about

    content = about.content_version()
    if content is None:
        return _("not built")
    reviewed = format_date(content.reviewed) if content.reviewed else _("no review date")
    count = ngettext("{count} item", "{count} items", content.items).format(
        count=format_number(content.items))
    return _("reviewed up to {date}; {count}; sha256 {digest}").format(
        date=reviewed, count=count, digest=content.digest)


def about_html() -> str:
    """What the dialog shows, as HTML (also what a bug report can quote)."""
    from fieldkit import about  # reads package metadata: only when the box opens

    facts = [
        (_("Version"), __version__),
        (_("Starter content"), _content_text()),
        ("SQLCipher", about.sqlcipher_version()),
        ("Qt", f"{qVersion()} (PySide6 {pyside_version})"),
    ]
    fonts = [(f.family, f.copyright, f.licence) for f in about.fonts()]
    libraries = [(c.name, c.version, c.licence) for c in about.components()]
    licence = _("Fieldkit is free software under the Apache License 2.0.")
    fonts_title, libraries_title = _("Fonts"), _("Libraries")
    return (
        f"<div dir='{'rtl' if is_rtl() else 'ltr'}'>{_table(None, facts)}"
        f"<p>{escape(licence)}</p><h3>{escape(fonts_title)}</h3>"
        + _table((_("Font"), _("Copyright"), _("Licence")), fonts)
        + f"<h3>{escape(libraries_title)}</h3>"
        + _table((_("Name"), _("Version"), _("Licence")), libraries)
        + "</div>"
    )


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About Fieldkit"))
        self.setWindowIcon(app_icon())
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(64, 64))
        logo.setAccessibleName("Fieldkit")
        tagline = _("Offline guidance, law notes and referral pathways, in an encrypted library.")
        title = QLabel(f"<h2>Fieldkit {escape(__version__)}</h2><p>{escape(tagline)}</p>")
        title.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(logo)
        top.addWidget(title, 1)
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        self.details.setAccessibleName(_("Versions and licences"))
        self.details.setHtml(about_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.details, 1)
        column.addWidget(buttons)
        self.resize(720, 560)
