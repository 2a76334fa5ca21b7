"""Report drafts: the list, an editor generated from the report type, consent as its own
step, a preview of exactly what a recipient receives, revisions, export and print.

Every store call runs on the worker (session.run); the form autosaves a new revision
shortly after each change, so a crash loses at most the last seconds of typing.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QPageLayout, QPainter, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from fieldkit import UN_LANGUAGES, library
from fieldkit.errors import FieldkitError, NotFound
from fieldkit.i18n import N_, _, format_date, is_rtl, native_language_name, word_list
from fieldkit.reports import drafts, export
from fieldkit.reports.drafts import Draft
from fieldkit.reports.export import Plan, doc_text
from fieldkit.reports.model import Field, ReportType, get_type, pick, report_types, validate
from fieldkit.reports.summary import fill_from_notes

from ..session import Session
from ..widgets import Banner, heading, isolate, scrolling_column, wrapped

AUTOSAVE_MS = 1500
MIN_PASSWORD = 8  # as fieldkit.reports.pdf, which loads the typesetter: imported on export
# The marks of the typesetting module (same message ids), without loading it at start-up.
CONFIDENTIAL_DRAFT = N_("CONFIDENTIAL DRAFT")
SAMPLE = N_("SAMPLE")
PERIODS = ((None, "Any time"), (1, "Today"), (7, "Last 7 days"), (30, "Last 30 days"),
           (365, "Last 12 months"))
ERROR_STYLE = "color:#b00020;"


def _period_label(key: str) -> str:
    return {"Any time": _("Any time"), "Today": _("Today"), "Last 7 days": _("Last 7 days"),
            "Last 30 days": _("Last 30 days"), "Last 12 months": _("Last 12 months")}[key]


# -- what runs on the worker ------------------------------------------------------------


def _services(store: Any, country: str | None,
              held: dict[str, Any] | None = None) -> list[tuple[str, str, bool]]:
    """The service cards a referral may choose from (the country's, from the store), and
    any service the draft already names: one a content update removed is kept and says so."""
    found = library.services(store, country) if country else library.items(store, "service")
    from fieldkit.i18n import language

    lang = language()
    choices = [(s.id, s.pick(lang).title, s.example) for s in found]
    offered = {sid for sid, _title, _example in choices}
    for sid in export.service_ids_in(held or {}):
        if sid in offered:
            continue
        try:
            item = library.get_item(store, sid)
        except NotFound:
            choices.append((sid, export.missing_service_text(sid, lang),
                            library.was_example(store, sid)))
        else:
            choices.append((sid, item.pick(lang).title, item.example))
    return choices


def _export(store: Any, draft_id: str, lang: str, recipient: str | None,
            include: list[str], path: str, paper: str, password: str | None) -> str:
    from fieldkit.reports import pdf

    draft = drafts.get(store, draft_id)
    plan = export.plan(store, draft, lang, recipient, include)
    return str(pdf.write(plan, Path(path), paper, password))


def _preview(store: Any, draft_id: str, lang: str, recipient: str | None,
             include: list[str]) -> Plan | str:
    draft = drafts.get(store, draft_id)
    try:
        return export.plan(store, draft, lang, recipient, include, check=False)
    except FieldkitError as exc:
        return exc.message


def plan_html(plan: Plan) -> str:
    """The preview: the same plan the PDF is made from, as rich text."""
    t = doc_text(plan.lang)
    direction = "rtl" if is_rtl(plan.lang) else "ltr"
    e = html.escape
    mark = t(CONFIDENTIAL_DRAFT) + (f" · {t(SAMPLE)}" if plan.sample else "")
    parts = [f'<div dir="{direction}">',
             f'<p style="color:#b00020"><b>{e(mark)}</b></p>',
             f"<h2>{e(plan.title)}</h2>"]
    if plan.recipient_name:
        parts.append(f"<p>{e(t('For: {recipient}').format(recipient=plan.recipient_name))}</p>")
    for block in plan.blocks:
        parts.append(f"<h3>{e(block.label)}</h3><table width='100%' cellpadding='3'>")
        for row in block.rows:
            text = e(row.text).replace("\n", "<br>")
            parts.append(f"<tr><td width='35%' valign='top'><b>{e(row.label)}</b></td>"
                         f"<td>{text}</td></tr>")
        parts.append("</table>")
        for tab in block.tables:
            parts.append(f"<p><b>{e(tab.label)}</b></p><table border='1' cellspacing='0' "
                         "cellpadding='3'><tr><th></th>")
            parts += [f"<th>{e(c)}</th>" for c in tab.columns]
            parts.append("</tr>")
            for label, cells in tab.rows:
                parts.append(f"<tr><td>{e(label)}</td>"
                             + "".join(f"<td align='right'>{e(c)}</td>" for c in cells)
                             + "</tr>")
            parts.append(f"</table><p><small>{e(tab.note)}</small></p>")
    parts.append("</div>")
    return "".join(parts)


def print_document(document: QTextDocument, printer: Any, mark: str) -> None:
    """Print rich text page by page, with the confidential mark and "N / M" on every page."""
    painter = QPainter(printer)
    layout = printer.pageLayout()
    page_rect = layout.paintRectPixels(printer.resolution())
    # Lay the text out in the printer's own units, so that sizes are the same as on paper.
    document.documentLayout().setPaintDevice(printer)
    header = painter.fontMetrics().height() * 2
    body = QRectF(0, header, page_rect.width(), page_rect.height() - 2 * header)
    document.setPageSize(body.size())
    pages = max(1, document.pageCount())
    for n in range(pages):
        if n:
            printer.newPage()
        painter.save()
        painter.setPen(Qt.GlobalColor.darkRed)
        painter.drawText(QRectF(0, 0, page_rect.width(), header),
                         Qt.AlignmentFlag.AlignCenter, mark)
        painter.setPen(Qt.GlobalColor.black)
        painter.drawText(QRectF(0, page_rect.height() - header, page_rect.width(), header),
                         Qt.AlignmentFlag.AlignCenter, f"{n + 1} / {pages}")
        painter.translate(0, header - n * body.height())
        document.drawContents(painter, QRectF(0, n * body.height(), body.width(), body.height()))
        painter.restore()
    painter.end()


# -- field editors ----------------------------------------------------------------------


class FieldEditor(QWidget):
    """One field of the form: its widget and, beside it, its validation message."""

    changed = Signal()

    def __init__(self, field: Field, services: list[tuple[str, str, bool]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.checks: dict[str, QCheckBox] = {}
        self.widget: Any
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        kind = field.kind
        if kind == "longtext":
            self.widget = QPlainTextEdit()
            self.widget.setMinimumHeight(90)
            self.widget.textChanged.connect(self.changed)
        elif kind == "select":
            self.widget = QComboBox()
            self.widget.addItem("—", None)
            for option in field.options:
                self.widget.addItem(pick(option.label, _lang()), option.id)
            self.widget.currentIndexChanged.connect(self.changed)
        elif kind in ("multi", "services"):
            self.widget = QWidget()
            grid = QGridLayout(self.widget)
            grid.setContentsMargins(0, 0, 0, 0)
            choices = ([(o.id, pick(o.label, _lang())) for o in field.options] if kind == "multi"
                       else [(sid, title) for sid, title, _example in services])
            for n, (value, label) in enumerate(choices):
                check = QCheckBox(label)
                check.toggled.connect(self.changed)
                self.checks[value] = check
                grid.addWidget(check, n // 2, n % 2)
            if not choices:
                grid.addWidget(wrapped(_("No services found for your country.")), 0, 0)
        elif kind == "count_table":
            self.widget = QTableWidget(len(field.rows), len(field.columns))
            self.widget.setVerticalHeaderLabels([pick(o.label, _lang()) for o in field.rows])
            self.widget.setHorizontalHeaderLabels([pick(o.label, _lang())
                                                   for o in field.columns])
            self.widget.setMinimumHeight(260)
            self.widget.itemChanged.connect(self.changed)
        else:
            self.widget = QLineEdit()
            if kind == "date":
                self.widget.setPlaceholderText(_("YYYY-MM-DD"))
            elif kind == "integer":
                self.widget.setPlaceholderText("0")
            self.widget.textChanged.connect(self.changed)
        self.widget.setAccessibleName(pick(field.label, _lang()))
        if field.help:
            self.widget.setToolTip(pick(field.help, _lang()))
        box.addWidget(self.widget)
        if field.help:
            note = wrapped(pick(field.help, _lang()))
            note.setStyleSheet("color:#555;")
            box.addWidget(note)
        box.addWidget(self.error)

    def value(self) -> Any:
        kind, w = self.field.kind, self.widget
        if kind == "longtext":
            return w.toPlainText()
        if kind == "select":
            return w.currentData()
        if kind in ("multi", "services"):
            return [value for value, check in self.checks.items() if check.isChecked()]
        if kind == "count_table":
            counts: dict[str, dict[str, int]] = {}
            for i, row in enumerate(self.field.rows):
                for j, col in enumerate(self.field.columns):
                    item = w.item(i, j)
                    text = item.text().strip() if item else ""
                    if text.isdigit() and int(text):
                        counts.setdefault(row.id, {})[col.id] = int(text)
            return counts
        text = w.text().strip()
        if kind == "integer":
            return int(text) if text.lstrip("-").isdigit() else (text or None)
        return text

    def set_value(self, value: Any) -> None:
        kind, w = self.field.kind, self.widget
        w.blockSignals(True)
        for check in self.checks.values():
            check.blockSignals(True)
        if kind == "longtext":
            w.setPlainText(value or "")
        elif kind == "select":
            w.setCurrentIndex(max(0, w.findData(value)))
        elif kind in ("multi", "services"):
            for key, check in self.checks.items():
                check.setChecked(key in (value or []))
        elif kind == "count_table":
            for i, row in enumerate(self.field.rows):
                for j, col in enumerate(self.field.columns):
                    n = (value or {}).get(row.id, {}).get(col.id, 0)
                    w.setItem(i, j, QTableWidgetItem(str(n)))
        else:
            w.setText("" if value is None else str(value))
        w.blockSignals(False)
        for check in self.checks.values():
            check.blockSignals(False)

    def show_problem(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))


def _lang() -> str:
    from fieldkit.i18n import language

    return language()


class ConsentStep(QWidget):
    """For each service referred to: what the person agreed to share with it, when and how."""

    changed = Signal()

    def __init__(self, rtype: ReportType, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rtype = rtype
        self.entries: dict[str, tuple[QLineEdit, QComboBox, dict[str, QCheckBox]]] = {}
        self.column, scroll = scrolling_column()
        box = QVBoxLayout(self)
        consent_section = next(s for s in rtype.sections if s.id == "consent")
        box.addWidget(Banner("info", pick(consent_section.help, _lang())))
        self.empty = wrapped(_("Choose the services referred to first (step 1)."))
        box.addWidget(self.empty)
        box.addWidget(scroll, 1)

    def shareable(self) -> list[Field]:
        return [f for f in self.rtype.fields if f.shared == "consent"]

    def rebuild(self, services: list[tuple[str, str]], entries: list[dict[str, Any]]) -> None:
        while self.column.count():
            item = self.column.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.entries.clear()
        by_id = {e.get("recipient"): e for e in entries if isinstance(e, dict)}
        self.empty.setVisible(not services)
        for sid, title in services:
            entry = by_id.get(sid, {})
            group = QGroupBox(_("Consent for {service}").format(service=title))
            form = QFormLayout(group)
            day = QLineEdit(entry.get("date", ""))
            day.setPlaceholderText(_("YYYY-MM-DD"))
            day.setAccessibleName(_("Date consent was given"))
            method = QComboBox()
            method.addItem("—", None)
            for m in self.rtype.consent_methods:
                method.addItem(pick(m.label, _lang()), m.id)
            method.setCurrentIndex(max(0, method.findData(entry.get("method"))))
            method.setAccessibleName(_("How consent was given"))
            form.addRow(_("Date consent was given"), day)
            form.addRow(_("How consent was given"), method)
            checks: dict[str, QCheckBox] = {}
            grid_holder = QWidget()
            grid = QGridLayout(grid_holder)
            for n, f in enumerate(self.shareable()):
                label = pick(f.label, _lang())
                if f.sensitivity == "identifying":
                    label += " · " + _("identifying")
                check = QCheckBox(label)
                check.setChecked(f.id in (entry.get("fields") or []))
                check.toggled.connect(self.changed)
                checks[f.id] = check
                grid.addWidget(check, n // 2, n % 2)
            form.addRow(_("Agreed to share"), grid_holder)
            day.textChanged.connect(self.changed)
            method.currentIndexChanged.connect(self.changed)
            self.entries[sid] = (day, method, checks)
            self.column.addWidget(group)

    def value(self) -> list[dict[str, Any]]:
        out = []
        for sid, (day, method, checks) in self.entries.items():
            fields = [k for k, c in checks.items() if c.isChecked()]
            if not (day.text().strip() or method.currentData() or fields):
                continue
            out.append({"recipient": sid, "date": day.text().strip(),
                        "method": method.currentData(), "fields": fields})
        return out


# -- the editor -------------------------------------------------------------------------


class DraftEditor(QWidget):
    closed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.draft: Draft | None = None
        self.rtype: ReportType | None = None
        self.editors: dict[str, FieldEditor] = {}
        self.consent: ConsentStep | None = None
        self.services: list[tuple[str, str, bool]] = []
        self.saved_values: dict[str, Any] = {}
        self.autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self.autosave.timeout.connect(lambda: self.save("autosave"))

        self.title = heading()
        self.status = QLabel()
        self.help = Banner("info")
        self.steps = QTabWidget()
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.close_draft)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(lambda: self.save("save"))
        self.revisions_button = QPushButton()
        self.revisions_button.clicked.connect(self.show_revisions)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.status)
        top.addWidget(self.save_button)
        top.addWidget(self.revisions_button)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.help)
        box.addWidget(self.steps, 1)

        # Export step (built once; filled per draft).
        self.export_page = QWidget()
        self.recipient = QComboBox()
        self.doc_lang = QComboBox()
        for code in UN_LANGUAGES:
            self.doc_lang.addItem(native_language_name(code), code)
        self.paper = QComboBox()
        self.paper.addItem("A4", "a4")
        self.paper.addItem("US Letter", "letter")
        self.include_box = QWidget()
        self.include_layout = QVBoxLayout(self.include_box)
        self.include_layout.setContentsMargins(0, 0, 0, 0)
        self.includes: dict[str, QCheckBox] = {}
        self.password_check = QCheckBox()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setEnabled(False)
        self.password_check.toggled.connect(self.password.setEnabled)
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.left_out = wrapped()
        self.left_out.setStyleSheet("color:#5c0b07;")
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.export_pdf)
        self.print_button = QPushButton()
        self.print_button.clicked.connect(self.print_draft)
        self.export_form = QFormLayout()
        self.export_form.addRow(QLabel(), self.recipient)
        self.export_form.addRow(QLabel(), self.doc_lang)
        self.export_form.addRow(QLabel(), self.paper)
        self.export_form.addRow(QLabel(), self.include_box)
        password_row = QHBoxLayout()
        password_row.addWidget(self.password_check)
        password_row.addWidget(self.password, 1)
        self.export_form.addRow(QLabel(), password_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        self.preview_label = QLabel()
        # Options above, the preview below; on a small screen the options scroll and the
        # divider can be moved, so the preview keeps room.
        options = QWidget()
        options_box = QVBoxLayout(options)
        options_box.setContentsMargins(0, 0, 0, 0)
        options_box.addLayout(self.export_form)
        options_box.addWidget(self.left_out)
        options_box.addStretch(1)
        options_scroll = QScrollArea()
        options_scroll.setWidgetResizable(True)
        options_scroll.setFrameShape(QFrame.Shape.NoFrame)
        options_scroll.setWidget(options)
        below = QWidget()
        below_box = QVBoxLayout(below)
        below_box.setContentsMargins(0, 0, 0, 0)
        below_box.addWidget(self.preview_label)
        below_box.addWidget(self.preview, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(options_scroll)
        split.addWidget(below)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        page = QVBoxLayout(self.export_page)
        page.addWidget(split, 1)
        page.addLayout(buttons)
        for combo in (self.recipient, self.doc_lang, self.paper):
            combo.currentIndexChanged.connect(self.refresh_preview)
        self.steps.currentChanged.connect(self._step_changed)
        self.current_plan: Plan | None = None
        self.retranslate()

    # -- loading ------------------------------------------------------------

    def open_draft(self, draft: Draft, services: list[tuple[str, str, bool]]) -> None:
        self.draft, self.rtype, self.services = draft, draft.report_type, services
        self.saved_values = dict(draft.values)
        self._build_form()
        self.load_values(draft.values)
        self.status.setText(_("Saved (revision {n})").format(n=draft.head))
        self.retranslate()

    def _build_form(self) -> None:
        assert self.rtype is not None
        while self.steps.count():
            widget = self.steps.widget(0)
            self.steps.removeTab(0)
            if widget is not self.export_page:
                widget.deleteLater()
        self.editors.clear()
        form_page = QWidget()
        column, scroll = scrolling_column()
        for section in self.rtype.sections:
            fields = [f for f in section.fields if f.kind != "consent"]
            if not fields:
                continue
            group = QGroupBox(pick(section.label, _lang()))
            form = QFormLayout(group)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            for f in fields:
                editor = FieldEditor(f, self.services)
                editor.changed.connect(self._edited)
                text = pick(f.label, _lang()) + (" *" if f.required else "")
                if f.sensitivity == "identifying":
                    text += " · " + _("identifying")
                label = QLabel(text)
                label.setWordWrap(True)
                label.setBuddy(editor.widget)
                form.addRow(label, editor)
                self.editors[f.id] = editor
            if section.id == "counts":
                fill = QPushButton(_("Fill from incident notes"))
                fill.clicked.connect(self.fill_counts)
                form.addRow(QLabel(), fill)
            column.addWidget(group)
        page = QVBoxLayout(form_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(scroll)
        self.steps.addTab(form_page, _("1. Fill in"))
        self.consent = None
        if self.rtype.consent == "per_recipient":
            self.consent = ConsentStep(self.rtype)
            self.consent.changed.connect(self._edited)
            self.steps.addTab(self.consent, _("2. Consent"))
        self.steps.addTab(self.export_page, _("{n}. Preview and export").format(
            n=self.steps.count() + 1))

    def load_values(self, values: dict[str, Any]) -> None:
        for name, editor in self.editors.items():
            editor.set_value(values.get(name))
        if self.consent is not None:
            self._refresh_consent(values)
        self._validate()

    def _refresh_consent(self, values: dict[str, Any]) -> None:
        assert self.consent is not None
        chosen = values.get("referred_to") or []
        names = {sid: title for sid, title, _example in self.services}
        self.consent.rebuild([(sid, names.get(sid, sid)) for sid in chosen],
                             values.get("consent") or [])

    def values(self) -> dict[str, Any]:
        values = {name: editor.value() for name, editor in self.editors.items()}
        if self.consent is not None:
            values["consent"] = self.consent.value()
        return {k: v for k, v in values.items() if v not in (None, "", [], {})}

    # -- editing ------------------------------------------------------------

    def _edited(self) -> None:
        self.status.setText(_("Editing…"))
        self.autosave.start()
        self._validate()

    def _validate(self) -> list[Any]:
        if self.rtype is None:
            return []
        problems = validate(self.rtype, self.values())
        by_field: dict[str, str] = {}
        for p in problems:
            by_field.setdefault(p.field, p.message)
        for name, editor in self.editors.items():
            editor.show_problem(by_field.get(name))
        return problems

    def save(self, origin: str = "save") -> None:
        if self.draft is None:
            return
        self.autosave.stop()
        values = self.values()
        draft_id = self.draft.id
        self.session.run(drafts.save, draft_id, values, origin,
                         on_success=lambda n: self._saved(n, values))

    def _saved(self, n: int, values: dict[str, Any]) -> None:
        self.saved_values = values
        self.status.setText(_("Saved (revision {n})").format(n=n))

    def flush(self) -> None:
        """Save pending typing now (leaving the editor, locking)."""
        if self.autosave.isActive():
            self.save("autosave")

    def close_draft(self) -> None:
        self.flush()
        self.closed.emit()

    def fill_counts(self) -> None:
        values = self.values()
        try:
            start = dt.date.fromisoformat(str(values.get("period_start")))
            end = dt.date.fromisoformat(str(values.get("period_end")))
        except ValueError:
            self.session.show_error(_("Enter the period first (YYYY-MM-DD)."))
            return
        self.session.run(fill_from_notes, start, end, on_success=self._filled)

    def _filled(self, filled: Any) -> None:
        self.editors["period_start"].set_value(filled.period_start)
        self.editors["period_end"].set_value(filled.period_end)
        self.editors["counts"].set_value(filled.counts)
        self._edited()
        self.session.show_error(_(
            "Counted {n} incident notes; {m} in the period are not counted (no consent to "
            "anonymised reporting).").format(n=filled.counted, m=filled.skipped))

    def _step_changed(self, index: int) -> None:
        widget = self.steps.widget(index)
        if widget is self.consent and self.consent is not None:
            values = self.values()
            self._refresh_consent(values)
        if widget is self.export_page:
            self._prepare_export()

    # -- export -------------------------------------------------------------

    def _prepare_export(self) -> None:
        assert self.rtype is not None
        self.flush()
        values = self.values()
        self.recipient.blockSignals(True)
        self.recipient.clear()
        names = {sid: title for sid, title, _example in self.services}
        for entry in values.get("consent") or []:
            sid = entry.get("recipient")
            self.recipient.addItem(names.get(sid, sid), sid)
        self.recipient.blockSignals(False)
        self.recipient.setEnabled(self.rtype.consent == "per_recipient")
        self.doc_lang.blockSignals(True)
        self.doc_lang.setCurrentIndex(max(0, self.doc_lang.findData(_lang())))
        self.doc_lang.blockSignals(False)
        while self.include_layout.count():
            item = self.include_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.includes.clear()
        for f in self.rtype.fields:
            if f.sensitivity == "identifying" and values.get(f.id):
                check = QCheckBox(_("Include {field} (identifying)").format(
                    field=pick(f.label, _lang())))
                check.toggled.connect(self.refresh_preview)
                self.includes[f.id] = check
                self.include_layout.addWidget(check)
        if not self.includes:
            self.include_layout.addWidget(QLabel(_("No identifying fields are filled in.")))
        self.refresh_preview()

    def _export_args(self) -> tuple[str, str | None, list[str]]:
        lang = self.doc_lang.currentData() or _lang()
        recipient = self.recipient.currentData() if self.recipient.isEnabled() else None
        include = [k for k, c in self.includes.items() if c.isChecked()]
        return lang, recipient, include

    def refresh_preview(self) -> None:
        if self.draft is None:
            return
        if self.values() != self.saved_values:
            self.save("autosave")
        lang, recipient, include = self._export_args()
        self.session.run(_preview, self.draft.id, lang, recipient, include,
                         on_success=self._previewed)

    def _previewed(self, result: Plan | str) -> None:
        if isinstance(result, str):
            self.current_plan = None
            self.preview.setPlainText(result)
            self.left_out.clear()
            self.export_button.setEnabled(False)
            self.print_button.setEnabled(False)
            return
        self.current_plan = result
        self.preview.setHtml(plan_html(result))
        lines = [_("Left out: {label} ({reason})").format(label=x.label, reason=x.explain())
                 for x in result.left_out]
        self.left_out.setText("\n".join(lines) if lines else _("Nothing is left out."))
        problems = [p for p in self._validate() if p.blocking]
        self.export_button.setEnabled(not problems)
        self.print_button.setEnabled(not problems)
        if problems:
            assert self.rtype is not None
            fields = word_list(dict.fromkeys(self.rtype.field_label(p.field, _lang())
                                             for p in problems), _lang())
            self.left_out.setText(self.left_out.text() + "\n" + _(
                "Correct these values in step 1 before exporting: {fields}").format(
                    fields=fields))

    def export_pdf(self) -> None:
        if self.draft is None:
            return
        password = None
        if self.password_check.isChecked():
            password = self.password.text()
            if len(password) < MIN_PASSWORD:
                self.session.show_error(_("Choose a password of at least {n} characters.")
                                        .format(n=MIN_PASSWORD))
                return
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export as PDF"), str(Path.home() / f"report-{self.draft.id}.pdf"),
            _("PDF files (*.pdf)"))
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self.start_export(path, password)

    def start_export(self, path: str, password: str | None) -> None:
        """Write the PDF on the worker thread; the window stays responsive."""
        assert self.draft is not None
        lang, recipient, include = self._export_args()
        self.export_button.setEnabled(False)
        self.status.setText(_("Exporting…"))
        task = self.session.run(_export, self.draft.id, lang, recipient, include, path,
                                self.paper.currentData(), password,
                                on_success=lambda out: self.session.show_error(
                                    _("Exported {out}.").format(out=out)))
        if task is not None:
            task.finished.connect(lambda: (self.export_button.setEnabled(True),
                                           self.status.setText("")))

    def print_draft(self) -> None:
        if self.current_plan is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        size = "letter" if self.paper.currentData() == "letter" else "a4"
        from PySide6.QtGui import QPageSize

        printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter if size == "letter"
                                      else QPageSize.PageSizeId.A4))
        printer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        document = QTextDocument()
        document.setHtml(plan_html(self.current_plan))
        print_document(document, printer, doc_text(self.current_plan.lang)(CONFIDENTIAL_DRAFT))

    # -- revisions ----------------------------------------------------------

    def show_revisions(self) -> None:
        if self.draft is None:
            return
        self.flush()
        self.session.run(drafts.revisions, self.draft.id, on_success=self._revisions_loaded)

    def _revisions_loaded(self, found: list[drafts.Revision]) -> None:
        dialog = RevisionsDialog(found, self.rtype, self)
        self.revisions_dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen is not None:
            assert self.draft is not None
            self.session.run(drafts.restore, self.draft.id, dialog.chosen,
                             on_success=self._restored)

    def _restored(self, n: int) -> None:
        assert self.draft is not None
        self.session.run(drafts.get, self.draft.id, on_success=lambda d: (
            setattr(self, "draft", d), setattr(self, "saved_values", dict(d.values)),
            self.load_values(d.values),
            self.status.setText(_("Saved (revision {n})").format(n=n))))

    def relabel(self) -> None:
        """Rebuild the form in the new language, keeping what was typed."""
        if self.draft is None:
            return
        values = self.values()
        current = self.steps.currentIndex()
        self._build_form()
        self.load_values(values)
        self.steps.setCurrentIndex(current)

    def clear(self) -> None:
        self.autosave.stop()
        self.draft = None
        self.editors.clear()
        self.preview.clear()
        self.current_plan = None

    def retranslate(self) -> None:
        self.back_button.setText(_("&All drafts"))
        self.back_button.setAccessibleName(_("Back to the list of drafts"))
        self.save_button.setText(_("&Save"))
        self.revisions_button.setText(_("Re&visions…"))
        self.export_button.setText(_("&Export PDF…"))
        self.print_button.setText(_("&Print…"))
        self.password_check.setText(_("Protect with a password"))
        self.password.setAccessibleName(_("Password for the PDF"))
        self.preview_label.setText(_("What the recipient receives:"))
        labels = (_("Recipient"), _("Language"), _("Paper"), _("Identifying fields"),
                  _("Password"))
        for row, text in enumerate(labels):
            item = self.export_form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and isinstance(item.widget(), QLabel):
                item.widget().setText(text)
        if self.rtype is not None:
            self.title.setText(pick(self.rtype.label, _lang()) + (
                f" · {self.draft.id}" if self.draft else ""))
            self.help.setText(pick(self.rtype.help, _lang()))


class RevisionsDialog(QDialog):
    """Earlier revisions of a draft: look at one, restore it (as a new revision)."""

    def __init__(self, found: list[drafts.Revision], rtype: ReportType | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Revisions"))
        self.found, self.rtype = found, rtype
        self.chosen: int | None = None
        self.list = QListWidget()
        self.list.setAccessibleName(_("Revisions"))
        origins = {"save": _("saved"), "autosave": _("autosaved"), "restore": _("restored")}
        for r in found:
            item = QListWidgetItem(_("Revision {n} · {when} · {origin}").format(
                n=r.n, when=r.saved.replace("T", " ").rstrip("Z"),
                origin=origins.get(r.origin, r.origin)))
            item.setData(Qt.ItemDataRole.UserRole, r.n)
            self.list.addItem(item)
        self.view = QTextBrowser()
        self.list.currentRowChanged.connect(self._show)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton(_("Restore this revision"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addWidget(self.view, 2)
        box = QVBoxLayout(self)
        box.addLayout(row)
        box.addWidget(buttons)
        self.resize(820, 480)
        if found:
            self.list.setCurrentRow(0)

    def _show(self, row: int) -> None:
        if row < 0 or self.rtype is None:
            return
        values = self.found[row].values
        lines = []
        for f in self.rtype.fields:
            if f.id in values:
                value = values[f.id]
                text = (export.value_text(f, value, _lang())
                        if f.kind not in ("consent", "count_table", "services") else str(value))
                lines.append(f"<p><b>{html.escape(pick(f.label, _lang()))}</b><br>"
                             f"{html.escape(text)}</p>")
        direction = "rtl" if is_rtl(_lang()) else "ltr"
        self.view.setHtml(f'<div dir="{direction}">{"".join(lines)}</div>')

    def _accept(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen = int(item.data(Qt.ItemDataRole.UserRole))
        self.accept()


# -- the view ---------------------------------------------------------------------------


class ReportsView(QWidget):
    """The drafts list and the editor, one at a time."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.found: list[Draft] = []
        self.services: list[tuple[str, str, bool]] = []
        self.pages = QStackedWidget()
        self.list_page = QWidget()
        self.title = heading()
        self.intro = wrapped()
        self.type_filter = QComboBox()
        self.period_filter = QComboBox()
        self.text_filter = QLineEdit()
        self.text_filter.setClearButtonEnabled(True)
        self.search_timer = QTimer(self, singleShot=True, interval=250)
        self.search_timer.timeout.connect(self.load)
        self.text_filter.textChanged.connect(self.search_timer.start)
        self.type_filter.currentIndexChanged.connect(self.load)
        self.period_filter.currentIndexChanged.connect(self.load)
        self.list = QListWidget()
        self.list.itemActivated.connect(
            lambda item: self.open_draft(item.data(Qt.ItemDataRole.UserRole)))
        self.empty = wrapped()
        self.new_button = QPushButton()
        self.new_menu = QMenu(self.new_button)
        self.new_button.setMenu(self.new_menu)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self._open_current)
        self.delete_button = QPushButton()
        self.delete_button.clicked.connect(self.delete_current)
        filters = QHBoxLayout()
        self.type_label = QLabel()
        self.type_label.setBuddy(self.type_filter)
        self.period_label = QLabel()
        self.period_label.setBuddy(self.period_filter)
        self.text_label = QLabel()
        self.text_label.setBuddy(self.text_filter)
        for label, widget in ((self.type_label, self.type_filter),
                              (self.period_label, self.period_filter),
                              (self.text_label, self.text_filter)):
            filters.addWidget(label)
            filters.addWidget(widget, 1 if widget is self.text_filter else 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        box = QVBoxLayout(self.list_page)
        box.addWidget(self.title)
        box.addWidget(self.intro)
        box.addLayout(filters)
        box.addLayout(buttons)
        box.addWidget(self.empty)
        box.addWidget(self.list, 1)
        self.editor = DraftEditor(session)
        self.editor.closed.connect(self.show_list)
        self.pages.addWidget(self.list_page)
        self.pages.addWidget(self.editor)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        self.retranslate()

    # -- list -----------------------------------------------------------------

    def show_list(self) -> None:
        self.pages.setCurrentWidget(self.list_page)
        self.load()

    def load(self) -> None:
        days = self.period_filter.currentData()
        since = dt.date.today() - dt.timedelta(days=days - 1) if days else None
        self.session.run(drafts.list_drafts, self.type_filter.currentData(), since, None,
                         self.text_filter.text(), on_success=self._loaded)

    def _loaded(self, found: list[Draft]) -> None:
        self.found = found
        self.list.clear()
        lang = _lang()
        for d in found:
            when = format_date(dt.date.fromisoformat(d.updated[:10]), lang)
            # Each part isolated: codes and dates keep their own order in Arabic.
            parts = drafts.title_parts(d.report_type, d.values, lang)
            item = QListWidgetItem(" · ".join(isolate(p) for p in parts)
                                   + f"  —  {isolate(when)}")
            item.setData(Qt.ItemDataRole.UserRole, d.id)
            self.list.addItem(item)
        self.empty.setText(_("No drafts yet. Drafts stay in this encrypted profile unless you "
                             "export them.") if not found else "")
        self.empty.setVisible(not found)
        if found:
            self.list.setCurrentRow(0)

    def new_draft(self, type_id: str) -> None:
        rtype = get_type(type_id)
        today = dt.date.today().isoformat()
        values = {f.id: today for f in rtype.fields[:1] if f.kind == "date"}
        self.session.run(drafts.create, type_id, values,
                         on_success=lambda d: self.open_draft(d.id))

    def _open_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.open_draft(item.data(Qt.ItemDataRole.UserRole))

    def open(self, arg: str = "") -> None:
        """Shown by the window: a draft if `arg` names one, else the list."""
        if arg:
            self.open_draft(arg)
        else:
            self.show_list()

    def flush(self) -> None:
        self.editor.flush()

    def open_draft(self, draft_id: str) -> None:
        country = self.session.country

        def load(store: Any) -> tuple[Draft, list[tuple[str, str, bool]]]:
            draft = drafts.get(store, draft_id)
            return draft, _services(store, country, draft.values)

        self.session.run(load, on_success=self._opened)

    def _opened(self, result: tuple[Draft, list[tuple[str, str, bool]]]) -> None:
        draft, services = result
        self.editor.open_draft(draft, services)
        self.pages.setCurrentWidget(self.editor)

    def delete_current(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        answer = QMessageBox.question(
            self, _("Delete draft"),
            _("Delete “{title}” and all its revisions? This cannot be undone.").format(
                title=item.text()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.session.run(drafts.delete, item.data(Qt.ItemDataRole.UserRole),
                             on_success=lambda _none: self.load())

    def clear(self) -> None:
        self.editor.clear()
        self.list.clear()
        self.found = []
        self.pages.setCurrentWidget(self.list_page)

    def retranslate(self) -> None:
        lang = _lang()
        self.title.setText(_("Report drafts"))
        self.intro.setText(_("Confidential drafts: incident notes, referral notes, activity "
                             "reports and anonymised summaries. They never leave this "
                             "computer unless you export them."))
        self.type_label.setText(_("&Type"))
        self.period_label.setText(_("C&hanged"))
        self.text_label.setText(_("&Words"))
        self.text_filter.setPlaceholderText(_("Words in the draft"))
        current = self.type_filter.currentData()
        self.type_filter.blockSignals(True)
        self.type_filter.clear()
        self.type_filter.addItem(_("All types"), None)
        for rtype in report_types().values():
            self.type_filter.addItem(pick(rtype.label, lang), rtype.id)
        self.type_filter.setCurrentIndex(max(0, self.type_filter.findData(current)))
        self.type_filter.blockSignals(False)
        period = self.period_filter.currentIndex()
        self.period_filter.blockSignals(True)
        self.period_filter.clear()
        for days, key in PERIODS:
            self.period_filter.addItem(_period_label(key), days)
        self.period_filter.setCurrentIndex(max(0, period))
        self.period_filter.blockSignals(False)
        self.new_menu.clear()
        for rtype in report_types().values():
            action = self.new_menu.addAction(pick(rtype.label, lang))
            action.triggered.connect(lambda _c=False, t=rtype.id: self.new_draft(t))
        self.new_button.setText(_("&New draft"))
        self.open_button.setText(_("&Open"))
        self.delete_button.setText(_("De&lete…"))
        self.list.setAccessibleName(_("Report drafts"))
        self.editor.relabel()
        self.editor.retranslate()
