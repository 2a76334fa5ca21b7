"""The materials view in a real window: preview pages, save as PDF, print, batch with progress."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.ui


def open_materials(unlocked, qtbot, country="MD", location="Chișinău"):  # type: ignore[no-untyped-def]
    unlocked.session.set_place(country, location)
    unlocked.session.open("materials")
    view = unlocked.materials
    qtbot.waitUntil(lambda: len(view.pages) > 0, timeout=30000)
    return view


def choose(combo, data) -> None:  # type: ignore[no-untyped-def]
    combo.setCurrentIndex(combo.findData(data))


def test_preview_save_and_print(unlocked, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrinter

    view = open_materials(unlocked, qtbot)
    assert view.sample.isVisible()  # the starter services are examples
    assert len(view.pages) == 1 and view.pages[0].width() > 100  # an image of the PDF page
    choose(view.kind, "wallet-cards")
    choose(view.lang1, "ar")
    choose(view.lang2, "fr")
    qtbot.waitUntil(lambda: len(view.pages) == 2 and view.preview_task is None, timeout=30000)
    label = view.page_labels[0]
    assert label.pixmap().width() <= view.preview.viewport().width()  # fits the pane

    out = tmp_path / "print" / "cards.pdf"
    assert view.save_to(str(out)) is not None
    qtbot.waitUntil(lambda: out.exists(), timeout=30000)
    assert len(PdfReader(out).pages) == 2
    assert sorted(os.listdir(out.parent)) == ["cards.pdf"]

    choose(view.kind, "five-ds")
    choose(view.lang2, None)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    view.print_to(printer)
    qtbot.waitUntil(lambda: target.exists() and target.stat().st_size > 1000, timeout=30000)
    assert len(PdfReader(target).pages) == 1


def test_batch_runs_off_the_gui_thread_with_progress(unlocked, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    view = open_materials(unlocked, qtbot)
    for name, box in view.batch_kinds.items():
        box.setChecked(name in ("five-ds", "wallet-cards"))
    for code, box in view.batch_langs.items():
        box.setChecked(code in ("ar", "zh"))
    seen = []
    folder = tmp_path / "batch"
    folder.mkdir()
    task = view.save_batch_to(str(folder))
    assert task is not None
    task.progressed.connect(lambda done, total, _name: seen.append((done, total)))
    qtbot.waitUntil(lambda: view.batch_task is None, timeout=60000)
    names = sorted(os.listdir(folder))
    assert len(names) == 4 and all(n.endswith(".pdf") for n in names), names
    assert view.batch_progress.value() == view.batch_progress.maximum() == 4
    assert seen and seen[-1] == (4, 4)


def test_no_country_asks_for_one_and_lock_forgets_the_pages(unlocked, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = open_materials(unlocked, qtbot)
    unlocked.session.set_place(None, None)
    unlocked.session.open("materials")
    assert "Choose your country" in view.place.text()
    assert view.save_to("/nonexistent/x.pdf") is None
    unlocked.lock()
    assert view.pages == [] and view.preview_box.count() == 0


def test_the_window_pays_for_no_pdf_typesetting_until_something_is_printed() -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    probe = ("import sys\nimport fieldkit.ui.main_window\n"
             "print(sorted(m for m in ('reportlab', 'uharfbuzz', 'pypdfium2', "
             "'fieldkit.typeset.document', 'fieldkit.materials.build') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, check=True, timeout=120,
                          env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.stdout.strip() == "[]"
