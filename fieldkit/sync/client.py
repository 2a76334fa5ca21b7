"""The office's side: check a source against the pinned root, download what changed, apply.

Three steps, so that the store is held only for the last one:

1. `read_state(store)` — a short read: the trusted metadata and what was applied.
2. `check(state, source, ...)` — no store at all: python-tuf's `Updater` walks root
   versions, then timestamp → snapshot → targets → the followed channels; only the
   hash bins whose version changed are loaded, and only targets whose hash
   changed are downloaded (each bounded by its signed length and a deadline).
   Anything that fails verification raises `VerificationFailed` (exit 4).
3. `apply(store, update)` — one transaction: items, removals, the search index,
   the new trusted metadata. A crash leaves the old state or the new one whole.

Offline and expired metadata (decided here, documented in docs/sync.md): what was
applied stays readable forever and the app shows its date ("content as of"); a
source whose timestamp or snapshot has expired is refused like any other
verification failure (it cannot be told apart from a replayed stale copy), but
root rotations it carries are still recorded, so a revoked key stays revoked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import shutil
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuf.api import exceptions as tuf_errors
from tuf.api.metadata import Metadata, Root, Snapshot, TargetFile, Targets, Timestamp
from tuf.ngclient import Updater, UpdaterConfig
from tuf.ngclient.fetcher import FetcherInterface

from fieldkit.content.model import Item, parse_date
from fieldkit.errors import FieldkitError, NotFound, UsageError, VerificationFailed
from fieldkit.i18n import _
from fieldkit.store import Store
from fieldkit.sync import targets as tfmt
from fieldkit.sync.fetchers import FolderFetcher, HttpFetcher
from fieldkit.sync.repository import PUBLISHED_FIELD

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]

SETTING_SOURCE = "sync.source"
SETTING_CHANNELS = "sync.channels"
SETTING_CHECKED = "sync.last_checked"
SETTING_RESULT = "sync.last_result"
SETTING_AS_OF = "sync.content_as_of"
SETTING_SYNCED = "sync.last_synced"
WORK_DIR = "sync"


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


# -- trust -------------------------------------------------------------------------


def _parse_root(data: bytes) -> Metadata[Root]:
    try:
        md: Metadata[Root] = Metadata.from_bytes(data)
        if md.signed.type != Root.type:
            raise ValueError("not root")
        md.verify_delegate(Root.type, md)  # signed by its own threshold
        return md
    except (ValueError, KeyError, TypeError, tuf_errors.RepositoryError,
            tuf_errors.UnsignedMetadataError) as exc:
        raise VerificationFailed(_("This is not a valid, self-signed TUF root metadata "
                                   "file."), detail=f"{type(exc).__name__}: {exc}") from None
    except Exception as exc:  # DeserializationError and friends
        raise VerificationFailed(_("This is not a valid, self-signed TUF root metadata "
                                   "file."), detail=f"{type(exc).__name__}: {exc}") from None


def trust(store: Store, data: bytes) -> int:
    """Pin the profile to a repository's root (first use). Returns the root's version.

    Trusting the same root again is harmless; any other root is refused: after the
    first use, roots change only through signed rotation during sync."""
    md = _parse_root(data)
    current = store.conn.execute(
        "SELECT data FROM sync_metadata WHERE role = 'root'").fetchone()
    if current is not None:
        if bytes(current[0]) == data or any(
                bytes(r[0]) == data for r in store.conn.execute("SELECT data FROM sync_roots")):
            return int(md.signed.version)
        raise UsageError(_("This profile already trusts a repository; its root changes only "
                           "through a signed rotation, received when you sync."))
    with store.transaction() as conn:
        conn.execute("INSERT INTO sync_metadata(role, data) VALUES ('root', ?)", (data,))
        conn.execute("INSERT INTO sync_roots(version, data) VALUES (?, ?)",
                     (md.signed.version, data))
    return int(md.signed.version)


def is_trusted(store: Store) -> bool:
    return store.conn.execute(
        "SELECT 1 FROM sync_metadata WHERE role = 'root'").fetchone() is not None


# -- step 1: the trusted state ----------------------------------------------------------


@dataclass
class TrustedState:
    root: bytes
    metadata: dict[str, bytes]             # role → newest verified bytes (root excluded)
    seen: dict[str, str]                   # target path → upstream sha256 last received
    channels: list[str]


def default_channels(store: Store) -> list[str]:
    saved = store.get_setting(SETTING_CHANNELS)
    if saved:
        return [c for c in saved.split(",") if c]
    country = store.get_setting("country")
    return [tfmt.GLOBAL] + ([country.upper()] if country else [])


def read_state(store: Store, channels: list[str] | None = None) -> TrustedState:
    rows: dict[str, Any] = dict(store.query("SELECT role, data FROM sync_metadata"))
    if "root" not in rows:
        raise VerificationFailed(_("This profile trusts no repository yet: run `fieldkit "
                                   "trust ROOT_METADATA_FILE` first."))
    root = bytes(rows.pop("root"))
    seen: dict[str, str] = dict(store.query("SELECT path, upstream_sha256 FROM sync_targets"))
    return TrustedState(root, {k: bytes(v) for k, v in rows.items()}, seen,
                        channels or default_channels(store))


# -- step 2: check and download (no store) ---------------------------------------------


@dataclass
class Fetched:
    path: str
    channel: str
    info: dict[str, Any]
    data: bytes
    sha256: str
    decoded: tfmt.Decoded


@dataclass
class Update:
    source: str
    channels: list[str]
    fetched: list[Fetched]
    metadata: dict[str, bytes]
    roots: dict[int, bytes]
    published: str | None
    missing_channels: list[str] = field(default_factory=list)
    bytes_received: int = 0
    base_timestamp: bytes | None = None  # the trusted timestamp this update was checked from


@dataclass(frozen=True)
class Source:
    metadata_url: str
    targets_url: str
    fetcher: FetcherInterface
    label: str


def open_source(source: str, partial_dir: Path | None) -> Source:
    if source.startswith(("http://", "https://")):
        base = source.rstrip("/")
        targets_url = f"{base}/targets/"
        return Source(f"{base}/metadata/", targets_url,
                      HttpFetcher(partial_dir=partial_dir, resume_prefix=targets_url), source)
    folder = Path(source).expanduser()
    if not (folder / "metadata").is_dir():
        raise UsageError(_("{source} is neither a web address nor a folder holding a "
                           "repository copy (no metadata folder).").format(source=source))
    base = folder.resolve().as_uri()
    return Source(f"{base}/metadata/", f"{base}/targets/", FolderFetcher(),
                  str(folder.resolve()))


def _sha256(info: TargetFile) -> str:
    return str(info.hashes.get("sha256") or json.dumps(info.hashes, sort_keys=True))


def _could_hold(role: Any, channel: str) -> bool:
    """Whether a delegated role's paths can match some path under `channel/`."""
    if role.path_hash_prefixes is not None:
        return True
    import fnmatch
    return any(fnmatch.fnmatch(channel, p.split("/", 1)[0]) for p in role.paths or [])


