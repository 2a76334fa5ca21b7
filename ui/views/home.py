"""Home: place and language, search-as-you-type, guidance topics, "Get help now"."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit import UN_LANGUAGES, library
from fieldkit.i18n import _, country_name, language_name
from fieldkit.markdown import escape
from fieldkit.search.query import Result

from ..session import Session
from ..tasks import Task
from ..widgets import (
    Card,
    CountryBox,
    block,
    buddy_label,
    clear_layout,
    fill_country_combo,
    fill_language_combo,
    fill_location_combo,
    heading,
    isolate,
    ltr_runs_html,
    scrolling_column,
    tag,
)
from .search_results import Found, SearchResults, find
from .sync import SyncStatusLine

SEARCH_DELAY_MS = 150
# A search still running after this long says so (the first one in a session may load
# word lists or Chinese segmentation: a second or two on an old laptop).
SEARCHING_NOTICE_MS = 400


def _load_home(store: Any, country: str | None) -> dict[str, Any]:
    """Everything the home view shows, read in one go on the worker thread."""
    return {
        "countries": [c.code for c in library.countries(store)],
        "locations": library.locations(store, country) if country else [],
        "guidance": library.items(store, "guidance"),
    }


class HomeView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self._countries: list[str] = []
        self._locations: list[str] = []
        self._guidance: list[Any] = []
        self._results: list[Result] = []
        self._found: Found | None = None
        self._search_task: Task | None = None
        self._generation = 0

        self.country = CountryBox()
        self.country_label = buddy_label(self.country)
        self.location = QComboBox()
        self.location_label = buddy_label(self.location)
        self.language = QComboBox()
        self.language_label = buddy_label(self.language)
        for combo in (self.location, self.language):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        fill_language_combo(self.language, UN_LANGUAGES, session.lang)

        self.law_button = QPushButton()

        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search_label = buddy_label(self.search)
        self.status = QLabel()
        self.status.setAccessibleName("")

        self.topics_heading = heading(factor=1.2)
        self.list_box = QVBoxLayout()
        self.list_box.setSpacing(6)
        column, self.scroll = scrolling_column()
        column.addWidget(self.topics_heading)
        column.addLayout(self.list_box)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        place = QGridLayout()
        place.addWidget(self.country_label, 0, 0)
        place.addWidget(self.country, 0, 1)
        place.addWidget(self.location_label, 0, 2)
        place.addWidget(self.location, 0, 3)
        place.setColumnStretch(4, 1)
        place.addWidget(self.language_label, 0, 5)
        place.addWidget(self.language, 0, 6)
        actions = QHBoxLayout()
        actions.addWidget(self.law_button)
        actions.addStretch(1)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_label)
        search_row.addWidget(self.search, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(place)
        box.addLayout(actions)
        box.addLayout(search_row)
        box.addWidget(self.status)
        box.addWidget(self.scroll, 1)
        self.sync_status = SyncStatusLine(session)  # content as of, last checked
        box.addWidget(self.sync_status)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._run_search)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self._slow = QTimer(self)
        self._slow.setSingleShot(True)
        self._slow.setInterval(SEARCHING_NOTICE_MS)
        self._slow.timeout.connect(lambda: self._say(_("Searching…")))
        self.country.currentIndexChanged.connect(self._country_picked)
        self.location.currentIndexChanged.connect(self._location_picked)
        self.language.currentIndexChanged.connect(
            lambda _i: session.set_language(self.language.currentData()))
        self.law_button.clicked.connect(session.open_law)
        session.place_changed.connect(self._place_changed)

        for w in (self.country, self.location, self.language, self.law_button, self.search):
            w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setTabOrder(self.country, self.location)
        self.setTabOrder(self.location, self.language)
        self.setTabOrder(self.language, self.law_button)
        self.setTabOrder(self.law_button, self.search)
        self.retranslate()

    # -- loading -----------------------------------------------------------

    def load(self) -> None:
        """Read the place choices and the topics (after unlock, or a place change)."""
        self.session.run(_load_home, self.session.country, on_success=self._loaded)

    def _loaded(self, data: dict[str, Any]) -> None:
        self._countries = data["countries"]
        self._guidance = data["guidance"]
        fill_country_combo(self.country, self._countries, self.session.country,
                           self.session.lang)
        self._locations = data["locations"]
        fill_location_combo(self.location, self._locations, self.session.location,
                            self.session.country)
        self._update_place_texts()
        self._show_topics_or_results()

    def clear(self) -> None:
        """Forget everything shown (on lock)."""
        self._debounce.stop()
        self._slow.stop()
        self._generation += 1
        self._countries, self._guidance, self._results = [], [], []
        self._found = None
        self._locations = []
        self.search.blockSignals(True)
        self.search.setText("")  # unlike clear(), also forgets the undo history
        self.search.blockSignals(False)
        for combo in (self.country, self.location):
            combo.blockSignals(True)
            combo.clear()
            combo.blockSignals(False)
        self.status.clear()
        self.status.hide()
        clear_layout(self.list_box)

    def open(self, _arg: str) -> None:
        """Shown again (Home, Back): nothing to load, the place and topics are current."""

    # -- place -------------------------------------------------------------

    def _country_picked(self, _index: int) -> None:
        self.session.set_place(self.country.currentData(), None)

    def _location_picked(self, _index: int) -> None:
        self.session.set_place(self.session.country, self.location.currentData())

    def _place_changed(self) -> None:
        self.session.run(lambda store, c: library.locations(store, c) if c else [],
                         self.session.country, on_success=self._locations_loaded)
        self._update_place_texts()

    def _locations_loaded(self, locations: list[str]) -> None:
        self._locations = locations
        fill_location_combo(self.location, locations, self.session.location,
                            self.session.country)
        index = self.country.findData(self.session.country) if self.session.country else 0
        if index >= 0 and index != self.country.currentIndex():
            self.country.blockSignals(True)
            self.country.setCurrentIndex(index)
            self.country.blockSignals(False)

    def _update_place_texts(self) -> None:
        country = self.session.country
        if country:
            self.law_button.setText(_("&Law notes: {country}").format(
                country=isolate(country_name(country, self.session.lang))))
        else:
            self.law_button.setText(_("&Law notes"))
        self.law_button.setAccessibleName(
            self.law_button.text().replace("&", "").replace("\u2068", "").replace("\u2069", ""))

    # -- search ------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _run_search(self) -> None:
        text = self.search.text().strip()
        self._generation += 1
        generation = self._generation
        if self._search_task is not None:
            self._search_task.cancel()  # a newer query supersedes it
            self._search_task = None
        if not text:
            self._slow.stop()
            self._results = []
            self._show_topics_or_results()
            return
        lang, country, location = self.session.lang, self.session.country, self.session.location
        self._search_task = self.session.run(
            lambda store: find(store, text, lang, country, location),
            on_success=lambda found: self._search_done(generation, found),
            on_failure=lambda message: self._search_failed(generation, message))
        if self._search_task is not None:
            self._slow.start()

    def _search_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._slow.stop()
            self._search_task = None
            self._say(message)

    def _search_done(self, generation: int, found: Found) -> None:
        if generation != self._generation:
            return  # a stale answer: only the latest query is shown
        self._slow.stop()
        self._search_task = None
        self._found, self._results = found, list(found.answer)
        self._show_topics_or_results()

    def _use_query(self, text: str) -> None:
        self.search.setText(text)
        self.search.setFocus()

    @property
    def searching(self) -> bool:
        return bool(self.search.text().strip())

    # -- showing -----------------------------------------------------------

    def _show_topics_or_results(self) -> None:
        clear_layout(self.list_box)
        lang = self.session.lang
        if self.searching:
            self.topics_heading.setText(_("Search results"))
            if self._found is not None:
                SearchResults(self.session, self.list_box, self.status,
                              self._use_query).show(self._found)
        else:
            self.topics_heading.setText(_("Guidance topics"))
            self.status.clear()
            for item in sorted(self._guidance, key=lambda i: (i.meta.get("order", 999),
                                                              i.pick(lang).title.casefold())):
                version = item.pick(lang)
                html = f"<b>{escape(version.title)}</b>"
                if version.lang != lang:
                    html += " " + tag(language_name(version.lang, lang), "#1d4ed8")
                html = block(html, version.lang)
                if version.summary:
                    html += block(ltr_runs_html(escape(version.summary)), version.lang)
                self._add_card(html, version.title, item.id, item.kind)
        self._say(self.status.text())

    def _say(self, text: str) -> None:
        """The status line above the list: shown only when it has something to say."""
        self.status.setText(text)
        self.status.setAccessibleName(text)
        self.status.setVisible(bool(text))  # no empty gap above the list

    def _add_card(self, html: str, title: str, item_id: str, kind: str) -> None:
        card = Card(html, title)
        if kind == "pathway":
            card.activated.connect(lambda: self.session.open_pathway(item_id))
        else:
            card.activated.connect(lambda: self.session.open_item(item_id))
        self.list_box.addWidget(card)

    def result_titles(self) -> list[str]:
        return [r.title for r in self._results]

    # -- language ----------------------------------------------------------

    def retranslate(self) -> None:
        self.country_label.setText(_("&Country:"))
        self.location_label.setText(_("L&ocation:"))
        self.language_label.setText(_("Lan&guage:"))
        self.country.setAccessibleName(_("Country"))
        self.location.setAccessibleName(_("Location"))
        self.language.setAccessibleName(_("Language"))
        self.search_label.setText(_("&Search:"))
        self.search.setPlaceholderText(_("Type a word, e.g. report, ombudsperson…"))
        self.search.setAccessibleName(_("Search everything"))
        self.scroll.setAccessibleName(_("Guidance topics"))
        fill_language_combo(self.language, UN_LANGUAGES, self.session.lang)
        if self._countries or self.session.country:
            fill_country_combo(self.country, self._countries, self.session.country,
                               self.session.lang)
        if self.session.store is not None:
            fill_location_combo(self.location, self._locations, self.session.location,
                                self.session.country)
        self._update_place_texts()
        if self.searching:
            self._run_search()  # the reader's language changes the ranking
        elif self.session.store is not None:
            self._show_topics_or_results()
