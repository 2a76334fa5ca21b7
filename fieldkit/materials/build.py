"""Building a material's PDF: the document for a request, then the kind's layout."""

from __future__ import annotations

from reportlab.lib.units import mm

from fieldkit.materials import Request, cards, flowing
from fieldkit.materials.facts import Facts, gather
from fieldkit.materials.wording import say
from fieldkit.store import Store
from fieldkit.typeset.document import Document


def document_for(request: Request, facts: Facts) -> Document:
    langs = request.langs
    assert request.paper is not None
    sample = " · ".join(say("sample", lang) for lang in langs) if facts.example else None
    kind = request.kind
    return Document(
        lang=langs[0], paper=request.paper, mark=sample, watermark=facts.example,
        title=f"{say('cards_title', langs[0])} — {facts.place(langs[0])}",
        page_numbers=kind == "leaflet", header_mark=kind != "wallet-cards",
        margin=cards.PRINTABLE_MARGIN if kind == "wallet-cards" else 16 * mm)


def render(store: Store, request: Request) -> bytes:
    """The PDF of a checked request, in memory (nothing is written anywhere)."""
    facts = gather(store, request.country, request.location, request.today)
    doc = document_for(request, facts)
    langs, qr = request.langs, request.qr
    if request.kind == "wallet-cards":
        return cards.render(doc, facts, langs, qr)
    if request.kind == "five-ds":
        return flowing.render(doc, facts, langs, lambda b: flowing.five_ds(b, qr))
    columns = 2 if len(langs) == 1 else 1
    if request.kind == "get-help":
        return flowing.render(doc, facts, langs, lambda b: flowing.get_help(b, qr, columns))
    return flowing.render(doc, facts, langs, lambda b: flowing.leaflet(b, qr, columns))
