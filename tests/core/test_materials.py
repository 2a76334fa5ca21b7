"""Printable materials read back from the PDFs: names and contacts in the chosen languages,
honesty marks, the fallback where nothing is listed, QR codes, paper and card geometry."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from fieldkit import library, materials
from fieldkit.cli import main
from fieldkit.content.model import Item, Version
from fieldkit.errors import UsageError
from fieldkit.materials import Request, cards
from fieldkit.materials.wording import LANGS, WORDING, say
from fieldkit.store import Store
from fieldkit.typeset.linebreak import exact_opportunities, opportunities
from tests.conftest import PASSPHRASE, run_fieldkit
from tests.core.test_typeset import pdftotext, plain, pypdf_pages, word_boxes

TODAY = dt.date(2026, 12, 1)
PLACE = "Chișinău"
KINDS = list(materials.KINDS)


@pytest.fixture(scope="module")
def store(starter_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("materials") / "profile"
    shutil.copytree(starter_template, folder)  # the template is shared: never opened
    with Store.open(folder, PASSPHRASE) as opened:
        yield opened


_rendered: dict[tuple[object, ...], bytes] = {}


def render(store: Store, kind: str, langs: str, location: str | None = PLACE,
           country: str = "MD", paper: str = "a4", qr: str | None = None) -> bytes:
    key = (id(store), kind, langs, location, country, paper, qr)
    if key not in _rendered:
        _rendered[key] = materials.render(store, Request(
            kind, country, location, tuple(langs.split(",")), paper, qr, TODAY))
    return _rendered[key]


def texts(data: bytes) -> dict[str, str]:
    return {"pdftotext": pdftotext(data), "pypdf": "\n".join(pypdf_pages(data))}


def md_services(store: Store) -> list[Item]:
    return materials.gather(store, "MD", PLACE, TODAY).services


@pytest.mark.parametrize("lang", ["en", "ar", "zh"])
@pytest.mark.parametrize("kind", ["get-help", "wallet-cards", "leaflet"])
def test_local_services_and_contacts_read_back_in_the_language(store: Store, kind: str,
                                                               lang: str) -> None:
    data = render(store, kind, lang)
    services = md_services(store)
    shown = services if kind != "wallet-cards" else materials.gather(
        store, "MD", PLACE, TODAY).card_services(2)
    for extractor, text in texts(data).items():
        got = plain(text)
        for service in shown:
            assert plain(service.pick(lang).title) in got, (extractor, service.id)
            phone = next(c["value"] for c in service.meta["contacts"] if c["type"] == "phone")
            assert plain(phone) in got, (extractor, service.id, phone)
        if kind != "wallet-cards":
            assert plain(say("get_help_title", lang, place=PLACE)) in got


@pytest.mark.parametrize("lang", ["en", "ar", "zh"])
def test_five_ds_poster_reads_back(store: Store, lang: str) -> None:
    data = render(store, "five-ds", lang)
    for text in texts(data).values():
        got = plain(text)
        for n in range(1, 6):
            assert plain(say(f"d{n}", lang)) in got and plain(say(f"d{n}_line", lang)) in got
        assert plain(say("safety_first", lang)) in got


def test_arabic_and_french_wallet_cards_on_one_sheet(store: Store) -> None:
    data = render(store, "wallet-cards", "ar,fr")
    pages = pypdf_pages(data)
    assert len(pages) == 2
    front = plain(pages[0])
    assert front.count(plain(say("cards_title", "ar"))) == 5
    assert front.count(plain(say("cards_title", "fr"))) == 5
    back = plain(pages[1])
    assert back.count(plain(say("d1_line", "ar"))) == 5
    assert back.count(plain(say("d1_line", "fr"))) == 5


def test_every_page_shows_content_version_and_valid_as_of_date(store: Store) -> None:
    version = materials.gather(store, "MD", PLACE, TODAY).version
    for kind in KINDS:
        for page in pypdf_pages(render(store, kind, "en")):
            assert version in page and "Dec 1, 2026" in page, kind


def test_example_data_is_stamped_sample_and_real_data_is_not(
        store: Store, starter_home: Path) -> None:
    for kind in KINDS:
        for page in pypdf_pages(render(store, kind, "en")):
            assert "SAMPLE" in page, kind
    with Store.open(starter_home, PASSPHRASE) as own:
        library.put_items(own, [_service("svc-is-hotline", "IS", "Reykjavík", "2026-10-01")])
        for kind in KINDS:
            data = materials.render(own, Request(kind, "IS", "Reykjavík", ("en",), "a4",
                                                 today=TODAY))
            for text in texts(data).values():
                assert "SAMPLE" not in text and "fictitious" not in text, kind
                if kind != "five-ds":
                    assert "Test Hotline Reykjavík" in text, kind


def test_stale_service_carries_a_verify_mark(starter_home: Path) -> None:
    with Store.open(starter_home, PASSPHRASE) as own:
        library.put_items(own, [_service("svc-is-old", "IS", "Akureyri", "2024-03-01"),
                                _service("svc-is-new", "IS", "Húsavík", "2026-11-01")])
        old = materials.render(own, Request("get-help", "IS", "Akureyri", ("en",), "a4",
                                            today=TODAY))
        new = materials.render(own, Request("get-help", "IS", "Húsavík", ("en",), "a4",
                                            today=TODAY))
    assert plain("VERIFY before use: last checked Mar 1, 2024") in plain(pdftotext(old))
    assert "VERIFY" not in pdftotext(new)


def _service(item_id: str, country: str, location: str, reviewed: str) -> Item:
    return Item(
        id=item_id, kind="service", country=country, location=location, example=False,
        meta={"category": "hotline", "contacts": [{"type": "phone", "value": "+000 0000 0200"}],
              "languages": ["en"], "reviewed": reviewed, "review_horizon_days": 365,
              "sources": [{"title": "test"}]},
        versions={"en": Version("en", f"Test Hotline {location}", "original",
                                fields={"hours": "24 hours"})})


def test_phone_numbers_keep_their_order_inside_arabic_on_the_page(store: Store) -> None:
    for kind in ("get-help", "wallet-cards"):
        words = word_boxes(render(store, kind, "ar"))
        groups = [(w, x, y) for w, x, y in words if w in ("+000", "0000", "0107")]
        starts = [k for k, (w, _x, _y) in enumerate(groups) if w == "+000"]
        checked = 0
        for k in starts:  # the groups printed just after "+000" on its line, left to right
            x_plus, y_plus = groups[k][1], groups[k][2]
            line = [g for g in groups if abs(g[2] - y_plus) < 0.5 and -60 < g[1] - x_plus < 60]
            ordered = [w for w, _x, _y in sorted(line, key=lambda g: g[1])]
            if "0107" in ordered:
                assert ordered == ["+000", "0000", "0107"], (kind, line)
                checked += 1
        assert checked >= 1, kind


@pytest.mark.parametrize("kind", ["get-help", "wallet-cards", "five-ds", "leaflet"])
def test_no_services_prints_what_always_applies_and_invents_nothing(store: Store,
                                                                    kind: str) -> None:
    data = render(store, kind, "en", location=None, country="IS")
    text = pdftotext(data)
    assert plain(say("safety_first", "en")) in plain(text)
    assert plain(say("focal_point", "en")) in plain(text)
    if kind in ("get-help", "wallet-cards", "leaflet"):
        assert plain(say("no_services", "en", place="Iceland")) in plain(text)
    assert not re.search(r"\+\s?\d", text), "a number nobody gave"
    assert "SAMPLE" not in text


def test_qr_code_decodes_to_the_same_text(store: Store, tmp_path: Path) -> None:
    target = "https://example.org/help?lang=ar"
    for kind, page in (("five-ds", 1), ("wallet-cards", 2)):
        pdf = tmp_path / f"{kind}.pdf"
        pdf.write_bytes(render(store, kind, "ar", qr=target))
        subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", str(page), "-l", str(page),
                        str(pdf), str(tmp_path / kind)], check=True)
        png = next(tmp_path.glob(f"{kind}-*.png"))
        decoded = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True,
                                 text=True).stdout.split()
        assert decoded and set(decoded) == {target}, kind
        if kind == "wallet-cards":
            assert len(decoded) == 10


def test_paper_default_follows_the_region(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LC_ALL", "LC_PAPER", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert materials.user_paper() == "letter"
    monkeypatch.setenv("LC_PAPER", "fr_FR.UTF-8")
    assert materials.user_paper() == "a4"
    monkeypatch.setenv("LC_ALL", "es_MX.UTF-8")
    assert materials.user_paper() == "letter"
    assert materials.user_paper("CA") == "letter" and materials.user_paper("MD") == "a4"
    assert Request("five-ds", "MD").checked().paper == "letter"


@pytest.mark.parametrize(("paper", "size"), [("a4", (595.3, 841.9)), ("letter", (612.0, 792.0)),
                                             ("a3", (841.9, 1190.6))])
def test_paper_sizes(store: Store, paper: str, size: tuple[float, float]) -> None:
    kind = "five-ds"
    box = PdfReader(io.BytesIO(render(store, kind, "en", paper=paper))).pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == size


def test_cards_and_a3_leaflets_are_refused_with_a_reason() -> None:
    with pytest.raises(UsageError, match="A4 or US Letter"):
        Request("wallet-cards", "MD", paper="a3").checked()
    with pytest.raises(UsageError, match="one language or two"):
        Request("leaflet", "MD", langs=("ar", "fr", "en")).checked()


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_ten_cards_within_the_printable_area(store: Store, paper: str) -> None:
    from fieldkit.typeset import paper_size

    width, height = paper_size(paper)
    low, high_x, high_y = cards.PRINTABLE_MARGIN, width - cards.PRINTABLE_MARGIN, \
        height - cards.PRINTABLE_MARGIN
    for back in (False, True):
        slots = cards.slots((width, height), back)
        assert len(slots) == 10
        for s in slots:
            x0, y0, x1, y1 = s.box
            assert low <= x0 and x1 <= high_x and low <= y0 and y1 <= high_y
            assert round(x1 - x0, 2) == round(85.6 * 72 / 25.4, 2)
            assert round(y1 - y0, 2) == round(54 * 72 / 25.4, 2)
        boxes = sorted((round(s.x), round(s.y)) for s in slots)
        assert len(set(boxes)) == 10  # no two cards overlap (same-size cells on a grid)
    marks = cards.crop_marks((width, height))
    assert marks, "no crop marks"
    for x_a, y_a, x_b, y_b in marks:
        assert all(low - 0.01 <= v for v in (x_a, y_a, x_b, y_b))
        assert max(x_a, x_b) <= high_x + 0.01 and max(y_a, y_b) <= high_y + 0.01
    data = render(store, "wallet-cards", "ar,fr", paper=paper)
    stamp = plain(say("sample", "ar") + say("sample", "fr"))  # the diagonal watermark may bleed
    for word, x, y in word_boxes(data):  # pdftotext's y runs from the top
        if plain(word) and plain(word) not in stamp and plain(word) != "·":
            assert low - 1 <= x <= high_x and low - 1 <= y <= high_y, word


def test_cli_list_and_render(starter_home: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["material", "list", "--json"]) == 0
    assert [k["kind"] for k in json.loads(capsys.readouterr().out)] == KINDS
    out = tmp_path / "print" / "cards.pdf"
    assert main(["material", "render", "wallet-cards", "--country", "md", "--location", PLACE,
                 "--lang", "ar,fr", "--paper", "letter", "--out", str(out)]) == 0
    assert "SAMPLE" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF")
    assert sorted(os.listdir(out.parent)) == ["cards.pdf"]
    assert main(["material", "render", "leaflet", "--country", "MD", "--lang", "en",
                 "--paper", "a3", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "A4 or US Letter" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
    # Reading in Portuguese (no materials in it), --lang left out: printed in English.
    assert main(["--lang", "pt", "material", "render", "five-ds", "--country", "MD",
                 "--out", str(tmp_path / "pt.pdf"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["langs"] == ["en"]


def test_cli_in_a_real_process(starter_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "poster.pdf"
    done = run_fieldkit("material", "render", "five-ds", "--country", "MD", "--location", PLACE,
                        "--lang", "zh", "--paper", "a4", "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["example"] is True and out.exists()


def test_wording_complete_in_six_languages() -> None:
    for key, by_lang in WORDING.items():
        assert set(by_lang) == set(LANGS), key
        holes = {lang: sorted(re.findall(r"\{[a-z]+\}", text)) for lang, text in by_lang.items()}
        assert len({tuple(h) for h in holes.values()}) == 1, (key, holes)
        assert all(text.strip() for text in by_lang.values()), key


def test_fast_line_breaks_agree_with_uniseg_on_the_printed_wording() -> None:
    # uniseg is the exact answer but slow: three scripts' worth here, the whole corpus in
    # bench/materials.py.
    samples = [by_lang[lang] for by_lang in WORDING.values() for lang in ("ar", "fr", "zh")]
    samples += ["Ça va ? « Oui » ! 12,5 % — 1990–2000 (x) [y] https://a-b.example/c?d=1",
                "请在9点到17点之间拨打热线电话+373 22 000 000，“免费”且保密。「好」《书》"]
    disagree = [t for t in samples if opportunities(t) != exact_opportunities(t)]
    assert disagree == []


@pytest.mark.parametrize("kind,langs", [("get-help", "fr"), ("leaflet", "en"),
                                        ("get-help", "ar,fr")])
def test_whole_country_printout_lists_every_place_services_marked_with_their_place(
        store: Store, kind: str, langs: str) -> None:
    # Moldova's services are all listed under Chișinău: a whole-country printout must list
    # them (each marked with its place), never say the country has none.
    located = md_services(store)
    assert located and all(s.location == PLACE for s in located)
    data = render(store, kind, langs, location=None)
    for text in texts(data).values():
        got = plain(text)
        for lang in langs.split(","):
            for service in located if lang != "ar" else ():  # side by side: bidi order
                assert plain(service.pick(lang).title) in got, (lang, service.id)
            assert plain(say("place_label", lang)) in got
            country = materials.gather(store, "MD", None, TODAY).place(lang)
            assert plain(say("no_services", lang, place=country)) not in got
            assert plain(say("get_help_title", lang, place=country)) in got
        assert plain(PLACE) in got


def test_whole_country_wallet_cards_name_the_places_truthfully(
        store: Store, starter_home: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    facts = materials.gather(store, "MD", None, TODAY)
    assert facts.places == (PLACE,) and facts.card_services(4) == []
    front = plain(pypdf_pages(render(store, "wallet-cards", "ar,fr", location=None))[0])
    for lang in ("ar", "fr"):
        assert plain(say("no_services", lang, place=facts.place(lang))) not in front
        assert plain(say("safety_first", lang)) in front
    assert front.count(plain(say("by_place", "fr", places=PLACE))) == 5
    assert main(["material", "render", "wallet-cards", "--country", "MD", "--lang", "ar,fr",
                 "--paper", "a4", "--out", str(tmp_path / "x.pdf")]) == 0
    assert PLACE in capsys.readouterr().out  # says where the local cards can be printed for


def test_no_preposition_glued_to_a_place_name() -> None:
    # "à Moldavie", "в Молдова", "لـآيسلندا": a place name is introduced by punctuation only.
    for key, by_lang in WORDING.items():
        for lang, text in by_lang.items():
            for hole in ("{place}", "{places}"):
                if hole in text:
                    before = text[:text.index(hole)]
                    assert before == "" or before.rstrip().endswith(("—", ":", "：")), (
                        key, lang, text)
