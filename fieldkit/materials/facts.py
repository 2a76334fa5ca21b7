"""What a printout says about a place, read from the store: services, focal points, whether any
of it is example data, the content version and what needs verifying."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from fieldkit import library
from fieldkit.content.model import SERVICE_CATEGORIES, Item
from fieldkit.i18n import country_name
from fieldkit.store import Store

# Which services a wallet card lists first when there is room for only a few.
CARD_PRIORITY = ("hotline", "focal-point", "medical", "police", "safety", "psychosocial",
                 "legal", "shelter", "ombudsperson", "victims-rights")


@dataclass(frozen=True)
class Facts:
    country: str
    location: str | None
    services: tuple[Item, ...]  # in category order, then by id
    pathway: Item | None
    today: dt.date

    @property
    def items(self) -> tuple[Item, ...]:
        return self.services + ((self.pathway,) if self.pathway is not None else ())

    @property
    def example(self) -> bool:
        """Anything printed from example data carries the SAMPLE stamp."""
        return any(item.example for item in self.items)

    @property
    def focal_points(self) -> tuple[Item, ...]:
        return tuple(s for s in self.services if s.meta.get("category") == "focal-point")

    @property
    def whole_country(self) -> bool:
        return self.location is None

    @property
    def places(self) -> tuple[str, ...]:
        """For a whole-country printout, the places whose own services it lists (a wallet
        card names them: it has no room for every place's contacts)."""
        if not self.whole_country:
            return ()
        return tuple(sorted({s.location for s in self.services if s.location is not None}))

    def place(self, lang: str) -> str:
        return self.location or country_name(self.country, lang)

    def marked(self, item: Item) -> str | None:
        """The place a service is marked with: on a whole-country printout, a service listed
        for one place says which (a reader elsewhere must not take it for theirs)."""
        return item.location if self.whole_country else None

    def stale(self, item: Item) -> bool:
        return item.is_stale(self.today)

    @property
    def version(self) -> str:
        """The content printed: its channels and versions, and a short digest of exactly which
        items at which versions (two printouts with the same digest say the same)."""
        channels: dict[str, int] = {}
        for item in self.items:
            channels[item.channel] = max(channels.get(item.channel, 0), item.version)
        digest = hashlib.sha256("\n".join(
            f"{i.id}@{i.channel}:{i.version}:{i.meta.get('reviewed', '')}"
            for i in sorted(self.items, key=lambda i: i.id)).encode()).hexdigest()[:8]
        names = ", ".join(f"{c} v{v}" for c, v in sorted(channels.items()))
        return f"{names} ({digest})" if names else digest

    def card_services(self, limit: int) -> list[Item]:
        """The services a wallet card lists: on a whole-country card only the country-wide
        ones (the card names the places that have their own: `places`)."""
        pool = [s for s in self.services if not (self.whole_country and s.location)]
        ranked = sorted(pool, key=lambda s: (
            CARD_PRIORITY.index(s.meta["category"]) if s.meta.get("category") in CARD_PRIORITY
            else len(CARD_PRIORITY), s.id))
        return ranked[:limit]


def _here(item: Item, location: str | None) -> bool:
    """Country-wide items apply everywhere in the country; a located item only at its place.
    Without a location the printout is for the whole country: every place's services, each
    marked with its place (a country whose services are all listed by town has services)."""
    if item.location is None or location is None:
        return True
    return item.location.casefold() == location.casefold()


def gather(store: Store, country: str, location: str | None = None,
           today: dt.date | None = None) -> Facts:
    """The services of a place (its pathway's and those listed for it), and its pathway."""
    country = country.upper()
    pathways = [p for p in library.items(store, "pathway", country)
                if _here(p, location) and (location is not None or p.location is None)]
    pathway = sorted(pathways, key=lambda p: (p.location is None, p.id))[0] if pathways else None
    services: dict[str, Item] = {}
    if pathway is not None:
        services.update((s.id, s) for s in library.pathway_services(store, pathway))
    for service in library.items(store, "service", country):
        if _here(service, location):
            services.setdefault(service.id, service)
    ordered = sorted(services.values(), key=lambda s: (
        SERVICE_CATEGORIES.index(s.meta["category"])
        if s.meta.get("category") in SERVICE_CATEGORIES else len(SERVICE_CATEGORIES),
        s.location is not None, s.location or "", s.id))
    return Facts(country, location, tuple(ordered), pathway, today or dt.date.today())
