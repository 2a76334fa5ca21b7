"""The sync view: trust, sync from a folder or over HTTP while search keeps answering."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from fieldkit import library
from fieldkit.sync import keys
from tests.core.syncrepo import Kit, make_item, make_kit

pytestmark = pytest.mark.ui


@pytest.fixture(autouse=True)
def fast_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "SCRYPT_N", 2**10)


@pytest.fixture
def kit(tmp_path: Path) -> Kit:
    kit = make_kit(tmp_path / "publisher")
    kit.publish("MD", [make_item(f"svc-md-view-{n}", "MD", f"Bandicoot helpline {n}")
                       for n in range(3)])
    return kit


def _open_sync(window: Any, qtbot: Any) -> Any:
    window.session.navigate.emit("sync", "")
    view = window.sync
    qtbot.waitUntil(lambda: view.status is not None, timeout=5000)
    return view


def test_trust_and_sync_from_a_folder(unlocked: Any, qtbot: Any, kit: Kit) -> None:
    view = _open_sync(unlocked, qtbot)
    assert not view.sync_button.isEnabled() and "trusts no repository" in view.notice.text()
    view.trust_file(kit.root_file)
    qtbot.waitUntil(lambda: view.status.trusted, timeout=5000)
    view.source.setText(str(kit.dir))
    assert view.sync_button.isEnabled()
    view.sync_button.click()
    qtbot.waitUntil(lambda: "Moldova: 3 added" in view.summary.text(), timeout=15000)
    qtbot.waitUntil(lambda: "last checked" in view.status_line.text(), timeout=5000)
    assert "Content as of" in view.status_line.text()
    unlocked.go_home()
    home_line = unlocked.home.sync_status
    qtbot.waitUntil(lambda: "Content as of" in home_line.plain_text() and "last checked" in
                    home_line.plain_text(), timeout=5000)
    home_line.linkActivated.emit("sync")
    assert unlocked.views.currentWidget() is view


def test_a_fresh_profile_shows_the_starter_pack_date(unlocked: Any, qtbot: Any) -> None:
    home_line = unlocked.home.sync_status
    qtbot.waitUntil(lambda: "Content as of" in home_line.plain_text(), timeout=5000)
    text = home_line.plain_text()
    assert "never" not in text and "not checked for updates yet" in text, text
    from fieldkit.content.model import parse_date
    from fieldkit.content.pack import starter_items
    from fieldkit.i18n import format_review_date

    newest = max((str(i.meta["reviewed"]) for i in starter_items() if i.meta.get("reviewed")),
                 key=lambda d: (parse_date(d), len(d)))
    assert format_review_date(newest) in text  # the pack's newest review, e.g. "Dec 2026"


class _Slow(http.server.SimpleHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/targets/"):
            time.sleep(0.7)
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_search_answers_while_sync_downloads(unlocked: Any, qtbot: Any, kit: Kit) -> None:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Slow, directory=str(kit.dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        view = _open_sync(unlocked, qtbot)
        view.trust_file(kit.root_file)
        qtbot.waitUntil(lambda: view.status.trusted, timeout=5000)
        view.source.setText(f"http://127.0.0.1:{server.server_address[1]}")
        view.sync_button.click()
        qtbot.waitUntil(lambda: "Downloading" in view.progress_label.text(), timeout=10000)
        answered: list[Any] = []
        unlocked.session.run(library.search, "harassment", "en", on_success=answered.append)
        qtbot.waitUntil(lambda: bool(answered), timeout=1500)  # the store is free
        assert answered[0] and "Downloading" in view.progress_label.text()
        qtbot.waitUntil(lambda: "Moldova: 3 added" in view.summary.text(), timeout=15000)
    finally:
        server.shutdown()
        server.server_close()


def test_refused_update_is_reported(unlocked: Any, qtbot: Any, kit: Kit,
                                    tmp_path: Path) -> None:
    other = make_kit(tmp_path / "attacker")
    view = _open_sync(unlocked, qtbot)
    view.trust_file(kit.root_file)
    qtbot.waitUntil(lambda: view.status.trusted, timeout=5000)
    view.source.setText(str(other.dir))
    view.sync_button.click()
    qtbot.waitUntil(lambda: "was refused" in view.summary.text(), timeout=15000)
    qtbot.waitUntil(lambda: "the last check failed" in view.status_line.text(), timeout=5000)


def test_cancel_during_download_changes_nothing(unlocked: Any, qtbot: Any, kit: Kit) -> None:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Slow, directory=str(kit.dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        view = _open_sync(unlocked, qtbot)
        view.trust_file(kit.root_file)
        qtbot.waitUntil(lambda: view.status.trusted, timeout=5000)
        view.source.setText(f"http://127.0.0.1:{server.server_address[1]}")
        view.sync_button.click()
        qtbot.waitUntil(lambda: "Downloading" in view.progress_label.text(), timeout=10000)
        assert view.cancel_button.isEnabled()
        view.cancel_button.click()
        qtbot.waitUntil(lambda: "cancelled" in view.summary.text(), timeout=10000)
        assert view.sync_button.isEnabled()
        found: list[Any] = []
        unlocked.session.run(library.search, "bandicoot", "en", on_success=found.append)
        qtbot.waitUntil(lambda: bool(found), timeout=5000)
        assert found[0] == []
    finally:
        server.shutdown()
        server.server_close()
