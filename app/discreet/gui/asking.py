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
    from discreet.index.library import Library
    from discreet.tasks.ask import AskResult
    from discreet.tasks.workspace import Workspace


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
        from discreet.index.records import SearchFilter

        services, library, workspace = opened
        history = workspace.turns()
        doc_ids = tuple(self.panel.selected_doc_ids()) if scoped else ()
        if scoped and not doc_ids:
            show_error(self.feedback.parent, "Select the documents to ask about first.")
            return None
        view = self.ask_tab.begin(question)

        def work(context: JobContext) -> AskResult:
            from discreet.tasks.ask import ask

            return ask(
                library,
                services.llm("ask"),
                services.settings,
                question,
                history=history,
                scope=SearchFilter(doc_ids=doc_ids) if doc_ids else None,
                on_token=context.token,
                cancel=context.cancel,
                on_evidence=context.early,
                verdicts=services.verdict_models(),
                review=services.review_models(),
            )

        self.ask_tab.set_busy(True)
        self.job = self.runner.submit(
            "Answering",
            work,
            lambda result: self._answered(view, result, library, workspace),
            lambda message: self._failed(view, message),
            on_token=view.append,
            on_early=view.show_evidence,
            on_ended=lambda: self.ask_tab.set_busy(False),
        )
        return self.job

    def _answered(
        self, view: AnswerView, result: AskResult, library: Library, workspace: Workspace
    ) -> None:
        """Show the checked answer; keep it in the conversation of the library it was asked
        of, even if the user has opened another one since."""
        from discreet.tasks.workspace import ChatEntry

        note = "Stopped." if result.cancelled else result.revision_note
        closest = result.closest if result.abstained else []
        view.finish(result.answer, result.citations, closest, note)
        searched = result.search_note
        view.show_search(searched)
        self.ask_tab.show_sources(result)
        if not result.cancelled:
            entry = ChatEntry(
                result.question,
                result.answer,
                result.abstained,
                result.citations,
                searched_for=searched,
            )
            workspace.remember(entry)
            if library.folder is not None:
                workspace.save(library.folder)

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
        from discreet.tasks.export import ExportedAnswer, export_answers

        opened = self.session.opened()
        if opened is None:
            return
        services, _, workspace = opened
        answers = [ExportedAnswer.from_entry(entry) for entry in workspace.chat]
        policy = services.policy
        export_in_background(
            self.runner,
            self.feedback,
            "Exporting the conversation",
            path,
            lambda: export_answers(answers, Path(path), policy),
        )
