"""Report exports, read back as a recipient would: pdftotext and pypdf, in four scripts.

Also: consent per recipient, identifying fields, fonts embedded, the confidential mark on
every page, the password, and no copy of the draft anywhere but the chosen file.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from fieldkit.cli import main as cli_main
from fieldkit.reports import drafts, export, pdf
from fieldkit.store import Store
from tests.conftest import PASSPHRASE, run_fieldkit

BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MARKS = {"en": "CONFIDENTIAL DRAFT", "ru": "КОНФИДЕНЦИАЛЬНЫЙ ЧЕРНОВИК", "ar": "مسودة سرية",
         "zh": "机密草稿"}

ACCOUNTS = {
    "en": "He said the distribution card depends on a visit to his house.",
    "ru": "Он сказал, что карточка на получение помощи зависит от визита к нему домой.",
    "ar": "قال المشرف إن بطاقة التوزيع رقم 4521 تعتمد على زيارة مكتب UNHCR يوم 12 مارس",
    "zh": "他说领取援助的卡片取决于去他家拜访。",
}
LOCATIONS = {"en": "Warehouse B", "ru": "Склад Б", "ar": "المستودع الشمالي", "zh": "北区仓库"}


def _flat(text: str) -> str:
    """Extracted text without bidi controls and with whitespace runs as one space."""
    return " ".join(BIDI_CONTROLS.sub("", text).split())


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def pypdf_pages(path: Path, password: str | None = None) -> list[str]:
    reader = PdfReader(path)
    if password is not None:
        reader.decrypt(password)
    return [page.extract_text() or "" for page in reader.pages]


def fonts_embedded(path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font on every page."""
    found = []
    for page in PdfReader(path).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            for desc_font in font.get("/DescendantFonts") or [font]:
                descriptor = desc_font.get_object().get("/FontDescriptor")
                embedded = descriptor is not None and any(
                    k in descriptor.get_object() for k in ("/FontFile", "/FontFile2",
                                                           "/FontFile3"))
                found.append((str(font.get("/BaseFont")), embedded))
    return found


INCIDENT = {
    "note_date": "2026-11-20", "incident_date": "2026-11-18", "writer_role": "witness",
    "survivor_code": "S-014", "survivor_name": "Mariam Identifiable", "conduct": ["exchange"],
    "consent_statistics": "yes", "place_type": "field_site",
}


@pytest.fixture
def store(tmp_path: Path, starter_template: Path) -> Store:
    import shutil

    folder = tmp_path / "p"
    shutil.copytree(starter_template, folder)
    with Store.open(folder, PASSPHRASE) as opened:
        yield opened


@pytest.mark.parametrize("lang", ["en", "ru", "ar", "zh"])
def test_values_read_back_in_four_scripts(store: Store, tmp_path: Path, lang: str) -> None:
    draft = drafts.create(store, "incident_note", {
        **INCIDENT, "account": ACCOUNTS[lang], "location": LOCATIONS[lang]})
    out = tmp_path / f"note-{lang}.pdf"
    pdf.write(export.plan(store, draft, lang), out)
    poppler = _flat(pdftotext(out))
    pypdf_text = _flat(" ".join(pypdf_pages(out)))
    for value in (ACCOUNTS[lang], LOCATIONS[lang], "S-014"):
        assert _flat(value) in poppler, (lang, value)
        assert _flat(value) in pypdf_text, (lang, value)
    assert MARKS[lang] in poppler and MARKS[lang] in pypdf_text
    assert "Mariam" not in poppler and "Mariam" not in pypdf_text  # identifying: left out
    fonts = fonts_embedded(out)
    assert fonts and all(embedded for _name, embedded in fonts), fonts
    assert subprocess.run(["pdffonts", str(out)], capture_output=True, text=True,
                          check=True).stdout.count(" yes ") >= len(fonts)


