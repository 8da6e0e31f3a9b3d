"""One library: a named set of documents with its registry and its vectors.

Opening a library first finishes whatever a crash interrupted (see the journal in
`registry`), so every library that opens is consistent.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from discreet.core.errors import LibraryError, LibraryNeedsReembedding
from discreet.core.progress import CancelToken, EventSink, ignore_event
from discreet.core.settings import LibrarySettings
from discreet.index.events import IngestReport
from discreet.index.files import walk
from discreet.index.ingest import Ingestor, disk_full
from discreet.index.records import ChunkRecord, FileRecord, SearchFilter
from discreet.index.reembed import VectorSpace, reembed
from discreet.index.registry import DocumentRegistry
from discreet.index.shared import SWEEP_AFTER_S, SharedLibrary, reaching
from discreet.index.vectors import VectorStore
from discreet.models.embedder import Embedder

if TYPE_CHECKING:
    import numpy as np

    from discreet.documents.model import TextLine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Consistency:
    """What `Library.check` found comparing the registry's chunks with the stored vectors."""

    registry_chunks: int
    vector_chunks: int
    missing_vectors: int
    stray_vectors: int
    pending: int

    @property
    def ok(self) -> bool:
        """Whether every chunk has its vector, no vector is left over and no crash awaits
        recovery."""
        return not (self.missing_vectors or self.stray_vectors or self.pending)


P = ParamSpec("P")
R = TypeVar("R")


def _on_server(
    method: Callable[Concatenate[Library, P], R],
) -> Callable[Concatenate[Library, P], R]:
    """A lost connection to a server library's Chroma becomes `LibraryServerUnavailable`."""

    @functools.wraps(method)
    def call(library: Library, *args: P.args, **kwargs: P.kwargs) -> R:
        if library.shared is None:
            return method(library, *args, **kwargs)
        with reaching(library.shared.url):
            return method(library, *args, **kwargs)

    return call


