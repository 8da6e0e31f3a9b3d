"""Running one task over many documents, with progress and cancellation.

Classification and extraction work document by document; the front ends show how many
are done and which one is being read, and Cancel stops between documents, keeping the
rows already finished.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from discreet.core.progress import CancelToken, EventSink, ignore_event
from discreet.index.library import Library

T = TypeVar("T")


@dataclass(frozen=True)
class BatchProgress:
    done: int
    total: int
    current: str  # file name of the document being worked on; empty when finished


def run_batch(
    library: Library,
    doc_ids: list[str],
    work: Callable[[str], T],
    on_event: EventSink = ignore_event,
    cancel: CancelToken | None = None,
) -> list[T]:
    cancel = cancel or CancelToken()
    results: list[T] = []
    for done, doc_id in enumerate(doc_ids):
        if cancel.cancelled:
            break
        on_event(BatchProgress(done, len(doc_ids), Path(library.path_of(doc_id)).name))
        results.append(work(doc_id))
    on_event(BatchProgress(len(results), len(doc_ids), ""))
    return results
