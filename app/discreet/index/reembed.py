"""Embedding a library again when the embedder changes, never mixing two kinds of vectors.

int8 and fp32 vectors of one text differ slightly (a mean cosine of 0.99), so a query
of one kind against stored vectors of the other ranks a little wrong, with nothing to
show it. Each kind therefore lives in a collection of its own. A library records the
kind its active collection holds; when the embedder in use is of another kind, the
chunks (kept in the registry) are embedded into a fresh collection, and only once it
is complete does the library switch to it and drop the old one. A crash or a cancel
midway leaves the old collection in use and the fresh one to be redone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from discreet.core.progress import CancelToken, EventSink, Progress
from discreet.index.registry import DocumentRegistry
from discreet.index.vectors import VectorStore
from discreet.models.embedder import Embedder


@dataclass
class VectorSpace:
    """Which kind of vectors a library holds, and how to reach each kind's collection."""

    variant: str  # the kind in the active collection
    current: Callable[[], str]  # the kind the embedder in use makes
    open: Callable[[str, bool], VectorStore]  # (kind, emptied first)
    drop: Callable[[str], None]
    record: Callable[[str], None]  # remember the active kind (library.json)

    @property
    def stale(self) -> bool:
        """Whether the active collection holds another kind than the embedder in use makes, so
        searching or adding to it would mix the two."""
        return self.variant != self.current()


def reembed(
    registry: DocumentRegistry,
    space: VectorSpace,
    embedder: Embedder,
    on_event: EventSink,
    cancel: CancelToken,
) -> VectorStore:
    """Fill a fresh collection for the current kind, then make it the active one."""
    target = space.current()
    fresh = space.open(target, True)
    files = {r.doc_id: r.path for r in registry.files() if r.doc_id}
    started, chunks_done = time.monotonic(), 0
    for done, (doc_id, path) in enumerate(files.items()):
        cancel.raise_if_cancelled("Embedding the library again")
        elapsed = time.monotonic() - started
        eta = elapsed / done * (len(files) - done) if done else None
        on_event(Progress("re-embedding", done, len(files), "files", path, eta, chunks=chunks_done))
        chunks = registry.document_chunks(doc_id)
        if chunks:
            fresh.add(chunks, embedder.embed_documents([c.text for c in chunks], cancel))
            chunks_done += len(chunks)
    space.record(target)  # first: a crash after it finds the complete collection in use
    old, space.variant = space.variant, target
    space.drop(old)
    on_event(Progress("done", len(files), len(files), "files", "", 0.0, chunks=chunks_done))
    return fresh
