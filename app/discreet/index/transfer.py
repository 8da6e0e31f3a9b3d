"""Moving a library between this computer and a team's Chroma server, and back.

Documents travel as they are stored, registry rows and vectors, so nothing is read
or embedded again and citations stay the same. Each document is adopted the way
ingest stores one (journalled, vectors first), so a move stopped by Cancel, a kill or
a lost connection leaves both libraries consistent and runs on from where it stopped;
the source is removed only once the target holds every one of its documents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from discreet.core.errors import LibraryError
from discreet.core.progress import CancelToken, EventSink, Progress, ignore_event
from discreet.index.library import Library

if TYPE_CHECKING:
    from discreet.index.store import LibraryStore


def move_library(
    store: LibraryStore,
    name: str,
    to_server: bool,
    on_event: EventSink = ignore_event,
    cancel: CancelToken | None = None,
) -> int:
    """Move `name` between this computer and the server `store` is on, the one way both
    front ends do it: copy what the target lacks, then remove the source only once the
    target holds all of it. Returns how many documents were copied."""
    if not store.on_server:
        raise LibraryError(
            "A library moves between this computer and a team's Chroma server, and no "
            "server is set (library.chroma_server)."
        )
    source_store, target_store = (store.here(), store) if to_server else (store, store.here())
    source = source_store.open(name)
    target = target_store.open(name, create=True)
    copied = copy_library(source, target, on_event, cancel)
    if holds_all(source, target):
        source_store.remove(name)
    return copied


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
