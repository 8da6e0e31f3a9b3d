"""The contract-type classifier: 26 CUAD types from a contract's opening.

A contract names its kind in its title and recitals, so the features are the words of
its opening (the first OPENING characters of its passages, as the app reads them) beside the mean
vector of its first passages. Multinomial logistic regression; the strength is chosen by
5-fold cross-validation over the training contracts and printed.
"""

from __future__ import annotations

import numpy as np
from cuad_v1 import Contract
from review_data import Passages
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score

OPENING = 3000  # characters of the contract's text read; discreet.tasks.review.contract_type
TITLE = 300  # the first characters again, on their own: the title names the kind
TITLE_WEIGHT = 2.0  # chosen on the folds: title alone 0.78, opening alone 0.63, both 0.78
FIRST_PASSAGES = 6


def opening_vector(vectors: np.ndarray) -> np.ndarray:
    """The mean of the first passages' vectors, at unit length."""
    mean = vectors[:FIRST_PASSAGES].mean(axis=0)
    return mean / max(float(np.linalg.norm(mean)), 1e-9)


def train(
    contracts: list[Contract], data: Passages, contract_ids: list[int]
) -> dict[str, np.ndarray]:
    """Fit on `contracts` (the training part) and return the arrays the app loads."""
    from discreet.tasks.review.contract_type import opening_text
    from discreet.tasks.review.lexical import Vocabulary

    openings = [
        opening_text([data.texts[row] for row in np.nonzero(data.contract == i)[0]], OPENING)
        for i in contract_ids
    ]
    titles = [opening[:TITLE] for opening in openings]
    vocab = Vocabulary.fit(openings, 2, 20_000)
    title_vocab = Vocabulary.fit(titles, 2, 20_000)
    vectors = np.stack([opening_vector(data.vectors[data.contract == i]) for i in contract_ids])
    x = sparse.hstack(
        [
            vocab.transform(openings),
            sparse.csr_matrix(vectors),
            title_vocab.transform(titles) * TITLE_WEIGHT,
        ],
        format="csr",
    )
    y = np.array([c.contract_type for c in contracts])
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    best, best_score = 1.0, -1.0
    for strength in (10.0, 100.0, 1000.0):
        model = LogisticRegression(C=strength, max_iter=2000)
        score = float(np.mean(cross_val_score(model, x, y, cv=folds)))
        print(f"contract type C={strength:<6} folds accuracy {score:.3f}", flush=True)
        if score > best_score:
            best, best_score = strength, score
    model = LogisticRegression(C=best, max_iter=2000).fit(x, y)
    words = len(vocab.terms)
    dims = vectors.shape[1]
    weights = model.coef_.T.astype(np.float32)
    return {
        "classes": np.array(model.classes_),
        "terms": np.array(vocab.terms),
        "idf": vocab.idf,
        "word_weights": weights[:words].astype(np.float16),
        "vector_weights": weights[words : words + dims],
        "title_terms": np.array(title_vocab.terms),
        "title_idf": title_vocab.idf,
        "title_weights": (weights[words + dims :] * TITLE_WEIGHT).astype(np.float16),
        "title_chars": np.array(TITLE),
        "bias": model.intercept_.astype(np.float32),
        "opening_chars": np.array(OPENING),
        "first_passages": np.array(FIRST_PASSAGES),
    }