class _Checker:
    def __init__(self, state: TrustedState, source: Source, work: Path,
                 progress: Progress | None) -> None:
        self.state, self.source, self.work, self.progress = state, source, work, progress
        self.metadata_dir = work / "metadata"
        self.metadata_dir.mkdir(mode=0o700)
        for role, data in state.metadata.items():
            (self.metadata_dir / f"{urllib.parse.quote(role, '')}.json").write_bytes(data)
        self.old_snapshot = self._snapshot_meta(state.metadata.get(Snapshot.type))
        self.updater = Updater(
            str(self.metadata_dir), source.metadata_url, str(work / "targets"),
            source.targets_url, source.fetcher, UpdaterConfig(max_root_rotations=64),
            bootstrap=state.root)

    @staticmethod
    def _snapshot_meta(data: bytes | None) -> dict[str, int]:
        if not data:
            return {}
        md: Metadata[Snapshot] = Metadata.from_bytes(data)
        return {name: meta.version for name, meta in md.signed.meta.items()}

    def _report(self, done: int, total: int, label: str) -> None:
        if self.progress:
            self.progress(done, total, label)

    def candidates(self, channel: str, new_snapshot: dict[str, int]) -> dict[str, TargetFile]:
        """Targets under `channel/` listed by roles that changed since the last sync.

        A leaf role whose version in the snapshot did not change lists nothing new and is
        not even loaded; `get_targetinfo` below decides, for each path, which role
        is authoritative, exactly as TUF's delegation walk does."""
        found: dict[str, TargetFile] = {}
        stack = [(Targets.type, Root.type)]
        visited: set[str] = set()
        prefix = f"{channel}/"
        while stack:
            role, parent = stack.pop()
            if role in visited:
                continue
            visited.add(role)
            known = self.state.metadata.get(role)
            if known is not None and self.old_snapshot.get(f"{role}.json") == \
                    new_snapshot.get(f"{role}.json") and b'"delegations"' not in known:
                continue  # an unchanged leaf (most hash bins)
            md = self.updater._load_targets(role, parent)
            for path, info in md.targets.items():
                if path.startswith(prefix):
                    found[path] = info
            if md.delegations is None:
                continue
            if md.delegations.succinct_roles is not None:
                stack += [(name, role) for name in md.delegations.succinct_roles.get_roles()]
            for child in (md.delegations.roles or {}).values():
                if _could_hold(child, channel):
                    stack.append((child.name, role))
        return found

    def run(self) -> Update:
        self._report(0, 1, "checking")
        self.updater.refresh()
        snapshot: Metadata[Snapshot] = Metadata.from_bytes(
            (self.metadata_dir / "snapshot.json").read_bytes())
        new_snapshot = {n: m.version for n, m in snapshot.signed.meta.items()}
        top: Metadata[Targets] = Metadata.from_bytes(
            (self.metadata_dir / "targets.json").read_bytes())
        todo: list[tuple[str, TargetFile]] = []
        missing = []
        for channel in self.state.channels:
            delegated = top.signed.delegations is not None and any(
                _could_hold(r, channel) for r in (top.signed.delegations.roles or {}).values())
            if not delegated and not any(p.startswith(f"{channel}/")
                                         for p in top.signed.targets):
                missing.append(channel)
                continue
            for path, info in sorted(self.candidates(channel, new_snapshot).items()):
                if self.state.seen.get(path) == _sha256(info):
                    continue
                if not tfmt.PATH_PATTERN.match(path):  # checked before any download
                    raise VerificationFailed(_("{path} is signed but is not a valid item: "
                                               "{reason}.").format(
                        path=path, reason="its path is not CHANNEL/ITEM-ID.json"))
                todo.append((channel, info))
        fetched = []
        for n, (channel, listed) in enumerate(todo, 1):
            self._report(n - 1, len(todo), "downloading")
            fetched.append(self._download(channel, listed))
        self._report(len(todo), len(todo), "downloading")
        timestamp: Metadata[Timestamp] = Metadata.from_bytes(
            (self.metadata_dir / "timestamp.json").read_bytes())
        published = timestamp.signed.unrecognized_fields.get(PUBLISHED_FIELD)
        return Update(self.source.label, list(self.state.channels), fetched,
                      self.collect_metadata(), self.collect_roots(),
                      published if isinstance(published, str) else None, missing,
                      getattr(self.source.fetcher, "bytes_received", 0),
                      self.state.metadata.get(Timestamp.type))

    def _download(self, channel: str, listed: TargetFile) -> Fetched:
        info = self.updater.get_targetinfo(listed.path)
        if info is None or info != listed:
            raise VerificationFailed(_("The channel {channel} lists {path}, which is not "
                                       "delegated to it.").format(channel=channel,
                                                                  path=listed.path))
        out = self.work / "targets" / urllib.parse.quote(info.path, "")
        try:
            self.updater.download_target(info, str(out))
        except tuf_errors.RepositoryError:
            fetcher = self.source.fetcher
            if isinstance(fetcher, HttpFetcher):  # a resumed copy that was wrong: start over
                fetcher.forget_partial(self._target_url(info))
            raise
        data = out.read_bytes()
        out.unlink()
        try:
            decoded = tfmt.decode(data, info.path, channel)
        except ValueError as exc:
            raise VerificationFailed(_("{path} is signed but is not a valid item: "
                                       "{reason}.").format(path=info.path, reason=exc)) from None
        return Fetched(info.path, channel, info.to_dict(), data, _sha256(info), decoded)

    def _target_url(self, info: TargetFile) -> str:
        directory, sep, name = info.path.rpartition("/")
        if self.updater._trusted_set.root.consistent_snapshot:
            name = f"{next(iter(info.hashes.values()))}.{name}"
        return f"{self.source.targets_url}{directory}{sep}{name}"

    def collect_metadata(self) -> dict[str, bytes]:
        found = {}
        for path in self.metadata_dir.glob("*.json"):
            if path.name != "root.json":
                found[urllib.parse.unquote(path.stem)] = path.read_bytes()
        return found

    def collect_roots(self) -> dict[int, bytes]:
        found = {}
        for path in (self.metadata_dir / "root_history").glob("*.root.json"):
            found[int(path.name.split(".", 1)[0])] = path.read_bytes()
        return found


