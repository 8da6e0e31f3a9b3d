"""Ingest throughput on the 10 CUAD contracts: the int8 app, the fp32 app, raw floors.

The app adds the folder twice in fresh homes, once with the int8 embedder (the
default where it passes its check) and once with torch fp32 (what the app used
before), so both figures come from one run. Each raw floor is what no implementation
with that embedder can avoid: pypdf text extraction of every page plus encoding
exactly the chunk texts Discreet produced, straight through the library
(`SentenceTransformer.encode`; an onnxruntime session over the same int8 graph), with
nothing chunked, stored or indexed. A second `add` of the unchanged folder measures
re-sync time.
"""

from __future__ import annotations

import time

import numpy as np
from pypdf import PdfReader

from common import SHARED_DATA, bench_home, record, say
from discreet.core import offline
from discreet.core.machine import physical_cores
from discreet.core.settings import Settings
from discreet.models.embedder import embedder_folder
from discreet.services import Services

CONTRACTS = SHARED_DATA / "cuad" / "contracts"


def read_pages() -> int:
    pages = 0
    for pdf in sorted(CONTRACTS.glob("*.pdf")):
        for page in PdfReader(pdf).pages:
            page.extract_text()
            pages += 1
    return pages


def raw_torch(services: Services, texts: list[str]) -> float:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(embedder_folder(services.registry.embedder)), device="cpu")
    model.encode(texts[:8])
    started = time.perf_counter()
    read_pages()
    model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
    return time.perf_counter() - started


def raw_int8(services: Services, texts: list[str]) -> float:
    """onnxruntime and tokenizers as their documentation shows, batches of 32."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    folder = embedder_folder(services.registry.embedder)
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=256)
    tokenizer.enable_padding()
    options = ort.SessionOptions()
    options.intra_op_num_threads = physical_cores()  # as the app, by default
    graph = services.embedder_choice().build.graph("int8")
    session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
    started = time.perf_counter()
    read_pages()
    for first in range(0, len(texts), 32):
        encoded = tokenizer.encode_batch(texts[first : first + 32])
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feed = {
            "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
            "attention_mask": mask,
            "token_type_ids": np.zeros_like(mask),
        }
        hidden = session.run(None, feed)[0]
        pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    return time.perf_counter() - started


def app_ingest(backend: str) -> tuple[Services, object, float, float, list[str]]:
    bench_home()
    settings = Settings()
    settings.embedder.backend = backend
    services = Services(settings=settings)
    services.embedder().embed_query("warm up")  # model load is not ingest time
    library = services.library("bench", create=True)
    started = time.perf_counter()
    report = library.add([CONTRACTS])
    app_s = time.perf_counter() - started
    assert not report.failed, report.failed
    started = time.perf_counter()
    again = library.add([CONTRACTS])
    resync_s = time.perf_counter() - started
    assert again.unchanged == 10 and again.added == 0
    texts = [c.text for r in library.documents() for c in library.chunks_of(r.doc_id)]
    return services, report, app_s, resync_s, texts


def main() -> None:
    offline.enforce()
    values: dict[str, float] = {}
    for backend in ("int8", "torch"):
        services, report, app_s, resync_s, texts = app_ingest(backend)
        floor_s = (raw_int8 if backend == "int8" else raw_torch)(services, texts)
        suffix = "" if backend == "int8" else "_fp32"
        say(
            f"{backend}: {report.pages} pages, {report.chunks} chunks: app {app_s:.1f}s, "
            f"raw floor {floor_s:.1f}s"
        )
        values |= {
            f"ingest.pages_per_s{suffix}": report.pages / app_s,
            f"ingest.raw_pages_per_s{suffix}": report.pages / floor_s,
            f"ingest.ratio_to_raw{suffix}": floor_s / app_s,
            f"ingest.resync_s{suffix}": resync_s,
        }
        services.close()
    int8, fp32 = values["ingest.pages_per_s"], values["ingest.pages_per_s_fp32"]
    values["ingest.int8_over_fp32"] = int8 / fp32
    say(f"pages/s: int8 {int8:.1f}, fp32 {fp32:.1f} ({int8 / fp32:.2f}x)")
    record(values)


if __name__ == "__main__":
    main()
