"""Summarize documents: a contract's key terms from its review, then the model's points.

The CLI's `discreet summarize` and the window's Summarize tab both call `summarize`, so
a contract's summary carries the same checklist (`tasks.review.terms`) in either.
"""

from __future__ import annotations

from discreet.core.progress import CancelToken, EventSink
from discreet.core.settings import Settings
from discreet.index.library import Library
from discreet.models.language_model import LanguageModel
from discreet.tasks.review.loading import ReviewModels
from discreet.tasks.summarize import summarize as summarize_task
from discreet.tasks.summary import SummaryResult


def summarize(
    library: Library,
    llm: LanguageModel,
    review: ReviewModels,
    doc_ids: list[str],
    length: str,
    settings: Settings,
    on_event: EventSink | None = None,
    cancel: CancelToken | None = None,
) -> SummaryResult:
    """Summarize `doc_ids` at `length` with the user's settings; Cancel keeps what is done."""
    return summarize_task(
        library,
        llm,
        doc_ids,
        length,
        on_event=on_event,
        cancel=cancel,
        settings=settings,
        review=review,
    )
