"""Items and their per-language versions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

KINDS = ("guidance", "law", "service", "pathway")
SERVICE_CATEGORIES = (
    "medical", "psychosocial", "legal", "safety", "police", "shelter", "hotline",
    "ombudsperson", "victims-rights", "focal-point",
)
LAW_STATUSES = ("criminalised", "legislated", "policy", "practice", "risk", "unknown")
LAW_TOPICS = (
    "workplace-harassment-law", "criminal-status", "complaint-mechanisms", "online-harassment",
    "same-sex-relations", "legal-gender-recognition", "gender-based-violence", "national-policy",
)
TRANSLATION_STATUSES = ("original", "reviewed", "unreviewed")
DEFAULT_REVIEW_HORIZON_DAYS = 365
# What `review_note` says of an item nobody has checked since its source was published:
# its `reviewed` date is then the source's date, not a review (content/README.md).
NOT_REVIEWED_NOTE = "not reviewed since the source"
SOURCE_COVERS = ("sh", "sea")   # what a source is about: sexual harassment; exploitation and abuse


@dataclass
class Version:
    lang: str
    title: str
    status: str
    summary: str = ""
    body: str = ""
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def unreviewed(self) -> bool:
        return self.status == "unreviewed"

    @property
    def keywords(self) -> list[str]:
        """Everyday words a reader may type that the text does not use (front matter
        `keywords:`). Kept in `fields`, so the pack, the store and sync carry them as is."""
        words = self.fields.get("keywords") or []
        return [str(w).strip() for w in words if str(w).strip()] if isinstance(words, list) else []


@dataclass
class Item:
    id: str
    kind: str
    meta: dict[str, Any]
    versions: dict[str, Version]
    country: str | None = None
    location: str | None = None
    example: bool = False
    channel: str = "starter"
    version: int = 0
    origin: str = "pack"

    def pick(self, lang: str) -> Version:
        """The version to show: requested → English → any (DESIGN fallback chain)."""
        for candidate in (lang, lang.split("-")[0], "en"):
            if candidate in self.versions:
                return self.versions[candidate]
        return next(iter(self.versions.values()))

    @property
    def reviewed(self) -> dt.date | None:
        return parse_date(self.meta.get("reviewed"))

    @property
    def not_reviewed_since_source(self) -> bool:
        """True when nobody has checked the item since its source: its date is the source's."""
        return NOT_REVIEWED_NOTE in str(self.meta.get("review_note") or "").lower()

    def is_stale(self, today: dt.date | None = None) -> bool:
        reviewed = self.reviewed
        if self.not_reviewed_since_source:
            return True
        if reviewed is None:
            return self.kind == "law"
        horizon = int(self.meta.get("review_horizon_days") or DEFAULT_REVIEW_HORIZON_DAYS)
        return ((today or dt.date.today()) - reviewed).days > horizon


def parse_date(value: object) -> dt.date | None:
    """ISO dates, also a year alone or year-month (meaning their first day)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