def _reason(exc: Exception) -> str:
    """One plain sentence for a verification failure; the library's own text (hashes,
    key ids, class names) goes to the error's detail, shown with --json."""
    if isinstance(exc, tuf_errors.ExpiredMetadataError):
        return _("its signed metadata has expired: it is stale, or replayed; ask for a "
                 "fresh copy")
    if isinstance(exc, tuf_errors.BadVersionNumberError | tuf_errors.EqualVersionNumberError):
        return _("a file's version is older than this profile's or differs from what the "
                 "signed snapshot says (a rollback, or a mix of versions)")
    if isinstance(exc, tuf_errors.UnsignedMetadataError):
        return _("metadata is not signed by the keys trusted for it (a wrong, revoked or "
                 "undelegated key)")
    if isinstance(exc, tuf_errors.DownloadLengthMismatchError):
        return _("a file is larger than its signed length; the download was stopped")
    if isinstance(exc, tuf_errors.LengthOrHashMismatchError):
        return _("a file does not match its signed hash or length (tampered, or a mix of "
                 "versions)")
    return _("its signed metadata is not valid (damaged, or not from this repository)")


def check(state: TrustedState, source: str, data_dir: Path,
          progress: Progress | None = None) -> Update:
    """Verify `source` and download what changed. Never touches the store.

    Raises VerificationFailed or FieldkitError; either carries in `new_roots` the newer
    verified roots met on the way, which stay valid even when the update is refused."""
    sync_dir = data_dir / WORK_DIR
    sync_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    for stale in sync_dir.glob("check-*"):  # left by a check that was killed
        if stale.stat().st_mtime < time.time() - 24 * 3600:
            shutil.rmtree(stale, ignore_errors=True)
    src = open_source(source, sync_dir / "partial")
    work = Path(tempfile.mkdtemp(prefix="check-", dir=sync_dir))
    checker: _Checker | None = None
    try:
        try:
            checker = _Checker(state, src, work, progress)
            return checker.run()
        except tuf_errors.DownloadLengthMismatchError as exc:
            raise VerificationFailed(_("The update from {source} was refused: {reason}. "
                                       "Nothing was changed.").format(
                source=src.label, reason=_reason(exc)), detail=str(exc)) from None
        except tuf_errors.DownloadHTTPError as exc:
            if exc.status_code == 404:
                raise FieldkitError(_("The source {source} lacks a file the repository "
                                      "lists ({detail}); it may be an incomplete copy.").format(
                    source=src.label, detail=exc)) from None
            raise FieldkitError(_("Could not download from {source}: {detail}").format(
                source=src.label, detail=exc)) from None
        except tuf_errors.DownloadError as exc:
            raise FieldkitError(_("Could not download from {source}: {detail}. What was "
                                  "downloaded is kept; run sync again to resume.").format(
                source=src.label, detail=exc)) from None
        except (tuf_errors.RepositoryError, tuf_errors.LengthOrHashMismatchError) as exc:
            raise VerificationFailed(_("The update from {source} was refused: {reason}. "
                                       "Nothing was changed.").format(
                source=src.label, reason=_reason(exc)), detail=str(exc)) from None
    except FieldkitError as exc:
        setattr(exc, "new_roots", checker.collect_roots() if checker else {})  # noqa: B010
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


