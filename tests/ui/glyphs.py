"""Where each digit group of a number really lands in a rendered label, in pixels.

Digits are tabular (every digit has the same advance) and of one bidi class, so
replacing the digits of one group by other digits changes neither the layout nor
the reading order: the pixel columns that change between the two renderings are
exactly where that group is drawn. This measures what the screen shows.
"""

from __future__ import annotations

import itertools

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel


def _swap_digits(group: str) -> str:
    return "".join(("1" if c == "8" else "8") if c.isdigit() else c for c in group)


def _columns_changed(a: QImage, b: QImage) -> list[int]:
    width, height = min(a.width(), b.width()), min(a.height(), b.height())
    return [x for x in range(width)
            if any(a.pixel(x, y) != b.pixel(x, y) for y in range(height))]


def group_spans(label: QLabel, number: str) -> list[tuple[int, int]]:
    """The pixel columns (first, last) of each digit group of `number` in `label`,
    in the number's own order. The label's text is restored afterwards."""
    text = label.text()
    assert number in text, f"{number!r} is not shown in {text!r}"
    base = label.grab().toImage()
    groups = number.split(" ")
    spans = []
    for k, group in enumerate(groups):
        if not any(c.isdigit() for c in group):
            continue
        changed = " ".join(_swap_digits(g) if i == k else g for i, g in enumerate(groups))
        label.setText(text.replace(number, changed))
        columns = _columns_changed(base, label.grab().toImage())
        label.setText(text)
        assert columns, f"group {group!r} of {number!r} was not found on screen"
        spans.append((columns[0], columns[-1]))
    return spans


def reads_left_to_right(spans: list[tuple[int, int]]) -> bool:
    return all(a[1] < b[0] for a, b in itertools.pairwise(spans))
