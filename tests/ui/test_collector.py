"""The cycle collector runs on the GUI thread, never on the background worker."""

from __future__ import annotations

import gc
import threading

from fieldkit.ui.collector import GuiThreadCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_collects_on_the_gui_thread_only(qapp, qtbot):  # type: ignore[no-untyped-def]
    threads: list[str] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            threads.append(threading.current_thread().name)

    gc.enable()  # as a process starts (the fixture of these tests turned it off)
    collector = GuiThreadCollector(qapp, interval_ms=20)
    gc.callbacks.append(note)
    try:
        assert not gc.isenabled()
        # Garbage made on another thread is not collected there...
        worker = threading.Thread(
            target=lambda: [Cycle() for _ in range(5 * gc.get_threshold()[0])], name="worker"
        )
        worker.start()
        worker.join()
        assert "worker" not in threads
        # ...but by the timer, on the GUI thread.
        qtbot.waitUntil(lambda: bool(threads), timeout=5000)
        assert set(threads) == {threading.main_thread().name}
    finally:
        gc.callbacks.remove(note)
        collector.stop()
    assert gc.isenabled()
    gc.disable()
