"""One item: rendered Markdown that never loads anything, with provenance and notices."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from fieldkit import library
from fieldkit.content.model import Item
from fieldkit.i18n import _, is_rtl, language_name
from fieldkit.markdown import render_html
from fieldkit.presenters import LAW_STATUS_LABELS, label, reviewed_label, source_texts

from ..session import Session
from ..widgets import (
    Banner,
    ServiceCard,
    copy_to_clipboard,
    example_text,
    heading,
    isolate,
    wrapped,
)


class SafeBrowser(QTextBrowser):
    """A QTextBrowser that opens nothing by itself and loads no resource."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def loadResource(self, _type: int, _name: QUrl) -> Any:
        return None  # no images, no files, no network: nothing is ever fetched


class ArticleView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.item: Item | None = None

        self.title = heading()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.example = Banner("example")
        self.fallback = Banner("info")
        self.unreviewed = Banner("info")
        self.law_status = Banner("warning")
        self.card_box = QVBoxLayout()
        self.body = SafeBrowser()
        self.body.anchorClicked.connect(self._link)
        self.provenance = wrapped()
        self.provenance.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # Web links are shown and can be copied, never opened.
        self.link_bar = QWidget()
        self.link_text = wrapped()
        self.link_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.link_copy = QPushButton()
        self.link_copy.clicked.connect(lambda: copy_to_clipboard(self._link_url))
        bar = QHBoxLayout(self.link_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.link_text, 1)
        bar.addWidget(self.link_copy)
        self._link_url = ""

        box = QVBoxLayout(self)
        box.addWidget(self.title)
        for w in (self.example, self.fallback, self.unreviewed, self.law_status):
            box.addWidget(w)
        box.addLayout(self.card_box)
        box.addWidget(self.body, 1)
        box.addWidget(self.link_bar)
        box.addWidget(self.provenance)
        self.clear()
        self.retranslate()

    def show_item(self, item_id: str) -> None:
        self.clear()
        self.session.run(library.get_item, item_id, on_success=self._loaded)

    def _loaded(self, item: Item) -> None:
        self.item = item
        self._render()

    def clear(self) -> None:
        self.item = None
        self.title.clear()
        self.body.clear()
        self.provenance.clear()
        self._clear_card()
        for w in (self.example, self.fallback, self.unreviewed, self.law_status, self.link_bar):
            w.hide()

    def _clear_card(self) -> None:
        while self.card_box.count():
            widget = self.card_box.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()

    def _render(self) -> None:
        item = self.item
        if item is None:
            return
        lang = self.session.lang
        version = item.pick(lang)
        self.title.setText(version.title)
        self.example.setText(example_text(item.kind))
        self.example.setVisible(item.example)
        self.fallback.setText(_("Not yet available in {wanted}; shown in {shown}.").format(
            wanted=language_name(lang, lang), shown=language_name(version.lang, lang)))
        self.fallback.setVisible(version.lang != lang)
        self.unreviewed.setText(_("Translation not yet reviewed"))
        self.unreviewed.setVisible(version.unreviewed)
        self._clear_card()
        if item.kind == "law":
            lines = [_("Status: {status}").format(
                status=isolate(label(LAW_STATUS_LABELS, item.meta.get("status"))))]
            if item.meta.get("risk"):
                lines.append(_("RISK: read this before you act or advise anyone."))
            if item.is_stale():
                lines.append(_("This note may be out of date: ask your country team to "
                               "confirm it."))
            lines.append(_("Not legal advice — verify locally."))
            self.law_status.setText("\n".join(lines))
            self.law_status.show()
        else:
            self.law_status.hide()
        if item.kind == "service":
            self.card_box.addWidget(ServiceCard(item, lang))
        direction = "rtl" if is_rtl(version.lang) else "ltr"
        body = version.body if item.kind != "law" or not version.summary else (
            f"**{version.summary}**\n\n{version.body}")
        self.body.setHtml(f'<div dir="{direction}">{render_html(body)}</div>')
        self.provenance.setText("\n".join(self._provenance(item)))

    def _provenance(self, item: Item) -> list[str]:
        lang = self.session.lang
        lines = [_("Source: {source}").format(source=isolate(s)) for s in source_texts(item)]
        lines.append(_("Last reviewed: {date}").format(
            date=isolate(reviewed_label(item, lang))))
        if item.meta.get("reviewer"):
            lines.append(_("Reviewed by: {reviewer}").format(
                reviewer=isolate(item.meta["reviewer"])))
        lines.append(_("Channel: {channel}, version {version}").format(
            channel=isolate(item.channel), version=item.version))
        return lines

    def _link(self, url: QUrl) -> None:
        scheme, target = url.scheme(), url.path()
        if scheme == "item":
            self.session.open_item(target)
        elif scheme == "local" and target == "pathway":
            self.session.open_pathway()
        elif scheme == "local" and target == "law":
            self.session.open_law()
        else:
            # The web (and mail/phone links): shown and copyable, never fetched.
            self._link_url = url.toString()
            self.link_text.setText(_("This link is not opened by Fieldkit: {url}").format(
                url=self._link_url))
            self.link_bar.show()

    def retranslate(self) -> None:
        self.link_copy.setText(_("Copy link"))
        self.link_copy.setAccessibleName(_("Copy link"))
        self.body.setAccessibleName(_("Article text"))
        self.provenance.setAccessibleName(_("Where this comes from"))
        self.link_bar.hide()
        self._render()
