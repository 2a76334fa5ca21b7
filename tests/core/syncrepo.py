"""Test helpers for sync: small signed repositories, real servers on 127.0.0.1, store digests."""

from __future__ import annotations

import functools
import hashlib
import http.server
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldkit.content.model import Item, Version
from fieldkit.store import Store
from fieldkit.sync import keys
from fieldkit.sync.repository import Repository
from tests.conftest import PASSPHRASE

KEY_PASSPHRASE = "key passphrase for tests"
CONTENT_TABLES = ("items", "versions", "search_index")


def make_item(item_id: str, country: str | None, title: str, body: str = "",
              kind: str | None = None) -> Item:
    kind = kind or ("service" if country else "guidance")
    meta: dict[str, Any] = {"topics": [], "sources": [{"title": "Test source"}]}
    if kind == "service":
        meta.update({"category": "hotline", "contacts": [{"type": "phone",
                                                          "value": "+000 0000 (fictitious)"}]})
    return Item(id=item_id, kind=kind, country=country, example=kind == "service", meta=meta,
                versions={"en": Version("en", title, "original", f"{title}.", body or title)})


@dataclass
class Kit:
    """A repository with channels `global` and `MD`, and every key in hand."""

    dir: Path
    repo: Repository
    root: keys.KeyPair
    online: keys.KeyPair
    channel_keys: dict[str, keys.KeyPair]
    key_files: dict[str, Path]

    def publish(self, channel: str, items: list[Item], **kw: Any) -> Any:
        return self.repo.publish(channel, items, self.channel_keys[channel], self.online, **kw)

    @property
    def root_file(self) -> Path:
        return self.dir / "metadata" / "root.json"


def make_kit(base: Path, channels: tuple[str, ...] = ("global", "MD"), bits: int = 3) -> Kit:
    repo = Repository(base / "repo")
    files = {"root": base / "keys" / "root.key", "online": base / "keys" / "online.key"}
    repo.init(files["root"], files["online"], KEY_PASSPHRASE)
    root = keys.load(files["root"], KEY_PASSPHRASE)
    online = keys.load(files["online"], KEY_PASSPHRASE)
    channel_keys = {}
    for channel in channels:
        files[channel] = base / "keys" / f"{channel}.key"
        repo.add_channel(channel, files[channel], root, online, KEY_PASSPHRASE, bits=bits)
        channel_keys[channel] = keys.load(files[channel], KEY_PASSPHRASE)
    return Kit(base / "repo", repo, root, online, channel_keys, files)


def content_digest(home: Path, timestamps: bool = True) -> str:
    """One hash over every row of the content tables (byte-identical or not); without
    `timestamps`, the items' created/updated times are left out (two runs of the same
    update differ only there)."""
    digest = hashlib.sha256()
    with Store.open(home, PASSPHRASE) as store:
        for table in CONTENT_TABLES:
            columns = "rowid, *"
            if table == "items" and not timestamps:
                columns = "rowid, id, kind, country, location, example, meta, channel, " \
                          "version, origin"
            for row in store.conn.execute(f"SELECT {columns} FROM {table} ORDER BY rowid"):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def http_server(directory: Path) -> Iterator[str]:
    """Python's own static server (no Range support) on 127.0.0.1."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


NGINX_CONF = """
worker_processes 1;
daemon off;
master_process off;  # one process, as the user running the tests (reads tmp_path)
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    log_format ranges '$status $bytes_sent "$http_range" $request_uri';
    access_log {prefix}/access.log ranges;
    client_body_temp_path {prefix}/tmp-body;
    proxy_temp_path {prefix}/tmp-proxy;
    fastcgi_temp_path {prefix}/tmp-fastcgi;
    uwsgi_temp_path {prefix}/tmp-uwsgi;
    scgi_temp_path {prefix}/tmp-scgi;
    types {{ application/json json; }}
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location /targets/ {{ limit_rate {rate}; }}
    }}
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


@contextmanager
def nginx(root: Path, prefix: Path, rate: str = "0",
          port: int | None = None) -> Iterator[tuple[str, Path]]:
    """Debian's nginx on 127.0.0.1 with a private config and prefix; yields the URL and
    its access log (status, bytes sent, Range header, URI per line)."""
    binary = nginx_binary()
    assert binary, "nginx is not installed (make system installs nginx-light)"
    prefix.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(prefix=prefix, port=port, root=root, rate=rate))
    proc = subprocess.Popen([binary, "-p", str(prefix), "-c", str(conf), "-e",
                             str(prefix / "error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start: {proc.stderr.read()!r}"
                                   if proc.stderr else "nginx did not start") from None
            time.sleep(0.05)
    try:
        yield url, prefix / "access.log"
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


def small_kit(folder: Path) -> Kit:
    """A repository with one global guidance item and one Moldovan service."""
    kit = make_kit(folder)
    kit.publish("global", [make_item("sync-guide-one", None, "Quokka guidance first")])
    kit.publish("MD", [make_item("svc-md-sync-a", "MD", "Platypus hotline Chisinau")])
    return kit
