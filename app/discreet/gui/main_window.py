"""The main window: layout, start-up, settings, and the tabs filled from a library once it
opens; its work is done by the controllers `wiring` makes (libraries, asking,
summarizing, batches, viewing, upkeep).

The window appears before anything heavy is imported. Opening the library store
(chromadb) and loading the models run as background jobs, reported in the status
bar, so the user can look around, and even queue work, while they load.
"""

from __future__ import annotations

import gc
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QSplitter, QTabWidget, QWidget

from discreet.core import offline
from discreet.core.paths import AppPaths
from discreet.gui.about import show_about
from discreet.gui.ask_tab import AskTab
from discreet.gui.classify_tab import ClassifyTab
from discreet.gui.feedback import icon, show_error
from discreet.gui.folder_watch import FolderWatch, WatchStatus
from discreet.gui.library_panel import LibraryPanel
from discreet.gui.progress_panel import ProgressPanel
from discreet.gui.review_tab import ReviewTab
from discreet.gui.session import Session
from discreet.gui.summarize_tab import SummarizeTab
from discreet.gui.theme import Appearance
from discreet.gui.viewer import DocumentViewer
from discreet.gui.wiring import build_menus, wire
from discreet.gui.worker import JobContext, TaskRunner

if TYPE_CHECKING:
    from discreet.index.library import Library
    from discreet.index.records import FileRecord
    from discreet.services import Services
    from discreet.tasks.workspace import Workspace


