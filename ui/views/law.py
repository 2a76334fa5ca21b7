"""The law notes of the chosen country: status, summary, source, review date, risk."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from fieldkit import library
from fieldkit.content.model import Item
from fieldkit.i18n import N_, _, country_name
from fieldkit.markdown import escape
from fieldkit.presenters import LAW_STATUS_LABELS, label, review_line, source_texts

from ..session import Session
from ..widgets import (
    Banner,
    Card,
    block,
    clear_layout,
    heading,
    isolate,
    ltr_runs,
    ltr_runs_html,
    scrolling_column,
    tag,
    ui_text,
    wrapped,
)


class LawView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.notes: list[Item] = []
        self.country: str | None = None

        self.title = heading()
        self.notice = Banner("warning")
        self.empty = wrapped()
        self.list_box, self.scroll = scrolling_column()
        self.list_box.setSpacing(8)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.title)
        box.addWidget(self.notice)
        box.addWidget(self.empty)
        box.addWidget(self.scroll, 1)
        self.retranslate()

    def open(self, _arg: str) -> None:
        self.show_country(self.session.country)

    def place_changed(self) -> None:
        self.show_country(self.session.country)

    def show_country(self, country: str | None) -> None:
        self.clear()
        self.country = country
        self._render_header()
        if not country:
            self._show_no_country()
            return
        self.session.run(library.law_notes, country, on_success=self._loaded)

    def _show_no_country(self) -> None:
        self.empty.setText(_("Choose your country on the home page to see its law notes."))
        self.empty.show()

    def _loaded(self, notes: list[Item]) -> None:
        self.notes = notes
        self._render()

    def clear(self) -> None:
        self.notes, self.country = [], None
        clear_layout(self.list_box)
        self.empty.hide()
        self.title.clear()

    def _render_header(self) -> None:
        lang = self.session.lang
        self.title.setText(_("Law notes: {country}").format(
            country=isolate(country_name(self.country, lang))) if self.country else _("Law notes"))

    def _render(self) -> None:
        clear_layout(self.list_box)
        self._render_header()
        lang = self.session.lang
        self.empty.setVisible(self.country is not None and not self.notes)
        self.empty.setText(_("There are no law notes for this country yet. Ask your country "
                             "team."))
        for item in self.notes:
            card = Card(self._html(item, lang), item.pick(lang).title)
            card.activated.connect(lambda item_id=item.id: self.session.open_item(item_id))
            self.list_box.addWidget(card)

    def _html(self, item: Item, lang: str) -> str:
        # Content lines take the direction of the content, UI lines that of the UI.
        version = item.pick(lang)
        where = country_name(item.country, lang)
        title = f"<b>{escape(version.title)}</b> {tag(where, '#555')}"
        if item.example:
            title += " " + tag(_("EXAMPLE"), "#8a5a00")
        parts = [block(title, version.lang)]
        text, text_lang = ui_text(N_("Status: {status}"))
        parts.append(block(escape(text.format(
            status=isolate(label(LAW_STATUS_LABELS, item.meta.get("status"))))), text_lang))
        if item.meta.get("risk"):
            text, text_lang = ui_text(N_("RISK: read this before you act or advise anyone."))
            parts.append(block('<span style="color:#9b1c1c; font-weight:bold;">⚠ '
                               + escape(text) + "</span>", text_lang))
        if version.summary:
            parts.append(block(ltr_runs_html(escape(version.summary)), version.lang))
        text, text_lang = ui_text(N_("Source: {source}"))
        for source in source_texts(item):
            parts.append(block("<i>" + escape(text.format(source=isolate(ltr_runs(source))))
                               + "</i>", text_lang))
        line = review_line(item, lang, isolate)
        parts.append(block(escape(line), lang))
        if item.is_stale():
            text, text_lang = ui_text(N_("This note may be out of date: ask your country team "
                                      "to confirm it."))
            parts.append(block('<span style="color:#9b1c1c;">' + escape(text) + "</span>",
                               text_lang))
        return "".join(parts)

    def retranslate(self) -> None:
        self.notice.setText(_("Not legal advice — verify locally. These notes summarise what "
                              "the cited sources report; the law may have changed."))
        self.scroll.setAccessibleName(_("Law notes"))
        if self.country or self.notes:
            self._render()
        elif not self.empty.isHidden():
            self._render_header()
            self._show_no_country()