def test_mark_on_every_page_and_page_n_of_m(store: Store, tmp_path: Path) -> None:
    long_account = "\n".join(f"{n}. " + ACCOUNTS["ar"] + " " + "؛ ".join([ACCOUNTS["ar"]] * 3)
                             for n in range(40))
    draft = drafts.create(store, "incident_note", {**INCIDENT, "account": long_account})
    out = tmp_path / "long.pdf"
    pdf.write(export.plan(store, draft, "ar"), out, paper="letter")
    pages = pypdf_pages(out)
    assert len(pages) >= 3
    poppler_pages = pdftotext(out).split("\f")[:len(pages)]
    for n, (text, poppler) in enumerate(zip(pages, poppler_pages, strict=True), 1):
        assert MARKS["ar"] in _flat(text) and MARKS["ar"] in _flat(poppler), n
    width, height = (float(v) for v in PdfReader(out).pages[0].mediabox[2:])
    assert (round(width), round(height)) == (612, 792)  # US Letter


REFERRAL = {
    "referral_date": "2026-11-21", "priority": "urgent", "referred_by": "Office focal point",
    "referred_to": ["svc-md-medical-example", "svc-md-legal-example"],
    "person_code": "R-77", "person_name": "Ana Identifiable", "person_contact": "+000 0000",
    "age_group": "adult", "services_requested": ["health", "legal"],
    "reasons": "Needs medical care after the assault", "services_provided": "Listening",
    "consent": [
        {"recipient": "svc-md-medical-example", "date": "2026-11-21", "method": "verbal",
         "fields": ["person_code", "reasons", "age_group", "person_name"]},
        {"recipient": "svc-md-legal-example", "date": "2026-11-21", "method": "written",
         "fields": ["person_code", "services_provided"]},
    ],
}


def test_referral_carries_only_what_was_consented_for_that_recipient(
        store: Store, tmp_path: Path) -> None:
    draft = drafts.create(store, "referral_note", REFERRAL)
    legal = export.plan(store, draft, "en", "svc-md-legal-example")
    shown = {r.field for b in legal.blocks for r in b.rows}
    assert "reasons" not in shown and "age_group" not in shown and "person_name" not in shown
    assert {"person_code", "services_provided", "referral_date", "priority"} <= shown
    assert {x.field: x.reason for x in legal.left_out} == {
        "reasons": export.NOT_CONSENTED, "age_group": export.NOT_CONSENTED,
        "person_name": export.NOT_CONSENTED, "person_contact": export.NOT_CONSENTED,
        "services_requested": export.NOT_CONSENTED}
    out = tmp_path / "legal.pdf"
    pdf.write(legal, out)
    text = _flat(pdftotext(out)) + _flat(" ".join(pypdf_pages(out)))
    for secret in ("Needs medical care", "Ana Identifiable", "+000 0000"):
        assert secret not in text
    assert "Listening" in text and "R-77" in text
    assert "SAMPLE" in text  # example services: the printout says so
    # The other recipient's consent record is not shown to this one.
    assert text.count("Verbal") == 0

    medical = export.plan(store, draft, "en", "svc-md-medical-example")
    shown = {r.field for b in medical.blocks for r in b.rows}
    assert "reasons" in shown and "services_provided" not in shown
    # Consented, but identifying: only when the user includes it explicitly.
    assert "person_name" not in shown
    named = export.plan(store, draft, "en", "svc-md-medical-example", include=["person_name"])
    assert "Ana Identifiable" in named.texts()
    # Including a field the person did not consent to share does not add it.
    legal_named = export.plan(store, draft, "en", "svc-md-legal-example",
                              include=["person_name"])
    assert "Ana Identifiable" not in legal_named.texts()

    with pytest.raises(Exception, match="one recipient"):
        export.plan(store, draft, "en")
    with pytest.raises(Exception, match="No consent"):
        export.plan(store, draft, "en", "svc-md-police-example")


def test_identifying_fields_on_no_export_by_default(store: Store) -> None:
    from fieldkit.reports.model import report_types

    for rtype in report_types().values():
        for f in rtype.fields:
            if f.sensitivity != "identifying":
                continue
            values = {**(REFERRAL if rtype.consent else INCIDENT), f.id: "IDENTIFY-ME"}
            draft = drafts.create(store, rtype.id, values)
            recipient = "svc-md-medical-example" if rtype.consent else None
            plan = export.plan(store, draft, "en", recipient, check=False)
            assert "IDENTIFY-ME" not in plan.texts(), f.id


