"""A linear head over a passage's words and its embedder vector, as trained in `tools/`.

The same arithmetic the training script's logistic regressions learned: TF-IDF words and
word pairs, and the unit-length MiniLM vector, each times its weights, plus a bias.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from discreet.tasks.review.lexical import Vocabulary


@dataclass(frozen=True)
class LinearHead:
    """Weights for each output over the word features and the vector features."""

    vocabulary: Vocabulary
    word_weights: np.ndarray  # (terms, outputs)
    vector_weights: np.ndarray  # (dimensions, outputs)
    bias: np.ndarray  # (outputs,)

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> LinearHead:
        """The head stored in a model file written by `tools/train_review.py`."""
        vocabulary = Vocabulary(tuple(str(t) for t in arrays["terms"]), arrays["idf"])
        return cls(
            vocabulary,
            arrays["word_weights"].astype(np.float32),
            arrays["vector_weights"].astype(np.float32),
            arrays["bias"].astype(np.float32),
        )

    def logits(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        """(rows, outputs) scores before the link function."""
        if not texts:
            return np.zeros((0, len(self.bias)), np.float32)
        words = self.vocabulary.transform(texts) @ self.word_weights
        return np.asarray(words + vectors @ self.vector_weights + self.bias, np.float32)


def sigmoid(values: np.ndarray) -> np.ndarray:
    """Probabilities from logits, one per output."""
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(values, -40, 40))), np.float32)


def softmax(values: np.ndarray) -> np.ndarray:
    """Probabilities across outputs, per row."""
    shifted = np.exp(values - values.max(axis=-1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=-1, keepdims=True), np.float32)
