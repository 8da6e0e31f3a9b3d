"""Which CUAD category a question asks about, learned from how people ask.

"When was this contract signed?", "As of when is it entered into?" and "What's the date
of the agreement?" must reach the same field however they are worded, so this is a
classifier over the question's words and its embedder vector, trained by
`tools/train_review.py` on the phrasings in `phrasings.toml`, not a list of patterns.
A question whose best category is below the trained threshold, or that is most like
the questions about none of them, is about no category.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from discreet.tasks.review.categories import Category, by_name
from discreet.tasks.review.linear import LinearHead, softmax

NONE = "(none)"


@dataclass(frozen=True)
class Intent:
    """The category asked about (None: no category) and the router's probability."""

    category: Category | None
    probability: float


@dataclass(frozen=True)
class IntentModel:
    """The router's head over its classes (the 41 categories and NONE)."""

    classes: tuple[str, ...]
    head: LinearHead
    threshold: float

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> IntentModel:
        """The router in a file written by `tools/train_review.py`."""
        return cls(
            tuple(str(c) for c in arrays["classes"]),
            LinearHead.from_arrays(arrays),
            float(arrays["threshold"]),
        )

    def route(self, question: str, vector: np.ndarray) -> Intent:
        """The category `question` (embedded as `vector`) asks about, if any."""
        probabilities = softmax(self.head.logits([question], vector[None, :]))[0]
        best = int(np.argmax(probabilities))
        name, probability = self.classes[best], float(probabilities[best])
        if name == NONE or probability < self.threshold:
            return Intent(None, probability)
        return Intent(by_name()[name], probability)
