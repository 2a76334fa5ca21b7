"""Suppression of small counts: no published table lets a hidden count be worked out.

The oracle here is independent of the module's flow test: it searches, by
enumeration with propagation over the total equations, for a second table that
agrees with everything published (shown counts, "<5" means 1-4, "x" means 5 or
more) but differs in a hidden count. Differences between two such tables
decompose into cycles of +1/-1 steps, so a search within 3 of every true count
finds a second table whenever one exists.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldkit.reports.suppression import (
    HIDDEN,
    SHOWN,
    SMALL,
    Entry,
    Published,
    entries,
    suppress,
)

SPAN = 3


def _equations(n_rows: int, n_cols: int) -> list[list[tuple[Entry, int]]]:
    """Each total equation as (entry, coefficient) pairs summing to zero."""
    eqs: list[list[tuple[Entry, int]]] = []
    for i in range(n_rows):
        eqs.append([(("cell", i, j), 1) for j in range(n_cols)] + [(("row", i, -1), -1)])
    for j in range(n_cols):
        eqs.append([(("cell", i, j), 1) for i in range(n_rows)] + [(("col", -1, j), -1)])
    eqs.append([(("row", i, -1), 1) for i in range(n_rows)] + [(("all", -1, -1), -1)])
    eqs.append([(("col", -1, j), 1) for j in range(n_cols)] + [(("all", -1, -1), -1)])
    return eqs


def _domain(status: str, true: int) -> range:
    if status == SMALL:
        return range(max(1, true - SPAN), min(4, true + SPAN) + 1)
    return range(max(5, true - SPAN), true + SPAN + 1)


def derivable(published: Published, n_rows: int, n_cols: int) -> list[Entry]:
    """Hidden entries whose value is the same in every table consistent with the publication."""
    values, status = published.values, published.status
    hidden = [e for e in entries(n_rows, n_cols) if status[e] != SHOWN]
    eqs = _equations(n_rows, n_cols)
    known = {e: values[e] for e in values if status[e] == SHOWN}

    def consistent(assign: dict[Entry, int]) -> dict[Entry, int] | None:
        assign = dict(assign)
        changed = True
        while changed:
            changed = False
            for eq in eqs:
                free = [(e, c) for e, c in eq if e not in assign and e not in known]
                total = sum(c * (known[e] if e in known else assign[e])
                            for e, c in eq if e in known or e in assign)
                if not free:
                    if total != 0:
                        return None
                elif len(free) == 1:
                    e, c = free[0]
                    value = -total // c
                    if value * c != -total or value not in _domain(status[e], values[e]):
                        return None
                    assign[e] = value
                    changed = True
        return assign

    def search(assign: dict[Entry, int]) -> bool:
        state = consistent(assign)
        if state is None:
            return False
        rest = [e for e in hidden if e not in state]
        if not rest:
            return True
        e = rest[0]
        return any(search({**state, e: v}) for v in _domain(status[e], values[e]))

    fixed = []
    for e in hidden:
        others = [v for v in _domain(status[e], values[e]) if v != values[e]]
        if not any(search({e: v}) for v in others):
            fixed.append(e)
    return fixed


def _check(cells: Sequence[Sequence[int]]) -> Published:
    published = suppress(cells)
    n_rows, n_cols = len(cells), len(cells[0])
    if published.withheld:
        return published
    for e in entries(n_rows, n_cols):
        v = published.values[e]
        if 1 <= v <= 4:
            assert published.status[e] == SMALL, (e, v)
            assert published.text(e) == "<5"
        if published.status[e] == HIDDEN:
            assert v >= 5 and published.text(e) == "x"
        if published.status[e] == SHOWN:
            assert published.text(e) == str(v)
    assert derivable(published, n_rows, n_cols) == []
    return published


tables = st.integers(1, 3).flatmap(lambda rows: st.integers(1, 3).flatmap(
    lambda cols: st.lists(st.lists(st.one_of(st.integers(0, 6), st.integers(0, 30)),
                                   min_size=cols, max_size=cols),
                          min_size=rows, max_size=rows)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_no_hidden_count_can_be_derived(cells: list[list[int]]) -> None:
    _check(cells)


def test_oracle_finds_a_derivable_count() -> None:
    # The oracle must catch the classic leak: one small cell, everything else shown.
    published = suppress([[3, 10], [12, 8]])
    leaky = Published(published.values, {e: (SMALL if published.values[e] == 3 else SHOWN)
                                         for e in published.values})
    assert derivable(leaky, 2, 2) == [("cell", 0, 0)]
    # ... and the bounds: a row of two "<5" summing to a shown 8 is 4 + 4.
    values = suppress([[4, 4]]).values
    status = {e: (SMALL if values[e] == 4 else SHOWN) for e in values}
    assert set(derivable(Published(values, status), 1, 2)) == {
        ("cell", 0, 0), ("cell", 0, 1), ("col", -1, 0), ("col", -1, 1)}


def test_known_tables() -> None:
    published = _check([[3, 10, 7], [12, 8, 9]])
    hidden = {e for e, s in published.status.items() if s != SHOWN}
    assert hidden == {("cell", 0, 0), ("cell", 0, 2), ("cell", 1, 0), ("cell", 1, 2)}
    assert published.shown(("all", -1, -1)) and published.text(("all", -1, -1)) == "49"
    # All counts small and equal to 4: the totals would give them away, so they go too.
    published = _check([[4, 4], [4, 4]])
    assert not published.shown(("all", -1, -1))
    # Nothing small: nothing hidden.
    published = _check([[0, 5], [6, 0]])
    assert all(s == SHOWN for s in published.status.values())


def test_percentages_only_from_shown_counts() -> None:
    published = _check([[3, 10, 7], [12, 8, 9]])
    assert published.percent(("cell", 0, 0), ("row", 0, -1)) is None
    assert published.percent(("cell", 0, 2), ("row", 0, -1)) is None
    assert published.percent(("row", 0, -1), ("all", -1, -1)) is not None
    assert round(published.percent(("cell", 0, 1), ("row", 0, -1)) or 0) == 50
