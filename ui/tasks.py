"""Run core calls off the GUI thread, one at a time, and report back on the GUI thread.

Every call that touches the store goes through the single worker of TaskRunner,
so only one thread ever uses the database connection (PRACTICES §2). Progress
uses the core's plain callable `progress(done, total, label)`; cancelling makes
that callable raise `Cancelled` (PRACTICES §3). Expected failures
(FieldkitError) arrive as their message; anything else is a bug, logged
without user data (PRACTICES §4).
"""

from __future__ import annotations

import itertools
import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from fieldkit.errors import Cancelled, FieldkitError
from fieldkit.i18n import _

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
_OK, _ERROR, _CANCELLED = "ok", "error", "cancelled"


class Task(QObject):
    """One background call, as the GUI sees it. Lives and dies on the GUI thread:
    the worker never touches it, only its id and its cancel flag."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()
    # A result that arrived after cancel(): not delivered, but handed here so that
    # what it holds (an open store…) can be closed.
    discarded = Signal(object)

    def __init__(self, task_id: int) -> None:
        super().__init__()
        self.id = task_id
        self.cancel_flag = threading.Event()

    def cancel(self) -> None:
        """Skip the call if it has not started, stop it at its next progress report,
        and drop its result if it finishes anyway."""
        self.cancel_flag.set()

    @property
    def is_cancelled(self) -> bool:
        return self.cancel_flag.is_set()


class _Bridge(QObject):
    """The one object the worker emits on; signals queue to the GUI thread."""

    progress = Signal(int, int, int, str)   # task id, done, total, label
    outcome = Signal(int, str, object)      # task id, outcome, value


class _Job(QRunnable):
    def __init__(self, bridge: _Bridge, task_id: int, cancel_flag: threading.Event,
                 fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                 with_progress: bool) -> None:
        super().__init__()
        self.bridge, self.task_id, self.cancel_flag = bridge, task_id, cancel_flag
        self.fn, self.args, self.kwargs = fn, args, kwargs
        if with_progress:
            self.kwargs["progress"] = self.report

    def report(self, done: int, total: int, label: str = "") -> None:
        """The progress callable handed to the core (runs on the worker thread)."""
        if self.cancel_flag.is_set():
            raise Cancelled()
        self.bridge.progress.emit(self.task_id, done, total, label)

    def run(self) -> None:
        emit = self.bridge.outcome.emit
        if self.cancel_flag.is_set():
            emit(self.task_id, _CANCELLED, None)
            return
        try:
            value = self.fn(*self.args, **self.kwargs)
        except Cancelled:
            emit(self.task_id, _CANCELLED, None)
        except FieldkitError as exc:
            emit(self.task_id, _ERROR, exc.message)
        except Exception as exc:
            # A bug: log where it happened, not the message (it may hold user data).
            log.error("background task failed with %s:\n%s", type(exc).__name__,
                      "".join(traceback.format_tb(exc.__traceback__)))
            emit(self.task_id, _ERROR, _("Something went wrong. Try again; if it happens "
                                         "again, tell your focal point."))
        else:
            emit(self.task_id, _OK, value)
        finally:
            self.fn = self.args = self.kwargs = None  # type: ignore[assignment]


class TaskRunner(QObject):
    """A single worker thread for all store work; results come back by signal."""

    error = Signal(str)  # failures of tasks that have no failure handler of their own

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)  # keep the same thread for the life of the app
        self._bridge = _Bridge(self)
        self._bridge.progress.connect(self._on_progress)
        self._bridge.outcome.connect(self._on_outcome)
        self._active: dict[int, Task] = {}
        self._ids = itertools.count(1)

    def run(self, fn: Callable[..., Any], *args: Any, with_progress: bool = False,
            on_success: Callable[[Any], None] | None = None,
            on_failure: Callable[[str], None] | None = None,
            on_progress: Callable[[int, int, str], None] | None = None,
            **kwargs: Any) -> Task:
        """Queue `fn(*args, **kwargs)`; with_progress passes `progress=` to it."""
        task = Task(next(self._ids))
        if on_success:
            task.succeeded.connect(on_success)
        task.failed.connect(on_failure if on_failure else self.error)
        if on_progress:
            task.progressed.connect(on_progress)
        self._active[task.id] = task  # keeps the Task alive until it reports back
        self._pool.start(_Job(self._bridge, task.id, task.cancel_flag, fn, args, kwargs,
                              with_progress))
        return task

    @Slot(int, int, int, str)
    def _on_progress(self, task_id: int, done: int, total: int, label: str) -> None:
        task = self._active.get(task_id)
        if task is not None and not task.is_cancelled:
            task.progressed.emit(done, total, label)

    @Slot(int, str, object)
    def _on_outcome(self, task_id: int, outcome: str, value: object) -> None:
        task = self._active.pop(task_id, None)
        if task is None:
            return
        if task.is_cancelled or outcome == _CANCELLED:
            if outcome == _OK:
                task.discarded.emit(value)
            task.cancelled.emit()
        elif outcome == _OK:
            task.succeeded.emit(value)
        else:
            task.failed.emit(str(value))
        task.finished.emit()

    def cancel_all(self) -> None:
        for task in list(self._active.values()):
            task.cancel()

    @property
    def busy(self) -> bool:
        return bool(self._active)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (used only when the app shuts down)."""
        return self._pool.waitForDone(msecs)
