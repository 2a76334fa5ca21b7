"""Store benchmark: what the profile's safety costs on a profile of a given size.

Builds an encrypted profile of synthetic items (default about 50 MB), then times
what users do: unlock (key derivation and first read), a wrong passphrase (the
diagnosis that tells it from damage), `check`, `backup`, `restore` (copy, verify
every page, replace) and a passphrase change (re-encrypt, verify by reopening),
and search answering while another process holds a long write.

Usage: python bench/store.py [--items 20000]
Last line: store mb=<size> open=<ms> wrong=<ms> check=<ms> backup=<ms> restore=<ms>
rekey=<ms> search_during_write_p95=<ms> search_idle_p95=<ms> ratio=<x>
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fieldkit import library  # noqa: E402
from fieldkit.content.model import Item, Version  # noqa: E402
from fieldkit.errors import WrongPassphrase  # noqa: E402
from fieldkit.store import Store, restore_profile  # noqa: E402

PASSPHRASE = "benchmark passphrase"
WORDS = ["harassment", "bystander", "report", "witness", "manager", "complaint", "support",
         "safety", "referral", "confidential", "survivor", "ombudsperson", "medical", "legal",
         "shelter"]

WRITER = """
import sys, pathlib
from fieldkit import library
from fieldkit.store import Store
from fieldkit.content.model import Item, Version
store = Store.open(pathlib.Path(sys.argv[1]), sys.argv[2])
items = [Item(id=f"w-{n}", kind="guidance", meta={}, versions={"en": Version(
    "en", f"W {n}", "original", body="harassment report " * 100)}) for n in range(20000)]
def progress(done, total, label):
    if done == 200:
        print("writing", flush=True)
library.put_items(store, items, progress=progress)
"""


def synthetic(n: int) -> Item:
    body = " ".join(WORDS[(n * 7 + i) % len(WORDS)] for i in range(300))
    return Item(id=f"item-{n}", kind="guidance", meta={},
                versions={"en": Version("en", f"Item {n}", "original", body=body)})


def ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def search_times(home: Path, rounds: int) -> list[float]:
    times = []
    with Store.open(home, PASSPHRASE) as store:
        for n in range(rounds):
            started = time.perf_counter()
            library.search(store, WORDS[n % len(WORDS)], "en")
            times.append(ms(started))
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "profile"
        started = time.perf_counter()
        with Store.create(home, PASSPHRASE) as store:
            library.put_items(store, (synthetic(n) for n in range(args.items)), bulk=True)
        db = home / "fieldkit.db"
        size = db.stat().st_size / 1e6
        print(f"built {args.items} items, {size:.1f} MB in {ms(started) / 1000:.1f} s")

        started = time.perf_counter()
        Store.open(home, PASSPHRASE).close()
        open_ms = ms(started)
        started = time.perf_counter()
        with contextlib.suppress(WrongPassphrase):
            Store.open(home, "not the passphrase")
        wrong_ms = ms(started)
        with Store.open(home, PASSPHRASE) as store:
            started = time.perf_counter()
            assert store.check().ok
            check_ms = ms(started)
            started = time.perf_counter()
            store.backup_to(Path(tmp) / "backup.db")
            backup_ms = ms(started)
        started = time.perf_counter()
        restore_profile(home, Path(tmp) / "backup.db", PASSPHRASE)
        restore_ms = ms(started)
        with Store.open(home, PASSPHRASE) as store:
            started = time.perf_counter()
            store.change_passphrase("another passphrase")
            rekey_ms = ms(started)
            store.change_passphrase(PASSPHRASE)

        idle = search_times(home, 60)
        with subprocess.Popen([sys.executable, "-c", WRITER, str(home), PASSPHRASE],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT) as writer:
            assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
            during = search_times(home, 60)
            writer.kill()
        print(f"open {open_ms:.0f} ms, wrong passphrase {wrong_ms:.0f} ms, "
              f"check {check_ms:.0f} ms ({size / check_ms * 1000:.0f} MB/s), "
              f"backup {backup_ms:.0f} ms, restore {restore_ms:.0f} ms, "
              f"passphrase change {rekey_ms:.0f} ms")
        print(f"search p95 idle {p95(idle):.1f} ms, during a long write "
              f"{p95(during):.1f} ms (ratio {p95(during) / p95(idle):.2f})")
        print(f"store mb={size:.1f} open={open_ms:.0f} wrong={wrong_ms:.0f} "
              f"check={check_ms:.0f} backup={backup_ms:.0f} restore={restore_ms:.0f} "
              f"rekey={rekey_ms:.0f} search_during_write_p95={p95(during):.1f} "
              f"search_idle_p95={p95(idle):.1f} ratio={p95(during) / p95(idle):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
