"""Sync under real conditions: a cut download resumes (nginx, HTTP Range), a process killed
during apply leaves the old or the new version whole, python-tuf's own client reads our
repository and ours reads a plain python-tuf one, and expired metadata offline."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from tuf.api.metadata import (
    DelegatedRole,
    Delegations,
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.ngclient import Updater

from fieldkit import library
from fieldkit.cli import main
from fieldkit.store import Store
from fieldkit.sync import keys
from fieldkit.sync.repository import Repository
from fieldkit.sync.targets import encode_item
from tests.conftest import PASSPHRASE, ROOT
from tests.core.syncrepo import (
    Kit,
    content_digest,
    free_port,
    http_server,
    make_item,
    nginx,
    nginx_binary,
    small_kit,
)


@pytest.fixture(autouse=True)
def fast_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "SCRYPT_N", 2**10)


@pytest.fixture
def kit(tmp_path: Path) -> Kit:
    return small_kit(tmp_path / "publisher")


@pytest.fixture
def office(starter_home: Path, kit: Kit) -> Path:
    assert main(["trust", str(kit.root_file)]) == 0
    return starter_home


class _GatedTargets(http.server.SimpleHTTPRequestHandler):
    """Serves metadata at once, targets only once `gate` is open."""

    gate = threading.Event()

    def do_GET(self) -> None:
        if self.path.startswith("/targets/"):
            self.gate.wait(60)
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _spawn_sync(source: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "fieldkit", "sync", "--source", source],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, env=dict(os.environ))


@pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed (make system)")
def test_cut_download_resumes_with_range(office: Path, kit: Kit, tmp_path: Path) -> None:
    big = make_item("svc-md-big-directory", "MD", "Wallaby directory")
    big.meta["directory"] = "".join(f"entry {n:06d};" for n in range(40_000))  # ~550 KB
    kit.publish("MD", [make_item("svc-md-sync-a", "MD", "Platypus hotline Chisinau"), big])
    port = free_port()
    partial_dir = office / "sync" / "partial"
    with nginx(kit.dir, tmp_path / "nginx", rate="100k", port=port) as (url, log):
        proc = _spawn_sync(url)
        deadline = time.monotonic() + 30
        while not any(p.stat().st_size > 120_000 for p in partial_dir.glob("*.part")):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()[1]
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)  # the link (and the program) dies mid-file
        proc.communicate()
    kept = sum(p.stat().st_size for p in partial_dir.glob("*.part"))
    assert 120_000 < kept < 550_000
    with nginx(kit.dir, tmp_path / "nginx", port=port) as (url, log):
        assert main(["sync", "--source", url]) == 0
        lines = log.read_text().splitlines()
    resumed = [line for line in lines if "svc-md-big-directory" in line and line.startswith(
        "206 ")]
    assert resumed and f'"bytes={kept}-"' in resumed[-1], lines
    assert not list(partial_dir.glob("*.part"))
    with Store.open(office, PASSPHRASE) as store:
        got = library.get_item(store, "svc-md-big-directory")
    assert got.meta["directory"] == big.meta["directory"]


def test_sigkill_during_apply_leaves_old_or_new_whole(office: Path, kit: Kit,
                                                      tmp_path: Path) -> None:
    assert main(["sync", "--source", str(kit.dir)]) == 0
    old = content_digest(office, timestamps=False)
    kit.publish("MD", [make_item(f"svc-md-bulk-{n:03d}", "MD", f"Bulk service {n} wombat",
                                 body="Opening hours and directions. " * 20)
                       for n in range(150)])
    baseline = tmp_path / "baseline"
    shutil.copytree(office, baseline)
    outcomes = []
    for delay in (0.01,):
        shutil.rmtree(office)
        shutil.copytree(baseline, office)
        proc = _spawn_sync(str(kit.dir))
        assert proc.stderr is not None
        for line in proc.stderr:
            if line.startswith("Applying"):
                break
        time.sleep(delay)  # "Applying" is printed inside the write transaction
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        outcomes.append(content_digest(office, timestamps=False))
    shutil.rmtree(office)
    shutil.copytree(baseline, office)
    assert main(["sync"]) == 0
    new = content_digest(office, timestamps=False)
    assert old != new
    assert all(digest in (old, new) for digest in outcomes)
    assert outcomes[0] == old  # killed inside the transaction: nothing of it remains


def test_python_tuf_updater_reads_our_repository(kit: Kit, tmp_path: Path) -> None:
    client_dir = tmp_path / "ngclient"
    client_dir.mkdir()
    with http_server(kit.dir) as url:
        updater = Updater(str(client_dir), f"{url}/metadata/", str(tmp_path / "dl"),
                          f"{url}/targets/", bootstrap=kit.root_file.read_bytes())
        updater.refresh()
        info = updater.get_targetinfo("MD/svc-md-sync-a.json")
        assert info is not None
        path = updater.download_target(info, str(tmp_path / "item.json"))
        assert updater.get_targetinfo("global/svc-md-sync-a.json") is None
    assert Path(path).read_bytes() == encode_item(
        make_item("svc-md-sync-a", "MD", "Platypus hotline Chisinau"), 1)


def _plain_tuf_repository(base: Path) -> Path:
    """A repository made with python-tuf's Metadata API alone: no hash bins, no consistent
    snapshots, sha512 and sha256 hashes, the channel delegated by name."""
    signers = {role: keys.generate() for role in ("root", "targets", "snapshot", "timestamp",
                                                   "MD")}
    expires = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=7)
    root = Metadata(Root(expires=expires, consistent_snapshot=False))
    for role in ("root", "targets", "snapshot", "timestamp"):
        root.signed.add_key(signers[role].public, role)
    md_key = signers["MD"]
    targets = Metadata(Targets(expires=expires))
    targets.signed.delegations = Delegations(
        keys={md_key.keyid: md_key.public},
        roles={"MD": DelegatedRole("MD", [md_key.keyid], 1, True, paths=["MD/*"])})
    channel = Metadata(Targets(expires=expires))
    data = encode_item(make_item("svc-md-plain", "MD", "Numbat helpline"), 3)
    channel.signed.targets["MD/svc-md-plain.json"] = TargetFile.from_data(
        "MD/svc-md-plain.json", data, ["sha512", "sha256"])
    snapshot = Metadata(Snapshot(expires=expires))
    snapshot.signed.meta = {"targets.json": MetaFile(1), "MD.json": MetaFile(1)}
    timestamp = Metadata(Timestamp(expires=expires))
    out = base / "plain"
    (out / "metadata").mkdir(parents=True)
    (out / "targets" / "MD").mkdir(parents=True)
    (out / "targets" / "MD" / "svc-md-plain.json").write_bytes(data)
    for name, md, signer in (("root", root, "root"), ("targets", targets, "targets"),
                             ("MD", channel, "MD"), ("snapshot", snapshot, "snapshot"),
                             ("timestamp", timestamp, "timestamp")):
        md.sign(signers[signer].signer)
        (out / "metadata" / f"{name}.json").write_bytes(md.to_bytes())
    (out / "metadata" / "1.root.json").write_bytes(root.to_bytes())
    return out


def test_our_client_reads_a_plain_python_tuf_repository(
        starter_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = _plain_tuf_repository(tmp_path)
    assert main(["trust", str(plain / "metadata" / "1.root.json")]) == 0
    with http_server(plain) as url:
        assert main(["sync", "--source", url, "--channel", "MD"]) == 0, capsys.readouterr()
    with Store.open(starter_home, PASSPHRASE) as store:
        item = library.get_item(store, "svc-md-plain")
    assert (item.channel, item.version) == ("MD", 3)


def test_expired_metadata_offline(office: Path, kit: Kit, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A USB copy older than its expiry: refused (a stale copy looks like a replay), the
    content already here stays searchable and dated, a fresh copy works again."""
    assert main(["sync", "--source", str(kit.dir)]) == 0
    assert main(["sync-status", "--json"]) == 0
    as_of = capsys.readouterr().out
    # The copy also carries a root rotation (a new online key): kept although refused.
    kit.repo.rotate_online(kit.dir.parent / "keys" / "online-2.key", kit.root,
                           "key passphrase for tests")
    kit.online = keys.load(kit.dir.parent / "keys" / "online-2.key", "key passphrase for tests")
    past = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=90)
    stale = Repository(kit.dir, clock=lambda: past)
    stale.publish("MD", [make_item("svc-md-sync-a", "MD", "Platypus hotline stale copy")],
                  kit.channel_keys["MD"], kit.online, valid_days=30)
    before = content_digest(office)
    capsys.readouterr()
    assert main(["sync", "--source", str(kit.dir)]) == 4
    err = capsys.readouterr().err
    assert "expired" in err and "ask for a fresh copy" in err
    assert content_digest(office) == before
    with Store.open(office, PASSPHRASE) as store:
        assert [r.id for r in library.search(store, "platypus", "en")] == ["svc-md-sync-a"]
        roots = [v for (v,) in store.conn.execute("SELECT version FROM sync_roots")]
    assert roots == [1, 2]
    assert main(["sync-status", "--json"]) == 0
    status = capsys.readouterr().out
    assert '"content_as_of"' in status and "expired" in status
    assert as_of.split('"content_as_of": ')[1][:26] == status.split('"content_as_of": ')[1][:26]
    kit.publish("MD", [make_item("svc-md-sync-a", "MD", "Platypus hotline fresh copy")])
    assert main(["sync"]) == 0
    with Store.open(office, PASSPHRASE) as store:
        assert [r.id for r in library.search(store, "fresh", "en")] == ["svc-md-sync-a"]


def test_cli_search_answers_while_another_process_downloads(office: Path, kit: Kit) -> None:
    """`fieldkit sync` holds no lock while it downloads: another process searches, and
    another writes."""
    kit.publish("MD", [make_item("svc-md-slow", "MD", "Quoll helpline")])
    _GatedTargets.gate = threading.Event()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_GatedTargets, directory=str(kit.dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "fieldkit", "sync", "--source",
             f"http://127.0.0.1:{server.server_address[1]}"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ))
        assert proc.stderr is not None
        for line in proc.stderr:
            if line.startswith("Downloading"):
                break
        search = subprocess.run([sys.executable, "-m", "fieldkit", "search", "harassment",
                                 "--json"], cwd=ROOT, capture_output=True, text=True,
                                timeout=60, env=dict(os.environ))
        assert search.returncode == 0, search.stderr
        with Store.open(office, PASSPHRASE) as store:  # and writes: no write lock is held
            store.set_setting("lang", "fr")
        assert proc.poll() is None  # the sync was still downloading meanwhile
        _GatedTargets.gate.set()
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    finally:
        _GatedTargets.gate.set()
        server.shutdown()
        server.server_close()
