"""Save what the user sees to a file: answers, a conversation, a table, a summary, a review.

Every export checks the policy (`disable_export`) before it writes; the front ends come
here for all of them, so neither has a way to write a file that skips the check.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from discreet.core.policy import Policy
from discreet.tasks.ask_result import AskResult
from discreet.tasks.classify import Classification
from discreet.tasks.export import ExportedAnswer, export_answers, export_csv, export_summary
from discreet.tasks.review.export import export_review
from discreet.tasks.schedule import Schedule, export_schedule
from discreet.tasks.workspace import Workspace

__all__ = [
    "export_conversation",
    "export_results",
    "export_review",
    "export_summary",
    "export_table",
]


def export_results(results: Sequence[AskResult], path: Path, policy: Policy) -> None:
    """The answers just given (`discreet ask --export`), each with its sources."""
    export_answers([ExportedAnswer.from_ask(result) for result in results], path, policy)


def export_conversation(workspace: Workspace, path: Path, policy: Policy) -> None:
    """A library's whole conversation, each answer with its sources."""
    export_answers([ExportedAnswer.from_entry(entry) for entry in workspace.chat], path, policy)


def export_table(table: Schedule | list[Classification], path: Path, policy: Policy) -> None:
    """An extraction's schedule as CSV or Excel by `path`'s suffix; classifications as CSV."""
    if isinstance(table, Schedule):
        export_schedule(table, path, policy)
    else:
        export_csv(table, path, policy)
