"""Printable materials for the chosen place: choose a kind, one or two languages, paper and an
optional QR code; see the pages; save as PDF, print, or save several at once.

The preview and the printout are drawn from the very PDF that is saved (PDFium, through
pypdfium2): what the focal point sees is what the printer gets. Rendering, rasterising and
saving run on the worker; the GUI thread only shows images and paints them on the printer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldkit import UN_LANGUAGES, materials
from fieldkit.i18n import _, country_name, native_language_name, ngettext
from fieldkit.materials import KINDS, Request

from ..places import place_name
from ..session import Session
from ..tasks import Task
from ..widgets import Banner, buddy_label, clear_layout, heading, isolate, wrapped

PAPERS = (("a4", "A4"), ("a3", "A3"), ("letter", "US Letter"))
PREVIEW_DPI = 110  # then scaled to the pane's width


def _rasterise(data: bytes, dpi: float) -> list[QImage]:
    """The PDF's pages as images (any thread: QImage is not tied to the GUI thread)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    images = []
    try:
        for page in pdf:
            bitmap = page.render(scale=dpi / 72.0, rev_byteorder=True)
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGB888).copy()
            images.append(image)
            bitmap.close()
            page.close()
    finally:
        pdf.close()
    return images


def _render_preview(store: Any, request: Request, dpi: float) -> dict[str, Any]:
    facts = materials.gather(store, request.country, request.location)
    data = materials.render(store, request)
    return {"data": data, "pages": _rasterise(data, dpi), "example": facts.example,
            "services": len(facts.services),
            "stale": sum(1 for s in facts.services if facts.stale(s))}


def _render_and_save(store: Any, request: Request, path: str) -> Path:
    return materials.save(materials.render(store, request), path)


def _render_for_print(store: Any, request: Request, dpi: float) -> list[QImage]:
    return _rasterise(materials.render(store, request), dpi)


