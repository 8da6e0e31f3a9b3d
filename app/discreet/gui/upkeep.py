"""Keeping the open library current: documents added, its followed folders checked and
watched, and its vectors embedded again after the embedder changed. All run as jobs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from discreet.gui.folder_watch import FolderWatch, WatchStatus, watch_list
from discreet.gui.library_panel import LibraryPanel
from discreet.gui.session import Feedback, Session
from discreet.gui.worker import Job, JobContext, TaskRunner

if TYPE_CHECKING:
    from discreet.index.events import IngestReport
    from discreet.index.library import Library


class Upkeep:
    """Adds documents and keeps the library in step with its folders and its embedder.

    `refresh` lists the documents again after a change; `adding` is told when an add
    starts (the Ask tab's welcome gives way to the list).
    """

    def __init__(
        self,
        runner: TaskRunner,
        session: Session,
        feedback: Feedback,
        panel: LibraryPanel,
        watch: FolderWatch,
        watch_status: WatchStatus,
        refresh: Callable[[], None],
        adding: Callable[[], None],
    ) -> None:
        self.runner, self.session, self.feedback = runner, session, feedback
        self.panel, self.watch, self.watch_status = panel, watch, watch_status
        self.refresh, self.adding = refresh, adding
        self.sync_job: Job | None = None
        self.sync_again = False  # a change came while a check ran: check once more after it

    # --- adding documents ------------------------------------------------------------

    def add_paths(self, paths: list[Path]) -> Job | None:
        """Add files and folders to the library, with progress; returns the job, or None while
        the library is still opening. A cancelled add still lists what got in."""
        library = self.session.library
        if library is None:
            self.feedback.not_ready()
            return None

        def work(context: JobContext) -> IngestReport:
            return library.add(paths, context.progress, context.cancel)

        job = self.runner.submit("Adding documents", work, self._added, self.feedback.fail)
        self.feedback.progress.track(job, "Preparing to add documents…")
        self.adding()
        return job

    def _added(self, report: IngestReport) -> None:
        self.panel.show_problems([f"{Path(f.path).name}: {f.message}" for f in report.failed])
        done = "Stopped" if report.cancelled else "Done"
        self.feedback.say(
            f"{done}: {report.added} added, {report.updated} updated, {report.unchanged} "
            f"unchanged, {len(report.failed)} failed."
        )
        self.refresh()
        if not report.cancelled:
            self.sync_folders()  # an added folder is followed from now on

    # --- the embedder ----------------------------------------------------------------

    def keep_current(self) -> None:
        """After opening a library or changing settings: vectors for the embedder in use
        (a new one makes the library stale), then its folders checked and followed."""
        library = self.session.library
        if library is not None and library.stale:
            self.reembed_library(library)
        self.sync_folders()

    def reembed_library(self, library: Library) -> None:
        """Embed the library again, after a change of embedder, with progress."""

        def work(context: JobContext) -> None:
            library.reembed(context.progress, context.cancel)

        job = self.runner.submit(
            "Embedding the library again",
            work,
            lambda _: self.feedback.say("Ready for the new embedder."),
            self.feedback.fail,
        )
        self.feedback.progress.track(job, "Embedding the library again for the new embedder…")

    # --- following folders -----------------------------------------------------------

    def sync_folders(self) -> None:
        """Pick up what changed in the library's folders, then watch them (again)."""
        services, library = self.session.services, self.session.library
        if services is None or library is None:
            return
        if not services.settings.library.watch_folders:
            self.watch.follow([], [])
            self.watch_status.show_state("")
            return
        if self.sync_job is not None:  # one check at a time; a change meanwhile: once more
            self.sync_again = True
            return

        def work(context: JobContext) -> tuple[IngestReport, tuple[list[Path], list[Path]]]:
            report = library.sync(context.progress, context.cancel)
            return report, watch_list([Path(root) for root in library.roots()])

        self.sync_job = self.runner.submit(
            "Checking folders",
            work,
            lambda value: self._synced(library, *value),
            self.feedback.fail,
            on_progress=self.watch_status.show_progress,
            on_ended=self._sync_ended,
        )

    def _synced(
        self, library: Library, report: IngestReport, watched: tuple[list[Path], list[Path]]
    ) -> None:
        if library is not self.session.library:
            return
        self.watch.follow(*watched)
        self.watch_status.show_report(report)
        if report.failed:
            self.panel.show_problems([f"{Path(f.path).name}: {f.message}" for f in report.failed])
        if report.added or report.updated or report.removed:
            self.refresh()

    def _sync_ended(self) -> None:
        self.sync_job = None
        if self.sync_again:
            self.sync_again = False
            self.sync_folders()
