"""Moving libraries between this computer and the team's Chroma server, from the File
menu: a library of this computer up to the server, or the open one back down. The work
is `index.transfer`'s, run as a job with progress and Stop."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog

from discreet.gui.feedback import show_error
from discreet.gui.session import Feedback, Session
from discreet.gui.worker import JobContext, TaskRunner

if TYPE_CHECKING:
    from discreet.index.store import LibraryStore

NO_SERVER = (
    "Libraries move between this computer and a team's Chroma server; no server is set "
    "(Settings → Storage → Chroma server)."
)


class Mover:
    """Runs a move and then lists the libraries again, opening `current`."""

    def __init__(
        self,
        runner: TaskRunner,
        session: Session,
        feedback: Feedback,
        relist: Callable[[list[str], str], None],
    ) -> None:
        self.runner, self.session, self.feedback, self.relist = runner, session, feedback, relist

    def _store(self) -> LibraryStore | None:
        services = self.session.services
        if services is None:
            self.feedback.not_ready()
            return None
        store = services.libraries()
        if not store.on_server:
            show_error(self.feedback.parent, NO_SERVER)
            return None
        return store

    def to_server(self) -> None:
        """Ask which library of this computer to move, then move it up."""
        store = self._store()
        if store is None:
            return
        names = [info.name for info in store.here().list()]
        if not names:
            show_error(self.feedback.parent, "This computer has no library of its own to move.")
            return
        name, chosen = QInputDialog.getItem(
            self.feedback.parent, "Move to the server", "Library of this computer:", names, 0, False
        )
        if chosen:
            self.move(store, name, up=True)

    def here(self) -> None:
        """Move the open library from the server back to this computer."""
        store, library = self._store(), self.session.library
        if store is not None and library is not None:
            self.move(store, library.name, up=False)

    def move(self, store: LibraryStore, name: str, up: bool) -> None:
        """Move `name` across with progress (`index.transfer.move_library`), then list the
        libraries again."""
        from discreet.index.transfer import move_library

        def work(context: JobContext) -> list[str]:
            move_library(store, name, up, context.progress, context.cancel)
            if not store.list():  # the last server library came down: one to work in
                store.create(store.settings.default)
            return [info.name for info in store.list()]

        def moved(names: list[str]) -> None:
            where = "the team's server" if up else "this computer"
            self.feedback.say(f"Moved {name} to {where}.")
            self.relist(names, name if up and name in names else names[0])

        what = f"Moving {name} to the server" if up else f"Moving {name} to this computer"
        job = self.runner.submit(what, work, moved, self.feedback.fail)
        self.feedback.progress.track(job, f"{what}…")
