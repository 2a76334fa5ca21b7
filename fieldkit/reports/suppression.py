"""Small-count suppression for publishable tables of counts.

A table of counts with its row totals, column totals and grand total. Every
count from 1 to 4 (cell or total) is shown as "<5" (primary suppression). Then
complementary suppression hides further counts, chosen among counts of 5 or more
and shown as "x", until no hidden count can be worked out from what is shown.

"Worked out" is checked exactly. A table with its margins is a circulation in a
small network (row nodes, column nodes, and two hubs for the totals): each count
is the flow on one edge and each total equation is the conservation of flow at
one node. A reader knows the shown counts, that a "<5" is between 1 and 4, and
that an "x" is at least 5 (the rule is public). A hidden count is determined by
that knowledge exactly when no cycle of hidden edges lets it move by one while
every hidden count stays within its known bounds (the residual-graph test of
network flows; the constraint matrix is totally unimodular, so integer and real
answers agree). Percentages are shown only where the count and its base are
both shown.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

SMALL_MAX = 4            # 1..SMALL_MAX shown as "<5"
UNBOUNDED = 10 ** 12

# An entry of the table: ("cell", i, j), ("row", i, -1), ("col", -1, j), ("all", -1, -1).
Entry = tuple[str, int, int]
SHOWN, SMALL, HIDDEN = "shown", "small", "hidden"


@dataclass(frozen=True)
class Published:
    """What a reader receives: each entry's status and display text."""

    values: dict[Entry, int]          # true values (never published as such)
    status: dict[Entry, str]          # shown | small ("<5") | hidden ("x")
    withheld: bool = False            # True: no safe table exists; nothing is published

    def text(self, entry: Entry) -> str:
        if self.withheld:
            return "x"
        status = self.status[entry]
        if status == SMALL:
            return "<5"
        if status == HIDDEN:
            return "x"
        return str(self.values[entry])

    def shown(self, entry: Entry) -> bool:
        return not self.withheld and self.status[entry] == SHOWN

    def percent(self, entry: Entry, base: Entry) -> float | None:
        """Share of `base` in percent, or None where either count is not shown."""
        if not (self.shown(entry) and self.shown(base)) or self.values[base] == 0:
            return None
        return 100.0 * self.values[entry] / self.values[base]


def entries(n_rows: int, n_cols: int) -> list[Entry]:
    found: list[Entry] = [("cell", i, j) for i in range(n_rows) for j in range(n_cols)]
    found += [("row", i, -1) for i in range(n_rows)]
    found += [("col", -1, j) for j in range(n_cols)]
    found.append(("all", -1, -1))
    return found


def table_values(cells: Sequence[Sequence[int]]) -> dict[Entry, int]:
    n_rows, n_cols = len(cells), len(cells[0]) if cells else 0
    values: dict[Entry, int] = {}
    for i in range(n_rows):
        for j in range(n_cols):
            values[("cell", i, j)] = int(cells[i][j])
        values[("row", i, -1)] = sum(int(v) for v in cells[i])
    for j in range(n_cols):
        values[("col", -1, j)] = sum(int(cells[i][j]) for i in range(n_rows))
    values[("all", -1, -1)] = sum(values[("row", i, -1)] for i in range(n_rows))
    return values


def _edge(entry: Entry) -> tuple[str, str]:
    """The network edge (tail, head) that carries this entry's count."""
    kind, i, j = entry
    if kind == "cell":
        return f"r{i}", f"c{j}"
    if kind == "row":
        return "S", f"r{i}"
    if kind == "col":
        return f"c{j}", "T"
    return "T", "S"


def bounds(status: str, value: int) -> tuple[int, int]:
    """What a reader knows of a count from its display."""
    if status == SMALL:
        return 1, SMALL_MAX
    if status == HIDDEN:
        return SMALL_MAX + 1, UNBOUNDED
    return value, value


