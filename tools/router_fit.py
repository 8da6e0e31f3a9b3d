"""The question router: which of CUAD's 41 categories a question asks about, if any.

Trained on the tuning phrasings shipped in app/discreet/tasks/review/phrasings.toml (14
ways of asking per category, and questions about none of them); the kept-out phrasings
in bench/data/phrasings_heldout.toml are never read here. Features are the question's
words and word pairs beside its MiniLM vector; multinomial logistic regression. The
threshold below which a question is taken as about no category is chosen by
cross-validation over the phrasings.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

PHRASINGS = (
    Path(__file__).resolve().parents[1] / "app" / "discreet" / "tasks" / "review" / "phrasings.toml"
)


def phrasings() -> tuple[list[str], list[str]]:
    """(questions, the category each asks about, "(none)" for none)."""
    data = tomllib.loads(PHRASINGS.read_text(encoding="utf-8"))
    questions, labels = [], []
    for table in data["phrasing"]:
        for question in table["questions"]:
            questions.append(question)
            labels.append(table["name"])
    return questions, labels


def train(embed: Callable[[list[str]], np.ndarray]) -> dict[str, np.ndarray]:
    """Fit the router; `embed` turns a list of questions into their vectors."""
    from discreet.tasks.review.intent import NONE
    from discreet.tasks.review.lexical import Vocabulary

    questions, labels = phrasings()
    vocab = Vocabulary.fit(questions, 1, 20_000)
    vectors = embed(questions)
    x = sparse.hstack([vocab.transform(questions), sparse.csr_matrix(vectors)], format="csr")
    y = np.array(labels)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    best = (-1.0, 10.0, 0.0)
    for strength in (3.0, 10.0, 30.0):
        model = LogisticRegression(C=strength, max_iter=3000)
        probabilities = cross_val_predict(model, x, y, cv=folds, method="predict_proba")
        classes = np.unique(y)
        for threshold in (0.0, 0.1, 0.2, 0.3, 0.4):
            top = probabilities.argmax(axis=1)
            said = np.where(probabilities.max(axis=1) >= threshold, classes[top], NONE)
            accuracy = float(np.mean(said == y))
            if accuracy > best[0]:
                best = (accuracy, strength, threshold)
    accuracy, strength, threshold = best
    print(f"router: folds accuracy {accuracy:.3f} at C={strength}, threshold {threshold}")
    model = LogisticRegression(C=strength, max_iter=3000).fit(x, y)
    words = len(vocab.terms)
    weights = model.coef_.T.astype(np.float32)
    return {
        "classes": np.array(model.classes_),
        "terms": np.array(vocab.terms),
        "idf": vocab.idf,
        "word_weights": weights[:words],
        "vector_weights": weights[words:],
        "bias": model.intercept_.astype(np.float32),
        "threshold": np.array(threshold, np.float32),
    }
