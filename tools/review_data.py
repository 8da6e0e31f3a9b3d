"""CUAD v1 cut into the app's own passages, embedded by the app's own embedder, cached.

Training and the bench must see passages exactly as a library holds them, so the chunker
and embedder are the app's, with its default settings. Embedding 40,000 passages takes
minutes on two cores, so the result is cached under `.cache/review/`, keyed by the
embedder's variant and the chunk settings; delete the folder to recompute.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from cuad_v1 import Contract, overlap

CACHE = Path(__file__).resolve().parents[1] / ".cache" / "review"
LABEL_OVERLAP = 0.5  # a passage holds a clause where they overlap by half the shorter


@dataclass
class Passages:
    """Every contract's passages: text, owner, offsets, vector and clause labels."""

    texts: list[str]
    contract: np.ndarray  # index into the contract list, per passage
    starts: np.ndarray
    ends: np.ndarray
    vectors: np.ndarray  # (n, 384) float32, unit length
    labels: np.ndarray  # (n, categories) bool


@cache
def _services():
    from discreet.core import offline
    from discreet.services import Services

    offline.enforce()
    return Services()


def embed(texts: list[str]) -> np.ndarray:
    """`texts` embedded by the app's default embedder."""
    return _services().embedder().embed_documents(texts)


def passages(contracts: list[Contract], names: list[str]) -> tuple[Passages, str]:
    """The passages of `contracts` (all of CUAD v1, in order) and the embedder variant."""
    from discreet.chunks.chunker import chunk_pages
    from discreet.documents.model import Page

    services = _services()
    embedder = services.embedder()
    variant = services.embedder_choice().variant
    library = services.settings.library
    key = hashlib.sha256(
        json.dumps(
            [variant, library.chunk_tokens, library.chunk_overlap_tokens, len(contracts)]
        ).encode()
    ).hexdigest()[:12]
    cached = CACHE / f"passages-{key}.npz"
    texts: list[str] = []
    owner: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for number, contract in enumerate(contracts):
        pages = [Page(1, contract.text)]
        for chunk in chunk_pages(
            contract.stem, pages, embedder, library.chunk_tokens, library.chunk_overlap_tokens
        ):
            texts.append(chunk.text)
            owner.append(number)
            starts.append(chunk.start)
            ends.append(chunk.end)
    if cached.exists():
        vectors = np.load(cached)["vectors"]
    else:
        began = time.monotonic()
        print(f"embedding {len(texts)} passages with the {variant} embedder ...", flush=True)
        vectors = embedder.embed_documents(texts)
        print(f"  {time.monotonic() - began:.0f} s", flush=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        np.savez(cached, vectors=vectors)
    labels = np.zeros((len(texts), len(names)), dtype=bool)
    for row, (number, start, end) in enumerate(zip(owner, starts, ends, strict=True)):
        spans = contracts[number].spans
        for column, name in enumerate(names):
            labels[row, column] = any(
                overlap(start, end, s.start, s.end) >= LABEL_OVERLAP for s in spans[name]
            )
    found = Passages(
        texts, np.array(owner), np.array(starts), np.array(ends), vectors.astype(np.float32), labels
    )
    return found, variant
