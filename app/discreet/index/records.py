"""What a library hands to the layers above it: plain records, no storage handles.

Retrieval, tasks and the front ends see documents, chunks and filters only through
these types and `Library`'s methods, never SQL or Chroma, so a library kept elsewhere
(a team's server) can stand behind the same calls.
"""

from __future__ import annotations

from dataclasses import dataclass

from discreet.index.sources import TextSources


@dataclass(frozen=True)
class FileRecord:
    """One file the library follows, and the document its content was read into (None
    while it failed or awaits OCR)."""

    path: str
    doc_id: str | None
    size: int
    mtime_ns: int
    status: str  # indexed, needs_ocr, failed
    error: str | None
    kind: str | None = None
    title: str | None = None
    pages: int = 0
    chunks: int = 0
    ocr_pages: int = 0
    updated_at: float = 0.0
    sources: TextSources | None = None  # where its text came from (Library.documents)


@dataclass(frozen=True)
class ChunkRecord:
    """A chunk as stored: the chunker's `Chunk` less its token count, which only the
    chunker and the embedder need; citations and merging need its place in the page."""

    chunk_id: str
    doc_id: str
    ordinal: int
    page: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class SearchFilter:
    """Limits a search to some documents; empty fields mean no limit."""

    doc_ids: tuple[str, ...] = ()
    folder: str = ""
    kinds: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        """Whether it limits anything (an inactive filter is no filter at all)."""
        return bool(self.doc_ids or self.folder or self.kinds)
