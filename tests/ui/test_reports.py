"""The drafts view and the generated editor, driven through their widgets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QCheckBox, QMessageBox

from fieldkit.reports import drafts

pytestmark = pytest.mark.ui


def _call(window: Any, qtbot: Any, fn: Any, *args: Any) -> Any:
    """Run a store call on the worker and wait for its result."""
    box: list[Any] = []
    window.session.run(fn, *args, on_success=box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10000)
    return box[0]


def _open_new(window: Any, qtbot: Any, type_id: str) -> Any:
    window.session.navigate.emit("reports", "")
    view = window.reports
    assert window.views.currentWidget() is view
    view.new_draft(type_id)
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.editor, timeout=10000)
    view.editor.autosave.setInterval(30)
    return view.editor


def test_editor_from_type_validates_and_autosaves(unlocked: Any, qtbot: Any) -> None:
    editor = _open_new(unlocked, qtbot, "incident_note")
    code = editor.editors["survivor_code"]
    assert code.error.isVisible()                      # required, beside the field
    assert editor.editors["note_date"].value()         # today, filled in
    qtbot.keyClicks(code.widget, "S-22")
    qtbot.waitUntil(lambda: not code.error.isVisible(), timeout=5000)
    qtbot.keyClicks(editor.editors["account"].widget, "He said the card depends on a visit.")
    date = editor.editors["incident_date"]
    date.widget.setText("2999-01-01")
    assert date.error.isVisible() and date.error.text()
    date.widget.setText("2026-11-01")
    qtbot.waitUntil(lambda: editor.status.text().startswith("Saved (revision"), timeout=10000)
    found = _call(unlocked, qtbot, drafts.list_drafts, None, None, None, "card depends")
    assert len(found) == 1 and found[0].values["survivor_code"] == "S-22"
    revisions = _call(unlocked, qtbot, drafts.revisions, found[0].id)
    assert len(revisions) >= 2 and {r.origin for r in revisions} >= {"save", "autosave"}


def test_referral_consent_step_and_preview(unlocked: Any, qtbot: Any, tmp_path: Path) -> None:
    editor = _open_new(unlocked, qtbot, "referral_note")
    assert [editor.steps.tabText(i) for i in range(editor.steps.count())] == [
        "1. Fill in", "2. Consent", "3. Preview and export"]
    e = editor.editors
    e["priority"].widget.setCurrentIndex(e["priority"].widget.findData("urgent"))
    e["referred_by"].widget.setText("Office focal point")
    e["person_code"].widget.setText("R-5")
    e["person_name"].widget.setText("Ana Identifiable")
    e["reasons"].widget.setPlainText("Needs medical care")
    e["services_requested"].checks["health"].setChecked(True)
    services = list(e["referred_to"].checks)
    assert len(services) >= 2  # the country's services, from the store
    e["referred_to"].checks[services[0]].setChecked(True)
    editor.steps.setCurrentIndex(1)
    consent = editor.consent
    day, method, checks = consent.entries[services[0]]
    day.setText("2026-11-20")
    method.setCurrentIndex(1)
    checks["person_code"].setChecked(True)
    checks["person_name"].setChecked(True)
    editor.steps.setCurrentIndex(2)
    qtbot.waitUntil(lambda: editor.current_plan is not None, timeout=10000)
    html = editor.preview.toHtml()
    assert "R-5" in html and "Needs medical care" not in html
    assert "Ana Identifiable" not in html
    assert "not consented for this recipient" in editor.left_out.text()
    assert "identifying: not included" in editor.left_out.text()
    include = editor.includes["person_name"]
    include.setChecked(True)
    qtbot.waitUntil(lambda: "Ana Identifiable" in editor.preview.toHtml(), timeout=10000)
    # Export runs on the worker; the file appears where chosen, and only there.
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "referral.pdf"
    assert editor.export_button.isEnabled()
    editor.start_export(str(out), None)
    qtbot.waitUntil(out.exists, timeout=20000)
    qtbot.waitUntil(lambda: editor.export_button.isEnabled(), timeout=20000)
    assert [p.name for p in folder.iterdir()] == ["referral.pdf"]


def test_export_step_names_the_values_to_correct_by_label(unlocked: Any, qtbot: Any) -> None:
    editor = _open_new(unlocked, qtbot, "incident_note")
    editor.editors["incident_date"].widget.setText("2999-01-01")
    editor.steps.setCurrentIndex(editor.steps.count() - 1)
    qtbot.waitUntil(lambda: "Date of the incident" in editor.left_out.text(), timeout=10000)
    assert "incident_date" not in editor.left_out.text()
    assert not editor.export_button.isEnabled()


def test_a_removed_service_is_said_plainly_and_not_lost(unlocked: Any, qtbot: Any) -> None:
    from fieldkit import library

    editor = _open_new(unlocked, qtbot, "referral_note")
    services = list(editor.editors["referred_to"].checks)
    draft_id = editor.draft.id
    values = {"referred_to": services[:2], "priority": "urgent"}
    _call(unlocked, qtbot, drafts.save, draft_id, values)
    _call(unlocked, qtbot, library.delete_items, [services[0]])  # as a sync would
    view = unlocked.reports
    view.open_draft(draft_id)
    qtbot.waitUntil(lambda: services[0] in editor.editors["referred_to"].checks
                    and editor.editors["referred_to"].checks[services[0]].text()
                    .startswith("a service no longer in this profile"), timeout=10000)
    assert editor.editors["referred_to"].checks[services[0]].isChecked()
    assert sorted(editor.values()["referred_to"]) == sorted(services[:2])
    from fieldkit.ui.views.reports import _services

    choices = {sid: example for sid, _title, example in
               _call(unlocked, qtbot, _services, "MD", values)}
    assert choices[services[0]] is True  # removed, and still known as an example
    editor.editors["priority"].widget.setCurrentIndex(
        editor.editors["priority"].widget.findData("normal"))
    qtbot.waitUntil(lambda: editor.status.text().startswith("Saved (revision"), timeout=10000)
    saved = _call(unlocked, qtbot, drafts.get, draft_id)
    assert sorted(saved.values["referred_to"]) == sorted(services[:2])
    assert saved.values["priority"] == "normal"


def test_revisions_dialog_restores(unlocked: Any, qtbot: Any) -> None:
    from fieldkit.ui.views.reports import RevisionsDialog

    editor = _open_new(unlocked, qtbot, "activity_report")
    editor.editors["place"].widget.setText("Cahul")
    qtbot.waitUntil(lambda: editor.status.text().startswith("Saved (revision 2"), timeout=10000)
    editor.editors["place"].widget.setText("Bălți")
    qtbot.waitUntil(lambda: editor.status.text().startswith("Saved (revision 3"), timeout=10000)
    found = _call(unlocked, qtbot, drafts.revisions, editor.draft.id)
    dialog = RevisionsDialog(found, editor.rtype, editor)
    qtbot.addWidget(dialog)
    dialog.list.setCurrentRow(1)
    assert "Cahul" in dialog.view.toPlainText()
    dialog._accept()
    assert dialog.chosen == 2
    unlocked.session.run(drafts.restore, editor.draft.id, 2, on_success=editor._restored)
    qtbot.waitUntil(lambda: editor.editors["place"].value() == "Cahul", timeout=10000)


def test_delete_asks_then_removes(unlocked: Any, qtbot: Any,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    editor = _open_new(unlocked, qtbot, "incident_note")
    editor.close_draft()
    view = unlocked.reports
    qtbot.waitUntil(lambda: view.list.count() == 1, timeout=10000)
    asked: list[str] = []

    def no(*args: Any) -> QMessageBox.StandardButton:
        asked.append(args[2])
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", no)
    view.delete_current()
    assert asked and "cannot be undone" in asked[0]
    assert view.list.count() == 1
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a: QMessageBox.StandardButton.Yes)
    view.delete_current()
    qtbot.waitUntil(lambda: view.list.count() == 0, timeout=10000)
    assert view.empty.isVisible()


def test_language_switch_relabels_the_form(unlocked: Any, qtbot: Any) -> None:
    editor = _open_new(unlocked, qtbot, "incident_note")
    editor.editors["survivor_code"].widget.setText("S-9")
    unlocked.session.set_language("ar", save=False)
    try:
        assert editor.editors["survivor_code"].value() == "S-9"
        labels = [w.text() for w in editor.findChildren(QCheckBox)]
        assert any("تحرش" in t for t in labels)
        assert editor.steps.tabText(0) != "1. Fill in"
    finally:
        unlocked.session.set_language("en", save=False)


def test_print_puts_the_mark_on_every_page(app_setup: Any, tmp_path: Path) -> None:
    """Printing goes through QPrinter: here to a PDF file, read back page by page."""
    import subprocess

    from fieldkit.ui.views.reports import plan_html, print_document
    from PySide6.QtGui import QTextDocument
    from PySide6.QtPrintSupport import QPrinter

    from fieldkit.reports.export import Block, Plan, Row

    rows = [Row(f"f{n}", f"Label {n}", f"Value number {n} " * 8) for n in range(120)]
    plan = Plan("d1", "incident_note", "en", "Incident note", None, None,
                [Block("What happened", rows)], [], False)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    document = QTextDocument()
    document.setHtml(plan_html(plan))
    print_document(document, printer, "CONFIDENTIAL DRAFT")
    pages = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")[:-1]
    assert len(pages) >= 3
    for n, page in enumerate(pages, 1):
        assert page.count("CONFIDENTIAL DRAFT") >= 1, n
        assert f"{n}/{len(pages)}" in page.replace(" ", "")
    assert "Value number 119" in pages[-1]
