"""Words the validator looks for, per language (they follow content/glossary-<lang>.md).

An item that speaks of sexual exploitation and abuse (SEA) must cite a source that covers
SEA: the rules differ from those on sexual harassment, and statements about harassment
must not be stretched to SEA. The title of the PSEA/SH focal point names SEA without
saying anything about it, so it is removed before looking."""

from __future__ import annotations

import re

SEA_MENTION: dict[str, re.Pattern[str]] = {
    "en": re.compile(r"sexual exploitation|exploitation (?:and|or) (?:sexual )?abuse|\bSEA\b",
                     re.IGNORECASE),
    "fr": re.compile(r"exploitation sexuelle|exploitation (?:et|ou) (?:les |d')?abus|\bEAS\b",
                     re.IGNORECASE),
    "es": re.compile(r"explotación sexual|explotación (?:y|o) (?:el )?abuso|\bEAS\b",
                     re.IGNORECASE),
    "ru": re.compile(r"сексуальн\w* эксплуатац|эксплуатац\w* (?:и|или) сексуальн|\bСЭН\b",
                     re.IGNORECASE),
    "ar": re.compile(r"الاستغلال"),
    "zh": re.compile(r"性剥削"),
}

FOCAL_POINT_TITLES: dict[str, re.Pattern[str]] = {
    "ar": re.compile(r"جهة التنسيق المعنية بالحماية من الاستغلال والانتهاك الجنسيين"
                     r" والتحرش الجنسي"),
    "zh": re.compile(r"防止性剥削、性虐待和性骚扰(?:（PSEA/SH）)?协调人"),
}


def mentions_sea(lang: str, text: str) -> bool:
    pattern = SEA_MENTION.get(lang.split("-")[0])
    if pattern is None:
        return False
    title = FOCAL_POINT_TITLES.get(lang.split("-")[0])
    if title is not None:
        text = title.sub(" ", text)
    return bool(pattern.search(text))
