"""Which of CUAD's 26 contract types a document is, from its opening.

A contract names its kind in its title and recitals: the classifier reads the words of
the first characters of the document (as many as it was trained on), the words of its
first few hundred characters again on their own (the title), and the mean vector of its
first passages. Trained by `tools/train_review.py`; multinomial logistic regression.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from discreet.index.records import ChunkRecord
from discreet.tasks.review.lexical import Vocabulary
from discreet.tasks.review.linear import LinearHead, softmax


@dataclass(frozen=True)
class ContractType:
    """The most likely type and its probability."""

    label: str
    confidence: float


@dataclass(frozen=True)
class TypeModel:
    """The classifier's head, its classes, and how much of the opening it reads."""

    classes: tuple[str, ...]
    head: LinearHead
    title: Vocabulary
    title_weights: np.ndarray  # (title terms, classes)
    opening_chars: int
    title_chars: int
    first_passages: int

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> TypeModel:
        """The model in a file written by `tools/train_review.py`."""
        return cls(
            tuple(str(c) for c in arrays["classes"]),
            LinearHead.from_arrays(arrays),
            Vocabulary(tuple(str(t) for t in arrays["title_terms"]), arrays["title_idf"]),
            arrays["title_weights"].astype(np.float32),
            int(arrays["opening_chars"]),
            int(arrays["title_chars"]),
            int(arrays["first_passages"]),
        )

    def probabilities(self, chunks: list[ChunkRecord], vectors: np.ndarray) -> np.ndarray:
        """Each class's probability for the document these passages make up."""
        if not chunks:
            return np.full(len(self.classes), 1.0 / len(self.classes), np.float32)
        opening = opening_text([c.text for c in chunks], self.opening_chars)
        mean = vectors[: self.first_passages].mean(axis=0)
        mean = mean / max(float(np.linalg.norm(mean)), 1e-9)
        title = self.title.transform([opening[: self.title_chars]]) @ self.title_weights
        return softmax(self.head.logits([opening], mean[None, :]) + title)[0]

    def predict(self, chunks: list[ChunkRecord], vectors: np.ndarray) -> ContractType:
        """The most likely type of the document."""
        probabilities = self.probabilities(chunks, vectors)
        best = int(np.argmax(probabilities))
        return ContractType(self.classes[best], float(probabilities[best]))


def opening_text(passages: list[str], size: int) -> str:
    """The first `size` characters of the document's passages joined in order: what the
    classifier reads, in training (`tools/type_fit.py`) and here alike."""
    text = ""
    for passage in passages:
        if len(text) >= size:
            break
        text += passage if not text else " " + passage
    return text[:size]
