"""The int8 embedder against fp32: speed on the same chunks, closeness, retrieval.

The chunks are those Discreet makes of the 10 CUAD contracts. Each backend embeds all
of them the way ingest does (`embed_documents`): torch (sentence-transformers, the
fp32 reference the app used before), fp32 ONNX and int8 ONNX, after one warm-up
batch each. `embed.int8_cosine_mean` compares int8 with torch vectors chunk by chunk.

Retrieval is measured twice, once per vector kind, on identical libraries: recall@5
of each PubMedQA question's own abstract (`retrieval.evaluate`, all 100 questions) and
of the lawyers' labelled clause among the top five passages of each CUAD field
question asked of its own contract. Nothing is fitted here.
"""

from __future__ import annotations

import time

import numpy as np

from answers import QUESTIONS, locate
from common import bench_home, record, say, scratch
from corpora import CUAD, cuad_contracts, write_pubmed_abstracts
from discreet.core import offline
from discreet.core.settings import Settings
from discreet.index.records import SearchFilter
from discreet.retrieval.hybrid import search
from discreet.services import Services
from retrieval import evaluate

BACKENDS = ("torch", "fp32", "int8")


def services_for(backend: str) -> Services:
    bench_home()
    settings = Settings()
    settings.embedder.backend = backend
    return Services(settings=settings)


def throughput(services: Services, texts: list[str]) -> tuple[float, np.ndarray]:
    embedder = services.embedder()
    embedder.embed_documents(texts[:32])  # load and warm up
    started = time.perf_counter()
    vectors = embedder.embed_documents(texts)
    return len(texts) / (time.perf_counter() - started), vectors


def cuad_recall(services: Services, library) -> float:
    hits = total = 0
    for contract, record_, pages in cuad_contracts(library):
        for field, question in QUESTIONS.items():
            spans = [s for s in (locate(pages, label) for label in contract[field]) if s]
            if not spans:
                continue
            scope = SearchFilter(doc_ids=(record_.doc_id,))
            found = search(library, question, services.settings.retrieval, k=5, where=scope).hits
            total += 1
            hits += any(
                h.page == p and h.start < e and s < h.end for h in found for p, s, e in spans
            )
    return hits / total


def main() -> None:
    offline.enforce()
    values: dict[str, float] = {}
    speeds, vectors = {}, {}
    texts: list[str] = []
    items = write_pubmed_abstracts(scratch() / "pubmedqa")
    for backend in BACKENDS:
        services = services_for(backend)
        contracts = services.library("cuad", create=True)
        contracts.add([CUAD / "contracts"])
        if not texts:
            texts = [c.text for r in contracts.documents() for c in contracts.chunks_of(r.doc_id)]
        speeds[backend], vectors[backend] = throughput(services, texts)
        say(f"{backend:5s} {speeds[backend]:6.1f} chunks/s over {len(texts)} chunks")
        if backend != "fp32":  # fp32 ONNX and torch are one vector kind: measured once
            pubmed = services.library("pubmedqa", create=True)
            pubmed.add([items[0].path.parent])
            kind = "int8" if backend == "int8" else "fp32"
            scores = evaluate(services, pubmed, items)
            values[f"retrieval.hybrid.recall@5.{kind}"] = scores["hybrid"]["recall@5"]
            values[f"retrieval.dense.recall@5.{kind}"] = scores["dense"]["recall@5"]
            values[f"retrieval.cuad_clause_recall@5.{kind}"] = cuad_recall(services, contracts)
        services.close()
    cosines = np.sum(vectors["torch"] * vectors["int8"], axis=1)
    values |= {
        "embed.torch_chunks_per_s": speeds["torch"],
        "embed.onnx_fp32_chunks_per_s": speeds["fp32"],
        "embed.int8_chunks_per_s": speeds["int8"],
        "ingest.embed_int8_speedup": speeds["int8"] / speeds["torch"],
        "embed.onnx_fp32_speedup": speeds["fp32"] / speeds["torch"],
        "embed.int8_cosine_mean": float(cosines.mean()),
        "embed.int8_cosine_min": float(cosines.min()),
    }
    for name in (
        "retrieval.hybrid.recall@5",
        "retrieval.dense.recall@5",
        "retrieval.cuad_clause_recall@5",
    ):
        values[f"{name}.int8_minus_fp32"] = values[f"{name}.int8"] - values[f"{name}.fp32"]
    say(
        f"int8 / torch fp32 encode: {values['ingest.embed_int8_speedup']:.2f}x; "
        f"cosine mean {cosines.mean():.4f}, min {cosines.min():.4f}"
    )
    record(values)


if __name__ == "__main__":
    main()
