"""Fitting and scoring a three-way verdict head (yes / no / maybe) on fixed features.

Multinomial logistic regression on standardised features, its strength chosen by
cross-validated log-loss on the fitting half only. The out-of-fold probabilities
choose the confidence threshold, so the held-out half never tunes anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

LABELS = ("yes", "no", "maybe")
STRENGTHS = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
FOLDS = 5
SEED = 0


@dataclass
class Head:
    """Standardisation and weights: p = softmax(((x - mean) / scale) @ weights.T + bias)."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # (3, features)
    bias: np.ndarray  # (3,)
    strength: float

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        logits = ((features - self.mean) / self.scale) @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)


def targets(decisions: list[str]) -> np.ndarray:
    return np.array([LABELS.index(d) for d in decisions])


def fit(features: np.ndarray, y: np.ndarray, strength: float) -> Head:
    mean = features.mean(axis=0)
    scale = features.std(axis=0) + 1e-6
    model = LogisticRegression(C=strength, max_iter=5000)
    model.fit((features - mean) / scale, y)
    return Head(mean, scale, model.coef_, model.intercept_, strength)


def out_of_fold(features: np.ndarray, y: np.ndarray, strength: float) -> np.ndarray:
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    probabilities = np.zeros((len(y), len(LABELS)))
    for train, test in folds.split(features, y):
        probabilities[test] = fit(features[train], y[train], strength).probabilities(features[test])
    return probabilities


def choose(features: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """The strength with the lowest out-of-fold log-loss, and its out-of-fold probabilities."""
    best: tuple[float, float, np.ndarray] | None = None
    for strength in STRENGTHS:
        oof = out_of_fold(features, y, strength)
        loss = float(-np.mean(np.log(oof[np.arange(len(y)), y] + 1e-12)))
        print(
            f"  C={strength:<6} out-of-fold log-loss {loss:.4f} accuracy "
            f"{np.mean(oof.argmax(1) == y):.3f}"
        )
        if best is None or loss < best[0]:
            best = (loss, strength, oof)
    assert best is not None
    return best[1], best[2]


def verdicts(probabilities: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each question's yes-or-no label (0 / 1) and its confidence, p(label).

    A verdict is only ever Yes or No; "maybe" weighs against both, so a question the
    head thinks open gets a low confidence and is left unsettled.
    """
    label = np.where(probabilities[:, 0] >= probabilities[:, 1], 0, 1)
    return label, probabilities[np.arange(len(label)), label]


def selective(probabilities: np.ndarray, y: np.ndarray, threshold: float) -> tuple[float, float]:
    """Answered accuracy and coverage when verdicts below `threshold` are withheld."""
    label, confidence = verdicts(probabilities)
    given = confidence >= threshold
    accuracy = float(np.mean(label[given] == y[given])) if given.any() else 0.0
    return accuracy, float(given.mean())


def threshold_for(probabilities: np.ndarray, y: np.ndarray, target: float) -> float:
    """The lowest confidence at which the verdicts given reach `target` accuracy."""
    label, confidence = verdicts(probabilities)
    order = np.argsort(-confidence)
    right = np.cumsum(label[order] == y[order])
    reached = np.nonzero(right / np.arange(1, len(y) + 1) >= target)[0]
    return float(confidence[order][reached.max()]) if len(reached) else 1.0


def auc(probabilities: np.ndarray, y: np.ndarray) -> float:
    """How well p(yes) - p(no) orders the yes above the no questions (0.5 is chance)."""
    score = probabilities[:, 0] - probabilities[:, 1]
    pos, neg = score[y == 0], score[y == 1]
    if not len(pos) or not len(neg):
        return 0.5
    return float(((pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])).mean())
