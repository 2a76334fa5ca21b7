"""Printable materials for a place, in one or two languages, filled from the store.

Cheap to import (the app builds its view at start-up): the typesetting is imported by
`render`, in `fieldkit.materials.build`.

Kinds: the five Ds poster, the get-help poster, wallet cards (ten to a sheet) and a two-sided
leaflet. Every printout shows its content version and the date it is valid as of; anything
printed from example data carries a SAMPLE stamp; a service past its review horizon carries a
VERIFY mark; where the store has no service for the place, the printout says what always
applies (safety first, the organisation's focal point) and invents nothing.

Example::

    from fieldkit.materials import Request, render, save
    data = render(store, Request("wallet-cards", "MD", "Chișinău", ("ar", "fr"), "a4"))
    save(data, Path("cards.pdf"))
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError

from fieldkit import UN_LANGUAGES
from fieldkit.errors import UsageError
from fieldkit.i18n import N_, _
from fieldkit.materials.facts import Facts, gather
from fieldkit.store import Store
from fieldkit.typeset.paper import PAPER_NAMES, default_paper


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # N_-marked: translate with _()
    description: str
    papers: tuple[str, ...]


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("five-ds", N_("Five Ds poster"),
         N_("Be an upstander: Distract, Delegate, Document, Delay, Direct."),
         ("a4", "a3", "letter")),
    Kind("get-help", N_("Get-help poster"),
         N_("Where to get help here: the local services by category, with contacts and hours."),
         ("a4", "a3", "letter")),
    Kind("wallet-cards", N_("Wallet cards"),
         N_("Ten credit-card-size cards per sheet: key local contacts, the five Ds on the back."),
         ("a4", "letter")),
    Kind("leaflet", N_("Leaflet"),
         N_("Two-sided: your options, what a victim-centred approach means, local services."),
         ("a4", "letter")),
)}


@dataclass(frozen=True)
class Request:
    kind: str
    country: str
    location: str | None = None
    langs: tuple[str, ...] = ("en",)
    paper: str | None = None  # None: the user's region decides
    qr: str | None = None
    today: dt.date | None = None

    def checked(self) -> Request:
        """The request with its paper settled, or a UsageError saying what is wrong."""
        if self.kind not in KINDS:
            raise UsageError(_("Unknown material {kind}: choose one of {kinds}.").format(
                kind=self.kind, kinds=", ".join(KINDS)))
        langs = tuple(dict.fromkeys(lang.strip().lower() for lang in self.langs if lang.strip()))
        if not 1 <= len(langs) <= 2:
            raise UsageError(_("Give one language or two, e.g. ar,fr."))
        unknown = [lang for lang in langs if lang not in UN_LANGUAGES]
        if unknown:
            raise UsageError(_("Materials are printed in {languages}; not in {unknown}.").format(
                languages=", ".join(UN_LANGUAGES), unknown=", ".join(unknown)))
        kind = KINDS[self.kind]
        paper = (self.paper or user_paper()).lower()
        if paper not in PAPER_NAMES:
            raise UsageError(_("Unknown paper {paper}: choose a4, a3 or letter.").format(
                paper=paper))
        if paper not in kind.papers:
            raise UsageError(_("{kind} prints on A4 or US Letter only.").format(
                kind=_(kind.label)))
        if self.qr is not None and not self.qr.strip():
            raise UsageError(_("The QR code needs a text, a web address or a phone number."))
        if self.qr is not None and len(self.qr) > 300:
            raise UsageError(_("The QR code text is too long to scan reliably (300 characters "
                               "at most)."))
        return Request(self.kind, self.country.upper(), self.location or None, langs, paper,
                       self.qr.strip() if self.qr else None, self.today)


def user_territory() -> str | None:
    """The territory of the user's locale (LC_PAPER first, as the C library does)."""
    for var in ("LC_ALL", "LC_PAPER", "LANG"):
        value = os.environ.get(var, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            try:
                return Locale.parse(value.split(".")[0].split("@")[0]).territory
            except (UnknownLocaleError, ValueError):
                continue
    return None


def user_paper(territory: str | None = None) -> str:
    """US Letter where the region uses it (CLDR), else A4."""
    return default_paper(territory if territory is not None else user_territory())


def render(store: Store, request: Request) -> bytes:
    """The PDF of one material, in memory (nothing is written anywhere)."""
    from fieldkit.materials import build  # ReportLab and the fonts: only when printing

    return build.render(store, request.checked())


def file_name(request: Request) -> str:
    """A file name that says what the printout is: wallet-cards-ar-fr-md-a4.pdf."""
    place = request.location or request.country
    safe = "".join(c if c.isalnum() else "-" for c in place).strip("-").lower() or "place"
    return f"{request.kind}-{'-'.join(request.langs)}-{safe}-{request.paper}.pdf"


def render_batch(store: Store, requests: list[Request], folder: str | Path,
                 progress: Callable[[int, int, str], None] | None = None) -> list[Path]:
    """Render and save several materials into `folder`, one file each (atomically);
    `progress(done, total, name)` after each (it may raise Cancelled: files already
    written stay, complete)."""
    checked = [r.checked() for r in requests]
    written: list[Path] = []
    for n, request in enumerate(checked):
        name = file_name(request)
        if progress is not None:
            progress(n, len(checked), name)
        written.append(save(render(store, request), Path(folder) / name))
    if progress is not None:
        progress(len(checked), len(checked), "")
    return written


def save(data: bytes, path: str | Path) -> Path:
    """Write the PDF where the user chose, atomically (temp file beside it, then replace)."""
    from fieldkit.typeset.document import Document

    return Document().save(data, path, mode=0o644)


__all__ = ["KINDS", "Facts", "Kind", "Request", "file_name", "gather", "render", "render_batch",
           "save", "user_paper", "user_territory"]
