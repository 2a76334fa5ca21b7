"""A small multilingual test corpus, built in code (independent of the starter pack)."""

from __future__ import annotations

from fieldkit.content.model import Item, Version


def item(item_id: str, lang: str, title: str, body: str, kind: str = "guidance",
         country: str | None = None, **meta: object) -> Item:
    return Item(
        id=item_id, kind=kind, country=country, meta=dict(meta),
        versions={lang: Version(lang=lang, title=title, status="original", body=body)},
    )


CORPUS = [
    item("en-bystander", "en", "Helping as a witness",
         "Bystanders who intervene early can stop harassment before it grows."),
    item("en-report", "en", "Making a complaint", "You can report it formally or informally."),
    item("fr-harcelement", "fr", "Le harcèlement au travail",
         "Les témoins d'un harcèlement peuvent agir et signaler les faits."),
    item("es-acoso", "es", "Actuar ante el acoso",
         "Los testigos pueden denunciar los acosos que presencian."),
    item("ru-domog", "ru", "Домогательства на работе",
         "Свидетели домогательств могут сообщить о них руководству."),
    item("ar-taharrush", "ar", "التحرش في مكان العمل",
         "يمكن للشهود الإبلاغ عن التحرش الجنسي وطلب المساعدة."),
    item("zh-saorao", "zh", "工作场所的性骚扰", "旁观者可以举报性骚扰行为，并支持受害者。"),
    item("law-xx", "en", "Workplace law", "Harassment at work is covered by law.", kind="law",
         country="MD", status="legislated", law_topic="workplace-harassment-law",
         sources=[{"title": "A source"}], reviewed="2023"),
]