class MaterialsView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.preview_task: Task | None = None
        self.batch_task: Task | None = None
        self.pages: list[QImage] = []
        self.page_labels: list[QLabel] = []

        self.title = heading()
        self.place = wrapped()
        self.kind = QComboBox()
        self.lang1 = QComboBox()
        self.lang2 = QComboBox()
        self.paper = QComboBox()
        self.qr = QLineEdit()
        self.qr.setClearButtonEnabled(True)
        self.kind_label, self.lang1_label, self.lang2_label = (
            buddy_label(self.kind), buddy_label(self.lang1), buddy_label(self.lang2))
        self.paper_label, self.qr_label = buddy_label(self.paper), buddy_label(self.qr)
        form = QGridLayout()
        for row, (label, field) in enumerate(((self.kind_label, self.kind),
                                              (self.lang1_label, self.lang1),
                                              (self.lang2_label, self.lang2),
                                              (self.paper_label, self.paper),
                                              (self.qr_label, self.qr))):
            form.addWidget(label, row, 0)
            form.addWidget(field, row, 1)
        form.setColumnStretch(1, 1)

        self.save_button = QPushButton()
        self.print_button = QPushButton()
        self.save_button.clicked.connect(self.ask_save)
        self.print_button.clicked.connect(self.ask_print)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)

        self.sample = Banner("example")
        self.notice = Banner("warning")
        self.status = wrapped()
        self.sample.hide()
        self.notice.hide()

        self.preview_box = QVBoxLayout()
        holder = QWidget()
        holder.setLayout(self.preview_box)
        self.preview = QScrollArea()
        self.preview.setWidgetResizable(True)
        self.preview.setWidget(holder)
        self.preview.setMinimumWidth(260)
        self.preview.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.batch = QGroupBox()
        self.batch_kinds = {name: QCheckBox() for name in KINDS}
        self.batch_langs = {code: QCheckBox(native_language_name(code)) for code in UN_LANGUAGES}
        self.batch_button = QPushButton()
        self.batch_cancel = QPushButton()
        self.batch_progress = QProgressBar()
        self.batch_progress.hide()
        self.batch_cancel.hide()
        self.batch_button.clicked.connect(self.ask_batch)
        self.batch_cancel.clicked.connect(self.cancel_batch)
        batch_box = QVBoxLayout(self.batch)
        kinds_row, langs_row = QGridLayout(), QGridLayout()  # wrap on narrow windows
        for n, box in enumerate(self.batch_kinds.values()):
            kinds_row.addWidget(box, n // 2, n % 2)
        for n, box in enumerate(self.batch_langs.values()):
            langs_row.addWidget(box, n // 3, n % 3)
        batch_row = QHBoxLayout()
        batch_row.addWidget(self.batch_button)
        batch_row.addWidget(self.batch_progress, 1)
        batch_row.addWidget(self.batch_cancel)
        batch_box.addLayout(kinds_row)
        batch_box.addLayout(langs_row)
        batch_box.addLayout(batch_row)

        controls = QVBoxLayout()
        controls.addWidget(self.place)
        controls.addLayout(form)
        controls.addLayout(buttons)
        controls.addWidget(self.sample)
        controls.addWidget(self.notice)
        controls.addWidget(self.status)
        controls.addWidget(self.batch)
        controls.addStretch(1)
        side = QWidget()
        side.setLayout(controls)
        side_scroll = QScrollArea()
        side_scroll.setWidgetResizable(True)
        side_scroll.setWidget(side)
        side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QHBoxLayout()
        body.addWidget(side_scroll, 3)
        body.addWidget(self.preview, 2)
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addLayout(body, 1)

        self.debounce = QTimer(self, singleShot=True, interval=300)
        self.debounce.timeout.connect(self.refresh)
        for combo in (self.kind, self.lang1, self.lang2, self.paper):
            combo.currentIndexChanged.connect(self.debounce.start)
        self.qr.textChanged.connect(self.debounce.start)
        self.retranslate()

    # -- the view's life -----------------------------------------------------

    def open(self, _arg: str) -> None:
        self._fill_languages()
        self.refresh()

    def place_changed(self) -> None:
        self.refresh()

    def clear(self) -> None:
        """On lock: forget the pages shown and stop any work."""
        for task in (self.preview_task, self.batch_task):
            if task is not None:
                task.cancel()
        self.preview_task = self.batch_task = None
        self.pages, self.page_labels = [], []
        clear_layout(self.preview_box)
        self.sample.hide()
        self.notice.hide()
        self.status.clear()
        self.batch_progress.hide()
        self.batch_cancel.hide()

    def retranslate(self) -> None:
        self.title.setText(_("Printable materials"))
        self.kind_label.setText(_("&Material:"))
        self.lang1_label.setText(_("&Language:"))
        self.lang2_label.setText(_("&Second language:"))
        self.paper_label.setText(_("&Paper:"))
        self.qr_label.setText(_("&QR code (optional):"))
        self.qr.setPlaceholderText(_("a web address, or tel: and a phone number"))
        self.save_button.setText(_("Save as PDF…"))
        self.print_button.setText(_("Print…"))
        self.batch.setTitle(_("Several at once"))
        self.batch_button.setText(_("Save all to a folder…"))
        self.batch_cancel.setText(_("Cancel"))
        self.preview.setAccessibleName(_("Preview of the pages"))
        kind = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        for name, spec in KINDS.items():
            self.kind.addItem(_(spec.label), name)
            self.kind.setItemData(self.kind.count() - 1, _(spec.description),
                                  Qt.ItemDataRole.ToolTipRole)
            self.batch_kinds[name].setText(_(spec.label))
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))
        self.kind.blockSignals(False)
        paper = self.paper.currentData() or materials.user_paper(self._territory())
        self.paper.blockSignals(True)
        self.paper.clear()
        for code, name in PAPERS:
            self.paper.addItem(name, code)
        self.paper.setCurrentIndex(max(self.paper.findData(paper), 0))
        self.paper.blockSignals(False)
        self._fill_languages()
        self._show_place()

    def _territory(self) -> str | None:
        """The user's region as the system reports it (for the paper size)."""
        name = QLocale.system().name()  # e.g. "en_US"
        return name.split("_")[1] if "_" in name else materials.user_territory()

    def _fill_languages(self) -> None:
        first = self.lang1.currentData() or self.session.lang
        second = self.lang2.currentData()
        for combo in (self.lang1, self.lang2):
            combo.blockSignals(True)
            combo.clear()
        self.lang2.addItem(_("None"), None)
        for code in UN_LANGUAGES:
            self.lang1.addItem(native_language_name(code), code)
            self.lang2.addItem(native_language_name(code), code)
        self.lang1.setCurrentIndex(max(self.lang1.findData(first), 0))
        self.lang2.setCurrentIndex(max(self.lang2.findData(second), 0) if second else 0)
        for combo in (self.lang1, self.lang2):
            combo.blockSignals(False)
        if not any(box.isChecked() for box in self.batch_langs.values()):
            self.batch_langs.get(first, self.batch_langs["en"]).setChecked(True)

    def _show_place(self) -> None:
        country, location = self.session.country, self.session.location
        if not country:
            self.place.setText(_("Choose your country on the home page to print materials "
                                 "for it."))
            return
        where = country_name(country, self.session.lang)
        if location:
            where = _("{location}, {country}").format(
                location=isolate(place_name(location, country, self.session.lang)),
                country=where)
        self.place.setText(_("For {place}. Change the place on the home page.").format(
            place=where))

    # -- the request ---------------------------------------------------------

    def request(self, kind: str | None = None, langs: tuple[str, ...] | None = None) -> Request:
        chosen = langs or tuple(code for code in (self.lang1.currentData(),
                                                  self.lang2.currentData())
                                if code)
        return Request(kind or self.kind.currentData(), self.session.country or "",
                       self.session.location, tuple(dict.fromkeys(chosen)),
                       self.paper.currentData(), self.qr.text().strip() or None)

    def _checked(self, request: Request) -> Request | None:
        from fieldkit.errors import FieldkitError

        if not self.session.country:
            self._show_place()
            return None
        try:
            return request.checked()
        except FieldkitError as exc:
            self.status.setText(exc.message)
            return None

    # -- preview -------------------------------------------------------------

    def refresh(self) -> None:
        self._show_place()
        request = self._checked(self.request())
        if request is None:
            clear_layout(self.preview_box)
            return
        if self.preview_task is not None:
            self.preview_task.cancel()
        self.status.setText(_("Preparing the preview…"))
        self.preview_task = self.session.run(_render_preview, request, PREVIEW_DPI,
                                             on_success=self._show_preview,
                                             on_failure=self.status.setText)

    def _show_preview(self, result: dict[str, Any]) -> None:
        self.preview_task = None
        self.pages = result["pages"]
        clear_layout(self.preview_box)
        self.page_labels = []
        for n in range(1, len(self.pages) + 1):
            page = QLabel()
            page.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(page)
            page.setFrameShape(QLabel.Shape.Box)
            page.setAccessibleName(_("Page {page} of {total}").format(page=n,
                                                                       total=len(self.pages)))
            self.preview_box.addWidget(page)
        self.preview_box.addStretch(1)
        self._fit_pages()
        self.sample.setVisible(result["example"])
        self.sample.setText(_("Built from example data: every page is stamped SAMPLE. Do "
                              "not hand these out."))
        notes = []
        if not result["services"]:
            notes.append(_("No services are listed for this place: the printout says what "
                           "always applies (safety first, the focal point)."))
        if result["stale"]:
            notes.append(ngettext(
                "{n} service is past its review date: it prints with a VERIFY mark. Check it "
                "before you hand these out.",
                "{n} services are past their review date: they print with a VERIFY mark. "
                "Check them before you hand these out.", result["stale"]).format(
                    n=result["stale"]))
        self.notice.setText(" ".join(notes))
        self.notice.setVisible(bool(notes))
        self.status.setText(ngettext("{n} page", "{n} pages", len(self.pages)).format(
            n=len(self.pages)))

    def _fit_pages(self) -> None:
        """Each page as wide as the preview pane (never scrolling sideways)."""
        width = max(self.preview.viewport().width() - 24, 120)
        for label, image in zip(self.page_labels, self.pages, strict=False):
            label.setPixmap(QPixmap.fromImage(image.scaledToWidth(
                width, Qt.TransformationMode.SmoothTransformation)))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.pages:
            self._fit_pages()

    # -- save, print, batch ------------------------------------------------------

    def ask_save(self) -> None:
        request = self._checked(self.request())
        if request is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save as PDF"), str(Path.home() / materials.file_name(request)),
            _("PDF files (*.pdf)"))
        if path:
            self.save_to(path)

    def save_to(self, path: str) -> Task | None:
        request = self._checked(self.request())
        if request is None:
            return None
        return self.session.run(
            _render_and_save, request, path,
            on_success=lambda saved: self.status.setText(_("Saved {path}").format(path=saved)),
            on_failure=self.status.setText)

    def ask_print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec():
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> Task | None:
        """Rasterise the PDF at the printer's resolution (worker), then paint (GUI)."""
        request = self._checked(self.request())
        if request is None:
            return None
        dpi = min(printer.resolution(), 300)
        self.status.setText(_("Preparing the printout…"))
        return self.session.run(_render_for_print, request, dpi,
                                on_success=lambda images: self._paint(printer, images),
                                on_failure=self.status.setText)

    def _paint(self, printer: QPrinter, images: list[QImage]) -> None:
        painter = QPainter()
        if not painter.begin(printer):
            self.status.setText(_("The printer could not be opened."))
            return
        try:
            for n, image in enumerate(images):
                if n:
                    printer.newPage()
                area = painter.viewport()
                scaled = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(area.x(), area.y(), image.scaled(
                    scaled, Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation))
        finally:
            painter.end()
        self.status.setText(_("Sent to the printer."))

    def ask_batch(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Save all to a folder"),
                                                  str(Path.home()))
        if folder:
            self.save_batch_to(folder)

    def batch_requests(self) -> list[Request]:
        base = self.request()
        kinds = [k for k, box in self.batch_kinds.items() if box.isChecked()]
        langs = [code for code, box in self.batch_langs.items() if box.isChecked()]
        out = []
        for kind in kinds:
            paper = base.paper if base.paper in KINDS[kind].papers else "a4"
            for lang in langs:
                out.append(Request(kind, base.country, base.location, (lang,), paper, base.qr))
        return out

    def save_batch_to(self, folder: str) -> Task | None:
        requests = self.batch_requests()
        if not requests or not self.session.country:
            self.status.setText(_("Tick at least one material and one language."))
            return None
        self.batch_progress.setRange(0, len(requests))
        self.batch_progress.setValue(0)
        self.batch_progress.show()
        self.batch_cancel.show()
        self.batch_button.setEnabled(False)
        task = self.session.run(
            materials.render_batch, requests, folder, with_progress=True,
            on_progress=self._batch_progress, on_success=self._batch_done,
            on_failure=self._batch_failed)
        self.batch_task = task
        if task is not None:
            task.cancelled.connect(self._batch_cancelled)
        return task

    def _batch_progress(self, done: int, total: int, name: str) -> None:
        self.batch_progress.setMaximum(total)
        self.batch_progress.setValue(done)
        if name:
            self.status.setText(_("Saving {name}…").format(name=name))

    def _batch_finished(self) -> None:
        self.batch_task = None
        self.batch_button.setEnabled(True)
        self.batch_cancel.hide()

    def _batch_done(self, written: list[Path]) -> None:
        self._batch_finished()
        self.batch_progress.setValue(self.batch_progress.maximum())
        self.status.setText(ngettext("Saved {n} file in {folder}", "Saved {n} files in {folder}",
                                     len(written)).format(
            n=len(written), folder=written[0].parent if written else ""))

    def _batch_failed(self, message: str) -> None:
        self._batch_finished()
        self.status.setText(message)

    def _batch_cancelled(self) -> None:
        self._batch_finished()
        self.status.setText(_("Cancelled. The files already saved are complete."))

    def cancel_batch(self) -> None:
        if self.batch_task is not None:
            self.batch_task.cancel()
