"""Moving a library between this computer and a team's Chroma server, and back.

Documents travel as they are stored, registry rows and vectors, so nothing is read
or embedded again and citations stay the same. Each document is adopted the way
ingest stores one (journalled, vectors first), so a move stopped by Cancel, a kill or
a lost connection leaves both libraries consistent and runs on from where it stopped;
the source is removed only once the target holds every one of its documents.
"""

from __future__ import annotations

from discreet.core.progress import CancelToken, EventSink, Progress, ignore_event
from discreet.index.library import Library


def copy_library(
    source: Library,
    target: Library,
    on_event: EventSink = ignore_event,
    cancel: CancelToken | None = None,
) -> int:
    """Copy every document of `source` that `target` lacks, and the folders it follows;
    returns how many documents were copied."""
    cancel = cancel or CancelToken()
    have = {r.doc_id for r in target.documents() if r.doc_id}
    wanted = {r.doc_id: r.title or r.path for r in source.documents() if r.doc_id}
    todo = [doc_id for doc_id in wanted if doc_id not in have]
    for done, doc_id in enumerate(todo):
        cancel.raise_if_cancelled("Moving the library")
        on_event(Progress("copying", done, len(todo), "documents", current=wanted[doc_id]))
        target.adopt(doc_id, *source.export(doc_id))
    target.follow(source.roots())
    on_event(Progress("done", len(todo), len(todo), "documents"))
    return len(todo)


def holds_all(source: Library, target: Library) -> bool:
    """Whether every document of `source` is in `target`: the condition for removing it."""
    have = {r.doc_id for r in target.documents() if r.doc_id}
    return all(r.doc_id in have for r in source.documents() if r.doc_id)
