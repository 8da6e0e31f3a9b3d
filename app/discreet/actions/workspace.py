"""Open a library's workspace: its conversation, labels, examples and checklists.

Every action that reads or changes what a library remembers starts from the same
workspace, loaded the same way from either front end; a library kept on a server has
no folder, so its workspace lives only as long as the session.
"""

from __future__ import annotations

from discreet.index.library import Library
from discreet.tasks.workspace import Workspace


def open_workspace(library: Library) -> Workspace:
    """The workspace saved with `library`, or an empty one where it has no folder."""
    return Workspace.load(library.folder) if library.folder is not None else Workspace()