# -- step 3: apply (one transaction) ----------------------------------------------------


@dataclass
class ChannelSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, list[str]]:
        return {"added": self.added, "updated": self.updated, "removed": self.removed,
                "conflicts": self.conflicts}


@dataclass
class SyncResult:
    source: str
    channels: dict[str, ChannelSummary]
    missing_channels: list[str]
    content_as_of: str | None
    bytes_received: int
    files: int = 0  # files downloaded and applied (each holds one item)
    files_already_here: int = 0  # of those, files whose content the profile already had

    @property
    def changed(self) -> int:
        return sum(len(c.added) + len(c.updated) + len(c.removed)
                   for c in self.channels.values())

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "content_as_of": self.content_as_of,
                "bytes_received": self.bytes_received,
                "files": self.files, "files_already_here": self.files_already_here,
                "missing_channels": self.missing_channels,
                "channels": {k: v.to_json() for k, v in self.channels.items()}}


def _current(store: Store, item_id: str) -> Item | None:
    from fieldkit import library
    with contextlib.suppress(NotFound):
        return library.get_item(store, item_id)
    return None


def apply(store: Store, update: Update, progress: Progress | None = None) -> SyncResult:
    """Apply a checked update in one transaction; local edits are kept and flagged."""
    from fieldkit import library
    summaries = {c: ChannelSummary() for c in update.channels
                 if c not in update.missing_channels}
    now = _now()
    with store.transaction() as conn:
        row = conn.execute("SELECT data FROM sync_metadata WHERE role = 'timestamp'").fetchone()
        if (bytes(row[0]) if row else None) != update.base_timestamp:
            raise FieldkitError(_("Another sync changed this profile meanwhile; nothing was "
                                  "changed by this one. Sync again."))
        if progress:  # reported inside the transaction: from here on, all or nothing
            progress(0, len(update.fetched), "applying")
        to_put: list[Item] = []
        applied: list[Fetched] = []
        already_here = 0
        for n, f in enumerate(update.fetched, 1):
            if progress and n % 50 == 0:
                progress(n, len(update.fetched), "applying")
            summary = summaries.setdefault(f.channel, ChannelSummary())
            decoded = f.decoded
            record = conn.execute(
                "SELECT applied_hash, applied_sha256 FROM sync_targets WHERE path = ?",
                (f.path,)).fetchone()
            local = _current(store, decoded.item_id)
            if local is not None and tfmt.owner_channel(local.country) != f.channel:
                raise VerificationFailed(_(
                    "The channel {channel} tried to replace {item}, which belongs to "
                    "{owner}; nothing was changed.").format(
                    channel=f.channel, item=decoded.item_id,
                    owner=tfmt.owner_channel(local.country)))
            if record is not None and record[0] is not None:
                edited = local is None or tfmt.content_hash(local) != record[0]
            else:
                edited = local is not None and local.origin == "local"
            _record_upstream(conn, f, now)
            if edited:
                if decoded.item is not None and local is not None \
                        and tfmt.content_hash(local) == tfmt.content_hash(decoded.item):
                    edited = False  # the same edit was made upstream: nothing to reconcile
                else:
                    conn.execute("UPDATE sync_targets SET conflict_since = "
                                 "coalesce(conflict_since, ?) WHERE path = ?", (now, f.path))
                    summary.conflicts.append(decoded.item_id)
                    continue
            if decoded.item is None:
                if local is not None:
                    library.delete_items(store, [decoded.item_id])
                    summary.removed.append(decoded.item_id)
                else:
                    already_here += 1
                _mark_applied(conn, f, None)
                continue
            if local is not None and tfmt.content_hash(local) == \
                    tfmt.content_hash(decoded.item):
                _mark_applied(conn, f, tfmt.content_hash(local))  # already here (starter pack)
                already_here += 1
                if local.channel != f.channel or local.version != decoded.version:
                    conn.execute("UPDATE items SET channel = ?, version = ?, origin = 'sync' "
                                 "WHERE id = ?", (f.channel, decoded.version, local.id))
                continue
            (summary.updated if local is not None else summary.added).append(decoded.item_id)
            to_put.append(decoded.item)
            applied.append(f)
        if to_put:
            library.put_items(store, to_put)
        for f in applied:
            item = library.get_item(store, f.decoded.item_id)
            _mark_applied(conn, f, tfmt.content_hash(item))
        conn.execute("DELETE FROM sync_metadata WHERE role != 'root'")
        conn.executemany("INSERT INTO sync_metadata(role, data) VALUES (?, ?)",
                         list(update.metadata.items()))
        _store_roots(conn, update.roots)
        as_of = update.published or now
        for key, value in ((SETTING_AS_OF, as_of), (SETTING_SYNCED, now),
                           (SETTING_CHECKED, now), (SETTING_RESULT, "ok"),
                           (SETTING_SOURCE, update.source)):
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) "
                         "DO UPDATE SET value = excluded.value", (key, value))
    return SyncResult(update.source, summaries, update.missing_channels, as_of,
                      update.bytes_received, len(update.fetched), already_here)


