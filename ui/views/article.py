"""One item: rendered Markdown that never loads anything, with provenance and notices."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from fieldkit import library
from fieldkit.content.model import Item
from fieldkit.i18n import N_, _, is_rtl, language_name
from fieldkit.markdown import render_html
from fieldkit.presenters import LAW_STATUS_LABELS, label, review_line, source_texts

from ..session import Session
from ..widgets import (
    TITLE_FACTOR,
    Banner,
    ServiceCard,
    copy_to_clipboard,
    example_text,
    heading,
    isolate,
    ltr,
    ltr_runs,
    ltr_runs_html,
    wrapped,
)

TRANSLATION_LABELS = {
    "original": N_("Written in this language"),
    "reviewed": N_("Translation reviewed by a person"),
    "unreviewed": N_("Translation not yet reviewed by a person"),
}


class SafeBrowser(QTextBrowser):
    """A QTextBrowser that opens nothing by itself and loads no resource. It is as
    tall as its text: the page around it scrolls, so the notices above and the
    source below move with the text instead of squeezing it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)

    def loadResource(self, _type: int, _name: QUrl) -> Any:
        return None  # no images, no files, no network: nothing is ever fetched

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self, *_args: object) -> None:
        self.document().setTextWidth(self.viewport().width())
        height = int(self.document().size().height()) + 2 * self.frameWidth() + 4
        if height != self.height():
            self.setFixedHeight(height)


class ArticleView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.item: Item | None = None

        self.title = heading(factor=TITLE_FACTOR)
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

        # One page that scrolls as a whole: title, notices, text, where it comes from.
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(self.title)
        for w in (self.example, self.fallback, self.unreviewed, self.law_status):
            box.addWidget(w)
        box.addLayout(self.card_box)
        box.addWidget(self.body)
        box.addWidget(self.link_bar)
        box.addWidget(self.provenance)
        box.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        self.clear()
        self.retranslate()

    def open(self, item_id: str) -> None:
        self.show_item(item_id)

    def focus_first(self) -> None:
        self.body.setFocus()

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
        self.body.document().setDefaultStyleSheet(self._heading_css())
        self.body.setHtml(f'<div dir="{direction}">{ltr_runs_html(render_html(body))}</div>')
        self.provenance.setText("\n".join(self._provenance(item)))
        self.scroll.verticalScrollBar().setValue(0)

    def _heading_css(self) -> str:
        """Headings inside the text stay smaller than the article's title."""
        size = QApplication.font().pointSizeF()
        if size <= 0:
            return ""
        return "".join(f"h{level} {{ font-size: {size * factor:.1f}pt; }}"
                       for level, factor in ((1, 1.35), (2, 1.2), (3, 1.1), (4, 1.0)))

    def _provenance(self, item: Item) -> list[str]:
        """What a reader needs to weigh the text: its source, when it was last checked,
        and whether a person reviewed the translation."""
        lang = self.session.lang
        version = item.pick(lang)
        lines = [_("Source: {source}").format(source=isolate(ltr_runs(s)))
                 for s in source_texts(item)]
        lines.append(review_line(item, lang, isolate))  # or "not reviewed since the source"
        if version.status in TRANSLATION_LABELS:
            lines.append(_(TRANSLATION_LABELS[version.status]))
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
                url=ltr(self._link_url)))
            self.link_bar.show()

    def retranslate(self) -> None:
        self.link_copy.setText(_("Copy link"))
        self.link_copy.setAccessibleName(_("Copy link"))
        self.body.setAccessibleName(_("Article text"))
        self.provenance.setAccessibleName(_("Where this comes from"))
        self.link_bar.hide()
        self._render()
