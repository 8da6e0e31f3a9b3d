"""Search latency at 100,000 chunks, query embedding included.

The library is synthetic but exercised through the real stores: 1,000 documents of
100 chunks, each chunk 60 words drawn from the PubMedQA vocabulary (so BM25 has
realistic postings) with an independent random unit vector. Queries are the 100 PubMedQA questions,
each timed end to end through `search()` (embed, Chroma, FTS5, fusion, fetch).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import time

import numpy as np

from common import bench_home, percentile, record, say
from corpora import PUBMEDQA
from discreet.chunks.chunker import Chunk, chunk_id
from discreet.core import offline
from discreet.documents.model import READER_VERSION, LoadedDocument, Page
from discreet.retrieval.hybrid import search
from discreet.services import Services

DOCS, PER_DOC, WORDS = 1000, 100, 60


def build(library, vocabulary: list[str], dimension: int) -> None:
    rng = random.Random(7)
    gaussian = np.random.default_rng(7)
    for doc in range(DOCS):
        doc_id = hashlib.sha256(str(doc).encode()).hexdigest()
        chunks = [
            Chunk(
                chunk_id(doc_id, i),
                doc_id,
                i,
                1 + i // 5,
                0,
                0,
                " ".join(rng.choices(vocabulary, k=WORDS)),
                WORDS,
            )
            for i in range(PER_DOC)
        ]
        embeddings = gaussian.standard_normal((PER_DOC, dimension)).astype(np.float32)
        embeddings /= np.linalg.norm(embeddings, axis=1, keepdims=True)
        library.vectors.add(chunks, embeddings)
        with library.registry.transaction():
            document = LoadedDocument("txt", f"doc {doc}", [Page(1 + i, "") for i in range(20)])
            library.registry.insert_document(doc_id, document, chunks, READER_VERSION)
            library.registry.set_file(f"/synthetic/{doc}.txt", doc_id, 1, 1, "indexed")


def main() -> None:
    offline.enforce()
    bench_home()
    services = Services()
    data = json.loads(PUBMEDQA.read_text())
    text = " ".join(" ".join(r["CONTEXTS"]) for r in data.values())
    vocabulary = sorted(set(re.findall(r"[a-z]{3,}", text.lower())))
    questions = [r["QUESTION"] for r in data.values()]
    library = services.library("latency", create=True)
    started = time.perf_counter()
    build(library, vocabulary, services.embedder().dimension)
    say(f"built {library.registry.counts()[1]} chunks in {time.perf_counter() - started:.0f}s")
    for question in questions[:5]:  # warm caches, as a running app would have
        search(library, question, services.settings.retrieval)
    times = []
    for question in questions:
        begin = time.perf_counter()
        result = search(library, question, services.settings.retrieval)
        times.append((time.perf_counter() - begin) * 1000)
        assert result.hits
    say(
        f"p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms, "
        f"max {max(times):.1f} ms"
    )
    record(
        {"search.p50_ms_100k": percentile(times, 50), "search.p95_ms_100k": percentile(times, 95)}
    )
    services.close()


if __name__ == "__main__":
    main()
