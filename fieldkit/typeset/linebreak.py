"""UAX #14 line-break opportunities, fast.

`uniseg` implements UAX #14 exactly but costs about 170 µs per character (a two-page report
would spend most of a second there). This module applies the same rules (LB4–LB31, in the
standard's order) to the Line_Break classes from uniseg's own Unicode data, in one pass.
`exact_opportunities` is uniseg itself: tests compare the two on every text the project prints
and bench/typeset.py prints the disagreement count (0 on the corpus)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from uniseg.linebreak import line_break, line_break_boundaries


@lru_cache(maxsize=8192)
def _cls(char: str) -> str:
    name = line_break(char).name
    # LB1: resolve ambiguous, surrogate, unknown and complex-context classes.
    if name in ("AI", "SG", "XX"):
        return "AL"
    if name == "SA":
        return "CM" if char in "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39" else "AL"
    if name == "CJ":
        return "NS"
    return str(name)


def exact_opportunities(text: str) -> tuple[int, ...]:
    """uniseg's answer (the reference)."""
    return tuple(line_break_boundaries(text))


_NUMERIC_PAIRS = {("CL", "PO"), ("CP", "PO"), ("CL", "PR"), ("CP", "PR"), ("NU", "PO"),
                  ("NU", "PR"), ("PO", "OP"), ("PO", "NU"), ("PR", "OP"), ("PR", "NU"),
                  ("HY", "NU"), ("IS", "NU"), ("NU", "NU"), ("SY", "NU")}
_HANGUL = {("JL", "JL"), ("JL", "JV"), ("JL", "H2"), ("JL", "H3"), ("JV", "JV"), ("JV", "JT"),
           ("H2", "JV"), ("H2", "JT"), ("JT", "JT"), ("H3", "JT")}
_HANGUL_ALL = {"JL", "JV", "JT", "H2", "H3"}


@lru_cache(maxsize=4096)
def opportunities(text: str) -> tuple[int, ...]:
    """Positions after which a line may end (the text's length included), as uniseg gives."""
    n = len(text)
    if not n:
        return ()
    raw = [_cls(c) for c in text]
    # LB9/LB10: a combining mark takes its base's class; after a space or at the start, AL.
    eff: list[str] = []
    for i, c in enumerate(raw):
        if c in ("CM", "ZWJ"):
            if i and eff[i - 1] not in ("BK", "CR", "LF", "NL", "SP", "ZW"):
                eff.append(eff[i - 1])
                continue
            eff.append("AL")
        else:
            eff.append(c)
    out: list[int] = []
    ri_run = 0
    for i in range(1, n):
        a, b = eff[i - 1], eff[i]
        j = i - 1  # the last character before the position that is not a space
        while j >= 0 and eff[j] == "SP":
            j -= 1
        ri_run = ri_run + 1 if a == "RI" else 0
        if _decide(Context(text, eff, raw, i, j), a, b, ri_run):
            out.append(i)
    out.append(n)
    return tuple(out)


class Context:
    """Where a decision is made: between text[i-1] and text[i]; j the last non-space before."""

    __slots__ = ("eff", "i", "j", "raw", "text")

    def __init__(self, text: str, eff: list[str], raw: list[str], i: int, j: int) -> None:
        self.text, self.eff, self.raw, self.i, self.j = text, eff, raw, i, j

    def cls(self, k: int) -> str | None:
        return self.eff[k] if 0 <= k < len(self.eff) else None

    def east_asian(self, k: int) -> bool:
        return 0 <= k < len(self.text) and unicodedata.east_asian_width(self.text[k]) in "FWH"

    def in_number(self, k: int) -> bool:
        """text[k] ends `NU (NU|SY|IS)*` (LB25)."""
        while k >= 0 and self.eff[k] in ("SY", "IS"):
            k -= 1
        return k >= 0 and self.eff[k] == "NU"


_PI_BEFORE = {None, "BK", "CR", "LF", "NL", "OP", "QU", "GL", "SP", "ZW"}
_PF_AFTER = {None, "SP", "GL", "WJ", "CL", "QU", "CP", "EX", "IS", "SY", "BK", "CR", "LF", "NL",
             "ZW"}


