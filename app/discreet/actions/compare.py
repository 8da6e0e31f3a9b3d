"""Compare two contracts: both reviewed with one checklist, category by category.

`discreet compare` calls `compare`; the window compares two reviews it already shows with
`compare_reviews` directly, since reviewing them again would only repeat the same work.
Both go through `review`, so the reviewer's corrections count in a comparison too.
"""

from __future__ import annotations

from discreet.actions.review import review
from discreet.core.errors import Cancelled, CompareNeedsTwo
from discreet.core.progress import CancelToken, EventSink, ignore_event
from discreet.index.library import Library
from discreet.tasks.review.compare import Comparison, compare_reviews
from discreet.tasks.review.loading import ReviewModels


def compare(
    library: Library,
    models: ReviewModels,
    doc_a: str,
    doc_b: str,
    category_names: list[str],
    on_event: EventSink = ignore_event,
    cancel: CancelToken | None = None,
) -> Comparison:
    """Review `doc_a` and `doc_b` for the categories named (all 41 when none are) and set
    them side by side; Cancelled when stopped before both were reviewed."""
    if doc_a == doc_b:
        raise CompareNeedsTwo(1)
    reviews = review(library, models, [doc_a, doc_b], category_names, on_event, cancel)
    if len(reviews) < 2:
        raise Cancelled("The comparison")
    return compare_reviews(reviews[0], reviews[1])