def test_password_protected_export(store: Store, tmp_path: Path) -> None:
    draft = drafts.create(store, "incident_note", {**INCIDENT, "account": ACCOUNTS["en"]})
    out = tmp_path / "locked.pdf"
    pdf.write(export.plan(store, draft, "en"), out, password="travel by mail 42")
    raw = out.read_bytes()
    assert b"distribution card" not in raw
    reader = PdfReader(out)
    assert reader.is_encrypted
    assert reader.decrypt("wrong password") == 0
    with pytest.raises(Exception):  # noqa: B017 - pypdf refuses without the password
        PdfReader(out).pages[0].extract_text()
    assert "/AESV3" in str(reader.trailer["/Encrypt"].get_object().get("/CF"))
    assert ACCOUNTS["en"] in _flat(" ".join(pypdf_pages(out, "travel by mail 42")))
    closed = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True)
    assert closed.returncode != 0
    opened = subprocess.run(["pdftotext", "-upw", "travel by mail 42", str(out), "-"],
                            capture_output=True, text=True, check=True)
    assert "distribution card" in opened.stdout


def test_no_copy_outside_the_chosen_file(starter_home: Path, tmp_path: Path) -> None:
    """The CLI export leaves the PDF in the chosen folder only: no temp files anywhere."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {"TMPDIR": str(temp), "TEMP": str(temp), "TMP": str(temp)}
    created = run_fieldkit("report", "new", "incident_note", "--json",
                           *[f"--set={k}={','.join(v) if isinstance(v, list) else v}"
                             for k, v in INCIDENT.items()],
                           "--set", "account=Zanzibar quokka secret", env=env)
    assert created.returncode == 0, created.stderr
    draft_id = json.loads(created.stdout)["id"]
    target = tmp_path / "out"
    target.mkdir()
    before_tmp = set(Path(tempfile.gettempdir()).iterdir())
    result = run_fieldkit("report", "export", draft_id, "--out", str(target / "n.pdf"),
                          "--password-env", "NOTE_PASSWORD", "--json",
                          env={**env, "NOTE_PASSWORD": "long enough pw"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["left_out"] == [
        {"field": "survivor_name", "reason": "identifying"}]
    assert [p.name for p in target.iterdir()] == ["n.pdf"]
    assert oct((target / "n.pdf").stat().st_mode & 0o777) == oct(0o600)
    assert list(temp.iterdir()) == []
    new_tmp = set(Path(tempfile.gettempdir()).iterdir()) - before_tmp
    for path in new_tmp:  # other processes may use /tmp: only look at what appeared
        if path.is_file():
            data = path.read_bytes()
            assert b"%PDF" not in data[:8] and b"Zanzibar" not in data
    assert sorted(p.name for p in starter_home.iterdir()) == ["fieldkit.db"] or \
        all(not p.name.endswith(".pdf") for p in starter_home.iterdir())


def test_cli_contract(starter_home: Path, capsys: pytest.CaptureFixture[str],
                      tmp_path: Path) -> None:
    assert cli_main(["report", "types", "--json"]) == 0
    types = json.loads(capsys.readouterr().out)
    assert [t["id"] for t in types] == ["incident_note", "referral_note", "activity_report",
                                        "case_summary"]
    # Validation errors name the field and the rule; exit 1; nothing created.
    assert cli_main(["report", "new", "incident_note", "--set", "note_date=2999-01-01",
                     "--set", "conduct=verbal,bribery"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "note_date (not_future)" in err and "conduct (choice)" in err
    assert "survivor_code" not in err  # missing is not wrong: a draft may be incomplete
    assert cli_main(["report", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert cli_main(["report", "new", "activity_report", "--json"]) == 0
    captured = capsys.readouterr()
    assert "Not complete yet: Date, " in captured.err
    empty_id = json.loads(captured.out)["id"]
    assert cli_main(["report", "export", empty_id, "--out", str(tmp_path / "e.pdf")]) == 0
    assert cli_main(["report", "delete", empty_id, "--yes"]) == 0
    capsys.readouterr()
    args = [f"--set={k}={','.join(v) if isinstance(v, list) else v}"
            for k, v in INCIDENT.items()]
    assert cli_main(["report", "new", "incident_note", *args, "--set", "account=first",
                     "--json"]) == 0
    draft_id = json.loads(capsys.readouterr().out)["id"]
    assert cli_main(["report", "update", draft_id, "--set", "account=second"]) == 0
    assert cli_main(["report", "revisions", draft_id, "--json"]) == 0
    capsys.readouterr()
    assert cli_main(["report", "restore", draft_id, "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["revision"] == 3
    assert cli_main(["report", "show", draft_id, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["values"]["account"] == "first"
    assert cli_main(["report", "list", "--type", "incident_note", "--text", "FIRST",
                     "--json"]) == 0
    assert [d["id"] for d in json.loads(capsys.readouterr().out)] == [draft_id]
    out = tmp_path / "x.pdf"
    assert cli_main(["report", "export", draft_id, "--out", str(out), "--lang", "zh",
                     "--paper", "a4"]) == 0
    assert "机密草稿" in pdftotext(out)
    capsys.readouterr()
    for lang in ("pt", "xx"):  # a form printed in no language it is written in: refused
        with pytest.raises(SystemExit) as refused:
            cli_main(["report", "export", draft_id, "--out", str(out), "--lang", lang])
        assert refused.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1].endswith("'xx' is not a language code: give a code such as en, fr or ro.")
    assert any(line.endswith("Printouts are made in ar, en, es, fr, ru, zh; not in pt.")
               for line in err)
    assert cli_main(["report", "export", draft_id, "--out", str(out), "--lang", "ru-MD"]) == 0
    assert "КОНФИДЕНЦИАЛЬНЫЙ ЧЕРНОВИК" in pdftotext(out)
    # Reading in Portuguese, the printout is in English (said once, by --lang's note).
    assert cli_main(["--lang", "pt", "report", "export", draft_id, "--out", str(out)]) == 0
    assert "CONFIDENTIAL DRAFT" in pdftotext(out)
    assert cli_main(["report", "export", draft_id, "--out", str(out), "--for", "svc"]) == 2
    assert "recipient" in capsys.readouterr().err
    assert cli_main(["report", "delete", draft_id]) == 2  # no terminal, no --yes: refused
    assert cli_main(["report", "delete", draft_id, "--yes"]) == 0
    assert cli_main(["report", "show", draft_id]) == 1


def test_show_names_incomplete_fields_by_their_label_in_the_readers_language(
        starter_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["--lang", "fr", "report", "new", "case_summary", "--json"]) == 0
    captured = capsys.readouterr()
    assert "Zone (niveau de rapport)" in captured.err and "reporting_level" not in captured.err
    draft_id = json.loads(captured.out)["id"]
    assert cli_main(["--lang", "fr", "report", "show", draft_id]) == 0
    out = capsys.readouterr().out
    assert "- Zone (niveau de rapport): " in out
    assert "reporting_level" not in out and "(required)" not in out


def test_referral_names_only_services_in_the_store(
        starter_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["report", "new", "referral_note",
                     "--set", "referred_to=svc-does-not-exist"]) == 1
    err = capsys.readouterr().err
    assert "referred_to (known_service)" in err and "svc-does-not-exist" in err
    # An item that is not a service is not a service either.
    assert cli_main(["report", "new", "referral_note",
                     "--set", "referred_to=law-bd-complaint-committees"]) == 1
    assert "referred_to (known_service)" in capsys.readouterr().err
    assert cli_main(["report", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    consent = json.dumps([{"recipient": "svc-gone", "date": "2026-11-21", "method": "verbal",
                           "fields": ["person_code"]}])
    assert cli_main(["report", "new", "referral_note", "--set",
                     "referred_to=svc-md-legal-example,svc-gone", f"--set=consent={consent}"]) == 1
    err = capsys.readouterr().err
    assert "referred_to (known_service)" in err and "consent (known_service)" in err


def test_a_service_removed_by_a_later_sync_is_said_plainly_and_kept(
        starter_home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from fieldkit import library

    args = [f"--set={k}={','.join(v) if isinstance(v, list) else v}"
            for k, v in REFERRAL.items() if k != "consent"]
    assert cli_main(["report", "new", "referral_note", *args,
                     f"--set=consent={json.dumps(REFERRAL['consent'])}", "--json"]) == 0
    draft_id = json.loads(capsys.readouterr().out)["id"]
    with Store.open(starter_home, PASSPHRASE) as opened:  # as a sync that removes it would
        assert library.delete_items(opened, ["svc-md-legal-example"]) == 1
    assert cli_main(["report", "update", draft_id, "--set", "priority=normal"]) == 0
    err = capsys.readouterr().err
    assert "svc-md-legal-example" in err and "no longer a service in this profile" in err
    assert cli_main(["report", "show", draft_id]) == 0
    out = capsys.readouterr().out
    assert "a service no longer in this profile (was svc-md-legal-example)" in out
    assert cli_main(["report", "show", draft_id, "--json"]) == 0
    values = json.loads(capsys.readouterr().out)["values"]
    assert values["referred_to"] == REFERRAL["referred_to"] and values["priority"] == "normal"
    out_pdf = tmp_path / "legal.pdf"
    assert cli_main(["report", "export", draft_id, "--out", str(out_pdf),
                     "--for", "svc-md-legal-example"]) == 0
    exported = _flat(pdftotext(out_pdf))
    assert "no longer in this profile" in exported
    assert "SAMPLE" in exported  # it was an example service: the printout still says so
    # Adding a service that does not exist is still refused.
    assert cli_main(["report", "update", draft_id, "--set",
                     "referred_to=svc-md-legal-example,svc-other-gone"]) == 1
    assert "svc-other-gone" in capsys.readouterr().err


def test_case_summary_from_notes(store: Store, tmp_path: Path) -> None:
    base = {**INCIDENT, "account": "x", "outcome": "referred", "conduct": ["verbal"]}
    for n in range(7):
        drafts.create(store, "incident_note", {**base, "incident_date": f"2026-10-0{n + 1}"})
    drafts.create(store, "incident_note", {**base, "conduct": ["physical", "verbal"]})
    drafts.create(store, "incident_note", {**base, "consent_statistics": "no"})
    from fieldkit.reports.summary import fill_from_notes

    filled = fill_from_notes(store, __import__("datetime").date(2026, 10, 15),
                             __import__("datetime").date(2026, 11, 30))
    assert (filled.period_start, filled.period_end) == ("2026-10-01", "2026-12-31")
    assert filled.counts == {"verbal": {"referred": 7}, "physical": {"referred": 1}}
    assert (filled.counted, filled.skipped) == (8, 1)
    summary = drafts.create(store, "case_summary", {
        "period_start": filled.period_start, "period_end": filled.period_end,
        "reporting_level": "Republic of Moldova", "counts": filled.counts})
    plan = export.plan(store, summary, "en")
    table = plan.blocks[-1].tables[0]
    cells = dict(table.rows)
    assert cells["Unwanted physical contact"][0] == "<5"
    assert "1" not in cells["Unwanted physical contact"]
    out = tmp_path / "summary.pdf"
    pdf.write(plan, out)
    assert "<5" in pdftotext(out)
    assert os.path.getsize(out) > 0
    assert io.BytesIO(out.read_bytes()).getvalue().startswith(b"%PDF")


def test_a_removed_service_keeps_the_sample_stamp_only_if_it_was_an_example(
        store: Store, tmp_path: Path) -> None:
    import dataclasses

    from fieldkit import library
    from tests.core.syncrepo import make_item

    real = dataclasses.replace(make_item("svc-md-test-real", "MD", "Test legal aid"),
                               example=False)
    library.put_items(store, [real])

    def referral(service: str) -> drafts.Draft:
        return drafts.create(store, "referral_note", {
            **REFERRAL, "referred_to": [service],
            "consent": [{**REFERRAL["consent"][1], "recipient": service}]})

    to_example, to_real = referral("svc-md-legal-example"), referral("svc-md-test-real")
    assert export.plan(store, to_example, "en", "svc-md-legal-example").sample
    assert not export.plan(store, to_real, "en", "svc-md-test-real").sample
    # A content update removes both services; the drafts keep naming them.
    assert library.delete_items(store, ["svc-md-legal-example", "svc-md-test-real"]) == 2
    for draft, service, sample in ((to_example, "svc-md-legal-example", True),
                                   (to_real, "svc-md-test-real", False)):
        plan = export.plan(store, draft, "fr", service)
        assert plan.sample is sample
        out = tmp_path / f"{service}.pdf"
        pdf.write(plan, out)
        text = _flat(pdftotext(out))
        assert f"(auparavant {service})" in text
        assert ("SPÉCIMEN" in text) is sample
