"""The verdict's two learned parts, loaded as the app needs them.

The sentence roles are small and read on every closed question (is this a study?); the
reader holds a language model in embedding mode and is loaded only the first time a
study is to be read, so a closed question about a contract never waits for it.
"""

from __future__ import annotations

from collections.abc import Callable

from discreet.tasks.verdicts.reader import VerdictReader
from discreet.tasks.verdicts.roles import SentenceRoles


class VerdictModels:
    """The sentence roles, and the reader behind a loader called at most once.

    `can_read` is False where the models the reader reads are not installed or not
    allowed (an installer without the accurate model): closed questions about studies
    then get their deciding sentences quoted, unsettled, rather than an error.
    """

    def __init__(
        self, roles: SentenceRoles, load_reader: Callable[[], VerdictReader], can_read: bool = True
    ) -> None:
        self.roles = roles
        self.can_read = can_read
        self._load_reader = load_reader
        self._reader: VerdictReader | None = None

    def reader(self) -> VerdictReader:
        """The reader, loaded on first use."""
        if self._reader is None:
            self._reader = self._load_reader()
        return self._reader

    def release_if_idle(self, idle_s: float) -> bool:
        """Free the reader's models if unused for `idle_s` seconds; the next read loads
        them again. True when one was freed."""
        if self._reader is None:
            return False
        return any([m.release_if_idle(idle_s) for m in self._reader.models.values()])

    def close(self) -> None:
        """Free the reader's model, if it was loaded."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None
