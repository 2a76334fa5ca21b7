"""Run core calls off the GUI thread, one at a time, and report back on the GUI thread.

Every call that touches the store goes through the single worker of TaskRunner,
so only one thread ever uses the database connection (PRACTICES §2). Progress
uses the core's plain callable `progress(done, total, label)`; cancelling makes
that callable raise `Cancelled` (PRACTICES §3). Expected failures
(FieldkitError) arrive as their message; anything else is a bug, logged
without user data (PRACTICES §4).
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from fieldkit.errors import Cancelled, FieldkitError
from fieldkit.i18n import _

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
_OK, _ERROR, _CANCELLED = "ok", "error", "cancelled"


class Task(QObject):
    """One background call. Its public signals are always emitted on the GUI thread."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    # Emitted by the worker; queued to this object's thread (the GUI thread).
    _progress = Signal(int, int, str)
    _outcome = Signal(str, object)

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()
        self._progress.connect(self._on_progress)
        self._outcome.connect(self._on_outcome)

    def cancel(self) -> None:
        """Skip the call if it has not started, stop it at its next progress report,
        and drop its result if it finishes anyway."""
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done: int, total: int, label: str = "") -> None:
        """The progress callable handed to the core (runs on the worker thread)."""
        if self._cancel.is_set():
            raise Cancelled()
        self._progress.emit(done, total, label)

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, label: str) -> None:
        if not self._cancel.is_set():
            self.progressed.emit(done, total, label)

    @Slot(str, object)
    def _on_outcome(self, outcome: str, value: object) -> None:
        if self._cancel.is_set() or outcome == _CANCELLED:
            self.cancelled.emit()
        elif outcome == _OK:
            self.succeeded.emit(value)
        else:
            self.failed.emit(str(value))
        self.finished.emit()


class _Job(QRunnable):
    def __init__(self, task: Task, fn: Callable[..., Any], args: tuple[Any, ...],
                 kwargs: dict[str, Any]) -> None:
        super().__init__()
        self.task, self.fn, self.args, self.kwargs = task, fn, args, kwargs

    def run(self) -> None:
        task = self.task
        if task.is_cancelled:
            task._outcome.emit(_CANCELLED, None)
            return
        try:
            value = self.fn(*self.args, **self.kwargs)
        except Cancelled:
            task._outcome.emit(_CANCELLED, None)
        except FieldkitError as exc:
            task._outcome.emit(_ERROR, exc.message)
        except Exception as exc:
            # A bug: log where it happened, not the message (it may hold user data).
            log.error("background task failed with %s:\n%s", type(exc).__name__,
                      "".join(traceback.format_tb(exc.__traceback__)))
            task._outcome.emit(_ERROR, _("Something went wrong. Try again; if it happens "
                                         "again, tell your focal point."))
        else:
            task._outcome.emit(_OK, value)
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
        self._active: set[Task] = set()

    def run(self, fn: Callable[..., Any], *args: Any, with_progress: bool = False,
            on_success: Callable[[Any], None] | None = None,
            on_failure: Callable[[str], None] | None = None,
            on_progress: Callable[[int, int, str], None] | None = None,
            **kwargs: Any) -> Task:
        """Queue `fn(*args, **kwargs)`; with_progress passes `progress=` to it."""
        task = Task()
        if with_progress:
            kwargs["progress"] = task.report
        if on_success:
            task.succeeded.connect(on_success)
        task.failed.connect(on_failure if on_failure else self.error)
        if on_progress:
            task.progressed.connect(on_progress)
        # Let go of the Task only after its `finished` emission has returned: freeing a
        # QObject inside its own signal emission is a use-after-free.
        task.finished.connect(lambda: QTimer.singleShot(0, lambda: self._active.discard(task)))
        self._active.add(task)  # keeps the Task alive until it reports back
        self._pool.start(_Job(task, fn, args, kwargs))
        return task

    def cancel_all(self) -> None:
        for task in list(self._active):
            task.cancel()

    @property
    def busy(self) -> bool:
        return bool(self._active)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (used only when the app shuts down)."""
        return self._pool.waitForDone(msecs)
