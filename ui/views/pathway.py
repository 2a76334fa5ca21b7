"""The referral pathway of the chosen place: branches, ordered steps, service cards,
and the service directory with its filters.

"Get help now" lands here on the first step, unfiltered. The filters belong to the
directory alone: the steps always show every service. Where there is no pathway or
no service, the view shows what always applies instead of an empty pane.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit import library
from fieldkit.content.model import SERVICE_CATEGORIES, Item
from fieldkit.errors import NotFound
from fieldkit.i18n import _, country_name, language_name
from fieldkit.presenters import CATEGORY_LABELS, label

from ..session import Session
from ..widgets import (
    Banner,
    ServiceCard,
    always_applies,
    buddy_label,
    clear_layout,
    example_text,
    heading,
    isolate,
    scrolling_column,
    wrapped,
)

# The guidance item a person is pointed to when nothing local is known.
OPTIONS_ITEM = "reporting-options"


def _load_pathway(store: Any, country: str | None, location: str | None,
                  pathway_id: str) -> dict[str, Any]:
    """The pathways for the place (falling back to the whole country) and its services."""
    found: list[Item] = []
    if pathway_id:
        found = [library.get_item(store, pathway_id)]
    elif country:
        try:
            found = library.pathways(store, country, location)
        except NotFound:
            if location:
                try:
                    found = library.pathways(store, country)
                except NotFound:
                    found = []
    where = (found[0].country if found else country) or country
    services = {s.id: s for s in library.services(store, where)} if where else {}
    for pathway in found:
        services.update((s.id, s) for s in library.pathway_services(store, pathway)
                        if s.id not in services)
    try:
        library.get_item(store, OPTIONS_ITEM)
        options = True
    except NotFound:
        options = False
    return {"pathways": found, "services": services, "country": where, "options": options}


class PathwayView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.pathways: list[Item] = []
        self.services: dict[str, Item] = {}
        self.country: str | None = None
        self.location: str | None = None
        self.has_options = False
        self.loaded = False

        self.title = heading(factor=1.3)
        self.example = Banner("example")
        self.message = Banner("info")
        self.choose = QComboBox()
        self.choose_label = buddy_label(self.choose)
        self.choose.currentIndexChanged.connect(lambda _i: self._render_steps())

        # Steps: what do you need? → the steps and their services (never filtered).
        self.branches = QListWidget()
        self.branches.setWordWrap(True)
        self.branches.currentRowChanged.connect(lambda _row: self._render_steps())
        self.steps_box, self.steps_area = scrolling_column()
        steps_page = QWidget()
        split = QHBoxLayout(steps_page)
        split.setContentsMargins(0, 0, 0, 0)
        split.addWidget(self.branches, 2)
        split.addWidget(self.steps_area, 5)

        # Directory: every known service of the country, with filters.
        self.category = QComboBox()
        self.category_label = buddy_label(self.category)
        self.language = QComboBox()
        self.language_label = buddy_label(self.language)
        self.lgbtiq = QCheckBox()
        self.accessible = QCheckBox()
        for combo in (self.category, self.language):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(lambda _i: self._filters_changed())
        for box in (self.lgbtiq, self.accessible):
            box.toggled.connect(lambda _on: self._filters_changed())
        self.filter_state = QLabel()
        self.filter_state.setStyleSheet("QLabel { font-weight: bold; color: #8a5a00; }")
        self.clear_filters_button = QPushButton()
        self.clear_filters_button.clicked.connect(self.clear_filters)
        self.directory_box, self.directory_area = scrolling_column()
        directory_page = QWidget()
        filters = QHBoxLayout()
        filters.addWidget(self.category_label)
        filters.addWidget(self.category)
        filters.addWidget(self.language_label)
        filters.addWidget(self.language)
        filters.addStretch(1)
        checks = QHBoxLayout()
        checks.addWidget(self.lgbtiq)
        checks.addWidget(self.accessible)
        checks.addStretch(1)
        checks.addWidget(self.filter_state)
        checks.addWidget(self.clear_filters_button)
        directory = QVBoxLayout(directory_page)
        directory.setContentsMargins(0, 4, 0, 0)
        directory.addLayout(filters)
        directory.addLayout(checks)
        directory.addWidget(self.directory_area, 1)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(steps_page, "")
        self.tabs.addTab(directory_page, "")
        self._directory_stale = True
        self.tabs.currentChanged.connect(self._tab_changed)

        choose_row = QHBoxLayout()
        choose_row.setContentsMargins(0, 0, 0, 0)
        choose_row.addWidget(self.choose_label)
        choose_row.addWidget(self.choose, 1)
        self.choose_row = QWidget()
        self.choose_row.setLayout(choose_row)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.title)
        box.addWidget(self.example)
        box.addWidget(self.message)
        box.addWidget(self.choose_row)
        box.addWidget(self.tabs, 1)
        self.clear()
        self.retranslate()

    # -- opening (MainWindow routes) ----------------------------------------

    def open(self, pathway_id: str) -> None:
        self.show_place(self.session.country, self.session.location, pathway_id)

    def show_help(self, country: str | None, location: str | None) -> None:
        """"Get help now": the first branch's steps, whatever was chosen or filtered before."""
        self.clear_filters()
        self.tabs.setCurrentIndex(0)
        self.show_place(country, location)

    def place_changed(self) -> None:
        self.show_place(self.session.country, self.session.location)

    def focus_first(self) -> None:
        self.branches.setFocus()

    # -- loading -----------------------------------------------------------

    def show_place(self, country: str | None, location: str | None,
                   pathway_id: str = "") -> None:
        self.clear()
        self.country, self.location = country, location
        self.session.run(_load_pathway, country, location, pathway_id,
                         on_success=self._loaded)

    def _loaded(self, data: dict[str, Any]) -> None:
        self.pathways = data["pathways"]
        self.services = data["services"]
        self.country = data["country"]
        self.has_options = data["options"]
        self._render()

    def clear(self) -> None:
        """Forget what is shown (on lock, and before loading another place)."""
        self.pathways, self.services, self.country, self.location = [], {}, None, None
        self.loaded = False
        self.title.clear()
        self.example.hide()
        self.message.hide()
        self.choose_row.hide()
        for widget in (self.branches, self.choose):
            widget.blockSignals(True)
            widget.clear()
            widget.blockSignals(False)
        clear_layout(self.steps_box)
        clear_layout(self.directory_box)

    # -- filters (the directory's alone) -----------------------------------

    def _fill_filters(self) -> None:
        lang = self.session.lang
        category, language = self.category.currentData(), self.language.currentData()
        present = {s.meta.get("category") for s in self.services.values()}
        spoken = sorted({code for s in self.services.values()
                         for code in s.meta.get("languages") or []},
                        key=lambda c: language_name(c, lang).casefold())
        for combo in (self.category, self.language):
            combo.blockSignals(True)
            combo.clear()
        self.category.addItem(_("All categories"), None)
        for cat in SERVICE_CATEGORIES:
            if cat in present:
                self.category.addItem(label(CATEGORY_LABELS, cat), cat)
        self.language.addItem(_("Any language"), None)
        for code in spoken:
            self.language.addItem(language_name(code, lang), code)
        for combo, value in ((self.category, category), (self.language, language)):
            combo.setCurrentIndex(max(combo.findData(value), 0) if value else 0)
            combo.blockSignals(False)

    def active_filters(self) -> int:
        return sum((self.category.currentIndex() > 0, self.language.currentIndex() > 0,
                    self.lgbtiq.isChecked(), self.accessible.isChecked()))

    def clear_filters(self) -> None:
        """Every filter off, in one action."""
        for combo in (self.category, self.language):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        for box in (self.lgbtiq, self.accessible):
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
        self._filters_changed()

    def matches(self, service: Item) -> bool:
        meta = service.meta
        category, language = self.category.currentData(), self.language.currentData()
        if category and meta.get("category") != category:
            return False
        if language and language not in (meta.get("languages") or []):
            return False
        if self.lgbtiq.isChecked() and meta.get("lgbtiq_safe") is not True:
            return False
        return not (self.accessible.isChecked() and meta.get("accessible") is not True)

    def _filters_changed(self) -> None:
        n = self.active_filters()
        self.filter_state.setText(_("Filters on: {n}").format(n=n) if n else "")
        self.filter_state.setVisible(bool(n))
        self.clear_filters_button.setEnabled(bool(n))
        self._render_services()

    # -- showing -----------------------------------------------------------

    def _place_name(self) -> str:
        lang = self.session.lang
        if not self.country:
            return ""
        name = country_name(self.country, lang)
        if self.location and self.pathways and self.pathways[0].location == self.location:
            return self.location
        return name

    def _render(self) -> None:
        self.loaded = True
        lang = self.session.lang
        self._fill_filters()
        self._filters_changed()
        where = self._place_name()
        self.title.setText(_("Referral pathway: {place}").format(place=isolate(where)) if where
                           else _("Referral pathway"))
        if not self.country:
            self.message.setText(_("Choose your country on the home page to see who can "
                                   "help where you are. Until then, this is what always "
                                   "applies."))
        elif not self.pathways and self.services:
            self.message.setText(_("The country team has not published a referral pathway "
                                   "for {place} yet. The services known for the country are "
                                   "in the service directory.").format(place=isolate(where)))
        elif not self.pathways:
            self.message.setText(_("The country team has not published a referral pathway "
                                   "or a directory of services for {place} yet.").format(
                                       place=isolate(where)))
        self.message.setVisible(not self.pathways)
        row = self.choose.currentIndex()
        self.choose.blockSignals(True)
        self.choose.clear()
        for p in self.pathways:
            self.choose.addItem(p.pick(lang).title, p.id)
        self.choose.setCurrentIndex(max(row, 0))
        self.choose.blockSignals(False)
        self.choose_row.setVisible(len(self.pathways) > 1)
        self._render_steps()
        self._render_services()

    def current_pathway(self) -> Item | None:
        index = self.choose.currentIndex()
        return self.pathways[index] if 0 <= index < len(self.pathways) else None

    def _render_steps(self) -> None:
        pathway = self.current_pathway()
        lang = self.session.lang
        clear_layout(self.steps_box)
        if pathway is None:
            self.example.hide()
            self.branches.blockSignals(True)
            self.branches.clear()
            self.branches.blockSignals(False)
            self.branches.hide()
            self._render_always()
            return
        version = pathway.pick(lang)
        self.example.setText(example_text("pathway"))
        self.example.setVisible(pathway.example)
        if len(self.pathways) == 1:
            self.title.setText(version.title)
        labels = version.fields.get("branches") or {}
        branches = pathway.meta.get("branches") or []
        row = max(self.branches.currentRow(), 0)
        self.branches.blockSignals(True)
        self.branches.clear()
        for branch in branches:
            self.branches.addItem(QListWidgetItem(str(labels.get(branch["id"], branch["id"]))))
        self.branches.setCurrentRow(min(row, len(branches) - 1))
        self.branches.blockSignals(False)
        self.branches.setVisible(bool(branches))
        if not branches:
            self._render_always()
            return
        branch = branches[self.branches.currentRow()]
        texts = version.fields.get("steps") or {}
        for n, step in enumerate(branch.get("steps") or [], 1):
            text = wrapped(f"{n}. {texts.get(step['id'], step['id'])}")
            text.setStyleSheet("QLabel { font-weight: bold; margin-top: 6px; }")
            self.steps_box.addWidget(text)
            known = [self.services[sid] for sid in step.get("services") or []
                     if sid in self.services]
            for service in known:
                self.steps_box.addWidget(ServiceCard(service, lang))
            if step.get("services") and not known:
                self.steps_box.addWidget(wrapped(_(
                    "No service is listed for this step yet. Your organisation's PSEA/SH "
                    "focal point can tell you who to contact.")))

    def _render_always(self) -> None:
        """What always applies, where nothing local is known. No contacts are invented."""
        self.steps_box.addWidget(heading(_("What you can do now"), 1.15))
        steps = always_applies()
        for n, text in enumerate(steps, 1):
            label_ = wrapped(f"{n}. {text}")
            label_.setStyleSheet("QLabel { margin-top: 6px; }")
            self.steps_box.addWidget(label_)
        if self.has_options:
            button = QPushButton(_("Open \"Your options\""))
            button.setObjectName("openOptions")
            button.clicked.connect(lambda: self.session.open_item(OPTIONS_ITEM))
            row = QHBoxLayout()
            row.addWidget(button)
            row.addStretch(1)
            self.steps_box.addLayout(row)
        if self.country:
            note = wrapped(_("The country team has not published a directory of services "
                             "for {place} yet; Fieldkit shows no contacts it cannot "
                             "vouch for.").format(place=isolate(self._place_name()))
                           if not self.services else
                           _("See the service directory for the services known for "
                             "the country."))
            note.setStyleSheet("QLabel { margin-top: 10px; font-style: italic; }")
            self.steps_box.addWidget(note)

    def _render_services(self) -> None:
        """The directory is built when it is shown: "Get help now" need not wait for it."""
        clear_layout(self.directory_box)
        self._directory_stale = True
        if self.tabs.currentIndex() == 1:
            self._fill_directory()

    def _tab_changed(self, index: int) -> None:
        if index == 1 and self._directory_stale:
            self._fill_directory()

    def _fill_directory(self) -> None:
        lang = self.session.lang
        self._directory_stale = False
        clear_layout(self.directory_box)
        if not self.loaded:
            return
        listed = [s for s in sorted(self.services.values(),
                                    key=lambda s: (s.meta.get("category") or "", s.id))
                  if not self.country or s.country == self.country]
        shown = [s for s in listed if self.matches(s)]
        for service in shown:
            self.directory_box.addWidget(ServiceCard(service, lang))
        if not listed:
            self.directory_box.addWidget(wrapped(_(
                "No services are listed for this place yet. Your organisation's security "
                "focal point and PSEA/SH focal point can tell you who to contact.")))
        elif not shown:
            self.directory_box.addWidget(wrapped(_("No service matches the filters.")))
            button = QPushButton(_("Clear the filters"))
            button.clicked.connect(self.clear_filters)
            row = QHBoxLayout()
            row.addWidget(button)
            row.addStretch(1)
            self.directory_box.addLayout(row)

    def visible_service_ids(self) -> list[str]:
        """The services the directory shows."""
        if self._directory_stale:
            self._fill_directory()
        return self._card_ids(self.directory_box)

    def step_service_ids(self) -> list[str]:
        """The services shown under the steps of the current branch."""
        return self._card_ids(self.steps_box)

    @staticmethod
    def _card_ids(layout: QVBoxLayout) -> list[str]:
        ids = []
        for i in range(layout.count()):
            widget = layout.itemAt(i).widget()
            if isinstance(widget, ServiceCard):
                ids.append(widget.item.id)
        return ids

    def retranslate(self) -> None:
        self.choose_label.setText(_("&Pathway:"))
        self.category_label.setText(_("C&ategory:"))
        self.language_label.setText(_("Lan&guage served:"))
        self.lgbtiq.setText(_("Known &LGBTIQ+-safe"))
        self.accessible.setText(_("Acc&essible"))
        self.clear_filters_button.setText(_("Clear the &filters"))
        self.category.setAccessibleName(_("Filter by category"))
        self.language.setAccessibleName(_("Filter by language served"))
        self.lgbtiq.setAccessibleName(_("Only services known to be safe for LGBTIQ+ people"))
        self.accessible.setAccessibleName(_("Only accessible services"))
        self.branches.setAccessibleName(_("What do you need?"))
        self.choose.setAccessibleName(_("Pathway"))
        self.tabs.setTabText(0, _("&Steps"))
        self.tabs.setTabText(1, _("Service &directory"))
        if self.loaded:
            self._render()
        else:
            self._filters_changed()


