"""The Summarize tab's work: a summary of the selected documents, with progress, and its
export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from discreet.gui.exporting import export_in_background
from discreet.gui.library_panel import LibraryPanel
from discreet.gui.session import Feedback, Session
from discreet.gui.summarize_tab import SummarizeTab
from discreet.gui.worker import JobContext, TaskRunner

if TYPE_CHECKING:
    from discreet.tasks.summary import SummaryResult


class Summarizing:
    """Runs summaries for the Summarize tab; `summary` is the one on show."""

    def __init__(
        self,
        runner: TaskRunner,
        session: Session,
        feedback: Feedback,
        summarize_tab: SummarizeTab,
        panel: LibraryPanel,
    ) -> None:
        self.runner, self.session, self.feedback = runner, session, feedback
        self.summarize_tab, self.panel = summarize_tab, panel
        self.summary: SummaryResult | None = None

    def summarize(self, length: str) -> None:
        """Summarize the selected documents at `length`, with progress, and show the result."""
        opened = self.session.opened()
        if opened is None:
            self.feedback.not_ready()
            return
        services, library, _ = opened
        doc_ids, titles = self.panel.selected_doc_ids(), self.panel.titles()

        def work(context: JobContext) -> tuple[SummaryResult, str]:
            from discreet.actions.summarize import summarize
            from discreet.tasks.export import summary_markdown

            result = summarize(
                library,
                services.llm("summarize"),
                services.review_models(),
                doc_ids,
                length,
                services.settings,
                context.progress,
                context.cancel,
            )
            return result, summary_markdown(result, titles)

        job = self.runner.submit(
            "Summarizing", work, lambda value: self._summarized(value, titles), self.feedback.fail
        )
        self.feedback.progress.track(job, "Summarizing…")

    def _summarized(self, value: tuple[SummaryResult, str], titles: dict[str, str]) -> None:
        self.summary, markdown = value
        self.summarize_tab.set_result(self.summary, titles, markdown)

    def export_summary(self, path: str) -> None:
        """Save the summary on show, in the format `path`'s suffix names."""
        from discreet.actions.export import export_summary

        if self.summary is None or self.session.services is None:
            return
        summary, titles = self.summary, self.panel.titles()
        policy = self.session.services.policy
        export_in_background(
            self.runner,
            self.feedback,
            "Exporting the summary",
            path,
            lambda: export_summary(summary, titles, Path(path), policy),
        )
