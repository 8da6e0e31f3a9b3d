"""Extract fields from documents: a table of documents by fields, each value with its quote.

The CLI's `discreet extract` and the window's Classify tab both call `extract_documents`,
so both read the same documents (`documents_in_scope`), report each one as it starts and
stop between documents when cancelled, keeping the documents already done. The CLI ran
its own loop before, which Ctrl+C interrupted wherever it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from discreet.core.progress import CancelToken, EventSink, ignore_event
from discreet.index.library import Library
from discreet.tasks.batch import run_batch
from discreet.tasks.classify import parse_labels
from discreet.tasks.extract import extract
from discreet.tasks.schedule import Schedule, schedule
from discreet.tasks.scope import documents_in_scope

if TYPE_CHECKING:
    from discreet.services import Services


def extract_documents(
    services: Services,
    library: Library,
    chosen: Sequence[str],
    fields: str,
    on_event: EventSink = ignore_event,
    cancel: CancelToken | None = None,
) -> Schedule:
    """`fields` (comma-separated, each with an optional description) read from the
    `chosen` documents, or every indexed one when none are chosen."""
    labels = parse_labels(fields, minimum=1)
    doc_ids = documents_in_scope(library, chosen)
    llm, review = services.llm("extract"), services.review_models()
    rows = run_batch(
        library,
        doc_ids,
        lambda doc_id: extract(library, llm, services.settings, doc_id, labels, cancel, review),
        on_event,
        cancel,
    )
    return schedule([row for group in rows for row in group])
