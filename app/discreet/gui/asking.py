"""The Ask tab's work: a question becomes one streamed, checked answer, kept in the
library's conversation, which can be exported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from discreet.gui.answer_view import AnswerView
from discreet.gui.ask_tab import AskTab
from discreet.gui.exporting import export_in_background
from discreet.gui.feedback import show_error
from discreet.gui.library_panel import LibraryPanel
from discreet.gui.session import Feedback, Session
from discreet.gui.worker import Job, JobContext, TaskRunner

if TYPE_CHECKING:
    from discreet.tasks.ask_result import AskResult


class Asking:
    """Runs asks for the Ask tab; `job` is the answer being written, for Stop."""

    def __init__(
        self,
        runner: TaskRunner,
        session: Session,
        feedback: Feedback,
        ask_tab: AskTab,
        panel: LibraryPanel,
        after_failure: Callable[[], None],
    ) -> None:
        self.runner, self.session, self.feedback = runner, session, feedback
        self.ask_tab, self.panel, self.after_failure = ask_tab, panel, after_failure
        self.job: Job | None = None

    def ask(self, question: str, scoped: bool) -> Job | None:
        """Ask `question`, of the selected documents when `scoped`, streaming the answer into a
        new exchange and saving it unless stopped; returns the job, or None if it can't start."""
        opened = self.session.opened()
        if opened is None:
            self.feedback.not_ready()
            return None
        services, library, workspace = opened
        doc_ids = self.panel.selected_doc_ids() if scoped else []
        if scoped and not doc_ids:
            show_error(self.feedback.parent, "Select the documents to ask about first.")
            return None
        view = self.ask_tab.begin(question)

        def work(context: JobContext) -> AskResult:
            from discreet.actions.ask import ask_and_remember

            return ask_and_remember(
                services,
                library,
                question,
                workspace,
                library.folder,
                doc_ids,
                on_token=context.token,
                on_evidence=context.early,
                cancel=context.cancel,
            )

        self.ask_tab.set_busy(True)
        self.job = self.runner.submit(
            "Answering",
            work,
            lambda result: self._answered(view, result),
            lambda message: self._failed(view, message),
            on_token=view.append,
            on_early=view.show_evidence,
            on_ended=lambda: self.ask_tab.set_busy(False),
        )
        return self.job

    def _answered(self, view: AnswerView, result: AskResult) -> None:
        """Show the checked answer; `ask_and_remember` has kept it in the conversation of
        the library it was asked of, even if the user has opened another one since."""
        note = "Stopped." if result.cancelled else result.revision_note
        closest = result.closest if result.abstained else []
        view.finish(result.answer, result.citations, closest, note)
        view.show_search(result.search_note)
        self.ask_tab.show_sources(result)

    def _failed(self, view: AnswerView, message: str) -> None:
        view.finish("", [], [], message)
        self.after_failure()

    def stop(self) -> None:
        """Esc: stop the answer being written and the job in the progress bar; what's done stays."""
        if self.job is not None:
            self.job.cancel()
        if self.feedback.progress.job is not None:
            self.feedback.progress.job.cancel()

    def export_conversation(self, path: str) -> None:
        """Save the library's conversation with its sources, if the policy allows exports."""
        from discreet.actions.export import export_conversation

        opened = self.session.opened()
        if opened is None:
            return
        services, _, workspace = opened
        policy = services.policy
        export_in_background(
            self.runner,
            self.feedback,
            "Exporting the conversation",
            path,
            lambda: export_conversation(workspace, Path(path), policy),
        )
