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
    from discreet.tasks.classify import Classification
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
        if opened is not None and opened[1].folder is not None:
            _, library, workspace = opened
            workspace.labels, workspace.fields = labels, fields
            workspace.save(library.folder)

    def run_batch(self, mode: str, text: str) -> Job | None:
        """Classify or extract over the selected documents, or else all of them, with progress;
        which model classifies is `tasks.classify.classifier`'s choice. Returns the job, or
        None while the library is opening."""
        opened = self.session.opened()
        if opened is None:
            self.feedback.not_ready()
            return None
        self.save_definitions(self.classify_tab.labels.text(), self.classify_tab.fields.text())
        services, library, workspace = opened
        chosen = self.panel.selected_doc_ids()
        examples = dict(workspace.examples)

        def work(context: JobContext) -> Schedule | tuple[list[Classification], list[str]]:
            from discreet.tasks.batch import run_batch
            from discreet.tasks.classify import classifier, classify, parse_labels
            from discreet.tasks.extract import extract
            from discreet.tasks.schedule import schedule
            from discreet.tasks.scope import documents_in_scope

            labels = parse_labels(text, minimum=1 if mode == "extract" else 2)
            doc_ids = documents_in_scope(library, chosen)
            if mode == "extract":
                llm, review = services.llm(mode), services.review_models()
                rows = run_batch(
                    library,
                    doc_ids,
                    lambda d: extract(
                        library, llm, services.settings, d, labels, context.cancel, review
                    ),
                    context.progress,
                    context.cancel,
                )
                return schedule([row for group in rows for row in group])
            from discreet.tasks.setfit import load_setfit

            model, classifying = classifier(
                library,
                examples,
                lambda: services.llm(mode),
                tuned=lambda found: load_setfit(library, found, services.settings.embedder),
            )
            found = run_batch(
                library,
                doc_ids,
                lambda d: classify(library, classifying, d, labels, model),
                context.progress,
                context.cancel,
            )
            return found, [label.name for label in labels]

        job = self.runner.submit(
            "Classifying" if mode == "classify" else "Extracting",
            work,
            self._show,
            self.feedback.fail,
        )
        self.feedback.progress.track(job, "Starting…")
        return job

    def _show(self, value: Schedule | tuple[list[Classification], list[str]]) -> None:
        """An extraction's schedule, or classifications with the labels they chose from."""
        if isinstance(value, tuple):
            self.classify_tab.show_rows(*value)
        else:
            self.classify_tab.show_schedule(value)

    def confirm_label(self, doc_id: str, label: str) -> None:
        """Record the label the user chose for a document as a confirmed example, for the next
        classification to learn from."""
        opened = self.session.opened()
        if opened is None or opened[1].folder is None:
            return
        _, library, workspace = opened
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
            from discreet.tasks.setfit import train_setfit

            return train_setfit(
                library,
                examples,
                services.registry.embedder,
                services.settings.embedder,
                context.progress,
                context.cancel,
            )

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
        from discreet.tasks.export import export_csv
        from discreet.tasks.schedule import export_schedule

        if self.session.services is None:
            return
        rows, table = self.classify_tab.rows, self.classify_tab.schedule
        policy = self.session.services.policy
        if table is not None:
            write = lambda: export_schedule(table, Path(path), policy)  # noqa: E731
        else:
            write = lambda: export_csv(rows, Path(path), policy)  # noqa: E731
        export_in_background(self.runner, self.feedback, "Exporting", path, write)
