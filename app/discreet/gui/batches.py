"""The Classify tab's work: labels or fields over the selected documents (or all of them),
document by document with progress; corrections as examples; the table's export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from discreet.gui.classify_tab import ClassifyTab
from discreet.gui.exporting import export_in_background
from discreet.gui.library_panel import LibraryPanel
from discreet.gui.session import Feedback, Session
from discreet.gui.worker import Job, JobContext, TaskRunner

if TYPE_CHECKING:
    from discreet.actions.classify import Classified
    from discreet.tasks.schedule import Schedule
    from discreet.tasks.setfit import SetFitReport


class Batches:
    """Runs classification and extraction for the Classify tab."""

    def __init__(
        self,
        runner: TaskRunner,
        session: Session,
        feedback: Feedback,
        classify_tab: ClassifyTab,
        panel: LibraryPanel,
    ) -> None:
        self.runner, self.session, self.feedback = runner, session, feedback
        self.classify_tab, self.panel = classify_tab, panel

    def save_definitions(self, labels: str, fields: str) -> None:
        """Keep the Classify tab's labels and fields with the library, for when it next opens."""
        opened = self.session.opened()
        if opened is None:
            return
        _, library, workspace = opened
        if library.folder is not None:
            workspace.labels, workspace.fields = labels, fields
            workspace.save(library.folder)

    def run_batch(self, mode: str, text: str) -> Job | None:
        """Classify or extract over the selected documents, or else all of them, with progress;
        which model classifies is `actions.classify`'s choice. Returns the job, or
        None while the library is opening."""
        opened = self.session.opened()
        if opened is None:
            self.feedback.not_ready()
            return None
        self.save_definitions(self.classify_tab.labels.text(), self.classify_tab.fields.text())
        services, library, workspace = opened
        chosen = self.panel.selected_doc_ids()
        examples = dict(workspace.examples)

        def work(context: JobContext) -> Schedule | Classified:
            if mode == "extract":
                from discreet.actions.extract import extract_documents

                return extract_documents(
                    services, library, chosen, text, context.progress, context.cancel
                )
            from discreet.actions.classify import classify_documents

            return classify_documents(
                services,
                library,
                chosen,
                text,
                examples,
                on_event=context.progress,
                cancel=context.cancel,
            )

        job = self.runner.submit(
            "Classifying" if mode == "classify" else "Extracting",
            work,
            self.classify_tab.show_schedule if mode == "extract" else self._show_classified,
            self.feedback.fail,
        )
        self.feedback.progress.track(job, "Starting…")
        return job

    def _show_classified(self, classified: Classified) -> None:
        self.classify_tab.show_rows(classified.rows, classified.labels)

    def confirm_label(self, doc_id: str, label: str) -> None:
        """Record the label the user chose for a document as a confirmed example, for the next
        classification to learn from."""
        opened = self.session.opened()
        if opened is None:
            return
        _, library, workspace = opened
        if library.folder is None:
            return
        workspace.examples[doc_id] = label
        workspace.save(library.folder)
        self.classify_tab.set_teaching(len(workspace.examples))

    def train_setfit(self) -> Job | None:
        """Tune the embedder on the confirmed examples (SetFit), scored leave-one-out against
        the plain model, with progress; the next classification uses whichever won."""
        opened = self.session.opened()
        if opened is None:
            self.feedback.not_ready()
            return None
        services, library, workspace = opened
        examples = dict(workspace.examples)

        def work(context: JobContext) -> SetFitReport:
            from discreet.actions.classify import train_setfit

            return train_setfit(services, library, examples, context.progress, context.cancel)

        def done(report: SetFitReport) -> None:
            kept = "SetFit is used from now on" if report.kept else "the plain model stays"
            self.feedback.say(
                f"Leave-one-out on {report.examples} confirmed examples: SetFit "
                f"{report.setfit_loo:.0%}, plain {report.plain_loo:.0%}; {kept} "
                f"(trained in {report.seconds:.0f} s)."
            )

        job = self.runner.submit("Training SetFit", work, done, self.feedback.fail)
        self.feedback.progress.track(job, "Tuning the embedder on your confirmed labels…")
        return job

    def export_rows(self, path: str) -> None:
        """Save the Classify tab's table: an extraction as CSV or Excel, classifications as CSV."""
        from discreet.actions.export import export_table

        if self.session.services is None:
            return
        rows, table = self.classify_tab.rows, self.classify_tab.schedule
        shown = table if table is not None else rows
        policy = self.session.services.policy
        write = lambda: export_table(shown, Path(path), policy)  # noqa: E731
        export_in_background(self.runner, self.feedback, "Exporting", path, write)
