"""The starter pack: complete, sourced, marked where fictitious, and found in every language."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from fieldkit import UN_LANGUAGES, cli
from fieldkit.content.pack import starter_items
from fieldkit.content.source import FICTITIOUS
from tests.conftest import ROOT, run_fieldkit

CONTENT = ROOT / "content"
SEVEN = ["AU", "BD", "IL", "IS", "MD", "NG", "ZW"]


def json_out(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert cli.main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_pack_is_complete() -> None:
    items = starter_items()
    guidance = [i for i in items if i.kind == "guidance"]
    assert len(guidance) == 15
    for item in items:
        assert set(UN_LANGUAGES) <= set(item.versions), item.id
        for lang, version in item.versions.items():
            assert version.status == ("original" if lang == "en" else "unreviewed"), item.id


def test_countries(starter_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    countries = json_out(capsys, "countries")
    assert [c["code"] for c in countries] == SEVEN
    assert {c["code"]: c["name"] for c in countries}["MD"] == "Moldova"
    ru = json_out(capsys, "--lang", "ru", "countries")
    assert {c["code"]: c["name"] for c in ru}["MD"] == "Молдова"


def test_law_notes_have_source_and_review_date(starter_home: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    notes = json_out(capsys, "law", "BD")
    bd = [n for n in notes if n["country"] == "BD"]
    assert bd
    for note in bd:
        assert note["provenance"]["sources"][0]["title"] == "Making zero tolerance a reality"
        # The publication year is the source's date, not a review: the data says so.
        assert str(note["provenance"]["reviewed"]) == "2023"
        assert note["provenance"]["reviewer"] is None
        assert note["provenance"]["not_reviewed_since_source"] is True
        assert note["stale"] is True  # invites the country team to confirm
    assert any(n["country"] is None and n["meta"]["risk"] for n in notes)  # the global note
    assert cli.main(["law", "BD"]) == 0
    text = capsys.readouterr().out
    assert "Source: Making zero tolerance a reality" in text
    assert "Not reviewed since the source, 2023" in text and "Not legal advice" in text
    assert "Last reviewed: 2023" not in text


def test_example_pathway(starter_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pathway = json_out(capsys, "pathway", "MD")
    assert pathway["example"] is True
    branches = {b["id"] for b in pathway["meta"]["branches"]}
    assert {"immediate-danger", "medical-care", "someone-to-talk-to", "report-formally",
            "report-informally", "legal-advice"} <= branches
    assert pathway["services"]
    assert pathway["other_pathways"] == []
    categories = set()
    for service in pathway["services"]:
        assert service["example"] is True
        categories.add(service["meta"]["category"])
        for contact in service["meta"]["contacts"]:
            assert FICTITIOUS.search(contact["value"]), contact
    assert len(categories) == 10


EVERYDAY_WORDS = {
    "en": {"harassment": "harassment", "bystander": "bystander", "report": "report"},
    "fr": {"harassment": "harcèlement", "bystander": "témoin", "report": "signaler"},
    "es": {"harassment": "acoso", "bystander": "testigo", "report": "denunciar"},
    "ru": {"harassment": "домогательства", "bystander": "свидетель", "report": "сообщить"},
    "ar": {"harassment": "التحرش", "bystander": "الشاهد", "report": "الإبلاغ"},
    "zh": {"harassment": "骚扰", "bystander": "旁观者", "report": "举报"},
}
EXPECTED = {"bystander": "bystander-intervention", "report": "reporting-options"}


@pytest.mark.parametrize("lang", sorted(EVERYDAY_WORDS))
def test_everyday_words_find_the_article_in_that_language(
    starter_home: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    for concept, word in EVERYDAY_WORDS[lang].items():
        results = json_out(capsys, "--lang", lang, "search", word, "--limit", "5")
        assert results, (lang, word)
        first = results[0]
        assert first["lang"] == lang, (lang, word, first)
        if concept in EXPECTED:
            top = [r["id"] for r in results[:3]]
            assert EXPECTED[concept] in top, (lang, word, top)
        else:
            assert first["kind"] in ("guidance", "law"), (lang, word, first)


# -- the validator catches what would mislead a reader -----------------------------


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def validate(folder: Path) -> tuple[int, str]:
    result = run_fieldkit("content", "validate", str(folder))
    return result.returncode, result.stdout + result.stderr


def test_validator_accepts_the_pack() -> None:
    assert validate(CONTENT)[0] == 0


def _edit(content: Path, relative: str, change: Callable[[str], str]) -> None:
    path = content / relative
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


BROKEN_PACKS = {
    "missing translation": (
        lambda c: (c / "guidance/bystander-intervention/ar.md").unlink(),
        "bystander-intervention: the ar translation is missing"),
    "unsourced law note": (
        lambda c: _edit(c, "law/law-bd-sexual-harassment/item.yaml",
                        lambda t: re.sub(r"(?ms)^sources:.*?(?=^\w)", "", t)),
        "law-bd-sexual-harassment: a law note must cite at least one source"),
    "fictitious service without the example flag": (
        lambda c: _edit(c, "service/svc-md-medical-example/item.yaml",
                        lambda t: t.replace("example: true", "example: false")),
        "svc-md-medical-example: fictitious contacts"),
    "malformed pathway": (
        lambda c: _edit(c, "pathway/pathway-md-chisinau/item.yaml",
                        lambda t: re.sub(r"(?ms)^branches:.*", "branches: [a, b]\n", t)),
        "pathway-md-chisinau: a field has the wrong shape"),
    "review date without a reviewer": (
        lambda c: _edit(c, "guidance/bystander-intervention/item.yaml",
                        lambda t: re.sub(r"(?m)^reviewer:.*\n", "", t)),
        "bystander-intervention: reviewed: 2026-12 needs the reviewer's name"),
    "source year presented as a review": (
        lambda c: _edit(c, "law/law-bd-sexual-harassment/item.yaml",
                        lambda t: re.sub(r"(?m)^review_note:.*\n", "", t)),
        "law-bd-sexual-harassment: reviewed: 2023 needs the reviewer's name"),
    "SEA spoken of without a source on SEA": (
        lambda c: _edit(c, "guidance/reporting-options/item.yaml",
                        lambda t: t.replace("covers: [sea]", "covers: [sh]")),
        "reporting-options: ar.md speaks of sexual exploitation and abuse, but no source"),
    "harassment statement stretched to SEA in one translation": (
        lambda c: _edit(c, "guidance/training-that-works/zh.md",
                        lambda t: t.replace("识别性骚扰，", "识别性骚扰、性剥削和性虐待，")),
        "training-that-works: zh.md speaks of sexual exploitation and abuse"),
    "guidance without keywords in one language": (
        lambda c: _edit(c, "guidance/bystander-intervention/ar.md",
                        lambda t: re.sub(r"(?m)^keywords:.*\n", "", t)),
        "bystander-intervention: ar.md: a guidance item needs keywords"),
    "example service claiming to be safe for LGBTIQ+ people": (
        lambda c: _edit(c, "service/svc-md-focal-point-example/item.yaml",
                        lambda t: t.replace("lgbtiq_safe: unknown", "lgbtiq_safe: true")),
        "svc-md-focal-point-example: an example service cannot claim lgbtiq_safe: true"),
    "real-looking contact on an example": (
        lambda c: _edit(c, "service/svc-bd-hotline-example/item.yaml",
                        lambda t: re.sub(r"\+000[\d ]+", "+880 2 5555 0101", t, count=1)),
        "may only use fictitious contacts"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_PACKS))
def test_validator_rejects(content_copy: Path, case: str) -> None:
    breaks, expected = BROKEN_PACKS[case]
    breaks(content_copy)
    code, out = validate(content_copy)
    assert code == 1
    assert expected in out


def test_validator_rejects_dangling_link(content_copy: Path) -> None:
    page = content_copy / "guidance" / "bystander-intervention" / "en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[x](item:no-such-thing)\n",
                    encoding="utf-8")
    code, out = validate(content_copy)
    assert code == 1
    assert "item:no-such-thing" in out


# -- keywords: everyday words the text does not use, carried into the pack --------------


def test_keywords_are_kept_in_the_built_pack_and_the_store(tmp_path: Path,
                                                          starter_home: Path) -> None:
    from fieldkit import library
    from fieldkit.content.pack import build_pack, read_pack
    from fieldkit.store import Store
    from tests.conftest import PASSPHRASE

    out = tmp_path / "pack.json"
    build_pack(CONTENT, out)
    raw = json.loads(out.read_text(encoding="utf-8"))
    by_id = {i["id"]: i for i in raw["items"]}
    assert "anonymous" in by_id["reporting-options"]["versions"]["en"]["fields"]["keywords"]
    packed = {i.id: i for i in read_pack(out.read_bytes())}
    assert "anonymous" in packed["reporting-options"].pick("en").keywords
    with Store.open(starter_home, PASSPHRASE) as store:
        stored = library.get_item(store, "reporting-options")
    assert stored.pick("en").keywords == packed["reporting-options"].pick("en").keywords


def test_validator_rejects_keywords_that_are_not_a_list_of_words(content_copy: Path) -> None:
    _edit(content_copy, "guidance/reporting-options/en.md",
          lambda t: re.sub(r"(?m)^keywords:.*$", "keywords: {boss: 1}", t))
    code, out = validate(content_copy)
    assert code == 1
    assert "reporting-options: en.md: keywords must be a list" in out


# -- what the pack says about SEA, harassment and review dates -----------------------


def test_sea_item_rests_on_the_bulletin_in_every_language() -> None:
    items = {i.id: i for i in starter_items()}
    sea = items["sexual-exploitation-and-abuse"]
    assert sea.meta["order"] == 2
    assert [s["covers"] for s in sea.meta["sources"]] == [["sea"]]
    assert "ST/SGB/2003/13" in sea.meta["sources"][0]["publisher"]
    for lang in UN_LANGUAGES:
        body = sea.versions[lang].body
        assert "ST/SGB/2003/13" in body and "3.2" in body.replace("3-2", "3.2"), lang
        assert "18" in body, lang  # the age in the standard on children
    en = sea.versions["en"].body
    assert "must report them through the established reporting mechanisms" in en
    assert "Mistaken belief in the age of a child is not a defence" in en


def test_sexual_harassment_is_defined_first() -> None:
    guidance = sorted((i for i in starter_items() if i.kind == "guidance"),
                      key=lambda i: int(i.meta["order"]))
    first = guidance[0]
    assert first.id == "harassment-and-power"
    assert any(s["title"] == "UN System Model Policy on Sexual Harassment"
               for s in first.meta["sources"])
    assert ("any unwelcome conduct of a sexual nature that might reasonably be expected or be "
            "perceived to cause offence or humiliation") in first.versions["en"].body
    for lang in UN_LANGUAGES:
        assert "ST/SGB/2019/8" in first.versions[lang].body, lang


def test_a_note_nobody_rechecked_is_stale_whatever_its_date() -> None:
    import datetime as dt

    items = {i.id: i for i in starter_items()}
    note = items["law-bd-sexual-harassment"]
    assert note.not_reviewed_since_source
    assert note.is_stale(today=dt.date(2023, 6, 1))  # inside the horizon, still stale
    reviewed = items["bystander-intervention"]
    assert not reviewed.not_reviewed_since_source
    assert not reviewed.is_stale(today=dt.date(2027, 1, 1))


def test_review_line_in_every_language() -> None:
    from fieldkit import i18n
    from fieldkit.presenters import review_line

    items = {i.id: i for i in starter_items()}
    note = items["law-bd-sexual-harassment"]
    for lang in UN_LANGUAGES:
        i18n.set_language(lang)
        try:
            text = review_line(note, lang)
        finally:
            i18n.set_language("en")
        assert "2023" in text, lang
        if lang != "en":
            assert "Not reviewed" not in text and "Last reviewed" not in text, (lang, text)
    assert review_line(note, "en") == "Not reviewed since the source, 2023"
    assert review_line(items["bystander-intervention"], "en") == "Last reviewed: Dec 2026"
