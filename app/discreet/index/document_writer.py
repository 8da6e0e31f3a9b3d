"""Storing a document once it is read, and forgetting one.

A document is chunked, embedded and written journalled, vectors first, so that a kill
midway is undone by `Library.recover`; forgetting one is journalled the same way. The
`Ingestor` stores each file it reads through these, and `Library` stores a document
read elsewhere (a server library's copy) with `write`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from discreet.chunks.chunker import Chunk, chunk_pages
from discreet.core.progress import CancelToken
from discreet.core.settings import LibrarySettings
from discreet.documents.model import READER_VERSION, LoadedDocument
from discreet.index.disk import check_space
from discreet.index.events import IngestReport
from discreet.index.registry import DocumentRegistry
from discreet.index.vectors import VectorStore
from discreet.models.embedder import Embedder

if TYPE_CHECKING:
    import os

    import numpy as np


@dataclass
class DocumentWriter:
    """Writes documents into one library's registry and vectors, and forgets them, each
    journalled; `stored` and `forgotten` are told after each commit (a server library)."""

    registry: DocumentRegistry
    vectors: VectorStore
    embedder: Callable[[], Embedder]  # loaded only if something needs embedding
    settings: LibrarySettings
    # told of each document stored and forgotten, after its commit (a server library)
    stored: Callable[[str], None] = lambda doc_id: None
    forgotten: Callable[[str], None] = lambda doc_id: None

    def store(
        self,
        key: str,
        digest: str,
        document: LoadedDocument,
        stat: os.stat_result,
        report: IngestReport,
        cancel: CancelToken,
        stage: Callable[[str], None],
    ) -> None:
        """Chunk, embed and write a document read from `key`, counting it in `report`;
        `stage` is told when embedding and storing start."""
        embedder = self.embedder()
        chunks = chunk_pages(
            digest,
            document.pages,
            embedder,
            self.settings.chunk_tokens,
            self.settings.chunk_overlap_tokens,
        )
        stage("embedding")
        vectors = embedder.embed_documents([c.text for c in chunks], cancel)
        cancel.raise_if_cancelled("Indexing")
        stage("storing")
        check_space(self.registry.path.parent, document, vectors.nbytes if chunks else 0)
        status = "indexed" if chunks or not document.needs_ocr_pages else "needs_ocr"
        self.write(key, digest, document, chunks, vectors, stat.st_size, stat.st_mtime_ns, status)
        report.pages += len(document.pages)
        report.chunks += len(chunks)
        report.needs_ocr += 1 if document.needs_ocr_pages else 0

    def write(
        self,
        key: str,
        digest: str,
        document: LoadedDocument,
        chunks: list[Chunk],
        vectors: np.ndarray,
        size: int,
        mtime_ns: int,
        status: str,
    ) -> None:
        """Store a document already read, chunked and embedded, and the file `key` holding it.

        Journalled, vectors first, so `Library.recover` undoes a kill midway.
        """
        self.registry.journal(digest)
        if chunks:
            self.vectors.add(chunks, vectors)
        with self.registry.transaction():
            self.registry.insert_document(digest, document, chunks, READER_VERSION)
            self.registry.set_file(key, digest, size, mtime_ns, status)
            self.registry.unjournal(digest)
        self.stored(digest)

    def collect_garbage(self) -> None:
        """Drop documents no file points at any more (journalled, so a kill is safe)."""
        for doc_id in self.registry.orphan_documents():
            self.forget(doc_id)

    def forget(self, doc_id: str) -> None:
        """Delete a document's vectors and records, journalled first so that `Library.recover`
        finishes a crash midway; the files pointing at it are kept."""
        self.registry.journal(doc_id)
        self.vectors.delete_document(doc_id)
        with self.registry.transaction():
            self.registry.delete_document(doc_id)
            self.registry.unjournal(doc_id)
        self.forgotten(doc_id)
