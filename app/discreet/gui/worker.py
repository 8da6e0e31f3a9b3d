"""The one place where core work meets Qt: jobs on a thread pool, events as signals.

Core functions take plain callbacks and a `CancelToken`. A `Job` runs one of them on a
pool thread and forwards what it reports as Qt signals, which Qt delivers on the UI
thread. Jobs that touch a model or the library store take one shared lock, so the UI
can queue an ask behind an ingest without two threads inside llama.cpp or SQLite at
once. Progress events are coalesced to a few per second: a flood of queued signals
is itself a way to freeze the UI.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from discreet.core.errors import Cancelled, DiscreetError
from discreet.core.progress import CancelToken, EventSink, Progress

log = logging.getLogger("discreet.gui")

PROGRESS_INTERVAL_S = 0.1


@dataclass
class JobContext:
    """What a job's function gets: where to report, and how to notice Cancel."""

    cancel: CancelToken
    progress: EventSink
    token: Callable[[str], None]
    early: Callable[[object], None]  # a first result ahead of the whole (an answer's evidence)


class JobSignals(QObject):
    """A job's signals: a `QRunnable` cannot emit, so each job carries one of these, made on the
    UI thread, where its slots then run."""

    progress = Signal(object)  # a core.progress.Progress
    token = Signal(str)
    early = Signal(object)  # e.g. tasks.evidence.Evidence, before the answer streams
    finished = Signal(object)  # the function's return value
    failed = Signal(str)  # a message for the user
    cancelled = Signal()
    ended = Signal()  # after any of the three above


class Job(QRunnable):
    """One core function run on the pool under the shared lock; `TaskRunner.submit` makes each
    and keeps it until it ends."""

    def __init__(self, name: str, fn: Callable[[JobContext], Any], lock: threading.Lock) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner keeps it until `ended`
        self.name = name
        self.signals = JobSignals()
        self.cancel_token = CancelToken()
        self._fn = fn
        self._lock = lock
        self._last_progress = 0.0
        self.ended = False  # set before `ended` is emitted, for slots connected late

    def cancel(self) -> None:
        """Ask the job to stop: its function notices at its next check, and a job still waiting
        for the lock never starts."""
        self.cancel_token.cancel()

    def run(self) -> None:
        """On a pool thread: run the function under the lock and say by signal how it ended,
        with exactly one of `finished`, `failed` or `cancelled`, then `ended`.

        Work that stops midway and returns what it did (an ingest's report, a batch's
        rows) emits `finished`: its value says it was cancelled. `cancelled` is for work
        that ended with nothing to show.
        """
        context = JobContext(
            self.cancel_token, self._progress, self.signals.token.emit, self.signals.early.emit
        )
        try:
            with self._lock:
                if self.cancel_token.cancelled:
                    raise Cancelled(self.name)
                value = self._fn(context)
        except Cancelled:
            self.signals.cancelled.emit()
        except DiscreetError as err:
            self.signals.failed.emit(str(err))
        except Exception:
            log.exception("%s failed", self.name)
            self.signals.failed.emit(
                f"{self.name} failed unexpectedly. The details are in the log folder; "
                "please include them if you report it."
            )
        else:
            self.signals.finished.emit(value)
        self.ended = True
        self.signals.ended.emit()

    def _progress(self, event: Progress) -> None:
        now = time.monotonic()
        if event.finished or now - self._last_progress >= PROGRESS_INTERVAL_S:
            self._last_progress = now
            self.signals.progress.emit(event)


class TaskRunner(QObject):
    """Starts jobs; one lock serialises every job that uses models or the store."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)  # one working, one waiting on the lock at most
        self._lock = threading.Lock()
        self._jobs: set[Job] = set()
        # Wraps each job in its audit entries (`AuditLog.action`): one before it runs, whose
        # failure refuses the job, and one with how it ended.
        self.audit: Callable[[str], AbstractContextManager[object]] | None = None

    def submit(
        self,
        name: str,
        fn: Callable[[JobContext], Any],
        on_finished: Callable[[Any], None] | None = None,
        on_failed: Callable[[str], None] | None = None,
        on_progress: EventSink | None = None,
        on_token: Callable[[str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        on_ended: Callable[[], None] | None = None,
        on_early: Callable[[Any], None] | None = None,
    ) -> Job:
        """Every slot is connected before the job starts: a signal a quick job emits
        before a later `connect` would never be delivered."""
        audit = self.audit

        def audited(context: JobContext) -> Any:
            assert audit is not None
            with audit(name):  # AuditFailed: the job fails with it, its work never runs
                return fn(context)

        job = Job(name, audited if audit is not None else fn, self._lock)
        for signal, slot in (
            (job.signals.finished, on_finished),
            (job.signals.failed, on_failed),
            (job.signals.progress, on_progress),
            (job.signals.token, on_token),
            (job.signals.early, on_early),
            (job.signals.cancelled, on_cancelled),
            (job.signals.ended, on_ended),
        ):
            if slot is not None:
                signal.connect(slot)
        job.signals.ended.connect(lambda: self._ended(job))
        self._jobs.add(job)
        self.busy_changed.emit(True)
        self._pool.start(job)
        return job

    @property
    def busy(self) -> bool:
        """True while any job is queued or running."""
        return bool(self._jobs)

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until every job has ended or `timeout_ms` passed (-1: no limit); False if not."""
        return self._pool.waitForDone(timeout_ms)

    def cancel_all(self) -> None:
        """Cancel every job, running or queued; the window does this as it closes."""
        for job in list(self._jobs):
            job.cancel()

    def _ended(self, job: Job) -> None:
        self._jobs.discard(job)
        if not self._jobs:
            self.busy_changed.emit(False)