def _record_upstream(conn: Any, f: Fetched, now: str) -> None:
    conn.execute(
        "INSERT INTO sync_targets(path, channel, item_id, info, data, upstream_version, "
        "upstream_sha256, removed) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO "
        "UPDATE SET info = excluded.info, data = excluded.data, "
        "upstream_version = excluded.upstream_version, "
        "upstream_sha256 = excluded.upstream_sha256, removed = excluded.removed",
        (f.path, f.channel, f.decoded.item_id, json.dumps(f.info, sort_keys=True), f.data,
         f.decoded.version, f.sha256, int(f.decoded.item is None)))


def _mark_applied(conn: Any, f: Fetched, content_hash: str | None) -> None:
    conn.execute("UPDATE sync_targets SET applied_version = ?, applied_sha256 = ?, "
                 "applied_hash = ?, conflict_since = NULL WHERE path = ?",
                 (f.decoded.version, f.sha256, content_hash, f.path))


def _store_roots(conn: Any, roots: dict[int, bytes]) -> None:
    if not roots:
        return
    conn.executemany("INSERT OR IGNORE INTO sync_roots(version, data) VALUES (?, ?)",
                     sorted(roots.items()))
    newest = max(roots)
    row = conn.execute("SELECT max(version) FROM sync_roots").fetchone()
    if row[0] == newest:
        conn.execute("UPDATE sync_metadata SET data = ? WHERE role = 'root'", (roots[newest],))


