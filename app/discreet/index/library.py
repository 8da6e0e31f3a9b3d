"""One library: a named set of documents with its registry and its vectors.

Opening a library first finishes whatever a crash interrupted (see the journal in
`registry`), so every library that opens is consistent.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from discreet.core.errors import LibraryNeedsReembedding
from discreet.core.progress import CancelToken, EventSink, ignore_event
from discreet.core.settings import LibrarySettings
from discreet.index.disk import disk_full
from discreet.index.events import IngestReport
from discreet.index.files import walk
from discreet.index.ingest import Ingestor
from discreet.index.reading import LibraryReader, on_server
from discreet.index.records import ChunkRecord, FileRecord, SearchFilter
from discreet.index.reembed import VectorSpace, reembed
from discreet.index.registry import DocumentRegistry
from discreet.index.shared import SWEEP_AFTER_S, SharedLibrary
from discreet.index.vectors import VectorStore
from discreet.models.embedder import Embedder

if TYPE_CHECKING:
    import numpy as np

    from discreet.chunks.chunker import Chunk
    from discreet.documents.model import LoadedDocument

log = logging.getLogger(__name__)


class Library(LibraryReader):
    """One library as the layers above see it: indexing through `add`, `sync` and `remove`,
    reading through plain records (`LibraryReader`); its registry and vectors stay private.
    `LibraryStore.open` makes it; constructing it recovers from any crash first."""

    def __init__(
        self,
        name: str,
        lib_id: str,
        registry: DocumentRegistry,
        vectors: VectorStore,
        embedder: Callable[[], Embedder],
        settings: LibrarySettings,
        ocr_data: Callable[[], Path | None] = lambda: None,
        folder: Path | None = None,
        space: VectorSpace | None = None,
        shared: SharedLibrary | None = None,
    ) -> None:
        self.name = name
        self.id = lib_id
        self.folder = folder  # where per-library state (chat, labels) is kept
        self._registry = registry
        self._vectors = vectors
        self.embedder = embedder
        self.space = space  # None: one kind of vectors only (a store without variants)
        self._ingestor = Ingestor(registry, vectors, embedder, settings, ocr_data=ocr_data)
        self.shared = shared  # on a Chroma server: the truth this registry caches
        self.sweep_after_s = SWEEP_AFTER_S
        self._seen = ""  # the server's version this cache was last brought up to
        if shared is not None:
            self._ingestor.stored = self._publish
            self._ingestor.forgotten = shared.retract
        self.recover()
        self.refresh()

    @on_server
    def refresh(self) -> None:
        """Bring this computer's cache up to the server library, if its version moved.

        Documents new on the server are fetched, ones removed there dropped, and ones
        this computer stored but never committed there (it was killed in between)
        committed now. A local library has nothing to refresh.
        """
        if self.shared is None:
            return
        version = self.shared.version()  # read first: a change during this shows next time
        if version == self._seen:
            return
        on_server = self.shared.document_ids()
        here = set(self._registry.doc_ids_matching(SearchFilter()))
        known = self._registry.shared()
        for rows in self.shared.rows(sorted(on_server - here)).values():
            self._registry.restore(rows)
        for doc_id in (here & known) - on_server:
            self._registry.drop_copy(doc_id)
        for doc_id in here - known - on_server:
            self._publish(doc_id)
        self._seen = version

    def _sweep(self) -> None:
        """On a server library, drop what clients killed mid-add left (see index/shared.py)."""
        if self.shared is not None:
            self._vectors.sweep(self.shared.document_ids(), time.time() - self.sweep_after_s)

    def _publish(self, doc_id: str) -> None:
        rows = self._registry.snapshot(doc_id)
        if rows is not None and self.shared is not None:
            self.shared.publish(doc_id, rows)
            self._registry.mark_shared(doc_id)

    @property
    def stale(self) -> bool:
        """Its vectors come from another embedder than the one in use: embed it again."""
        return self.space is not None and self.space.stale

    def require_current(self) -> None:
        """Raise `LibraryNeedsReembedding` if the vectors are of another kind than the embedder in
        use makes, rather than let a search rank wrong with nothing to show it."""
        if self.space is not None and self.space.stale:
            raise LibraryNeedsReembedding(self.name, self.space.variant, self.space.current())

    @on_server
    def reembed(
        self, on_event: EventSink = ignore_event, cancel: CancelToken | None = None
    ) -> None:
        """Embed every chunk with the embedder in use, into a collection of its own; a library
        whose vectors are already of the kind in use is left as it is."""
        if self.space is None or not self.space.stale:
            return
        cancel = cancel or CancelToken()
        self.refresh()  # every document, other computers' too, is embedded again
        fresh = reembed(self._registry, self.space, self.embedder(), on_event, cancel)
        self._vectors = self._ingestor.vectors = fresh

    def recover(self) -> None:
        """Undo documents a killed process left half-written.

        On a full disk even undoing can't write; the library then opens as it is (the
        half-written document is invisible to search) and the next open finishes it.
        """
        try:
            for doc_id in self._registry.journalled():
                self._ingestor.forget(doc_id)
                with self._registry.transaction():
                    self._registry.remove_files_of(doc_id)
            self._registry.purge()
        except Exception as err:
            if not disk_full(err):
                raise
            log.warning("library %s: recovery waits for free disk space: %s", self.name, err)

    @on_server
    def add(
        self,
        paths: Iterable[Path],
        on_event: EventSink = ignore_event,
        cancel: CancelToken | None = None,
    ) -> IngestReport:
        """Index files and folders and, unless cancelled, follow them from now on.

        A stale library is embedded again first, so kinds of vectors never mix. A file that
        fails is recorded in the report and the batch goes on; a full disk raises `DiskFull`.
        """
        if self.stale:  # new vectors must not join vectors of another kind
            self.reembed(on_event, cancel)
        report = IngestReport()
        paths = list(paths)
        files = walk(paths, report)
        self.refresh()
        report = self._ingestor.run(files, report, on_event, cancel or CancelToken())
        self._sweep()
        if not report.cancelled:  # a stopped folder keeps what was read, but is not followed
            self._registry.add_roots(
                str(p.expanduser().resolve()) for p in paths if p.expanduser().exists()
            )
        return report

    @on_server
    def sync(
        self, on_event: EventSink = ignore_event, cancel: CancelToken | None = None
    ) -> IngestReport:
        """Re-check every root: new and changed files are indexed, deleted ones pruned."""
        if self.stale:
            self.reembed(on_event, cancel)
        report = IngestReport()
        roots = self._registry.roots()
        for record in self._registry.files():
            # on a server library, files another computer added are not this one's to prune
            mine = self.shared is None or any(_inside(record.path, r) for r in roots)
            if mine and _gone(record.path):
                with self._registry.transaction():
                    self._registry.remove_file(record.path)
                report.removed += 1
        self._ingestor.collect_garbage()
        if report.removed:
            self._registry.purge()  # a deleted file's text goes from the index's disk too
        folders = [Path(r) for r in roots if Path(r).exists()]
        excluded = self._registry.excluded()
        files = [f for f in walk(folders, report) if not any(_inside(str(f), x) for x in excluded)]
        return self._ingestor.run(files, report, on_event, cancel or CancelToken())

    @on_server
    def remove(self, paths: Iterable[Path]) -> int:
        """Forget files and folders and erase their text from the disk; returns files removed.

        A path inside a followed folder is also excluded, or the next sync would bring it back.
        """
        removed = 0
        roots = self._registry.roots()
        for path in paths:
            key = str(path.expanduser().resolve())
            with self._registry.transaction():
                removed += self._registry.remove_tree(key)
                if any(_inside(key, root) for root in roots if root != key):
                    self._registry.exclude(key)  # or following its folder would bring it back
        self._ingestor.collect_garbage()
        self._registry.purge()  # once for the batch: erase the removed text from the disk
        return removed

    def documents(self) -> list[FileRecord]:
        """Every file, with where each document's text came from (text layer or OCR)."""
        self.refresh()
        return [
            replace(r, sources=self._registry.text_sources(r.doc_id)) if r.doc_id else r
            for r in self._registry.files()
        ]

    @on_server
    def adopt(self, doc_id: str, rows: str, chunks: list[ChunkRecord], vectors: np.ndarray) -> None:
        """Store a document another library read and embedded (a move), as ingest would
        store it: journalled, vectors first, on a server committed there before here."""
        self._registry.journal(doc_id)
        if chunks:
            self._vectors.add(chunks, vectors)
        if self.shared is not None:
            self.shared.publish(doc_id, rows)
        self._registry.restore(rows)
        self._registry.unjournal(doc_id)

    @on_server
    def store(
        self,
        path: str,
        doc_id: str,
        document: LoadedDocument,
        chunks: list[Chunk],
        vectors: np.ndarray,
    ) -> None:
        """Store a document read, chunked and embedded elsewhere, as `add` stores one, under
        a path that need not exist (a `sync` prunes it then): bench/search_latency.py builds a
        million chunks this way without reading or embedding a page."""
        self.require_current()  # the vectors are the embedder in use's: they must not mix
        self._ingestor.write(path, doc_id, document, chunks, vectors, 0, 0, "indexed")

    def follow(self, roots: list[str]) -> None:
        """Follow these folders and files too (a moved library keeps its folders)."""
        self._registry.add_roots(roots)

    def close(self) -> None:
        """Release the registry's file; the library object is unusable afterwards."""
        self._registry.close()


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/\\") + os.sep)


def _gone(path: str) -> bool:
    """Whether a file left the disk. An attachment (`mail.eml/report.pdf`) has no file
    of its own: it stays while the file above it, its e-mail, is there."""
    candidate = Path(path)
    while not candidate.exists():
        if candidate.parent == candidate:
            return True
        candidate = candidate.parent
    return candidate != Path(path) and candidate.is_dir()