class MainWindow(QMainWindow):
    """The app's one window: library sidebar, task tabs and viewer side by side, progress in the
    status bar; `app.main` creates it and calls `start` once it shows."""

    def __init__(self, paths: AppPaths) -> None:
        super().__init__()
        self.paths = paths
        self.window_state = QSettings(str(paths.config / "window.ini"), QSettings.Format.IniFormat)
        app = cast(QApplication, QApplication.instance())
        self.appearance = Appearance(app, self.window_state, self)
        self.appearance.apply()
        self.session = Session()
        self.models_ready = False
        self.runner = TaskRunner(self)
        self.setWindowTitle("Discreet")
        self.setWindowIcon(icon("discreet"))
        self.setAcceptDrops(True)
        self.panel = LibraryPanel()
        self.ask_tab = AskTab()
        self.summarize_tab = SummarizeTab()
        self.classify_tab = ClassifyTab()
        self.review_tab = ReviewTab()
        self.viewer = DocumentViewer()
        self.viewer.hide()
        self.tabs = QTabWidget()
        for tab, title, key in (
            (self.ask_tab, "Ask", "A"),
            (self.summarize_tab, "Summarize", "S"),
            (self.classify_tab, "Classify and extract", "X"),
            (self.review_tab, "Review", "R"),
        ):
            self.tabs.setTabToolTip(self.tabs.addTab(tab, title), f"{title} (Alt+{key})")
            # Alt+letter shows the tab and hands the keyboard to its first field, even when
            # the tab is showing already (a tab-bar mnemonic would focus the bar instead)
            QShortcut(QKeySequence(f"Alt+{key}"), self, lambda tab=tab: self.show_tab(tab))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget, stretch in ((self.panel, 0), (self.tabs, 3), (self.viewer, 2)):
            splitter.addWidget(widget)
            splitter.setStretchFactor(splitter.indexOf(widget), stretch)
        splitter.setSizes([340, 760, 560])
        self.splitter = splitter
        self.setCentralWidget(splitter)
        self._build_status_bar()
        self.controllers = wire(self)
        build_menus(self, self.controllers)
        self.ask_tab.add_documents.connect(self.panel.choose_files)
        geometry = self.window_state.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 880)
        QTimer.singleShot(0, self._restore_panes)  # once laid out, or the sizes are lost

    @property
    def services(self) -> Services | None:
        """The services, once the store has opened."""
        return self.session.services

    @property
    def usable(self) -> bool:
        """The library open and its documents listed, the question box taking input:
        the moment a user can start, whether or not the models have loaded yet."""
        return self.session.library is not None and self.ask_tab.question.isEnabled()

    @property
    def library(self) -> Library | None:
        """The library on show, once it has opened."""
        return self.session.library

    @property
    def workspace(self) -> Workspace | None:
        """The open library's conversation, labels and examples."""
        return self.session.workspace

    def update_scope(self) -> None:
        """Tell the tabs that work on documents how many are selected, of how many."""
        selected, total = len(self.panel.selected_doc_ids()), len(self.panel.all_doc_ids())
        for tab in (self.summarize_tab, self.classify_tab, self.review_tab):
            tab.set_scope(selected, total)

    def show_tab(self, tab: QWidget) -> None:
        """Bring a tab forward and give its first field the keyboard (Alt+A, S, X, R)."""
        self.tabs.setCurrentWidget(tab)
        tab.setFocus()

    # --- start-up ----------------------------------------------------------------

    def start(self) -> None:
        """Open the store and the default library, then load the models, all off the UI."""

        def open_store(_: JobContext) -> tuple[Services, list[str], str]:
            from discreet.services import Services

            services = Services(self.paths)
            library = services.library(create=True)
            return services, [info.name for info in services.libraries().list()], library.name

        self.model_status.setText("Opening your library…")
        self.runner.submit("Opening the library", open_store, self._store_opened, self.fail)

    def _store_opened(self, value: tuple[Services, list[str], str]) -> None:
        services, names, current = value
        self.session.services = services
        policy = services.policy
        if policy.problems:
            show_error(
                self,
                f"Your organization's policy ({policy.source}) has problems: "
                f"{'; '.join(policy.problems)}. The strictest settings apply until it is fixed.",
            )
        for tab in (self.summarize_tab, self.classify_tab):
            tab.export.setVisible(not policy.disable_export)
        self.runner.audit = self._audit if services.audit.enabled else None
        self.panel.set_libraries(names, current)
        self.controllers.libraries.open_library(current)
        self.model_status.setText("Loading models…")

        def load_models(_: JobContext) -> str:
            services.embedder()
            return services.llm().entry.label  # "Fast: …", or "… on <server>"

        self.runner.submit("Loading the models", load_models, self._models_loaded, self.fail)

    def _models_loaded(self, name: str) -> None:
        # The models leave millions of long-lived objects; a full garbage collection
        # walking them all held the GIL, and froze this thread, for 200 ms during an
        # ingest. Frozen objects are never scanned again.
        gc.collect()
        gc.freeze()
        self.models_ready = True
        self.model_status.setText(f"Model ready: {name}")

    def _audit(self, action: str) -> AbstractContextManager[object]:
        library = self.library.name if self.library is not None else None
        return self.session.loaded().audit.action(action, "gui", library)

    # --- the open library ------------------------------------------------------------

    def show_library(
        self, library: Library, workspace: Workspace, records: list[FileRecord]
    ) -> None:
        """Fill the sidebar and every tab from a library that has just opened."""
        self.controllers.upkeep.keep_current()  # vectors for the embedder in use; folders followed
        self.panel.set_documents(records)
        self.panel.show_problems([])
        self.controllers.libraries.show_conversation(records)
        self.classify_tab.set_definitions(workspace.labels, workspace.fields)
        self.classify_tab.set_teaching(len(workspace.examples))
        self.review_tab.checklists.set_checklists(workspace.checklists)
        self.classify_tab.show_rows([], [])
        self.summarize_tab.set_result(None, {})
        self.update_scope()
        self.setWindowTitle(f"{library.name} — Discreet")

    # --- chrome ------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        self.model_status = QLabel("Starting…")
        self.model_status.setAccessibleName("Model status")
        shield = QLabel()
        shield.setPixmap(icon("offline").pixmap(16, 16))
        self.offline_status = QLabel()
        self.offline_status.setAccessibleName("Offline status")
        self.progress = ProgressPanel()
        self.watch = FolderWatch(self)
        self.watch_status = WatchStatus(self.watch)
        bar = self.statusBar()
        bar.addWidget(self.model_status)
        bar.addWidget(self.watch_status)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(shield)
        bar.addPermanentWidget(self.offline_status)
        self.update_offline_status()

    def update_offline_status(self) -> None:
        """Refresh the status bar's count of blocked network attempts."""
        blocked = len(offline.blocked_attempts())
        self.offline_status.setText(f"Offline · {blocked} blocked" if blocked else "Offline")
        self.offline_status.setToolTip(
            "Discreet never connects to the network. "
            f"Connection attempts blocked since start: {blocked}."
        )

    def about(self) -> None:
        """Help, About: versions and licences, and the model and embedder once services load."""
        services = self.services
        model = services.registry.get(services.settings.model.name) if services else None
        show_about(self, model, services.registry.embedder if services else None)

    def open_settings(self) -> None:
        """Tools, Settings: refused with a message until the services have loaded."""
        if self.services is None:
            show_error(self, "Settings open once the library has loaded.")
            return
        from discreet.gui.settings_flow import open_settings

        open_settings(
            self.services,
            self.runner,
            self,
            self.fail,
            applied=self.controllers.upkeep.keep_current,
            say=lambda text: self.statusBar().showMessage(text, 8000),
        )

    def fail(self, message: str) -> None:
        """Every job's failure handler: show the message, and refresh the blocked-attempts count,
        since a blocked connection may be why it failed."""
        self.update_offline_status()
        show_error(self, message)

    # --- drag and drop, closing --------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept a drag that carries URLs (files, folders); `dropEvent` keeps the local ones."""
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Add the files and folders dropped on the window, as Add files would."""
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.controllers.upkeep.add_paths(paths)

    def _restore_panes(self) -> None:
        """The panes as the user left them."""
        for key, splitter in self._splitters().items():
            state = self.window_state.value(key)
            if state is not None:
                splitter.restoreState(state)

    def _splitters(self) -> dict[str, QSplitter]:
        return {"panes": self.splitter, "ask-panes": self.ask_tab.splitter}

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the geometry and panes, cancel running jobs and wait for them (15 s at most),
        then close the services before the window goes."""
        self.window_state.setValue("geometry", self.saveGeometry())
        for key, splitter in self._splitters().items():
            self.window_state.setValue(key, splitter.saveState())
        self.runner.cancel_all()
        self.runner.wait(15000)
        if self.services is not None:
            self.services.close()
        event.accept()