def record_failure(store: Store, message: str, new_roots: dict[int, bytes]) -> None:
    """After a refused update: when it was checked and why; newer verified roots kept.
    Content tables are not touched."""
    with store.transaction() as conn:
        _store_roots(conn, new_roots)
        for key, value in ((SETTING_CHECKED, _now()), (SETTING_RESULT, message)):
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) "
                         "DO UPDATE SET value = excluded.value", (key, value))


def sync(store: Store, source: str | None, data_dir: Path, channels: list[str] | None = None,
         progress: Progress | None = None) -> SyncResult:
    """The whole sync for the CLI: read, check (the store is free meanwhile), apply."""
    source = source or store.get_setting(SETTING_SOURCE)
    if not source:
        raise UsageError(_("Give a source: fieldkit sync --source URL|DIR."))
    if not is_trusted(store):
        # A refusal for safety, like a tampered update: with no root pinned, nothing
        # from any source can be verified.
        raise VerificationFailed(_("This profile trusts no repository yet, so nothing from "
                                   "{source} can be verified and nothing was changed; first "
                                   "run `fieldkit trust ROOT_METADATA_FILE`.").format(
            source=source))
    state = read_state(store, channels)
    try:
        update = check(state, source, data_dir, progress)
    except FieldkitError as exc:
        record_failure(store, exc.message, getattr(exc, "new_roots", {}))
        raise
    if channels and update.missing_channels:
        # Asked for by name: a typo or a wrong repository, not an empty update.
        raise UsageError(_("The repository at {source} has no channel {channels}; nothing "
                           "was changed.").format(source=update.source,
                                                  channels=", ".join(update.missing_channels)))
    return apply(store, update, progress)


