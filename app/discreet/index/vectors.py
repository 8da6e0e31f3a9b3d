"""Dense vectors in Chroma, behind an interface small enough to swap the client.

Embedded (`PersistentClient` in the data folder) by default; an organisation that
outgrows one machine sets `library.chroma_server` and the same code talks to a Chroma
server through `HttpClient`. Embeddings are always computed by Discreet's embedder
and handed to Chroma, and each collection is bound to `DiscreetEmbedding`, so Chroma's
own default (which would download an ONNX model) is never instantiated.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, cast
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.api.types import Embeddable, EmbeddingFunction, Embeddings, Space, Where
from chromadb.config import Settings as ChromaSettings

from discreet.chunks.chunker import Chunk
from discreet.core.secrets import read_secret
from discreet.index.records import ChunkRecord


class VectorStore(Protocol):
    """What ingest, re-embedding and `Library` need of a vector store, so that Chroma stays
    behind `ChromaVectors`."""

    def add(self, chunks: Sequence[Chunk | ChunkRecord], embeddings: np.ndarray) -> None:
        """Store row i of `embeddings` as the vector of `chunks[i]`, overwriting a stored id."""

    def delete_document(self, doc_id: str) -> None:
        """Drop every vector of the document; one with none is no error."""

    def query(self, embedding: np.ndarray, n: int, doc_ids: list[str] | None) -> list[tuple]:
        """(chunk_id, cosine similarity) of up to `n` nearest, best first; `doc_ids` None
        searches everything, an empty list finds nothing."""

    def embeddings(self, ids: list[str]) -> np.ndarray:
        """Stored vectors as float32 rows in the order of `ids`; KeyError for an id not stored."""

    def ids(self) -> set[str]:
        """Every stored chunk id, for comparing with the registry (`Library.check`)."""

    def sweep(self, keep: set[str], before: float) -> None:
        """Drop vectors of documents not in `keep` written before `before`."""


class DiscreetEmbedding(EmbeddingFunction[Embeddable]):
    """What each collection is bound to instead of Chroma's default embedder, which would
    load (or download) a model of its own. Discreet always hands Chroma its vectors, so
    Chroma never calls it; if it ever did, embedding nothing beats embedding wrongly."""

    def __init__(self) -> None:
        """Nothing to set up; Chroma requires the method of every embedding function."""

    def __call__(self, input: Embeddable) -> Embeddings:
        """Refuse: a text reaching here means a caller forgot to pass its vectors."""
        raise RuntimeError("Discreet computes embeddings itself")

    @staticmethod
    def name() -> str:
        """The name Chroma records with each collection to find this function again on open."""
        return "discreet"

    def get_config(self) -> dict:
        """Nothing to configure: a collection records only that Discreet embeds for it."""
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> DiscreetEmbedding:
        """What Chroma builds when it reopens a collection."""
        return DiscreetEmbedding()

    def default_space(self) -> Space:
        """Cosine, as the collections' HNSW space is, so distances turn into similarities."""
        return "cosine"


def chroma_client(
    store: Path, server_url: str = "", token_file: str = "", ca_file: str = ""
) -> chromadb.ClientAPI:
    """The embedded client on `store` (made private to the user), or an HTTP client for
    `server_url` when one is set (port 8000 unless given), sending the token in
    `token_file` and trusting the CA in `ca_file` where set; telemetry is always off."""
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if server_url:
        url = urlparse(server_url)
        if ca_file:
            settings.chroma_server_ssl_verify = ca_file
        token = read_secret(Path(token_file)) if token_file else ""
        return chromadb.HttpClient(
            host=url.hostname or "localhost",
            port=url.port or 8000,
            ssl=url.scheme == "https",
            headers={"Authorization": f"Bearer {token}"} if token else None,
            settings=settings,
        )
    store.mkdir(parents=True, exist_ok=True, mode=0o700)
    return chromadb.PersistentClient(path=str(store), settings=settings)


WRITE_BATCH = 32


class ChromaVectors:
    """`VectorStore` on one Chroma collection (one per library and kind of vectors), with each
    chunk's doc_id, page and ordinal as metadata so a search can be limited to documents."""

    def __init__(self, client: chromadb.ClientAPI, collection: str) -> None:
        self._client = client
        self._collection = client.get_or_create_collection(
            collection,
            embedding_function=DiscreetEmbedding(),
            configuration={"hnsw": {"space": "cosine"}},
        )
        # Chroma's native writer holds the GIL for a whole call: 700 chunks froze the
        # GUI thread for 280 ms; calls of 32 keep each pause near 40 ms at no cost in throughput.
        self._max_batch = min(client.get_max_batch_size(), WRITE_BATCH)

    def add(self, chunks: Sequence[Chunk | ChunkRecord], embeddings: np.ndarray) -> None:
        """Upsert in calls of at most `WRITE_BATCH` chunks. Not atomic: a crash midway leaves some
        stored, which is why ingest journals the document first."""
        now = time.time()
        for first in range(0, len(chunks), self._max_batch):
            part = chunks[first : first + self._max_batch]
            self._collection.upsert(
                ids=[c.chunk_id for c in part],
                embeddings=embeddings[first : first + self._max_batch],
                metadatas=[
                    {"doc_id": c.doc_id, "page": c.page, "ordinal": c.ordinal, "written_at": now}
                    for c in part
                ],
            )

    def sweep(self, keep: set[str], before: float) -> None:
        """Drop vectors of documents not in `keep` written before `before` (epoch seconds):
        what a client killed between its vectors and its document's commit left behind."""
        old = cast(Where, {"written_at": {"$lt": before}})
        if keep:
            old = cast(Where, {"$and": [old, {"doc_id": {"$nin": sorted(keep)}}]})
        self._collection.delete(where=old)

    def delete_document(self, doc_id: str) -> None:
        """Drop every vector of the document, found by its doc_id metadata."""
        self._collection.delete(where={"doc_id": doc_id})

    def query(self, embedding: np.ndarray, n: int, doc_ids: list[str] | None) -> list[tuple]:
        """(chunk_id, cosine similarity) best first."""
        if doc_ids is not None and not doc_ids:
            return []
        where: Where | None = None
        if doc_ids is not None:
            one = len(doc_ids) == 1
            where = cast(Where, {"doc_id": doc_ids[0] if one else {"$in": doc_ids}})
        # No count() first: it costs as much as the query, and Chroma simply returns
        # fewer results when the collection holds fewer than n.
        result = self._collection.query(
            query_embeddings=[embedding], n_results=n, where=where, include=["distances"]
        )
        distances = result["distances"]
        assert distances is not None  # asked for in `include`
        return [(cid, 1.0 - d) for cid, d in zip(result["ids"][0], distances[0], strict=True)]

    def embeddings(self, ids: list[str]) -> np.ndarray:
        """Stored vectors in the order of `ids`, so tasks need not embed chunks again."""
        found = self._collection.get(ids=ids, include=["embeddings"])
        vectors = found["embeddings"]
        assert vectors is not None  # asked for in `include`
        index = {cid: i for i, cid in enumerate(found["ids"])}
        return np.asarray([vectors[index[cid]] for cid in ids], dtype=np.float32)

    def ids(self) -> set[str]:
        """Every chunk id in the collection, fetched 10,000 at a time rather than in one call."""
        found: set[str] = set()
        total = self._collection.count()
        for offset in range(0, total, 10000):
            found.update(self._collection.get(include=[], limit=10000, offset=offset)["ids"])
        return found
