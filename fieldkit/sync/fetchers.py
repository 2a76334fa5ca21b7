"""Fetchers for python-tuf's ngclient: HTTP(S) with resume, and a folder (a USB copy).

Both are public: any python-tuf `Updater` can use them. ngclient checks what a
fetcher returns against the signed length and hashes; a fetcher's own job is
to stop early, to give up on a stalled link, and (HTTP) to resume.

Resume is offered only for URLs under `resume_prefix` (the repository's
targets): with consistent snapshots a target's URL carries its hash, so the
bytes at a URL never change and a partial file kept under the URL's hash is
safe to continue. A resumed file that fails its hash check is deleted by
`Updater`'s caller (see `forget_partial`). Metadata is never resumed: its names
(timestamp.json) are reused for new contents.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import urllib3
from tuf.api import exceptions
from tuf.ngclient.fetcher import FetcherInterface

from fieldkit import __version__

CHUNK = 64 * 1024
SOCKET_TIMEOUT = 20.0       # connect, and longest silence between two reads (s)
MIN_RATE = 2 * 1024         # bytes/s: a download may take length / MIN_RATE + SOCKET_TIMEOUT


# urllib3 logs each retry as a warning; the one sentence the user reads is ours.
logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)


def _why(reason: object) -> str:
    """A short cause for a failed connection (urllib3's own text repeats the URL twice)."""
    if isinstance(reason, urllib3.exceptions.NameResolutionError):
        return "the server's name could not be resolved"
    if isinstance(reason, urllib3.exceptions.SSLError):
        return "the secure connection failed"
    if isinstance(reason, urllib3.exceptions.NewConnectionError):
        return "the server could not be reached"
    return "the connection failed"


class _Bounded(FetcherInterface):
    """Shared bounds: never read past `max_length` + 1 byte, never past the deadline."""

    def _fetch(self, url: str) -> Iterator[bytes]:  # pragma: no cover - bounded path used
        return self._stream(url, None)

    def _stream(self, url: str, max_length: int | None) -> Iterator[bytes]:
        raise NotImplementedError

    @contextmanager
    def download_file(self, url: str, max_length: int) -> Iterator[IO[bytes]]:
        received = 0
        with tempfile.TemporaryFile() as temp_file:
            chunks = self._stream(url, max_length)
            try:
                for chunk in chunks:
                    received += len(chunk)
                    if received > max_length:
                        raise exceptions.DownloadLengthMismatchError(
                            f"Downloaded more than the signed length of {max_length} bytes "
                            f"from {url}; stopped")
                    temp_file.write(chunk)
            except exceptions.DownloadError:
                raise
            except OSError as exc:
                raise exceptions.DownloadError(f"Failed to download {url}: {exc}") from exc
            finally:
                close = getattr(chunks, "close", None)
                if close:
                    close()
            temp_file.seek(0)
            yield temp_file


class FolderFetcher(_Bounded):
    """Reads `file://` URLs from a local folder tree (a mirror on a USB stick).

    A missing file is HTTP's 404, as ngclient expects: the root-version walk
    stops at the first root that does not exist.
    """

    def _stream(self, url: str, max_length: int | None) -> Iterator[bytes]:
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme != "file":
            raise exceptions.DownloadError(f"not a folder URL: {url}")
        path = Path(urllib.parse.unquote(parsed.path))
        try:
            handle = path.open("rb")
        except (FileNotFoundError, NotADirectoryError):
            raise exceptions.DownloadHTTPError(f"{path} does not exist", 404) from None
        return self._read(handle, max_length)

    @staticmethod
    def _read(handle: IO[bytes], max_length: int | None) -> Iterator[bytes]:
        with handle:
            limit = None if max_length is None else max_length + 1
            while limit is None or limit > 0:
                chunk = handle.read(CHUNK if limit is None else min(CHUNK, limit))
                if not chunk:
                    return
                if limit is not None:
                    limit -= len(chunk)
                yield chunk


class HttpFetcher(_Bounded):
    """HTTP(S) through urllib3, with Range resume for immutable (hash-named) URLs."""

    def __init__(self, partial_dir: Path | None = None, resume_prefix: str | None = None,
                 socket_timeout: float = SOCKET_TIMEOUT, min_rate: int = MIN_RATE) -> None:
        self.partial_dir = partial_dir
        self.resume_prefix = resume_prefix
        self.socket_timeout = socket_timeout
        self.min_rate = min_rate
        self.bytes_received = 0
        self._pool = urllib3.PoolManager(
            headers={"User-Agent": f"fieldkit/{__version__}"},
            retries=urllib3.Retry(total=2, connect=2, read=0, redirect=3, status=0))

    def partial_path(self, url: str) -> Path | None:
        if self.partial_dir is None or not self.resume_prefix \
                or not url.startswith(self.resume_prefix):
            return None
        return self.partial_dir / (hashlib.sha256(url.encode("utf-8")).hexdigest() + ".part")

    def forget_partial(self, url: str) -> None:
        path = self.partial_path(url)
        if path is not None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def _request(self, url: str, offset: int) -> urllib3.BaseHTTPResponse:
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        try:
            return self._pool.request(
                "GET", url, headers=headers, preload_content=False, redirect=True,
                timeout=urllib3.Timeout(connect=self.socket_timeout, read=self.socket_timeout))
        except urllib3.exceptions.MaxRetryError as exc:
            # NewConnectionError is a TimeoutError in urllib3 2: ask it first.
            if isinstance(exc.reason, urllib3.exceptions.TimeoutError) and not isinstance(
                    exc.reason, urllib3.exceptions.NewConnectionError):
                raise exceptions.SlowRetrievalError(f"{url} did not answer in time") from exc
            raise exceptions.DownloadError(f"{_why(exc.reason)} ({url})") from exc
        except urllib3.exceptions.HTTPError as exc:
            raise exceptions.DownloadError(f"Failed to reach {url}: {exc}") from exc

    def _stream(self, url: str, max_length: int | None) -> Iterator[bytes]:
        partial = self.partial_path(url)
        offset = partial.stat().st_size if partial is not None and partial.exists() else 0
        if max_length is not None and offset > max_length:
            self.forget_partial(url)  # longer than it may be: never trust it
            offset = 0
        response = self._request(url, offset)
        if response.status == 416 and offset:  # the partial is already whole (or wrong)
            response.release_conn()
            self.forget_partial(url)
            offset = 0
            response = self._request(url, 0)
        if response.status >= 400:
            response.release_conn()
            raise exceptions.DownloadHTTPError(
                f"HTTP error {response.status} for {url}", response.status)
        if offset and response.status != 206:  # the server ignored Range: start again
            self.forget_partial(url)
            offset = 0
        return self._chunks(url, response, partial, offset, max_length)

    def _chunks(self, url: str, response: urllib3.BaseHTTPResponse, partial: Path | None,
                offset: int, max_length: int | None) -> Iterator[bytes]:
        deadline = time.monotonic() + self.socket_timeout + (
            (max_length or 0) / self.min_rate)
        out: IO[bytes] | None = None
        complete = False
        try:
            if partial is not None:
                partial.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                out = partial.open("ab")
                if offset:
                    with partial.open("rb") as previous:
                        yield previous.read(offset)
            for chunk in response.stream(CHUNK):
                if time.monotonic() > deadline:
                    raise exceptions.SlowRetrievalError(f"{url} is too slow; stopped")
                self.bytes_received += len(chunk)
                if out is not None:
                    out.write(chunk)
                    out.flush()
                yield chunk
            complete = True
        except urllib3.exceptions.TimeoutError as exc:
            raise exceptions.SlowRetrievalError(f"{url} stalled") from exc
        except urllib3.exceptions.HTTPError as exc:
            raise exceptions.DownloadError(f"The download of {url} broke off: {exc}") from exc
        except GeneratorExit:
            # The caller stopped reading: more than the signed length arrived. What we
            # kept is not a prefix worth resuming.
            complete = True
            raise
        finally:
            if out is not None:
                out.close()
            response.release_conn()
            if complete and partial is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(partial)
