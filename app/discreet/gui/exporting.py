"""Writing an export off the UI thread; the task refuses it when the policy turns exports
off, and the refusal reaches the user like any failure."""

from __future__ import annotations

from collections.abc import Callable

from discreet.gui.session import Feedback
from discreet.gui.worker import TaskRunner


def export_in_background(
    runner: TaskRunner, feedback: Feedback, name: str, path: str, write: Callable[[], None]
) -> None:
    """Run `write` as a job named `name`; say where the file went when it is written."""
    runner.submit(name, lambda _: write(), lambda _: feedback.say(f"Saved {path}"), feedback.fail)
