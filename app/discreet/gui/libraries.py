"""The sidebar's library work: opening a library with its workspace and documents, listing
its documents again, taking some out, erasing its conversation, and creating, renaming
and deleting libraries. Each runs as a job off the UI thread.

The window fills its tabs from a library once it has opened (`shown`), since every tab
takes part in that; the rest is here, apart from the window's layout.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from discreet.gui.ask_tab import AskTab
from discreet.gui.library_panel import LibraryPanel
from discreet.gui.session import Feedback, Session
from discreet.gui.worker import JobContext, TaskRunner

if TYPE_CHECKING:
    from discreet.index.library import Library
    from discreet.index.records import FileRecord
    from discreet.tasks.workspace import Workspace


class Libraries:
    """Opens, lists and changes libraries for the sidebar, and shows the open one's
    conversation in the Ask tab.

    `shown` fills the tabs from a library that has just opened; `scope_changed` tells the
    tabs the document list changed; `note` is a passing message in the status bar.
    """

    def __init__(
        self,
        runner: TaskRunner,
        session: Session,
        feedback: Feedback,
        panel: LibraryPanel,
        ask_tab: AskTab,
        shown: Callable[[Library, Workspace, list[FileRecord]], None],
        scope_changed: Callable[[], None],
        note: Callable[[str], None],
    ) -> None:
        self.runner, self.session, self.feedback = runner, session, feedback
        self.panel, self.ask_tab = panel, ask_tab
        self.shown, self.scope_changed, self.note = shown, scope_changed, note

    def open_library(self, name: str) -> None:
        """Open the library named, with its workspace and document list, off the UI thread, and
        show it."""

        def work(_: JobContext) -> tuple[Library, Workspace, list[FileRecord]]:
            from discreet.actions.workspace import open_workspace

            library = self.session.loaded().library(name)
            return library, open_workspace(library), library.documents()

        self.runner.submit(f"Opening {name}", work, self._opened, self.feedback.fail)

    def _opened(self, value: tuple[Library, Workspace, list[FileRecord]]) -> None:
        library, workspace, records = value
        self.session.library, self.session.workspace = library, workspace
        self.shown(library, workspace, records)

    def show_conversation(self, records: list[FileRecord]) -> None:
        """The open library's conversation in the Ask tab, or its welcome while the library
        has neither documents nor a conversation."""
        self.ask_tab.clear()
        workspace = self.session.workspace
        chat = workspace.chat if workspace is not None else []
        for entry in chat:
            view = self.ask_tab.begin(entry.question)
            view.finish(entry.answer, entry.citations, [])
            view.show_search(entry.searched_for)
        self.ask_tab.show_welcome(not records and not chat)

    def remove_documents(self, paths: list[Path]) -> None:
        """Take documents out of the library and erase what was said about them."""
        from discreet.actions.library import remove_documents

        library, workspace = self.session.library, self.session.workspace
        if library is None or workspace is None:  # the panel lists none before one opens
            return

        def work(_: JobContext) -> tuple[int, list[FileRecord]]:
            return remove_documents(library, workspace, paths), library.documents()

        def done(value: tuple[int, list[FileRecord]]) -> None:
            removed, records = value
            if library is self.session.library:
                self.panel.set_documents(records)
                self.show_conversation(records)
                self.scope_changed()
            self.note(f"Removed {removed} file(s) and erased their text.")

        self.runner.submit("Removing documents", work, done, self.feedback.fail)

    def clear_conversation(self) -> None:
        """Erase the conversation from the library's saved workspace, then from the Ask tab."""
        workspace, library = self.session.workspace, self.session.library
        folder = library.folder if library is not None else None
        if workspace is None or folder is None:
            return  # nothing open, or a library kept nowhere: nothing saved to erase

        def work(_: JobContext) -> None:
            workspace.chat = []
            workspace.save(folder)

        def done(_: None) -> None:
            self.ask_tab.clear()
            self.note("The conversation was erased.")

        self.runner.submit("Clearing the conversation", work, done, self.feedback.fail)

    def refresh_documents(self) -> None:
        """List the library's documents again off the UI thread; a list that arrives after the
        user switched library is dropped."""
        library = self.session.library
        if library is None:
            return
        self.runner.submit(
            "Listing documents",
            lambda _: library.documents(),
            lambda records: self._documents_listed(library, records),
            self.feedback.fail,
        )

    def _documents_listed(self, library: Library, records: list[FileRecord]) -> None:
        if library is self.session.library:
            self.panel.set_documents(records)
            self.scope_changed()

    def create_library(self, name: str) -> None:
        """Create a library and open it."""

        def work(_: JobContext) -> list[str]:
            self.session.loaded().libraries().create(name)
            return [info.name for info in self.session.loaded().libraries().list()]

        self.runner.submit(
            "Creating a library", work, lambda names: self.relist(names, name), self.feedback.fail
        )

    def rename_library(self, old: str, new: str) -> None:
        """Rename a library and reopen it under its new name."""

        def work(_: JobContext) -> list[str]:
            self.session.loaded().libraries().rename(old, new)
            return [info.name for info in self.session.loaded().libraries().list()]

        self.runner.submit(
            "Renaming the library", work, lambda names: self.relist(names, new), self.feedback.fail
        )

    def delete_library(self, name: str) -> None:
        """Delete a library and open the first one left; deleting the last creates the default
        one, so there is always a library open."""

        def work(_: JobContext) -> list[str]:
            store = self.session.loaded().libraries()
            store.remove(name)
            if not store.list():
                store.create(self.session.loaded().settings.library.default)
            return [info.name for info in store.list()]

        self.runner.submit(
            "Deleting the library",
            work,
            lambda names: self.relist(names, names[0]),
            self.feedback.fail,
        )

    def relist(self, names: list[str], current: str) -> None:
        """Show these libraries in the picker and open `current`."""
        self.panel.set_libraries(names, current)
        self.open_library(current)
