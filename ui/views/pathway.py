"""The referral pathway of the chosen place: branches, ordered steps, service cards,
and the service directory, with filters."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
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
    buddy_label,
    clear_layout,
    example_text,
    heading,
    isolate,
    scrolling_column,
    wrapped,
)


def _load_pathway(store: Any, country: str, location: str | None,
                  pathway_id: str) -> dict[str, Any]:
    """The pathways for the place (falling back to the whole country) and its services."""
    missing = ""
    if pathway_id:
        found = [library.get_item(store, pathway_id)]
    else:
        try:
            found = library.pathways(store, country, location)
        except NotFound as exc:
            missing = exc.message
            found = []
            if location:
                try:
                    found = library.pathways(store, country)
                except NotFound:
                    found = []
    services = {s.id: s for s in library.services(store, (found[0].country if found
                                                          else country) or country)}
    for pathway in found:
        services.update((s.id, s) for s in library.pathway_services(store, pathway)
                        if s.id not in services)
    return {"pathways": found, "services": services, "missing": missing}


class PathwayView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.pathways: list[Item] = []
        self.services: dict[str, Item] = {}
        self.missing = ""
        self.country: str | None = None

        self.title = heading()
        self.example = Banner("example")
        self.message = Banner("info")
        self.choose = QComboBox()
        self.choose_label = buddy_label(self.choose)
        self.choose.currentIndexChanged.connect(lambda _i: self._render_steps())

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

        self.branches = QListWidget()
        self.branches.setWordWrap(True)
        self.branches.currentRowChanged.connect(lambda _row: self._render_steps())
        self.steps_box, self.steps_area = scrolling_column()
        steps_page = QWidget()
        split = QHBoxLayout(steps_page)
        split.setContentsMargins(0, 0, 0, 0)
        split.addWidget(self.branches, 2)
        split.addWidget(self.steps_area, 5)

        self.directory_box, self.directory_area = scrolling_column()

        self.tabs = QTabWidget()
        self.tabs.addTab(steps_page, "")
        self.tabs.addTab(self.directory_area, "")

        choose_row = QHBoxLayout()
        choose_row.addWidget(self.choose_label)
        choose_row.addWidget(self.choose, 1)
        self.choose_row = QWidget()
        self.choose_row.setLayout(choose_row)
        filters = QHBoxLayout()
        filters.addWidget(self.category_label)
        filters.addWidget(self.category)
        filters.addWidget(self.language_label)
        filters.addWidget(self.language)
        filters.addWidget(self.lgbtiq)
        filters.addWidget(self.accessible)
        filters.addStretch(1)
        box = QVBoxLayout(self)
        box.addWidget(self.title)
        box.addWidget(self.example)
        box.addWidget(self.message)
        box.addWidget(self.choose_row)
        box.addLayout(filters)
        box.addWidget(self.tabs, 1)
        self.clear()
        self.retranslate()

    # -- loading -----------------------------------------------------------

    def show_place(self, country: str | None, location: str | None,
                   pathway_id: str = "") -> None:
        self.clear()
        self.country = country
        if not country and not pathway_id:
            self._show_no_country()
            return
        self.session.run(_load_pathway, country, location, pathway_id,
                         on_success=self._loaded)

    def _show_no_country(self) -> None:
        self.title.setText(_("Referral pathway"))
        self.message.setText(_("Choose your country on the home page to see who can help "
                               "where you are."))
        self.message.show()

    def _loaded(self, data: dict[str, Any]) -> None:
        self.pathways = data["pathways"]
        self.services = data["services"]
        self.missing = data["missing"]
        if self.pathways and not self.country:
            self.country = self.pathways[0].country
        self._render()

    def clear(self) -> None:
        self.pathways, self.services, self.missing, self.country = [], {}, "", None
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

    # -- filters -----------------------------------------------------------

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

    # -- showing -----------------------------------------------------------

    def _render(self) -> None:
        lang = self.session.lang
        self._fill_filters()
        pathway = self.pathways[0] if self.pathways else None
        where = country_name(self.country, lang) if self.country else ""
        self.title.setText(_("Referral pathway: {place}").format(place=isolate(where)) if where
                           else _("Referral pathway"))
        if self.missing or not pathway:
            self.message.setText(_("There is no referral pathway for this place yet. The "
                                   "services below are the ones known for the country; ask "
                                   "the PSEA/SH focal point for real contacts."))
            self.message.setVisible(not pathway or bool(self.missing))
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
            entry = QListWidgetItem(str(labels.get(branch["id"], branch["id"])))
            self.branches.addItem(entry)
        self.branches.setCurrentRow(min(row, len(branches) - 1))
        self.branches.blockSignals(False)
        if not branches:
            return
        branch = branches[self.branches.currentRow()]
        texts = version.fields.get("steps") or {}
        self.steps_box.addWidget(heading(str(labels.get(branch["id"], branch["id"])), 1.15))
        for n, step in enumerate(branch.get("steps") or [], 1):
            text = wrapped(f"{n}. {texts.get(step['id'], step['id'])}")
            text.setStyleSheet("QLabel { font-weight: bold; margin-top: 8px; }")
            self.steps_box.addWidget(text)
            shown = 0
            for sid in step.get("services") or []:
                service = self.services.get(sid)
                if service is not None and self.matches(service):
                    self.steps_box.addWidget(ServiceCard(service, lang))
                    shown += 1
            if step.get("services") and not shown:
                self.steps_box.addWidget(wrapped(_("No service for this step matches the "
                                                   "filters.")))

    def _filters_changed(self) -> None:
        self._render_steps()
        self._render_services()

    def _render_services(self) -> None:
        lang = self.session.lang
        clear_layout(self.directory_box)
        shown = [s for s in sorted(self.services.values(),
                                   key=lambda s: (s.meta.get("category") or "", s.id))
                 if self.matches(s) and (not self.country or s.country == self.country)]
        for service in shown:
            self.directory_box.addWidget(ServiceCard(service, lang))
        if not shown:
            self.directory_box.addWidget(wrapped(_("No service matches the filters.")))

    def visible_service_ids(self) -> list[str]:
        ids = []
        for i in range(self.directory_box.count()):
            widget = self.directory_box.itemAt(i).widget()
            if isinstance(widget, ServiceCard):
                ids.append(widget.item.id)
        return ids

    def retranslate(self) -> None:
        self.choose_label.setText(_("&Pathway:"))
        self.category_label.setText(_("C&ategory:"))
        self.language_label.setText(_("Lan&guage served:"))
        self.lgbtiq.setText(_("Known &LGBTIQ+-safe"))
        self.accessible.setText(_("Acc&essible"))
        self.category.setAccessibleName(_("Filter by category"))
        self.language.setAccessibleName(_("Filter by language served"))
        self.lgbtiq.setAccessibleName(_("Only services known to be safe for LGBTIQ+ people"))
        self.accessible.setAccessibleName(_("Only accessible services"))
        self.branches.setAccessibleName(_("What do you need?"))
        self.choose.setAccessibleName(_("Pathway"))
        self.tabs.setTabText(0, _("&Steps"))
        self.tabs.setTabText(1, _("Service &directory"))
        if self.pathways or self.services:
            self._render()
        elif not self.country and not self.message.isHidden():
            self._show_no_country()
