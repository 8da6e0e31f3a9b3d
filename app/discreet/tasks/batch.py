"""Running one task over many documents, with progress and cancellation.

Classification and extraction work document by document; the front ends show how many
are done and which one is being read, and Cancel stops between documents, keeping the
rows already finished.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from discreet.core.progress import CancelToken, EventSink, Progress, ignore_event
from discreet.index.library import Library

T = TypeVar("T")


def run_batch(
    library: Library,
    doc_ids: list[str],
    work: Callable[[str], T],
    on_event: EventSink = ignore_event,
    cancel: CancelToken | None = None,
) -> list[T]:
    """`work` on each document in turn, its results in the same order.

    Cancel stops between documents: the results finished so far come back, and the last
    `Progress` then counts them rather than the documents asked for.
    """
    cancel = cancel or CancelToken()
    results: list[T] = []
    for done, doc_id in enumerate(doc_ids):
        if cancel.cancelled:
            break
        name = Path(library.path_of(doc_id)).name
        on_event(Progress("working", done, len(doc_ids), "documents", name))
        results.append(work(doc_id))
    on_event(Progress("done", len(results), len(doc_ids), "documents"))
    return results