# -- status ---------------------------------------------------------------------------


@dataclass
class Status:
    trusted: bool
    source: str | None
    content_as_of: str | None
    last_checked: str | None
    last_result: str | None
    last_synced: str | None
    conflicts: list[dict[str, Any]]
    starter_pack: bool = False  # content_as_of is the starter pack's date: never synced

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def status(store: Store) -> Status:
    conflicts = [
        {"item": item_id, "channel": channel, "upstream_version": version,
         "removed_upstream": bool(removed), "since": since}
        for item_id, channel, version, removed, since in store.conn.execute(
            "SELECT item_id, channel, upstream_version, removed, conflict_since "
            "FROM sync_targets WHERE conflict_since IS NOT NULL ORDER BY item_id")]
    as_of = store.get_setting(SETTING_AS_OF)
    starter = as_of is None
    if starter:
        as_of = starter_content_date(store)
    return Status(is_trusted(store), store.get_setting(SETTING_SOURCE),
                  as_of, store.get_setting(SETTING_CHECKED),
                  store.get_setting(SETTING_RESULT), store.get_setting(SETTING_SYNCED),
                  conflicts, starter and as_of is not None)


def starter_content_date(store: Store) -> str | None:
    """Before any sync, the content is the starter pack's: as current as its most
    recently reviewed item (`reviewed`: a year, year-month or date, as written)."""
    dates = [d for (d,) in store.query(
        "SELECT json_extract(meta, '$.reviewed') FROM items WHERE origin = 'pack'")
        if isinstance(d, str) and parse_date(d) is not None]
    return max(dates, key=lambda d: (parse_date(d), len(d))) if dates else None


def iter_mirror_files(store: Store) -> Iterator[tuple[str, bytes]]:
    """The profile's verified repository state as (relative path, bytes), timestamp last."""
    rows: dict[str, Any] = dict(store.query("SELECT role, data FROM sync_metadata"))
    if Timestamp.type not in rows:
        raise FieldkitError(_("This profile has not synced from a repository yet; there is "
                              "nothing to copy."))
    roots = store.conn.execute("SELECT version, data FROM sync_roots ORDER BY version")
    consistent = True
    for version, data in roots:
        consistent = bool(Metadata.from_bytes(bytes(data)).signed.consistent_snapshot)
        yield f"metadata/{version}.root.json", bytes(data)
        yield "metadata/root.json", bytes(data)
    for role, data in sorted(rows.items()):
        if role in (Root.type, Timestamp.type):
            continue
        version = Metadata.from_bytes(bytes(data)).signed.version
        name = urllib.parse.quote(role, "")
        yield (f"metadata/{version}.{name}.json" if consistent else f"metadata/{name}.json",
               bytes(data))
    for path, info, data in store.conn.execute("SELECT path, info, data FROM sync_targets"):
        target = TargetFile.from_dict(json.loads(info), path)
        directory, sep, name = path.rpartition("/")
        if consistent:
            name = f"{next(iter(target.hashes.values()))}.{name}"
        yield f"targets/{directory}{sep}{name}", bytes(data)
    yield "metadata/timestamp.json", bytes(rows[Timestamp.type])