def determined(values: dict[Entry, int], status: dict[Entry, str]) -> set[Entry]:
    """Hidden entries whose exact value follows from the shown ones and the public bounds."""
    hidden = [e for e in values if status[e] != SHOWN]
    arcs: dict[str, list[tuple[str, Entry]]] = {}
    for e in hidden:
        lo, hi = bounds(status[e], values[e])
        tail, head = _edge(e)
        if values[e] < hi:
            arcs.setdefault(tail, []).append((head, e))
        if values[e] > lo:
            arcs.setdefault(head, []).append((tail, e))

    def reachable(start: str, goal: str, without: Entry) -> bool:
        seen, queue = {start}, deque([start])
        while queue:
            node = queue.popleft()
            if node == goal:
                return True
            for nxt, via in arcs.get(node, ()):
                if via != without and nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return False

    fixed: set[Entry] = set()
    for e in hidden:
        lo, hi = bounds(status[e], values[e])
        tail, head = _edge(e)
        can_rise = values[e] < hi and reachable(head, tail, e)
        can_fall = values[e] > lo and reachable(tail, head, e)
        if not (can_rise or can_fall):
            fixed.add(e)
    return fixed


def suppress(cells: Sequence[Sequence[int]]) -> Published:
    """Primary and complementary suppression of a table of counts (rows x columns)."""
    values = table_values(cells)
    status = {e: (SMALL if 1 <= v <= SMALL_MAX else SHOWN) for e, v in values.items()}
    while True:
        exposed = determined(values, status)
        if not exposed:
            return Published(values, status)
        target = min(exposed, key=lambda e: (values[e], e))
        corners = _rectangle(target, values, status)
        if corners:
            for e in corners:
                status[e] = HIDDEN
            continue
        # No rectangle: hide the count of 5 or more that protects most, smallest among equals.
        candidates = [e for e in values if status[e] == SHOWN and values[e] > SMALL_MAX]
        if not candidates:
            return Published(values, status, withheld=True)

        def still_exposed(e: Entry) -> int:
            return len(determined(values, {**status, e: HIDDEN}))

        pick = min(candidates, key=lambda e: (still_exposed(e), e[0] != "cell", values[e], e))
        status[pick] = HIDDEN


def _grid(entry: Entry, n_rows: int, n_cols: int) -> tuple[int, int]:
    """Place in the table extended by its totals: totals are row n_rows / column n_cols."""
    _, i, j = entry
    return (n_rows if i < 0 else i), (n_cols if j < 0 else j)


def _at(i: int, j: int, n_rows: int, n_cols: int) -> Entry:
    if i == n_rows and j == n_cols:
        return ("all", -1, -1)
    if i == n_rows:
        return ("col", -1, j)
    if j == n_cols:
        return ("row", i, -1)
    return ("cell", i, j)


def _rectangle(target: Entry, values: dict[Entry, int],
               status: dict[Entry, str]) -> list[Entry]:
    """The cheapest rectangle of hidden counts through `target` in the extended table:
    the classic pattern that lets hidden counts move together without changing any total.
    Returns the corners still to hide (counts of 5 or more), or [] if none exists."""
    n_rows = 1 + max(i for _, i, _ in values)
    n_cols = 1 + max(j for _, _, j in values)
    ti, tj = _grid(target, n_rows, n_cols)
    best: tuple[int, list[Entry]] | None = None
    for i in range(n_rows + 1):
        for j in range(n_cols + 1):
            if i == ti or j == tj:
                continue
            corners = [_at(ti, j, n_rows, n_cols), _at(i, tj, n_rows, n_cols),
                       _at(i, j, n_rows, n_cols)]
            new = [e for e in corners if status[e] == SHOWN]
            if any(values[e] <= SMALL_MAX for e in new):
                continue
            cost = sum(values[e] for e in new)
            if new and (best is None or cost < best[0]):
                best = (cost, new)
    return best[1] if best else []
