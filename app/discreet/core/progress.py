"""Progress reporting and cancellation for long work, free of any UI toolkit.

Long operations take a `CancelToken` and a plain callable for events. The GUI
turns those events into Qt signals in one place; the CLI prints them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from discreet.core.errors import Cancelled


class CancelToken:
    """Set from any thread; checked by the worker between units of work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self, what: str = "The operation") -> None:
        if self._event.is_set():
            raise Cancelled(what)


EventSink = Callable[[Any], None]


def ignore_event(_event: Any) -> None:
    """The default sink, for callers that do not watch progress."""
