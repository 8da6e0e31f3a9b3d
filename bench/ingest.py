"""Ingest throughput on the 10 CUAD contracts, against the raw floor in the same run.

The floor is what no implementation can avoid: pypdf text extraction of every page
plus `SentenceTransformer.encode` of exactly the chunk texts Discreet produced, with
nothing chunked, stored or indexed. The ratio shows what chunking, Chroma, SQLite
and FTS5 cost on top. A second `add` of the unchanged folder measures re-sync time.
"""

from __future__ import annotations

import time

from pypdf import PdfReader

from common import SHARED_DATA, bench_home, record, say
from discreet.core import offline
from discreet.services import Services

CONTRACTS = SHARED_DATA / "cuad" / "contracts"


def raw_floor(services: Services, texts: list[str]) -> float:
    model = services.embedder()._model  # the very SentenceTransformer the app uses
    started = time.perf_counter()
    pages = 0
    for pdf in sorted(CONTRACTS.glob("*.pdf")):
        for page in PdfReader(pdf).pages:
            page.extract_text()
            pages += 1
    model.encode(
        texts,
        batch_size=32,  # sentence-transformers default
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return time.perf_counter() - started


def main() -> None:
    offline.enforce()
    bench_home()
    services = Services()
    services.embedder().embed_query("warm up")  # model load is not ingest time
    library = services.library("bench", create=True)
    started = time.perf_counter()
    report = library.add([CONTRACTS])
    app_s = time.perf_counter() - started
    assert not report.failed, report.failed
    texts = [
        c.text for r in library.documents() for c in library.registry.document_chunks(r.doc_id)
    ]
    floor_s = raw_floor(services, texts)
    started = time.perf_counter()
    again = library.add([CONTRACTS])
    resync_s = time.perf_counter() - started
    assert again.unchanged == 10 and again.added == 0
    say(f"{report.pages} pages, {report.chunks} chunks: app {app_s:.1f}s, raw floor {floor_s:.1f}s")
    record(
        {
            "ingest.pages_per_s": report.pages / app_s,
            "ingest.raw_pages_per_s": report.pages / floor_s,
            "ingest.ratio_to_raw": floor_s / app_s,
            "ingest.resync_s": resync_s,
        }
    )
    services.close()


if __name__ == "__main__":
    main()
