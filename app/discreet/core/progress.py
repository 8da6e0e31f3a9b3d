"""Progress reporting and cancellation for long work, free of any UI toolkit.

Long operations take a `CancelToken` and a plain callable for `Progress` events. The
GUI turns those events into Qt signals in one place (`gui.worker.Job`); the CLI prints
them. One event type for every kind of work, so a front end shows any of them without
asking which kind it is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from discreet.core.errors import Cancelled


class CancelToken:
    """Set from any thread; checked by the worker between units of work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop at its next check; safe from any thread, and more than once."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """Whether `cancel` was called."""
        return self._event.is_set()

    def raise_if_cancelled(self, what: str = "The operation") -> None:
        """Raise `Cancelled` (naming `what` was stopped) once `cancel` was called."""
        if self._event.is_set():
            raise Cancelled(what)


@dataclass(frozen=True)
class Progress:
    """Where long work stands: `done` of `total` `unit`s, at `stage`, on `current`.

    Ingest counts files (and, for a scan being read, its OCR pages as the `part`), a
    summary counts the windows of text it reads, a batch task counts documents. The
    last event of any work has stage "done".
    """

    stage: str  # reading, ocr, embedding, storing, re-embedding; terms, map, reduce; working
    done: int
    total: int
    unit: str  # files, windows, documents
    current: str = ""  # the file or document being worked on; "" between items
    eta_s: float | None = None  # of the whole work; during OCR, of this file's pages
    pages: int = 0  # ingest: pages and chunks stored so far, and files that failed
    chunks: int = 0
    failed: int = 0
    part_done: int = 0  # within `current` (a scan's OCR pages): done of part_total
    part_total: int = 0

    @property
    def finished(self) -> bool:
        """The work's last event."""
        return self.stage == "done"


EventSink = Callable[[Progress], None]


def ignore_event(_event: Progress) -> None:
    """The default sink, for callers that do not watch progress."""
