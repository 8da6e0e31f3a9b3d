"""The window's composition: its controllers, each handed what it uses, and every
widget's request connected to the controller that serves it, in one place.

The window calls `wire` and `build_menus` with itself; they see it as a `Window`, the
Protocol of what they use, so this module never imports the window that imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QStatusBar, QWidget

from discreet.gui.adapting import Adapter
from discreet.gui.asking import Asking
from discreet.gui.batches import Batches
from discreet.gui.libraries import Libraries
from discreet.gui.moving import Mover
from discreet.gui.reviewing import Reviewing
from discreet.gui.session import Feedback
from discreet.gui.summarizing import Summarizing
from discreet.gui.upkeep import Upkeep
from discreet.gui.viewing import SourceOpener

if TYPE_CHECKING:
    from discreet.gui.ask_tab import AskTab
    from discreet.gui.classify_tab import ClassifyTab
    from discreet.gui.folder_watch import FolderWatch, WatchStatus
    from discreet.gui.library_panel import LibraryPanel
    from discreet.gui.progress_panel import ProgressPanel
    from discreet.gui.review_tab import ReviewTab
    from discreet.gui.session import Session
    from discreet.gui.summarize_tab import SummarizeTab
    from discreet.gui.theme import Appearance
    from discreet.gui.viewer import DocumentViewer
    from discreet.gui.worker import TaskRunner
    from discreet.index.library import Library
    from discreet.index.records import FileRecord
    from discreet.tasks.workspace import Workspace


class Window(Protocol):
    """What the composition uses of the main window: its session and runner, its widgets,
    the Qt window's bars, and the few things the window does itself."""

    runner: TaskRunner
    session: Session
    panel: LibraryPanel
    ask_tab: AskTab
    summarize_tab: SummarizeTab
    classify_tab: ClassifyTab
    review_tab: ReviewTab
    viewer: DocumentViewer
    progress: ProgressPanel
    watch: FolderWatch
    watch_status: WatchStatus
    appearance: Appearance

    def window(self) -> QWidget:
        """Qt's top-level widget, the window itself: the parent of the controllers' dialogs."""

    def statusBar(self) -> QStatusBar:
        """Where passing notes are shown."""

    def menuBar(self) -> QMenuBar:
        """Where `build_menus` puts File, View, Tools and Help."""

    def addAction(self, text: str, /) -> QAction:
        """A new action the window owns and answers to, outside any menu (Esc's Stop)."""

    def close(self) -> bool:
        """File, Quit."""

    def fail(self, message: str) -> None:
        """Show a failure over the window."""

    def show_library(
        self, library: Library, workspace: Workspace, records: list[FileRecord]
    ) -> None:
        """Fill the sidebar and every tab from a library that has just opened."""

    def update_scope(self) -> None:
        """Tell the tabs how many documents are selected, of how many."""

    def update_offline_status(self) -> None:
        """Refresh the status bar's count of blocked network attempts."""

    def open_settings(self) -> None:
        """Tools, Settings."""

    def about(self) -> None:
        """Help, About."""


@dataclass(frozen=True)
class Controllers:
    """The window's work, by concern; the widgets only show what these hand them."""

    libraries: Libraries
    upkeep: Upkeep
    asking: Asking
    summarizing: Summarizing
    batches: Batches
    sources: SourceOpener
    mover: Mover
    adapter: Adapter
    reviewing: Reviewing


