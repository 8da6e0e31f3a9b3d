"""Fitting the review's linear heads: one logistic model per label, thresholds from folds.

Shared by `train_review.py`'s clause model and its comparisons. Folds are by contract,
never by passage: passages of one contract share its drafting, and a fold that split them
would grade the model on text it had half seen.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import minimize
from sklearn.metrics import average_precision_score


@dataclass
class Heads:
    """Weights of one logistic model per label over the same features."""

    weights: np.ndarray  # (features, labels)
    bias: np.ndarray  # (labels,)

    def scores(self, features: sparse.csr_matrix) -> np.ndarray:
        """Each row's probability for each label."""
        logits = features @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.asarray(logits)))


def fit(features: sparse.csr_matrix, labels: np.ndarray, strength: float) -> Heads:
    """One class-balanced, L2-regularised logistic regression per label column, fitted
    together: the objective is sklearn's (C times the weighted log loss plus half the
    squared weights), minimised by L-BFGS over all columns at once. The sparse word
    columns and the dense vector columns are multiplied apart (a dense block in a sparse
    matrix runs single-threaded and ten times slower). Deterministic."""
    rows, width = features.shape
    words, dense = _split(features)
    targets = labels.astype(np.float32)
    positives = np.clip(targets.sum(axis=0), 1, None)
    # "balanced": each class weighs rows / (2 * its count), so both classes weigh the same
    weights = np.where(labels, rows / (2 * positives), rows / (2 * (rows - positives)))
    weights = weights.astype(np.float32)
    columns = labels.shape[1]
    words_t = words.T.tocsr()

    def objective(flat: np.ndarray) -> tuple[float, np.ndarray]:
        w = flat[: width * columns].reshape(width, columns)
        b = flat[width * columns :]
        w32 = w.astype(np.float32)
        split = words.shape[1]
        logits = np.asarray(words @ w32[:split]) + dense @ w32[split:] + b.astype(np.float32)
        loss = np.logaddexp(0, logits) - targets * logits
        error = weights * (1 / (1 + np.exp(-logits)) - targets)
        penalty = 0.5 * float((w * w).sum())
        value = strength * float((weights * loss).sum(dtype=np.float64)) + penalty
        grad_w = np.concatenate([np.asarray(words_t @ error), dense.T @ error]) * strength + w
        grad_b = strength * error.sum(axis=0, dtype=np.float64)
        return value, np.concatenate([grad_w.ravel(), grad_b])

    start = np.zeros(width * columns + columns)
    found = minimize(objective, start, jac=True, method="L-BFGS-B", options={"maxiter": MAX_ITER})
    w = found.x[: width * columns].reshape(width, columns).astype(np.float32)
    bias = found.x[width * columns :].astype(np.float32)
    bias[labels.sum(axis=0) == 0] = -20.0  # a label never seen is never said
    return Heads(w, bias)


MAX_ITER = 300  # L-BFGS steps; the folds' scores no longer move by then


def _split(features: sparse.csr_matrix) -> tuple[sparse.csr_matrix, np.ndarray]:
    """(the sparse columns, the trailing dense ones): a row's nonzeros are few where they
    are words and all of them where they are a vector, so the first column at which every
    later column is nonzero in most rows starts the dense block."""
    dense_start = features.shape[1]
    filled = np.asarray((features != 0).sum(axis=0)).ravel() > 0.9 * features.shape[0]
    while dense_start > 0 and filled[dense_start - 1]:
        dense_start -= 1
    words = features[:, :dense_start].astype(np.float32).tocsr()
    dense = features[:, dense_start:].toarray().astype(np.float32)
    return words, dense


def folds(groups: np.ndarray, count: int) -> list[np.ndarray]:
    """`count` boolean masks over rows, each holding out every `count`-th group."""
    return [(groups % count) == k for k in range(count)]


def out_of_fold(
    features: sparse.csr_matrix, labels: np.ndarray, groups: np.ndarray, count: int, strength: float
) -> np.ndarray:
    """Each row's scores from the model fitted on the other folds."""
    scores = np.zeros(labels.shape, np.float32)
    for number, mask in enumerate(folds(groups, count)):
        began = time.monotonic()
        heads = fit(features[~mask], labels[~mask], strength)
        print(f"    fold {number + 1}/{count}: {time.monotonic() - began:.0f} s", flush=True)
        scores[mask] = heads.scores(features[mask])
    return scores


def document_scores(scores: np.ndarray, owner: np.ndarray, documents: int) -> np.ndarray:
    """Each document's score for each label: its best passage's."""
    best = np.zeros((documents, scores.shape[1]), np.float32)
    np.maximum.at(best, owner, scores)
    return best


def best_f1_threshold(scores: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """(threshold, F1) maximising F1 when scores at or above the threshold say yes."""
    order = np.argsort(-scores)
    hits = np.cumsum(truth[order])
    flagged = np.arange(1, len(scores) + 1)
    positives = max(1, int(truth.sum()))
    f1 = 2 * hits / (flagged + positives)
    best = int(np.argmax(f1))
    return float(scores[order][best]), float(f1[best])


def precise_threshold(scores: np.ndarray, truth: np.ndarray, precision: float) -> float:
    """The lowest threshold whose yes-answers are right at least `precision` of the time
    (counting from the top); 1.01 (never) when no threshold reaches it."""
    order = np.argsort(-scores)
    hits = np.cumsum(truth[order])
    flagged = np.arange(1, len(scores) + 1)
    reaching = np.nonzero(hits / flagged >= precision)[0]
    reaching = reaching[hits[reaching] >= 3]  # three right answers at least, not one lucky one
    if len(reaching) == 0:
        return 1.01
    return float(scores[order][reaching[-1]])


def aupr(scores: np.ndarray, truth: np.ndarray) -> float:
    """Average precision, or nan where a label never occurs."""
    return float(average_precision_score(truth, scores)) if truth.any() else float("nan")
