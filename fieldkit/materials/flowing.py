"""The kinds laid out as pages of flowables: the five Ds poster, the get-help poster and the
two-sided leaflet. Two languages go side by side, the first on the side it is read from.
Each page is fitted by shrinking all its text together until it fits; nothing overflows."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable, PageBreak, Spacer

from fieldkit import RTL_LANGUAGES
from fieldkit.errors import FieldkitError
from fieldkit.i18n import _
from fieldkit.materials.blocks import ACCENT, Blocks
from fieldkit.materials.facts import Facts
from fieldkit.materials.wording import say
from fieldkit.typeset import Column, Grid, measure
from fieldkit.typeset.document import Document

Page = list[Flowable]
Builder = Callable[[Blocks], list[Page]]  # one language's pages at one scale
SCALES = [1.3 - 0.05 * n for n in range(19)]  # 130 % down to 40 %


def _rtl(lang: str) -> bool:
    return lang in RTL_LANGUAGES


def five_ds(b: Blocks, qr: str | None) -> list[Page]:
    page: Page = [b.para(say("five_ds_title", b.lang), 28, bold=True, color=ACCENT),
                  b.para(say("five_ds_intro", b.lang), 14, space_before=6 * b.s)]
    for n in range(1, 6):
        page.append(b.para(say(f"d{n}", b.lang), 21, bold=True, color=ACCENT,
                           space_before=12 * b.s))
        page.append(b.para(say(f"d{n}_line", b.lang), 14))
    page.append(_spacer(b, 14))
    page += b.always(12, with_no_services=False)
    if qr:
        page += [_spacer(b, 8), *b.qr(qr, 90)]
    page += b.honesty(8)
    return [page]


def get_help(b: Blocks, qr: str | None, columns: int) -> list[Page]:
    facts = b.facts
    page: Page = [b.para(say("get_help_title", b.lang, place=facts.place(b.lang)), 26,
                         bold=True, color=ACCENT),
                  b.para(say("get_help_intro", b.lang), 12, space_before=6 * b.s)]
    if facts.example:
        page += [_spacer(b, 6), b.sample_notice(11)]
    page += [_spacer(b, 8), *b.always(11, with_no_services=not facts.services)]
    groups = _category_groups(b, 11)
    if groups:
        page.append(_spacer(b, 6))
        page += _balanced(groups, columns, b.rtl)
    if qr:
        page += [_spacer(b, 8), *b.qr(qr, 80)]
    page += b.honesty(8)
    return [page]


def leaflet(b: Blocks, qr: str | None, columns: int) -> list[Page]:
    first: Page = [b.para(say("leaflet_title", b.lang), 20, bold=True, color=ACCENT),
                   b.para(say("options_title", b.lang), 15, bold=True, color=ACCENT,
                          space_before=14 * b.s),
                   b.para(say("options_intro", b.lang), 11, space_before=4 * b.s)]
    for key in ("informal", "formal"):
        first.append(b.para(say(f"{key}_title", b.lang), 12, bold=True, space_before=8 * b.s))
        first.append(b.para(say(f"{key}_text", b.lang), 11))
    first.append(b.para(say("care_first", b.lang), 11, bold=True, space_before=8 * b.s))
    first.append(b.para(say("vca_title", b.lang), 15, bold=True, color=ACCENT,
                        space_before=16 * b.s))
    for n in range(1, 6):
        first.append(b.para("• " + say(f"vca_{n}", b.lang), 11, space_before=3 * b.s))
    first.append(b.para(say("vca_limits", b.lang), 11, bold=True, space_before=8 * b.s))
    first += b.honesty(8)
    second = get_help(b, qr, columns)[0]
    return [first, second]


def _spacer(b: Blocks, points: float) -> Flowable:
    return Spacer(1, points * b.s)


def _category_groups(b: Blocks, size: float) -> list[list[Flowable]]:
    groups: list[list[Flowable]] = []
    current = None
    for service in b.facts.services:
        category = service.meta.get("category")
        if category == "focal-point":  # already in the box of what always applies
            continue
        if category != current:
            current = category
            groups.append([b.para(b.category(service), size * 1.25, bold=True, color=ACCENT,
                                  space_before=size * 0.8 * b.s)])
        groups[-1] += b.service(service, size)
    return groups


def _balanced(groups: list[list[Flowable]], columns: int, rtl: bool) -> list[Flowable]:
    """Category groups in `columns` columns of about equal height (reading order kept: the
    first column fills first)."""
    if columns <= 1:
        return [Column(g) for g in groups]
    return [_ColumnsLater(groups, columns, rtl)]


class _ColumnsLater(Flowable):  # type: ignore[misc]
    """Splits groups into columns once the width is known (heights depend on it)."""

    def __init__(self, groups: list[list[Flowable]], columns: int, rtl: bool) -> None:
        super().__init__()
        self.groups, self.columns, self.rtl = groups, columns, rtl
        self.grid: Grid | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        width = availWidth / self.columns
        heights = [measure(g, width - 2 * Grid.pad) for g in self.groups]
        target, cols, acc = sum(heights) / self.columns, [[]], 0.0  # type: ignore[var-annotated]
        for group, h in zip(self.groups, heights, strict=True):
            if acc + h / 2 > target and len(cols) < self.columns and cols[-1]:
                cols.append([])
                acc = 0.0
            cols[-1] += group
            acc += h
        while len(cols) < self.columns:
            cols.append([])
        self.grid = Grid([[Column(c) for c in cols]], [width] * self.columns, self.rtl,
                         grid=False)
        w, h = self.grid.wrap(availWidth, availHeight)
        self.width, self.height = w, h
        return w, h

    def draw(self) -> None:
        assert self.grid is not None
        self.grid.drawOn(self.canv, 0, 0)


def side_by_side(pages_per_lang: Sequence[list[Page]], width: float, rtl: bool) -> list[Page]:
    """One language: its pages. Two: each page holds both, in two columns."""
    if len(pages_per_lang) == 1:
        return pages_per_lang[0]
    gap = 10.0
    col = (width - gap) / 2
    out = []
    for pair in zip(*pages_per_lang, strict=True):
        out.append([Grid([[Column(p) for p in pair]], [col + gap / 2, col + gap / 2], rtl,
                         grid=False)])
    return out


def render(doc: Document, facts: Facts, langs: Sequence[str],
           build: Callable[[Blocks], list[Page]]) -> bytes:
    """Fit and render: each page at the largest scale at which it fits its frame (found by
    bisection: a page that fits at one scale fits at every smaller one)."""
    base = doc.pagesize[0] / A4[0]  # A3 prints larger
    rtl = _rtl(langs[0])
    built: dict[int, list[Page]] = {}

    def pages_at(step: int) -> list[Page]:
        if step not in built:
            s = base * SCALES[step]
            built[step] = side_by_side(
                [build(Blocks(lang, _rtl(lang), s, facts)) for lang in langs],
                doc.frame_width, rtl)
        return built[step]

    def fits(page: Page) -> bool:
        return measure(page, doc.frame_width) <= doc.frame_height - 2

    count = len(pages_at(0))
    story: list[Flowable] = []
    for k in range(count):
        lo, hi, best = 0, len(SCALES) - 1, None
        while lo <= hi:
            mid = (lo + hi) // 2
            if fits(pages_at(mid)[k]):
                best, hi = mid, mid - 1
            else:
                lo = mid + 1
        if best is None:
            raise FieldkitError(_("This material has too much text to fit its paper; choose a "
                                  "larger paper or one language."))
        story += ([PageBreak()] if k else []) + pages_at(best)[k]
    data = doc.render(story)
    if doc.page_count != count:
        raise FieldkitError(_("This material has too much text to fit its paper; choose a "
                              "larger paper or one language."))
    return data
