"""What the window has open, and how its controllers speak to the user.

The window's controllers (`gui.asking`, `gui.summarizing`, `gui.batches`,
`gui.viewing`, `gui.upkeep`) are each handed these two objects and the widgets they
drive, nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from discreet.gui.feedback import show_error
from discreet.gui.progress_panel import ProgressPanel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from discreet.index.library import Library
    from discreet.services import Services
    from discreet.tasks.workspace import Workspace


@dataclass
class Session:
    """The services, the open library and its workspace; None until each has loaded.

    The window replaces the library and workspace when the user switches library;
    controllers read them when they act, so a job works on what is open then.
    """

    services: Services | None = None
    library: Library | None = None
    workspace: Workspace | None = None

    def loaded(self) -> Services:
        """The services, for work that is offered only once they have loaded."""
        if self.services is None:
            raise RuntimeError("the services have not loaded yet")
        return self.services

    def opened(self) -> tuple[Services, Library, Workspace] | None:
        """All three, once the library has opened."""
        if self.services is None or self.library is None or self.workspace is None:
            return None
        return self.services, self.library, self.workspace


@dataclass(frozen=True)
class Feedback:
    """How a controller tells the user: a failure (a dialog over `parent`), a passing
    note (the status bar) and the progress panel that shows long jobs."""

    parent: QWidget
    fail: Callable[[str], None]
    say: Callable[[str], None]
    progress: ProgressPanel

    def not_ready(self) -> None:
        """What a click gets while the library is still opening."""
        show_error(self.parent, "The library is still opening; try again in a moment.")