class Library:
    """One library as the layers above see it: indexing through `add`, `sync` and `remove`,
    reading through plain records. `LibraryStore.open` makes it; constructing it recovers
    from any crash first."""

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
        self.registry = registry
        self.vectors = vectors
        self.embedder = embedder
        self.space = space  # None: one kind of vectors only (a store without variants)
        self._ingestor = Ingestor(registry, vectors, embedder, settings, ocr_data)
        self.shared = shared  # on a Chroma server: the truth this registry caches
        self.sweep_after_s = SWEEP_AFTER_S
        self._seen = ""  # the server's version this cache was last brought up to
        if shared is not None:
            self._ingestor.stored = self._publish
            self._ingestor.forgotten = shared.retract
        self.recover()
        self.refresh()

    @_on_server
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
        here = set(self.registry.doc_ids_matching(SearchFilter()))
        known = self.registry.shared()
        for rows in self.shared.rows(sorted(on_server - here)).values():
            self.registry.restore(rows)
        for doc_id in (here & known) - on_server:
            self.registry.drop_copy(doc_id)
        for doc_id in here - known - on_server:
            self._publish(doc_id)
        self._seen = version

    def _sweep(self) -> None:
        """On a server library, drop what clients killed mid-add left (see index/shared.py)."""
        if self.shared is not None:
            self.vectors.sweep(self.shared.document_ids(), time.time() - self.sweep_after_s)

    def _publish(self, doc_id: str) -> None:
        rows = self.registry.snapshot(doc_id)
        if rows is not None and self.shared is not None:
            self.shared.publish(doc_id, rows)
            self.registry.mark_shared(doc_id)

    @property
    def stale(self) -> bool:
        """Its vectors come from another embedder than the one in use: embed it again."""
        return self.space is not None and self.space.stale

    def require_current(self) -> None:
        """Raise `LibraryNeedsReembedding` if the vectors are of another kind than the embedder in
        use makes, rather than let a search rank wrong with nothing to show it."""
        if self.space is not None and self.space.stale:
            raise LibraryNeedsReembedding(self.name, self.space.variant, self.space.current())

    @_on_server
    def reembed(
        self, on_event: EventSink = ignore_event, cancel: CancelToken | None = None
    ) -> None:
        """Embed every chunk with the embedder in use, into a collection of its own; a library
        whose vectors are already of the kind in use is left as it is."""
        if self.space is None or not self.space.stale:
            return
        cancel = cancel or CancelToken()
        self.refresh()  # every document, other computers' too, is embedded again
        fresh = reembed(self.registry, self.space, self.embedder(), on_event, cancel)
        self.vectors = self._ingestor.vectors = fresh

    def recover(self) -> None:
        """Undo documents a killed process left half-written.

        On a full disk even undoing can't write; the library then opens as it is (the
        half-written document is invisible to search) and the next open finishes it.
        """
        try:
            for doc_id in self.registry.journalled():
                self._ingestor.forget(doc_id)
                with self.registry.transaction():
                    self.registry.remove_files_of(doc_id)
            self.registry.purge()
        except Exception as err:
            if not disk_full(err):
                raise
            log.warning("library %s: recovery waits for free disk space: %s", self.name, err)

    @_on_server
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
            self.registry.add_roots(
                str(p.expanduser().resolve()) for p in paths if p.expanduser().exists()
            )
        return report

    @_on_server
    def sync(
        self, on_event: EventSink = ignore_event, cancel: CancelToken | None = None
    ) -> IngestReport:
        """Re-check every root: new and changed files are indexed, deleted ones pruned."""
        if self.stale:
            self.reembed(on_event, cancel)
        report = IngestReport()
        roots = self.registry.roots()
        for record in self.registry.files():
            # on a server library, files another computer added are not this one's to prune
            mine = self.shared is None or any(_inside(record.path, r) for r in roots)
            if mine and _gone(record.path):
                with self.registry.transaction():
                    self.registry.remove_file(record.path)
                report.removed += 1
        self._ingestor.collect_garbage()
        if report.removed:
            self.registry.purge()  # a deleted file's text goes from the index's disk too
        folders = [Path(r) for r in roots if Path(r).exists()]
        excluded = self.registry.excluded()
        files = [f for f in walk(folders, report) if not any(_inside(str(f), x) for x in excluded)]
        return self._ingestor.run(files, report, on_event, cancel or CancelToken())

    @_on_server
    def remove(self, paths: Iterable[Path]) -> int:
        """Forget files and folders and erase their text from the disk; returns files removed.

        A path inside a followed folder is also excluded, or the next sync would bring it back.
        """
        removed = 0
        roots = self.registry.roots()
        for path in paths:
            key = str(path.expanduser().resolve())
            with self.registry.transaction():
                removed += self.registry.remove_tree(key)
                if any(_inside(key, root) for root in roots if root != key):
                    self.registry.exclude(key)  # or following its folder would bring it back
        self._ingestor.collect_garbage()
        self.registry.purge()  # once for the batch: erase the removed text from the disk
        return removed

    def documents(self) -> list[FileRecord]:
        """Every file, with where each document's text came from (text layer or OCR)."""
        self.refresh()
        return [
            replace(r, sources=self.registry.text_sources(r.doc_id)) if r.doc_id else r
            for r in self.registry.files()
        ]

    def find(self, names: Iterable[str]) -> list[FileRecord]:
        """Documents by path, file name or title, as a user would type them."""
        records = [r for r in self.registry.files() if r.doc_id]
        found = []
        for name in names:
            full = str(Path(name).expanduser().resolve())
            matches = [
                r for r in records if name in (r.path, Path(r.path).name, r.title) or r.path == full
            ]
            if not matches:
                raise LibraryError(f"No document matching {name!r} in library {self.name!r}.")
            found.extend(matches[:1])
        return found

    def check(self) -> Consistency:
        """Compare the registry's chunks with the stored vectors; it reads every id, so it is
        slow on a large library."""
        expected = set(self.registry.chunk_ids())
        actual = self.vectors.ids()
        return Consistency(
            registry_chunks=len(expected),
            vector_chunks=len(actual),
            missing_vectors=len(expected - actual),
            stray_vectors=len(actual - expected),
            pending=len(self.registry.journalled()),
        )

    def export(self, doc_id: str) -> tuple[str, list[ChunkRecord], np.ndarray]:
        """A document as another library adopts it: its registry rows, chunks and vectors."""
        rows = self.registry.snapshot(doc_id)
        if rows is None:
            raise LibraryError(f"No document {doc_id[:12]} in library {self.name!r}.")
        chunks = self.registry.document_chunks(doc_id)
        return rows, chunks, self.vectors.embeddings([c.chunk_id for c in chunks])

    @_on_server
    def adopt(self, doc_id: str, rows: str, chunks: list[ChunkRecord], vectors: np.ndarray) -> None:
        """Store a document another library read and embedded (a move), as ingest would
        store it: journalled, vectors first, on a server committed there before here."""
        self.registry.journal(doc_id)
        if chunks:
            self.vectors.add(chunks, vectors)
        if self.shared is not None:
            self.shared.publish(doc_id, rows)
        self.registry.restore(rows)
        self.registry.unjournal(doc_id)

    def follow(self, roots: list[str]) -> None:
        """Follow these folders and files too (a moved library keeps its folders)."""
        self.registry.add_roots(roots)

    def close(self) -> None:
        """Release the registry's file; the library object is unusable afterwards."""
        self.registry.close()

    # --- reading, for retrieval, tasks and the front ends -------------------------
    # What the layers above need, in records: they never reach the stores themselves,
    # so that a library kept on a server can answer the same calls.

    def counts(self) -> tuple[int, int]:
        """(documents, chunks) stored."""
        return self.registry.counts()

    def roots(self) -> list[str]:
        """The folders and files the library follows."""
        return self.registry.roots()

    def path_of(self, doc_id: str) -> str:
        """One path holding this content ("" if none does any more)."""
        return self.registry.path_of(doc_id)

    def files_of(self, doc_ids: list[str]) -> list[FileRecord]:
        """The files holding these documents, by path (a duplicate file is one more)."""
        return self.registry.files(doc_ids)

    def page_text(self, doc_id: str, page: int) -> str | None:
        """A page's stored text, which citations quote and the viewer shows."""
        return self.registry.page_text(doc_id, page)

    def page_lines(self, doc_id: str, page: int) -> tuple[TextLine, ...]:
        """An OCR'd page's recognised lines with their boxes; () for a text layer."""
        return self.registry.page_lines(doc_id, page)

    def chunks_of(self, doc_id: str) -> list[ChunkRecord]:
        """A document's chunks in reading order."""
        return self.registry.document_chunks(doc_id)

    def chunks_by_id(self, chunk_ids: list[str]) -> dict[str, ChunkRecord]:
        """The chunks with these ids that are still stored."""
        return self.registry.chunks_by_id(chunk_ids)

    @_on_server
    def embeddings(self, chunk_ids: list[str]) -> np.ndarray:
        """The stored vectors of these chunks, in order; KeyError for one not stored."""
        return self.vectors.embeddings(chunk_ids)

    def doc_ids_matching(self, where: SearchFilter) -> list[str] | None:
        """The documents a filter keeps; None for no filter (every document)."""
        return self.registry.doc_ids_matching(where) if where.active else None

    def chunk_ids_of(self, doc_ids: list[str], limit: int) -> list[str]:
        """These documents' chunks, up to `limit` (a caller's cue to stop counting)."""
        return self.registry.chunk_ids_of(doc_ids, limit)

    @_on_server
    def nearest(
        self, embedding: np.ndarray, n: int, doc_ids: list[str] | None
    ) -> list[tuple[str, float]]:
        """(chunk_id, cosine) of the `n` chunks nearest a query vector, best first."""
        return self.vectors.query(embedding, n, doc_ids)

    def keyword_search(
        self, words: list[str], n: int, doc_ids: list[str] | None
    ) -> list[tuple[str, float]]:
        """(chunk_id, BM25) of the `n` chunks that best match any of `words`."""
        return self.registry.lexical.search(words, n, doc_ids)

    def selective_words(
        self, words: list[str], keep: int, common: float, postings: int = 0
    ) -> list[str]:
        """The rarest of `words` in this library (see `LexicalIndex.selective_terms`)."""
        return self.registry.lexical.selective_terms(words, keep, common, postings)


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
