"""Ask a question of a library, read against its conversation, and remember the exchange.

The CLI's `discreet ask` and the window's Ask tab both call `ask_and_remember`, so an
exchange is kept the same way from either: with the search note ("Searched only X",
a rewritten follow-up) that a later follow-up and the Ask tab show again. Before there
was one action the CLI kept the rewritten question alone and lost which documents the
search was limited to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from discreet.core.progress import CancelToken
from discreet.index.library import Library
from discreet.index.records import SearchFilter
from discreet.tasks.ask import ask
from discreet.tasks.ask_result import AskResult
from discreet.tasks.evidence import Evidence
from discreet.tasks.workspace import ChatEntry, Workspace

if TYPE_CHECKING:
    from discreet.services import Services


def ask_and_remember(
    services: Services,
    library: Library,
    question: str,
    workspace: Workspace | None,
    save_to: Path | None,
    doc_ids: Sequence[str] = (),
    on_token: Callable[[str], None] | None = None,
    on_evidence: Callable[[Evidence], None] | None = None,
    cancel: CancelToken | None = None,
) -> AskResult:
    """Answer `question` of `doc_ids` (every document when empty), read against
    `workspace`'s conversation, streaming through `on_token` and `on_evidence`.

    Unless stopped, the exchange joins `workspace` (None: a one-off question, nothing is
    remembered), which is then saved in `save_to` (None: a conversation that lasts only
    as long as the command, such as the CLI's prompt without --follow-up).
    """
    scope = SearchFilter(doc_ids=tuple(dict.fromkeys(doc_ids))) if doc_ids else None
    result = ask(
        library,
        services.llm("ask"),
        services.settings,
        question,
        history=workspace.turns() if workspace is not None else None,
        scope=scope,
        on_token=on_token,
        cancel=cancel,
        on_evidence=on_evidence,
        verdicts=services.verdict_models(),
        review=services.review_models(),
    )
    if workspace is not None and not result.cancelled:
        entry = ChatEntry(
            result.question,
            result.answer,
            result.abstained,
            result.citations,
            searched_for=result.search_note,
        )
        workspace.remember(entry)
        if save_to is not None:
            workspace.save(save_to)
    return result
