"""Search latency at 100,000 chunks (default) or 1,000,000 (`--million`), query embedding included.

The library is synthetic but exercised through the real stores: documents of 100
chunks, each chunk 60 words drawn from PubMedQA's words at their frequency in those
abstracts (so BM25's posting lists are as long or short as in real text: common words
long, telling ones short), with an independent random unit vector. Queries are the 100 PubMedQA
questions, each timed end to end through `search()` (embed, Chroma, FTS5, fusion,
fetch): over the whole library, then filtered to one document and to ten (the filter
a user sets by picking documents). `search.rss_mb_*` is the process's resident memory
after the queries, the stores open.

Building 1M chunks takes about 28 minutes here; `--home PATH` reuses a home an earlier
run built (its path is printed) and only times the searches.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import sys
import time
from collections import Counter
from itertools import accumulate

import numpy as np
import psutil

from common import bench_home, percentile, record, say
from corpora import PUBMEDQA
from discreet.chunks.chunker import Chunk, chunk_id
from discreet.core import offline
from discreet.documents.model import LoadedDocument, Page
from discreet.index.records import SearchFilter
from discreet.retrieval.hybrid import search
from discreet.services import Services

PER_DOC, WORDS = 100, 60


def build(library, frequency: Counter, dimension: int, docs: int) -> None:
    vocabulary, weights = list(frequency), list(accumulate(frequency.values()))
    rng = random.Random(7)
    gaussian = np.random.default_rng(7)
    for doc in range(docs):
        doc_id = hashlib.sha256(str(doc).encode()).hexdigest()
        chunks = [
            Chunk(
                chunk_id(doc_id, i),
                doc_id,
                i,
                1 + i // 5,
                0,
                0,
                " ".join(rng.choices(vocabulary, cum_weights=weights, k=WORDS)),
                WORDS,
            )
            for i in range(PER_DOC)
        ]
        embeddings = gaussian.standard_normal((PER_DOC, dimension)).astype(np.float32)
        embeddings /= np.linalg.norm(embeddings, axis=1, keepdims=True)
        document = LoadedDocument("txt", f"doc {doc}", [Page(1 + i, "") for i in range(20)])
        library.store(f"/synthetic/{doc}.txt", doc_id, document, chunks, embeddings)


def timed(library, questions: list[str], settings, where=None) -> list[float]:
    times = []
    for question in questions:
        begin = time.perf_counter()
        result = search(library, question, settings, where=where)
        times.append((time.perf_counter() - begin) * 1000)
        assert result.hits
    return times


def main() -> None:
    million = "--million" in sys.argv
    docs, tag = (10_000, "1m") if million else (1_000, "100k")
    offline.enforce()
    reuse = sys.argv[sys.argv.index("--home") + 1] if "--home" in sys.argv else ""
    if reuse:
        os.environ["DISCREET_HOME"] = reuse
    else:
        say(f"building in {bench_home()}")
    services = Services()
    data = json.loads(PUBMEDQA.read_text())
    text = " ".join(" ".join(r["CONTEXTS"]) for r in data.values())
    frequency = Counter(re.findall(r"[a-z]{3,}", text.lower()))
    questions = [r["QUESTION"] for r in data.values()]
    library = services.library("latency", create=not reuse)
    if not reuse:
        started = time.perf_counter()
        build(library, frequency, services.embedder().dimension, docs)
        say(f"built {library.counts()[1]} chunks in {time.perf_counter() - started:.0f}s")
    assert library.counts()[1] == docs * PER_DOC, "the home holds another size"
    settings = services.settings.retrieval
    for question in questions[:5]:  # warm caches, as a running app would have
        search(library, question, settings)
    values = {}
    doc_ids = [r.doc_id for r in library.documents() if r.doc_id]
    picked = random.Random(3).sample(doc_ids, 10)
    for name, where in (
        ("", None),
        ("filtered_", SearchFilter(doc_ids=(picked[0],))),
        ("filtered10_", SearchFilter(doc_ids=tuple(picked))),
    ):
        times = timed(library, questions, settings, where)
        say(
            f"{name or 'whole library '}p50 {percentile(times, 50):.1f} ms, "
            f"p95 {percentile(times, 95):.1f} ms, max {max(times):.1f} ms"
        )
        values[f"search.{name}p50_ms_{tag}"] = percentile(times, 50)
        values[f"search.{name}p95_ms_{tag}"] = percentile(times, 95)
    values[f"search.rss_mb_{tag}"] = psutil.Process().memory_info().rss / 2**20
    record(values)
    services.close()


if __name__ == "__main__":
    main()
