"""Keeping the open library current: its followed folders, and its vectors after the
embedder changed. Both run as jobs on the window's runner; mixed into `MainWindow`."""

from __future__ import annotations

from pathlib import Path

from discreet.gui.folder_watch import watch_list
from discreet.gui.worker import Job, JobContext


class LibraryUpkeep:
    """Mixed into `MainWindow`, which provides the library, the runner, the folder watch and the
    status widgets."""

    sync_job: Job | None = None
    sync_again = False  # a change came while a check ran: check once more after it

    def keep_current(self) -> None:
        """After opening a library or changing settings: vectors for the embedder in use
        (a new one makes the library stale), then its folders checked and followed."""
        if self.library is not None and self.library.stale:
            self.reembed_library()
        self.sync_folders()

    def reembed_library(self) -> None:
        """Embed the open library again, after a change of embedder, with progress."""
        library = self.library

        def work(context: JobContext) -> None:
            library.reembed(context.progress, context.cancel)

        job = self.runner.submit(
            "Embedding the library again",
            work,
            lambda _: self.statusBar().showMessage("Ready for the new embedder.", 8000),
            self.fail,
        )
        self.progress.track(job, "Embedding the library again for the new embedder…")

    # --- following folders ----------------------------------------------------------------

    def sync_folders(self) -> None:
        """Pick up what changed in the library's folders, then watch them (again)."""
        if self.library is None:
            return
        if not self.services.settings.library.watch_folders:
            self.watch.follow([], [])
            self.watch_status.show_state("")
            return
        if self.sync_job is not None:  # one check at a time; a change meanwhile: once more
            self.sync_again = True
            return
        library = self.library

        def work(context: JobContext) -> tuple:
            report = library.sync(context.progress, context.cancel)
            return report, watch_list([Path(root) for root in library.roots()])

        self.sync_job = self.runner.submit(
            "Checking folders",
            work,
            lambda value: self._synced(library, *value),
            self.fail,
            on_progress=self.watch_status.show_progress,
            on_ended=self._sync_ended,
        )

    def _synced(self, library: object, report: object, watched: tuple) -> None:
        if library is not self.library:
            return
        self.watch.follow(*watched)
        self.watch_status.show_report(report)
        if report.failed:
            self.panel.show_problems([f"{Path(f.path).name}: {f.message}" for f in report.failed])
        if report.added or report.updated or report.removed:
            self.refresh_documents()

    def _sync_ended(self) -> None:
        self.sync_job = None
        if self.sync_again:
            self.sync_again = False
            self.sync_folders()
