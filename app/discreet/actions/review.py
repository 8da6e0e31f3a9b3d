"""Review documents: each chosen clause category Present, Check or Not found, cited.

The CLI's `discreet review` and the window's Review view both call `review`; exporting
goes through `export_review`, which checks the export policy before writing.
"""

from __future__ import annotations

from discreet.core.progress import CancelToken, EventSink, ignore_event
from discreet.index.library import Library
from discreet.tasks.batch import run_batch
from discreet.tasks.review.categories import Category, categories, resolve
from discreet.tasks.review.loading import ReviewModels
from discreet.tasks.review.review import DocumentReview, review_document


def chosen_categories(names: list[str]) -> list[Category]:
    """The categories named (by CUAD name or title), or all 41 when none are."""
    return resolve(names) if names else list(categories())


def review(
    library: Library,
    models: ReviewModels,
    doc_ids: list[str],
    category_names: list[str],
    on_event: EventSink = ignore_event,
    cancel: CancelToken | None = None,
) -> list[DocumentReview]:
    """Review each document in turn; Cancel keeps the documents already reviewed."""
    chosen = chosen_categories(category_names)
    vectors = models.vectors(library)
    return run_batch(
        library,
        doc_ids,
        lambda doc_id: review_document(
            library, doc_id, models.clauses, models.types, chosen, vectors
        ),
        on_event,
        cancel,
    )
