"""Words and word pairs as TF-IDF features, the lexical half of the review models' input.

The embedder sees a passage's meaning but not the terms of art a clause turns on ("most
favored", "escrow", "liquidated damages"); a sparse bag of words and word pairs does. The
vocabulary and its IDF weights are fitted once, by `tools/train_review.py`, and shipped
inside the model file, so training and the app compute the very same features.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

import numpy as np
from scipy import sparse

_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")


def terms(text: str) -> list[str]:
    """The words of `text` (lower case, numbers dropped) and each pair of neighbours."""
    words = _WORD.findall(text.lower())
    return words + [f"{a} {b}" for a, b in pairwise(words)]


@dataclass(frozen=True)
class Vocabulary:
    """Which terms count, and how rare each is (its inverse document frequency)."""

    terms: tuple[str, ...]
    idf: np.ndarray  # float32, one per term

    @classmethod
    def fit(cls, texts: Iterable[str], min_count: int, size: int) -> Vocabulary:
        """The `size` terms found in most texts, each in at least `min_count` of them."""
        counts: Counter[str] = Counter()
        total = 0
        for text in texts:
            counts.update(set(terms(text)))
            total += 1
        kept = [t for t, n in counts.most_common(size) if n >= min_count]
        kept.sort()
        idf = np.array([np.log((1 + total) / (1 + counts[t])) + 1 for t in kept], np.float32)
        return cls(tuple(kept), idf)

    @cached_property
    def index(self) -> dict[str, int]:
        """Each term's column, built once: a review transforms every document's passages."""
        return {term: i for i, term in enumerate(self.terms)}

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        """Rows of L2-normalised, sublinear TF-IDF weights over the vocabulary."""
        index = self.index
        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        for row, text in enumerate(texts):
            found = Counter(i for i in (index.get(t) for t in terms(text)) if i is not None)
            weights = {i: (1.0 + np.log(n)) * float(self.idf[i]) for i, n in found.items()}
            norm = float(np.sqrt(sum(w * w for w in weights.values()))) or 1.0
            for i, weight in weights.items():
                rows.append(row)
                cols.append(i)
                values.append(weight / norm)
        shape = (len(texts), len(self.terms))
        return sparse.csr_matrix((values, (rows, cols)), shape=shape, dtype=np.float32)
