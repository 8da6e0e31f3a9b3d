"""A library on a Chroma server: the server holds the truth, each laptop a cache.

Besides its vectors, a server library has a `discreet-<id>-docs` collection: one record
per document whose text is the document's registry rows (`index/snapshot.py`: record,
page texts, chunk spans and texts, files), and a `_version` record that every add and
removal changes. The libraries themselves are records of `discreet-libraries`. A
laptop keeps its registry (page texts, chunks, the FTS5 index) as a cache: before a
search it reads the version, and only when that changed compares document ids and
fetches or drops the difference, so a stale cache is noticed, never trusted.

The order of writes makes a client that dies harmless: vectors, then the document's
record (the commit), then the version. Until its record exists a document is
invisible, since searches map hits through the cache's chunks; its vectors are swept
by a later add on any client once older than `SWEEP_AFTER_S`, which leaves another
client's add in progress alone. Two clients adding the same file write the same ids (a
document's id is its content's SHA-256), so nothing is stored twice.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

import chromadb
import httpx
import numpy as np

from discreet.core.errors import LibraryServerUnavailable
from discreet.index.vectors import DiscreetEmbedding

VERSION_ID = "_version"
CATALOG = "discreet-libraries"
SWEEP_AFTER_S = 600.0  # a half-written document's vectors older than this are swept
_PAGE = 500  # records per request
_NO_VECTOR = np.ones((1, 1), dtype=np.float32)  # looked up by id, never by similarity


def _collection(client: chromadb.ClientAPI, name: str) -> chromadb.Collection:
    return client.get_or_create_collection(name, embedding_function=DiscreetEmbedding())


@dataclass(frozen=True)
class ServerLibrary:
    """A library as the server's catalogue lists it."""

    id: str
    name: str
    created: float
    embedder: str


class Catalog:
    """The server's list of libraries, which every client shows."""

    def __init__(self, client: chromadb.ClientAPI) -> None:
        self._records = _collection(client, CATALOG)

    def libraries(self) -> list[ServerLibrary]:
        """Every library on the server."""
        found = self._records.get(include=["documents", "metadatas"])
        metas, names = found["metadatas"] or [], found["documents"] or []
        return [
            ServerLibrary(lib_id, name, float(cast(float, meta["created"])), str(meta["embedder"]))
            for lib_id, name, meta in zip(found["ids"], names, metas, strict=True)
        ]

    def put(self, library: ServerLibrary) -> None:
        """Add or update a library (a new one, a rename, a new kind of vectors)."""
        self._records.upsert(
            ids=[library.id],
            embeddings=_NO_VECTOR,
            documents=[library.name],
            metadatas=[{"created": library.created, "embedder": library.embedder}],
        )

    def remove(self, lib_id: str) -> None:
        """Take a library off the list; its collections are dropped by the store."""
        self._records.delete(ids=[lib_id])


class SharedLibrary:
    """One library's documents on the server, with the version that tells caches apart."""

    def __init__(self, client: chromadb.ClientAPI, lib_id: str, url: str) -> None:
        self._docs = _collection(client, docs_collection(lib_id))
        self.url = url

    def version(self) -> str:
        """What changes with every add and removal; "" for a library never written."""
        found = self._docs.get(ids=[VERSION_ID], include=["metadatas"])
        metas = found["metadatas"] or []
        return str(metas[0]["version"]) if metas else ""

    def document_ids(self) -> set[str]:
        """Every document committed to the library."""
        ids: set[str] = set()
        while True:
            page = self._docs.get(
                where={"kind": "document"}, include=[], limit=_PAGE, offset=len(ids)
            )
            ids.update(page["ids"])
            if len(page["ids"]) < _PAGE:
                return ids

    def rows(self, doc_ids: list[str]) -> dict[str, str]:
        """The registry rows of these documents (those still on the server)."""
        found: dict[str, str] = {}
        for first in range(0, len(doc_ids), _PAGE):
            page = self._docs.get(ids=doc_ids[first : first + _PAGE], include=["documents"])
            found.update(zip(page["ids"], page["documents"] or [], strict=True))
        return found

    def publish(self, doc_id: str, rows: str) -> None:
        """Commit a document whose vectors are stored, then announce the change."""
        self._docs.upsert(
            ids=[doc_id],
            embeddings=_NO_VECTOR,
            documents=[rows],
            metadatas=[{"kind": "document", "written_at": time.time()}],
        )
        self._bump()

    def retract(self, doc_id: str) -> None:
        """Withdraw a document (its vectors are deleted by the caller), then announce it."""
        self._docs.delete(ids=[doc_id])
        self._bump()

    def _bump(self) -> None:
        self._docs.upsert(
            ids=[VERSION_ID],
            embeddings=_NO_VECTOR,
            documents=[""],
            metadatas=[{"kind": "version", "version": uuid.uuid4().hex}],
        )


@contextmanager
def reaching(url: str) -> Iterator[None]:
    """Turn a connection to the library server lost mid-task into a message for the user."""
    try:
        yield
    except httpx.HTTPError as err:
        raise LibraryServerUnavailable(url, str(err) or type(err).__name__) from err


def docs_collection(lib_id: str) -> str:
    """The name of a server library's documents collection."""
    return f"discreet-{lib_id}-docs"