def wire(window: Window) -> Controllers:
    """Make the controllers over the window's session, runner and widgets, and connect the
    widgets' requests to them."""
    feedback = Feedback(
        window.window(),
        window.fail,
        lambda text: window.statusBar().showMessage(text, 10000),
        window.progress,
    )
    runner, session, panel = window.runner, window.session, window.panel
    sources = SourceOpener(runner, session, feedback, window.viewer)
    libraries = Libraries(
        runner,
        session,
        feedback,
        panel,
        window.ask_tab,
        shown=window.show_library,
        scope_changed=window.update_scope,
        note=lambda text: window.statusBar().showMessage(text, 8000),
    )
    found = Controllers(
        libraries=libraries,
        upkeep=Upkeep(
            runner,
            session,
            feedback,
            panel,
            window.watch,
            window.watch_status,
            refresh=libraries.refresh_documents,
            adding=lambda: window.ask_tab.show_welcome(False),
        ),
        asking=Asking(
            runner, session, feedback, window.ask_tab, panel, window.update_offline_status
        ),
        summarizing=Summarizing(runner, session, feedback, window.summarize_tab, panel),
        batches=Batches(runner, session, feedback, window.classify_tab, panel),
        sources=sources,
        mover=Mover(runner, session, feedback, libraries.relist),
        adapter=Adapter(runner, session, feedback),
        reviewing=Reviewing(runner, session, feedback, window.review_tab, panel, sources),
    )
    review = window.review_tab
    ask, summarize, classify = window.ask_tab, window.summarize_tab, window.classify_tab
    for signal, slot in (
        (ask.ask_requested, found.asking.ask),
        (ask.stop_requested, found.asking.stop),
        (ask.export_requested, found.asking.export_conversation),
        (ask.open_source, found.sources.open_source),
        (summarize.summarize_requested, found.summarizing.summarize),
        (summarize.open_page, found.sources.open_page),
        (summarize.export_requested, found.summarizing.export_summary),
        (classify.run_requested, found.batches.run_batch),
        (classify.label_confirmed, found.batches.confirm_label),
        (classify.open_evidence, found.sources.open_source),
        (classify.export_requested, found.batches.export_rows),
        (classify.definitions_changed, found.batches.save_definitions),
        (review.run_requested, found.reviewing.review),
        (review.open_clause, found.reviewing.open_clause),
        (review.export_requested, found.reviewing.export),
        (panel.library_chosen, found.libraries.open_library),
        (panel.create_requested, found.libraries.create_library),
        (panel.rename_requested, found.libraries.rename_library),
        (panel.delete_requested, found.libraries.delete_library),
        (panel.remove_requested, found.libraries.remove_documents),
        (ask.clear_requested, found.libraries.clear_conversation),
        (panel.selection_changed, window.update_scope),
        (panel.add_requested, found.upkeep.add_paths),
        (window.watch.changed, found.upkeep.sync_folders),
    ):
        signal.connect(slot)
    return found


def build_menus(window: Window, controllers: Controllers) -> None:
    """File, View, Tools and Help, with their keys, and Esc to stop what is running."""
    file_menu = window.menuBar().addMenu("&File")
    _item(file_menu, "&Add files…", window.panel.choose_files, QKeySequence.StandardKey.Open)
    _item(file_menu, "Add &folder…", window.panel.choose_folder)
    _item(file_menu, "&Check folders now", controllers.upkeep.sync_folders)
    file_menu.addSeparator()
    _item(file_menu, "&Move a library to the team's server…", controllers.mover.to_server)
    _item(file_menu, "Move this library &back to this computer", controllers.mover.here)
    file_menu.addSeparator()
    _item(file_menu, "&Quit", window.close, QKeySequence.StandardKey.Quit)
    window.appearance.menu(window.menuBar().addMenu("&View"))
    tools = window.menuBar().addMenu("&Tools")
    _item(tools, "&Adapt the embedder to this library…", controllers.adapter.adapt)
    _item(tools, "Use the &bundled embedder for this library", controllers.adapter.revert)
    _item(
        tools, "&Train a classifier on confirmed labels (SetFit)", controllers.batches.train_setfit
    )
    tools.addSeparator()
    _item(tools, "&Settings…", window.open_settings, QKeySequence.StandardKey.Preferences)
    help_menu = window.menuBar().addMenu("&Help")
    _item(help_menu, "&About Discreet", window.about)
    stop = window.addAction("Stop")
    stop.setShortcut(QKeySequence(Qt.Key.Key_Escape))
    stop.triggered.connect(controllers.asking.stop)


def _item(
    menu: QMenu,
    text: str,
    slot: Callable[[], object],
    keys: QKeySequence.StandardKey | None = None,
) -> QAction:
    action = menu.addAction(text)
    action.triggered.connect(slot)
    if keys is not None:
        action.setShortcut(QKeySequence(keys))
    return action
