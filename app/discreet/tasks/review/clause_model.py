"""The clause model: how likely each passage states each of CUAD's 41 categories.

Trained by `tools/train_review.py` on 333 lawyer-labelled contracts: one logistic head per
category over each passage's words and word pairs and its MiniLM vector. A document's
score for a category is its best passage's, and that passage is the clause cited. (A
second, document-level stage over how all passages scored lost to the best passage alone
on the training folds, 0.65 against 0.68 mean F1, and was dropped.) Two thresholds per
category, chosen on the training contracts' cross-validation folds, give the status: at
or above `present` the folds' answers were right at least 90% of the time; between
`flag` (the best-F1 point) and `present` a lawyer should check; below `flag`, not found.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from discreet.tasks.review.linear import LinearHead, sigmoid

PRESENT = "present"
CHECK = "check"
NOT_FOUND = "not found"


@dataclass(frozen=True)
class ClauseModel:
    """The head and each category's thresholds, in the model file's category order."""

    names: tuple[str, ...]
    head: LinearHead
    flag: np.ndarray
    present: np.ndarray
    embedder: str  # the vector space it was trained on ("int8" or "fp32")

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> ClauseModel:
        """The model in a file written by `tools/train_review.py`."""
        return cls(
            tuple(str(name) for name in arrays["categories"]),
            LinearHead.from_arrays(arrays),
            arrays["flag_threshold"].astype(np.float32),
            arrays["present_threshold"].astype(np.float32),
            str(arrays["embedder"]),
        )

    def scores(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        """(passages, categories) probabilities that each passage states each category."""
        return sigmoid(self.head.logits(texts, vectors))

    def document(self, scores: np.ndarray) -> np.ndarray:
        """Each category's score for the document whose passages scored `scores`: its best
        passage's."""
        return np.asarray(scores.max(axis=0), np.float32)

    def index(self, name: str) -> int:
        """The column of category `name`."""
        return self.names.index(name)

    def status(self, column: int, score: float) -> str:
        """Present, check or not found for a document of probability `score`."""
        if score >= self.present[column]:
            return PRESENT
        if score >= self.flag[column]:
            return CHECK
        return NOT_FOUND

    def confidence(self, column: int, score: float) -> float:
        """How sure the status is, 0..1: the score's distance past the line it crossed,
        relative to the room on that side (0.5 at the line itself)."""
        line = float(self.flag[column])
        if score >= line:
            return 0.5 + 0.5 * (score - line) / max(1e-6, 1.0 - line)
        return 0.5 + 0.5 * (line - score) / max(1e-6, line)
