"""The sync benchmark runs end to end and prints its summary line (on small channels)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT


def test_sync_bench_prints_its_line() -> None:
    result = subprocess.run(
        [sys.executable, "bench/sync.py", "--sizes", "30", "--bits", "3"],
        capture_output=True, text=True, cwd=ROOT, timeout=300, check=True,
    )
    lines = result.stdout.strip().splitlines()
    assert sum("changed item found: True" in line for line in lines) == 1
    assert re.fullmatch(r"sync delta bytes=\d+ item_bytes=\d+ full_bytes=\d+ ratio=[\d.]+",
                        lines[-1]), lines[-1]
