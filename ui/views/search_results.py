"""Search results on the home view.

Each result shows the words of the question it matched; a misspelled word gets
"Did you mean …" (the results already follow the correction; the button puts
it in the search box). When nothing matches, the same place says so and offers
the local referral pathway and "Get help now": a person who searched in a
hurry is never left with an empty page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from babel.lists import format_list
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout

from fieldkit import library
from fieldkit.content.model import Item
from fieldkit.errors import NotFound
from fieldkit.i18n import _, country_name, language_name, ngettext
from fieldkit.markdown import escape
from fieldkit.search.query import Answer, Result

from ..session import Session
from ..widgets import Card, block, help_button, highlighted_html, isolate, tag

RESULTS = 30


@dataclass
class Found:
    """What one search brought back (computed on the worker thread)."""

    text: str
    answer: Answer
    pathways: list[Item] = field(default_factory=list)  # read only when nothing matched


def find(store: Any, text: str, lang: str, country: str | None,
         location: str | None) -> Found:
    answer = library.search(store, text, lang, as_you_type=True, limit=RESULTS)
    found = Found(text, answer)
    if not answer and country:
        for place in (location, None):
            try:
                found.pathways = library.pathways(store, country, place)
                break
            except NotFound:
                continue
    return found


def kind_label(kind: str) -> str:
    labels = {"guidance": _("Guidance"), "law": _("Law note"), "service": _("Service"),
              "pathway": _("Referral pathway")}
    return labels.get(kind, kind)


class SearchResults:
    """Fills the home view's result column and status line with one search's answer."""

    def __init__(self, session: Session, column: QVBoxLayout, status: QLabel,
                 use_query: Callable[[str], None]) -> None:
        self.session = session
        self.column = column
        self.status = status
        self.use_query = use_query

    def show(self, found: Found) -> None:
        answer = found.answer
        n = len(answer)
        if answer.did_you_mean:
            meant = answer.did_you_mean
            button = QPushButton(_("Did you mean: {query}").format(query=isolate(meant)))
            button.setFlat(True)
            button.setAccessibleName(button.text())
            button.setStyleSheet("text-align:left; color:palette(link); font-weight:bold;")
            button.clicked.connect(lambda: self.use_query(meant))
            self.column.addWidget(button)
        if n:
            self.status.setText(ngettext("{n} result", "{n} results", n).format(n=n))
            for result in answer:
                self._add(Card(self.result_html(result), result.title), result)
        else:
            self._nothing_found(found)
        self.status.setAccessibleName(self.status.text())

    def result_html(self, result: Result) -> str:
        # Title and snippet in the direction of the text they come from.
        lang = self.session.lang
        tags = [tag(kind_label(result.kind), "#555")]
        if result.country:
            tags.append(tag(country_name(result.country, lang), "#555"))
        if result.other_language:
            tags.append(tag(language_name(result.lang, lang), "#1d4ed8"))
        if result.example:
            tags.append(tag(_("EXAMPLE"), "#8a5a00"))
        title = f"<b>{escape(result.title)}</b> " + " ".join(tags)
        html = block(title, result.lang) + block(highlighted_html(result.segments), result.lang)
        if result.matched:  # UI text: in the reader's direction, words isolated
            words = format_list([isolate(w) for w in result.matched], locale=lang)
            matched = _("Matched: {words}").format(words=words)
            html += block(f"<span style='color:#555'>{escape(matched)}</span>", lang)
        return html

    def _add(self, card: Card, result: Result) -> None:
        if result.kind == "pathway":
            card.activated.connect(lambda: self.session.open_pathway(result.id))
        else:
            card.activated.connect(lambda: self.session.open_item(result.id))
        self.column.addWidget(card)

    def _nothing_found(self, found: Found) -> None:
        query = isolate(found.text)
        if found.pathways:
            self.status.setText(_("Nothing found for “{query}”. Here is who can help where "
                                  "you are:").format(query=query))
        else:
            self.status.setText(_("Nothing found for “{query}”. Choose your country to see "
                                  "who can help where you are.").format(query=query))
        for pathway in found.pathways:
            version = pathway.pick(self.session.lang)
            html = block(f"<b>{escape(version.title)}</b>", version.lang)
            if version.summary:
                html += block(escape(version.summary), version.lang)
            card = Card(html, version.title)
            card.activated.connect(
                lambda pathway_id=pathway.id: self.session.open_pathway(pathway_id))
            self.column.addWidget(card)
        button = help_button()
        button.setText(_("Get help now (F1)"))
        button.setAccessibleName(_("Get help now: the local referral pathway"))
        button.clicked.connect(self.session.get_help)
        self.column.addWidget(button, 0, Qt.AlignmentFlag.AlignLeading)
