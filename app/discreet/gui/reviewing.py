"""The Review tab's work: the review over the selected documents (or all of them), document
by document with progress and Cancel, the clause opened on its page, the reviewer's
corrections and saved checklists kept for the library, and the export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from discreet.gui.exporting import export_in_background
from discreet.gui.feedback import show_error
from discreet.gui.library_panel import LibraryPanel
from discreet.gui.review_tab import ReviewTab
from discreet.gui.session import Feedback, Session
from discreet.gui.viewing import SourceOpener
from discreet.gui.worker import Job, JobContext, TaskRunner

if TYPE_CHECKING:
    from discreet.index.library import Library
    from discreet.tasks.review.corrections import Correction
    from discreet.tasks.review.review import DocumentReview, Finding
    from discreet.tasks.workspace import Workspace


class Reviewing:
    """Runs `actions.review` for the Review tab and serves its cells."""

    def __init__(
        self,
        runner: TaskRunner,
        session: Session,
        feedback: Feedback,
        tab: ReviewTab,
        panel: LibraryPanel,
        sources: SourceOpener,
    ) -> None:
        self.runner, self.session, self.feedback = runner, session, feedback
        self.tab, self.panel, self.sources = tab, panel, sources
        tab.correction_made.connect(self.correct)
        tab.checklists.save_requested.connect(self.save_checklist)
        tab.checklists.delete_requested.connect(self.delete_checklist)

    def review(self, categories: str) -> Job | None:
        """Review the selected documents, or else all, for the categories named (all 41
        when none are); None while the library is opening."""
        opened = self.session.opened()
        if opened is None:
            self.feedback.not_ready()
            return None
        services, library, _ = opened
        chosen = self.panel.selected_doc_ids()
        names = [name.strip() for name in categories.split(",") if name.strip()]

        def work(context: JobContext) -> list[DocumentReview]:
            from discreet.actions.review import review

            models = services.review_models()
            return review(library, models, chosen, names, context.progress, context.cancel)

        job = self.runner.submit("Reviewing", work, self.tab.show_reviews, self.feedback.fail)
        self.feedback.progress.track(job, "Reviewing…")
        return job

    def correct(self, review: DocumentReview, correction: Correction) -> Job | None:
        """Keep the reviewer's word on a cell for the library and show the row as it now
        reads; None while the library is opening."""
        opened = self.session.opened()
        if opened is None:
            self.feedback.not_ready()
            return None
        library = opened[1]

        def work(_: JobContext) -> DocumentReview:
            from discreet.actions.review import correct

            return correct(library, review, correction)

        return self.runner.submit(
            "Keeping the correction", work, self.tab.replace_review, self.feedback.fail
        )

    def save_checklist(self, name: str) -> None:
        """Keep the categories typed as checklist `name` of the open library."""
        from discreet.actions.checklists import save_checklist

        self._keep(
            lambda library, workspace: save_checklist(
                library, workspace, name, self.tab.categories.text()
            ),
            name,
        )

    def delete_checklist(self, name: str) -> None:
        """Forget checklist `name` of the open library."""
        from discreet.actions.checklists import delete_checklist

        self._keep(lambda library, workspace: delete_checklist(library, workspace, name), "")

    def _keep(self, change: Callable[[Library, Workspace], object], current: str) -> None:
        """Apply `change` to the library's checklists and show them, or say why not; small
        enough to run on the UI thread, as a settings change is."""
        from discreet.core.errors import DiscreetError

        opened = self.session.opened()
        if opened is None:
            self.feedback.not_ready()
            return
        _, library, workspace = opened
        try:
            change(library, workspace)
        except DiscreetError as error:
            show_error(self.tab, str(error))
            return
        self.tab.checklists.set_checklists(workspace.checklists, current)

    def open_clause(self, review: DocumentReview, finding: Finding) -> None:
        """Show the finding's clause on its page, highlighted."""
        source = review.source(finding)
        if source is not None:
            self.sources.open_source(source)

    def export(self, path: str) -> None:
        """Save the review shown, in the format the file's suffix names."""
        from discreet.actions.export import export_review

        if self.session.services is None:
            return
        reviews, policy = list(self.tab.reviews), self.session.services.policy
        export_in_background(
            self.runner,
            self.feedback,
            "Exporting",
            path,
            lambda: export_review(reviews, Path(path), policy),
        )
