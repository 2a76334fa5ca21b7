"""The search benchmark runs end to end and prints its summary line (on a small corpus)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT


def test_bench_prints_its_line() -> None:
    result = subprocess.run(
        [sys.executable, "bench/search.py", "--items", "200", "--queries", "12"],
        capture_output=True, text=True, cwd=ROOT, timeout=300, check=True,
    )
    last = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"search p95 encrypted=[\d.]+ plain=[\d.]+ ratio=[\d.]+ "
                        r"naive=[\d.]+ exact=1\.00 update=[\d.]+", last), last
