"""Sync benchmark: what a one-item change costs an office, against the full download.

For each channel size (1,000 and 10,000 items by default): publish a country
channel of generated services (six languages each), sync it over loopback HTTP
into a fresh encrypted profile (the full download), change one item,
republish, and sync again (the delta). Bytes are counted by the server: the
bodies it sent, per kind of file. The last line is for the largest size:

    sync delta bytes=<n> item_bytes=<m> full_bytes=<f> ratio=<n/f>

Usage: python bench/sync.py [--sizes 1000,10000] [--bits 8]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fieldkit import library
from fieldkit.content.model import Item, Version
from fieldkit.sync import client, keys
from fieldkit.sync.repository import Repository

PASSPHRASE = "benchmark passphrase"
LANGS = ("en", "fr", "es", "ru", "ar", "zh")
# A few words per language: the texts are filler, their size is what counts.
WORDS = {
    "en": ["help", "hotline", "legal", "medical", "shelter", "safe", "confidential",
           "free", "report", "support"],
    "fr": ["aide", "ligne", "juridique", "médical", "refuge", "sûr", "confidentiel",
           "gratuit", "signaler"],
    "es": ["ayuda", "línea", "legal", "médico", "refugio", "seguro", "confidencial",
           "gratuito", "denunciar"],
    "ru": ["помощь", "линия", "юридическая", "медицинская", "приют", "безопасно",
           "конфиденциально"],
    "ar": ["مساعدة", "خط", "قانوني", "طبي", "مأوى", "آمن", "سري", "مجاني", "إبلاغ", "دعم"],
    "zh": ["帮助", "热线", "法律", "医疗", "庇护所", "安全", "保密", "免费", "举报", "支持"],
}


def make_item(n: int, rng: random.Random, edition: int = 0) -> Item:
    versions = {}
    for lang in LANGS:
        words = WORDS[lang]
        title = " ".join(rng.choice(words) for _ in range(4)) + f" {n}"
        summary = " ".join(rng.choice(words) for _ in range(18))
        body = " ".join(rng.choice(words) for _ in range(60)) + (f" ({edition})" if edition
                                                                  else "")
        versions[lang] = Version(lang, title, "original" if lang == "en" else "reviewed",
                                 summary, body)
    meta = {"category": "hotline", "topics": ["reporting"], "reviewed": "2026-11",
            "sources": [{"title": "Benchmark source (fictitious)"}],
            "contacts": [{"type": "phone", "value": f"+000 {n:06d} (fictitious)"}],
            "languages": ["ro", "ru"], "cost": "free"}
    return Item(id=f"svc-md-bench-{n:05d}", kind="service", country="MD", example=True,
                meta=meta, versions=versions)


class Counting(http.server.SimpleHTTPRequestHandler):
    served: ClassVar[Counter[str]] = Counter()

    def copyfile(self, source: Any, outputfile: Any) -> None:
        data = source.read()
        outputfile.write(data)
        path = self.path
        kind = ("timestamp" if path.endswith("timestamp.json") else
                "snapshot" if path.endswith(".snapshot.json") else
                "root" if path.endswith(".root.json") else
                "bin" if "-bin-" in path else
                "item" if path.startswith("/targets/") else "channel")
        self.served[kind] += len(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[tuple[str, Counter[str]]]:
    Counting.served = Counter()
    handler = functools.partial(Counting, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", Counting.served
    finally:
        server.shutdown()
        server.server_close()


def run(size: int, bits: int, work: Path) -> dict[str, Any]:
    rng = random.Random(size)
    repo = Repository(work / "repo")
    repo.init(work / "root.key", work / "online.key", PASSPHRASE)
    root = keys.load(work / "root.key", PASSPHRASE)
    online = keys.load(work / "online.key", PASSPHRASE)
    repo.add_channel("MD", work / "md.key", root, online, PASSPHRASE, bits=bits)
    channel_key = keys.load(work / "md.key", PASSPHRASE)
    items = [make_item(n, rng) for n in range(size)]
    started = time.perf_counter()
    repo.publish("MD", items, channel_key, online)
    publish_full = time.perf_counter() - started

    home = work / "profile"
    store = library.create_profile(home, PASSPHRASE, [], {"country": "MD"})
    client.trust(store, (work / "repo" / "metadata" / "root.json").read_bytes())
    with serve(work / "repo") as (url, served):
        started = time.perf_counter()
        first = client.sync(store, url, home, ["MD"])
        sync_full = time.perf_counter() - started
        full = dict(served)
        assert len(first.channels["MD"].added) == size

        items[size // 2] = make_item(size // 2, random.Random(1), edition=1)
        started = time.perf_counter()
        repo.publish("MD", items, channel_key, online)
        publish_delta = time.perf_counter() - started
        served.clear()
        started = time.perf_counter()
        update = client.check(client.read_state(store, ["MD"]), url, home)
        check_delta = time.perf_counter() - started
        second = client.apply(store, update)
        sync_delta = time.perf_counter() - started
        delta = dict(served)
    assert second.channels["MD"].updated == [items[size // 2].id], second.to_json()
    assert second.changed == 1
    hits = library.search(store, f"{size // 2}", "en", limit=5)
    store.close()
    return {"size": size, "full": full, "delta": delta, "publish_full": publish_full,
            "sync_full": sync_full, "publish_delta": publish_delta, "sync_delta": sync_delta,
            "check_delta": check_delta,
            "found": any(h.id == items[size // 2].id for h in hits)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--bits", type=int, default=8)
    args = parser.parse_args()
    keys.SCRYPT_N = 2**12  # key files are not what is measured
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        work = Path(tempfile.mkdtemp(prefix="fieldkit-bench-sync-"))
        try:
            results.append(run(size, args.bits, work))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print(f"bins per channel: {2 ** args.bits}")
    for r in results:
        full, delta = sum(r["full"].values()), sum(r["delta"].values())
        parts = " ".join(f"{k}={v}" for k, v in sorted(r["delta"].items()))
        print(f"{r['size']:>6} items: full {full} bytes in {r['sync_full']:.1f} s "
              f"(publish {r['publish_full']:.1f} s); delta {delta} bytes [{parts}] in "
              f"{r['sync_delta']:.2f} s (check and download {r['check_delta']:.2f} s; publish "
              f"{r['publish_delta']:.2f} s); "
              f"ratio {delta / full:.5f}; changed item found: {r['found']}")
    last = results[-1]
    full, delta = sum(last["full"].values()), sum(last["delta"].values())
    print(f"sync delta bytes={delta} item_bytes={last['delta'].get('item', 0)} "
          f"full_bytes={full} ratio={delta / full:.5f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
