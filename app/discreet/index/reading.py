"""What a library answers without changing: the reading half of `Library`.

Retrieval, the tasks, the front ends, bench/ and tests/ read a library through these
methods, in records, and never reach its registry or vector store themselves, so a
library kept on a server answers the same calls. `Library` adds the writing half.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from discreet.core.errors import LibraryError
from discreet.index.records import ChunkRecord, FileRecord, SearchFilter
from discreet.index.shared import SharedLibrary, reaching

if TYPE_CHECKING:
    import numpy as np

    from discreet.documents.model import TextLine
    from discreet.index.registry import DocumentRegistry
    from discreet.index.vectors import VectorStore


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


L = TypeVar("L", bound="LibraryReader")
P = ParamSpec("P")
R = TypeVar("R")


def on_server(method: Callable[Concatenate[L, P], R]) -> Callable[Concatenate[L, P], R]:
    """A lost connection to a server library's Chroma becomes `LibraryServerUnavailable`."""

    @functools.wraps(method)
    def call(library: L, *args: P.args, **kwargs: P.kwargs) -> R:
        if library.shared is None:
            return method(library, *args, **kwargs)
        with reaching(library.shared.url):
            return method(library, *args, **kwargs)

    return call


class LibraryReader:
    """Reads a library's registry and vectors; `Library` sets the attributes below."""

    name: str
    shared: SharedLibrary | None  # on a Chroma server: the truth the registry caches
    _registry: DocumentRegistry
    _vectors: VectorStore

    def counts(self) -> tuple[int, int]:
        """(documents, chunks) stored."""
        return self._registry.counts()

    def roots(self) -> list[str]:
        """The folders and files the library follows."""
        return self._registry.roots()

    def find(self, names: Iterable[str]) -> list[FileRecord]:
        """Documents by path, file name or title, as a user would type them."""
        records = [r for r in self._registry.files() if r.doc_id]
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

    def path_of(self, doc_id: str) -> str:
        """One path holding this content ("" if none does any more)."""
        return self._registry.path_of(doc_id)

    def files_of(self, doc_ids: list[str]) -> list[FileRecord]:
        """The files holding these documents, by path (a duplicate file is one more)."""
        return self._registry.files(doc_ids)

    def page_text(self, doc_id: str, page: int) -> str | None:
        """A page's stored text, which citations quote and the viewer shows."""
        return self._registry.page_text(doc_id, page)

    def page_lines(self, doc_id: str, page: int) -> tuple[TextLine, ...]:
        """An OCR'd page's recognised lines with their boxes; () for a text layer."""
        return self._registry.page_lines(doc_id, page)

    def chunks_of(self, doc_id: str) -> list[ChunkRecord]:
        """A document's chunks in reading order."""
        return self._registry.document_chunks(doc_id)

    def chunks_by_id(self, chunk_ids: list[str]) -> dict[str, ChunkRecord]:
        """The chunks with these ids that are still stored."""
        return self._registry.chunks_by_id(chunk_ids)

    @on_server
    def embeddings(self, chunk_ids: list[str]) -> np.ndarray:
        """The stored vectors of these chunks, in order; KeyError for one not stored."""
        return self._vectors.embeddings(chunk_ids)

    def doc_ids_matching(self, where: SearchFilter) -> list[str] | None:
        """The documents a filter keeps; None for no filter (every document)."""
        return self._registry.doc_ids_matching(where) if where.active else None

    def chunk_ids_of(self, doc_ids: list[str], limit: int) -> list[str]:
        """These documents' chunks, up to `limit` (a caller's cue to stop counting)."""
        return self._registry.chunk_ids_of(doc_ids, limit)

    @on_server
    def nearest(
        self, embedding: np.ndarray, n: int, doc_ids: list[str] | None
    ) -> list[tuple[str, float]]:
        """(chunk_id, cosine) of the `n` chunks nearest a query vector, best first."""
        return self._vectors.query(embedding, n, doc_ids)

    def keyword_search(
        self, words: list[str], n: int, doc_ids: list[str] | None
    ) -> list[tuple[str, float]]:
        """(chunk_id, BM25) of the `n` chunks that best match any of `words`."""
        return self._registry.lexical.search(words, n, doc_ids)

    def selective_words(
        self, words: list[str], keep: int, common: float, postings: int = 0
    ) -> list[str]:
        """The rarest of `words` in this library (see `LexicalIndex.selective_terms`)."""
        return self._registry.lexical.selective_terms(words, keep, common, postings)

    def check(self) -> Consistency:
        """Compare the registry's chunks with the stored vectors; it reads every id, so it is
        slow on a large library."""
        expected = set(self._registry.chunk_ids())
        actual = self._vectors.ids()
        return Consistency(
            registry_chunks=len(expected),
            vector_chunks=len(actual),
            missing_vectors=len(expected - actual),
            stray_vectors=len(actual - expected),
            pending=len(self._registry.journalled()),
        )

    def export(self, doc_id: str) -> tuple[str, list[ChunkRecord], np.ndarray]:
        """A document as another library adopts it: its registry rows, chunks and vectors."""
        rows = self._registry.snapshot(doc_id)
        if rows is None:
            raise LibraryError(f"No document {doc_id[:12]} in library {self.name!r}.")
        chunks = self._registry.document_chunks(doc_id)
        return rows, chunks, self._vectors.embeddings([c.chunk_id for c in chunks])
