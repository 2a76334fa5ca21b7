"""Printable materials: how long each kind takes to print, and how far the fast line breaker
is from the exact one.

Prints one line per kind and language (median of --runs renders, from an encrypted profile
holding the starter pack), then the line-break check: the fast UAX #14 implementation
(fieldkit.typeset.linebreak) against uniseg on the starter content's paragraphs and the
printed wording, with the number of texts where they disagree and the speed ratio.
Last line: `materials slowest: <ms> ms (<kind> <lang>)`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fieldkit import library, materials  # noqa: E402
from fieldkit.content.pack import starter_items  # noqa: E402
from fieldkit.materials.wording import WORDING  # noqa: E402
from fieldkit.store import Store  # noqa: E402
from fieldkit.typeset.linebreak import exact_opportunities, opportunities  # noqa: E402


def render_times(store: Store, runs: int) -> list[tuple[float, str, str]]:
    out = []
    for kind in materials.KINDS:
        for langs in ("en", "ar", "zh", "ar,fr"):
            request = materials.Request(kind, "MD", "Chișinău", tuple(langs.split(",")), "a4",
                                        today=dt.date(2026, 12, 1))
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                materials.render(store, request)
                times.append((time.perf_counter() - start) * 1000)
            median = statistics.median(times)
            out.append((median, kind, langs))
            print(f"{kind:<13} {langs:<6} {median:7.0f} ms")
    return out


def line_breaks(every: int) -> None:
    texts = [t for by_lang in WORDING.values() for t in by_lang.values()]
    for path in sorted((ROOT / "content").rglob("*.md")):
        texts += [p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
    texts = texts[::every]
    start = time.perf_counter()
    fast = [opportunities.__wrapped__(t) for t in texts]
    fast_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    exact = [exact_opportunities(t) for t in texts]
    exact_ms = (time.perf_counter() - start) * 1000
    disagree = sum(1 for a, b in zip(fast, exact, strict=True) if a != b)
    chars = sum(len(t) for t in texts)
    print(f"line breaks: {len(texts)} texts, {chars} chars, {disagree} disagree with uniseg; "
          f"fast {fast_ms:.0f} ms, uniseg {exact_ms:.0f} ms, ratio {exact_ms / fast_ms:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--every", type=int, default=4, help="check every Nth paragraph")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, \
            Store.create(Path(folder), "benchmark passphrase") as store:
        library.put_items(store, starter_items())
        results = render_times(store, args.runs)
    line_breaks(args.every)
    slowest = max(results)
    print(f"materials slowest: {slowest[0]:.0f} ms ({slowest[1]} {slowest[2]})")


if __name__ == "__main__":
    main()
