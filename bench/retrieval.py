"""Retrieval quality on PubMedQA: does each question find its own abstract?

100 questions against the library of their 100 abstracts; for dense only, BM25 only
and hybrid (RRF), recall@1, recall@5 and MRR of the question's own abstract, counted
per document (a document's best-ranked chunk is its rank).
"""

from __future__ import annotations

from common import bench_home, record, say, scratch
from corpora import write_pubmed_abstracts
from discreet.core import offline
from discreet.grounding.vocabulary import query_words
from discreet.retrieval.hybrid import search
from discreet.services import Services


def doc_rank(doc_ids: list[str], target: str) -> int | None:
    seen: list[str] = []
    for doc in doc_ids:
        if doc not in seen:
            seen.append(doc)
        if doc == target:
            return len(seen)
    return None


def metrics(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks)
    return {
        "recall@1": sum(1 for r in ranks if r == 1) / n,
        "recall@5": sum(1 for r in ranks if r is not None and r <= 5) / n,
        "mrr": sum(1 / r for r in ranks if r is not None) / n,
    }


def evaluate(services: Services, library, items) -> dict[str, dict[str, float]]:
    settings = services.settings.retrieval
    doc_of = {r.path: r.doc_id for r in library.documents()}
    chunk_doc = {c.chunk_id: doc for doc in doc_of.values() for c in library.chunks_of(doc)}
    ranks: dict[str, list] = {"dense": [], "bm25": [], "hybrid": []}
    for item in items:
        target = doc_of[str(item.path.resolve())]
        embedding = library.embedder().embed_query(item.question)
        dense = library.nearest(embedding, settings.candidates, None)
        lexical = library.keyword_search(query_words(item.question), settings.candidates, None)
        hybrid = search(library, item.question, settings, k=settings.candidates).hits
        ranks["dense"].append(doc_rank([chunk_doc[c] for c, _ in dense], target))
        ranks["bm25"].append(doc_rank([chunk_doc[c] for c, _ in lexical], target))
        ranks["hybrid"].append(doc_rank([h.doc_id for h in hybrid], target))
    return {name: metrics(values) for name, values in ranks.items()}


def main() -> None:
    offline.enforce()
    bench_home()
    services = Services()
    items = write_pubmed_abstracts(scratch() / "pubmedqa")
    library = services.library("pubmedqa", create=True)
    report = library.add([items[0].path.parent])
    say(f"{report.added} abstracts, {report.chunks} chunks")
    results = evaluate(services, library, items)
    values = {}
    for name, scores in results.items():
        say(f"{name:7s} " + "  ".join(f"{k} {v:.3f}" for k, v in scores.items()))
        values.update({f"retrieval.{name}.{k}": v for k, v in scores.items()})
    better = max(results["dense"]["recall@5"], results["bm25"]["recall@5"])
    say(f"hybrid recall@5 {results['hybrid']['recall@5']:.3f} vs better single {better:.3f}")
    record(values)
    services.close()


if __name__ == "__main__":
    main()