def _decide(c: Context, a: str, b: str, ri_run: int) -> bool:
    text, i, j = c.text, c.i, c.j
    a_raw, b_raw = c.raw[i - 1], c.raw[i]
    before_spaces = c.cls(j)
    if a == "CR" and b == "LF":  # LB5
        return False
    if a in ("BK", "CR", "LF", "NL"):  # LB4, LB5
        return True
    if b in ("BK", "CR", "LF", "NL", "SP", "ZW"):  # LB6, LB7
        return False
    if before_spaces == "ZW":  # LB8
        return True
    if a_raw == "ZWJ":  # LB8a
        return False
    if b_raw in ("CM", "ZWJ") and a != "SP":  # LB9 (the mark stays with its base)
        return False
    if a == "WJ" or b == "WJ":  # LB11
        return False
    if a == "GL":  # LB12
        return False
    if b == "GL" and a not in ("SP", "BA", "HY"):  # LB12a
        return False
    if b in ("CL", "CP", "EX", "IS", "SY"):  # LB13
        return False
    if before_spaces == "OP":  # LB14
        return False
    if before_spaces == "QU" and unicodedata.category(text[j]) == "Pi" \
            and c.cls(j - 1) in _PI_BEFORE:  # LB15a
        return False
    if b == "QU" and unicodedata.category(text[i]) == "Pf" and c.cls(i + 1) in _PF_AFTER:
        return False  # LB15b
    if before_spaces in ("CL", "CP") and b == "NS":  # LB16
        return False
    if before_spaces == "B2" and b == "B2":  # LB17
        return False
    if a == "SP":  # LB18
        return True
    if b == "QU" and unicodedata.category(text[i]) != "Pi":  # LB19
        return False
    if a == "QU" and unicodedata.category(text[i - 1]) != "Pf":
        return False
    if b == "QU" and (not c.east_asian(i - 1) or not c.east_asian(i + 1)):  # LB19a
        return False
    if a == "QU" and (not c.east_asian(i) or not c.east_asian(i - 2)):
        return False
    if a == "CB" or b == "CB":  # LB20
        return True
    if b in ("BA", "HY", "NS") or a == "BB":  # LB21
        return False
    if b == "IN":  # LB22
        return False
    if (a, b) in {("AL", "NU"), ("HL", "NU"), ("NU", "AL"), ("NU", "HL")}:  # LB23
        return False
    if (a == "PR" and b in ("ID", "EB", "EM")) or (a in ("ID", "EB", "EM") and b == "PO"):
        return False  # LB23a
    if (a in ("PR", "PO") and b in ("AL", "HL")) or (a in ("AL", "HL") and b in ("PR", "PO")):
        return False  # LB24
    if (a, b) in _NUMERIC_PAIRS and (a not in ("SY", "IS", "NU") or c.in_number(i - 1)):
        return False  # LB25
    if a in ("SY", "IS") and b == "NU" and c.in_number(i - 1):
        return False
    if (a, b) in _HANGUL or (a in _HANGUL_ALL and b == "PO") or (a == "PR" and b in _HANGUL_ALL):
        return False  # LB26, LB27
    if a in ("AL", "HL") and b in ("AL", "HL"):  # LB28
        return False
    if a == "IS" and b in ("AL", "HL"):  # LB29
        return False
    if (a in ("AL", "HL", "NU") and b == "OP" and text[i] not in _EAST_ASIAN_OPEN) or (
            a == "CP" and b in ("AL", "HL", "NU")):  # LB30
        return False
    if a == "RI" and b == "RI" and ri_run % 2 == 1:  # LB30a
        return False
    return not (a == "EB" and b == "EM")  # LB30b; LB31: break everywhere else


# Opening punctuation of East Asian width F/W/H: LB30 does not hold them to the word before.
_EAST_ASIAN_OPEN = frozenset("（［｛「『【〔〖〘〚〈《｟｢〝")
