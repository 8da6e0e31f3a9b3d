"""Ctrl+C during long work: cancel it cleanly and keep what was done.

Python raises KeyboardInterrupt wherever the main thread happens to be, which could
be inside a database write. So the work runs on a worker thread; the main thread only
waits, and on Ctrl+C asks the work to stop at its next check through the cancel token
and waits for it to return what it finished. A second Ctrl+C stops waiting.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

from discreet.core.progress import CancelToken

T = TypeVar("T")


def run_cancellable(work: Callable[[CancelToken], T], what: str) -> T:
    """`work(cancel)`'s result; Ctrl+C cancels it and still returns what it then returns."""
    cancel = CancelToken()
    outcome: dict[str, object] = {}
    ended = threading.Event()  # not Thread.join: an interrupted join may return early

    def target() -> None:
        try:
            outcome["value"] = work(cancel)
        except BaseException as err:  # handed to the main thread, raised there
            outcome["error"] = err
        finally:
            ended.set()

    threading.Thread(target=target, name="discreet-cli-work", daemon=True).start()
    try:
        while not ended.wait(0.2):
            pass
    except KeyboardInterrupt:
        cancel.cancel()
        print(f"\nStopping {what} after the current step…", file=sys.stderr)
        ended.wait()  # a second Ctrl+C lands here and leaves at once
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
