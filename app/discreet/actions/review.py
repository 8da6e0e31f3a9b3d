"""Review documents: each chosen clause category Present, Check or Not found, cited.

The CLI's `discreet review` and the window's Review view both call `review`; exporting
goes through `export_review`, which checks the export policy before writing. The
reviewer's corrections (`correct`) are laid over every review of the library, and the
clauses they confirmed present raise like passages in the other documents to "check".
"""

from __future__ import annotations

from discreet.core.progress import CancelToken, EventSink, ignore_event
from discreet.index.library import Library
from discreet.tasks.batch import run_batch
from discreet.tasks.review.categories import Category, categories, resolve
from discreet.tasks.review.corrections import Correction, Corrections
from discreet.tasks.review.examples import Examples
from discreet.tasks.review.loading import ReviewModels
from discreet.tasks.review.review import DocumentReview, review_document
from discreet.tasks.scope import documents_in_scope


def chosen_categories(names: list[str]) -> list[Category]:
    """The categories named (by CUAD name or title), or all 41 when none are."""
    return resolve(names) if names else list(categories())


def review(
    library: Library,
    models: ReviewModels,
    chosen_docs: list[str],
    category_names: list[str],
    on_event: EventSink = ignore_event,
    cancel: CancelToken | None = None,
) -> list[DocumentReview]:
    """Review each of `chosen_docs` (every indexed document when none are chosen) in
    turn, with the library's confirmed examples and the reviewer's corrections applied;
    Cancel keeps the documents already reviewed."""
    doc_ids = documents_in_scope(library, chosen_docs)
    chosen = chosen_categories(category_names)
    vectors = models.vectors(library)
    kept = Corrections.load(library)
    examples = Examples.of(kept.confirmed_present(), library, vectors)

    def one(doc_id: str) -> DocumentReview:
        found = review_document(library, doc_id, models.clauses, models.types, chosen, vectors)
        return kept.apply(examples.raise_findings(found, library, vectors), library)

    return run_batch(library, doc_ids, one, on_event, cancel)


def correct(library: Library, review: DocumentReview, correction: Correction) -> DocumentReview:
    """Keep the reviewer's word on one cell of `review` and return the review as it now
    reads; the correction holds for every later review of the document."""
    kept = Corrections.load(library)
    kept.put(correction)
    kept.save(library)
    return kept.apply(review, library)
