"""A loaded model that gives its memory back when unused and loads again when asked.

Why: the app holds up to three llama.cpp models (the fast one, the accurate one, and the
accurate one read for its hidden states by the verdict reader), over 3 GB resident on a
laptop through hours in which no question is asked. Loading a GGUF again from the page
cache takes a fraction of a second, so a model idle for the settings' time is freed and
the next task pays that once. A busy count keeps a release from ever landing while a
task uses the model, a generation that is still streaming included.
"""

from __future__ import annotations

import contextlib
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Resident(Generic[T]):
    """What `load` returns, loaded now, freed by `free` when idle and loaded on next use."""

    def __init__(self, load: Callable[[], T], free: Callable[[T], None]) -> None:
        self._load = load
        self._free = free
        self._lock = threading.Lock()
        self._value: T | None = load()  # at once: a model that cannot load fails its task now
        self._busy = 0
        self._last_used = time.monotonic()
        self.loads = 1

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory now."""
        return self._value is not None

    @contextlib.contextmanager
    def use(self) -> Iterator[T]:
        """The loaded model for the length of the block (loaded again if it was freed);
        it is not freed while any block holds it."""
        with self._lock:
            if self._value is None:
                self._value = self._load()
                self.loads += 1
            self._busy += 1
            value = self._value
        try:
            yield value
        finally:
            with self._lock:
                self._busy -= 1
                self._last_used = time.monotonic()

    def release_if_idle(self, idle_s: float) -> bool:
        """Free the model if no block holds it and none has for `idle_s` seconds; True
        when this call freed it."""
        with self._lock:
            if self._value is None or self._busy:
                return False
            if time.monotonic() - self._last_used < idle_s:
                return False
            value, self._value = self._value, None
            self._free(value)
            return True

    def close(self) -> None:
        """Free the model now, at exit; a later `use` would load it again."""
        with self._lock:
            if self._value is not None:
                value, self._value = self._value, None
                self._free(value)


class Reaper:
    """Calls its owner's `release` on a daemon thread, a quarter of `idle_s()` apart (1
    to 30 s), until stopped or the owner is collected: it holds the method weakly, so a
    forgotten owner is not kept alive by its own reaper."""

    def __init__(self, release: Callable[[], object], idle_s: Callable[[], float]) -> None:
        self._release = weakref.WeakMethod(release)
        self._idle_s = idle_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="model-reaper", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(min(30.0, max(1.0, self._idle_s() / 4))):
            release = self._release()
            if release is None:
                return
            release()
            del release  # not held across the wait

    def stop(self) -> None:
        """End the thread at its next wake-up; it calls nothing more."""
        self._stop.set()
