"""Adapting the embedder to the open library, from the Tools menu.

The work is `tasks.adapt`'s (questions, training, the check) and `index.adapted_use`'s
(re-embedding), each run as a job with progress and Stop. The user sees the measured
figures before anything changes, and chooses whether the library uses the result; one
menu item goes back to the bundled embedder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from discreet.core.errors import DiscreetError
from discreet.gui.feedback import show_error
from discreet.gui.session import Feedback, Session
from discreet.gui.worker import JobContext, TaskRunner

if TYPE_CHECKING:
    from discreet.services import Services
    from discreet.tasks.adapt import AdaptReport

INTRO = (
    "Discreet will write questions from passages of {name}, fine-tune a copy of the "
    "embedder on them for up to ten minutes, and measure whether it finds passages better. "
    "Nothing leaves this computer, and nothing changes until you choose to use the result."
)


class Adapter:
    """Runs an adaptation, shows its figures, and switches the library's embedder on request."""

    def __init__(self, runner: TaskRunner, session: Session, feedback: Feedback) -> None:
        self.runner, self.session, self.feedback = runner, session, feedback

    def _ready(self) -> Services | None:
        services, library = self.session.services, self.session.library
        if services is None or library is None:
            self.feedback.not_ready()
            return None
        return services

    def adapt(self) -> None:
        """Confirm, then adapt the open library's embedder as a job."""
        services = self._ready()
        if services is None:
            return
        try:
            services.policy.check_adaptation()
        except DiscreetError as err:
            show_error(self.feedback.parent, str(err))
            return
        name = self.session.library.name  # type: ignore[union-attr]
        if not self.confirm("Adapt the embedder", INTRO.format(name=name)):
            return
        from discreet.actions.adapt import adapt_embedder

        library = self.session.library

        def work(context: JobContext) -> AdaptReport:
            return adapt_embedder(
                services,
                library,  # type: ignore[arg-type]
                on_event=context.progress,
                cancel=context.cancel,
            )

        job = self.runner.submit("Adapting the embedder", work, self.offer, self.feedback.fail)
        self.feedback.progress.track(job, f"Adapting the embedder to {name}…")

    def offer(self, report: AdaptReport) -> None:
        """Show what the adaptation measured; use the result if it was kept and the user agrees."""
        if report.model is None:
            QMessageBox.information(self.feedback.parent, "Adapt the embedder", report.why)
            return
        question = f"{report.why}\n\nUse it for this library? Its passages are embedded again."
        if self.confirm("Adapt the embedder", question):
            self.switch(report.model.tag)
        else:
            from discreet.models.adapted import discard

            discard(report.model)
            self.feedback.say("The embedder in use stays; the adapted copy was deleted.")

    def revert(self) -> None:
        """Make the open library search with the bundled embedder again."""
        if self._ready() is not None:
            self.switch("")

    def switch(self, tag: str) -> None:
        """Re-embed the open library for adapted embedder `tag` ("" for the bundled one)."""
        from discreet.index.adapted_use import switch_embedder

        services, library = self.session.services, self.session.library
        if services is None or library is None:
            return
        store, name = services.libraries(), library.name

        def work(context: JobContext) -> None:
            switch_embedder(store, name, tag, context.progress, context.cancel)

        which = "its adapted embedder" if tag else "the bundled embedder"
        job = self.runner.submit(
            "Embedding again",
            work,
            lambda _: self.feedback.say(f"{name} now searches with {which}."),
            self.feedback.fail,
        )
        self.feedback.progress.track(job, f"Embedding {name} again for {which}…")

    def confirm(self, title: str, text: str) -> bool:
        """Ask yes or no over the window (tests answer it in place of a person)."""
        answer = QMessageBox.question(self.feedback.parent, title, text)
        return answer == QMessageBox.StandardButton.Yes
