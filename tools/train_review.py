"""Train the review's clause model and contract-type classifier on CUAD v1 (rerunnable).

    .venv/bin/python tools/train_review.py            # train, compare, write, print hashes
    .venv/bin/python tools/train_review.py --compare  # also weigh words, vectors and both
    .venv/bin/python tools/train_review.py --validation .cache/review/validation

Reads ../shared/data/cuad-v1 (416 contracts, CC BY 4.0, The Atticus Project). Trains on
the 333 contracts that are not held out (every fifth by sorted file name is, see
cuad_v1.py); the held-out 83 are never read here except to be skipped. Deterministic:
liblinear, fixed folds by contract, no sampling. Runs on two CPU cores in about ten
minutes, most of it embedding the passages once (cached in .cache/review/).

Writes resources/review/cuad-clauses.npz, cuad-types.npz and cuad-questions.npz (the
question router, see router_fit.py) and prints their SHA-256,
which resources/models.toml pins.

--validation DIR holds out a further fifth of the training part (every fifth of it, see
cuad_v1.validation_split) and writes the clause and type models fitted on the rest to
DIR, never to resources/: what the summary's checklist does with a contract the clause
model has not seen can then be worked on (bench/contract_checklist.py --validation DIR)
without spending the held-out half.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy import sparse

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cuad_v1  # noqa: E402
import linear_fit  # noqa: E402
import review_data  # noqa: E402
import router_fit  # noqa: E402
import type_fit  # noqa: E402
from cuad_v1 import Contract  # noqa: E402
from review_data import Passages  # noqa: E402

from discreet.tasks.review.lexical import Vocabulary  # noqa: E402

ROOT = HERE.parent
OUT = ROOT / "resources" / "review"
VOCABULARY_SIZE = 40_000
MIN_COUNT = 3
STRENGTH = 3.0  # logistic regression's C, chosen by --compare on the training folds
FOLDS = 5
CHECK_PRECISION = 0.9  # at or above this a clause is "Present"; between, "Check"


def features(
    vocab: Vocabulary | None, texts: list[str], vectors: np.ndarray, vector_weight: float
) -> sparse.csr_matrix:
    """Words and word pairs beside the embedder's vector, as one sparse row per passage."""
    parts = []
    if vocab is not None:
        parts.append(vocab.transform(texts))
    if vector_weight:
        parts.append(sparse.csr_matrix(vectors * vector_weight))
    return sparse.hstack(parts, format="csr")


def compare(
    data: Passages,
    train_rows: np.ndarray,
    names: list[str],
    vocab: Vocabulary,
    contracts: list[Contract],
) -> None:
    """Words alone, vectors alone and both, scored by document-level AUPR on 3 folds."""
    groups = data.contract[train_rows]
    labels = data.labels[train_rows]
    texts = [data.texts[i] for i in np.nonzero(train_rows)[0]]
    vectors = data.vectors[train_rows]
    truth = np.array([[c.present(n) for n in names] for c in contracts], dtype=bool)
    configs = (
        ("words", True, 0.0, 1.0),
        ("vectors", False, 1.0, 1.0),
        ("both", True, 1.0, 0.3),
        ("both", True, 1.0, 1.0),
        ("both", True, 1.0, 3.0),
    )
    for label, use_words, weight, strength in configs:
        x = features(vocab if use_words else None, texts, vectors, weight)
        oof = linear_fit.out_of_fold(x, labels, groups, 3, strength)
        docs = linear_fit.document_scores(oof, groups, len(contracts))
        seen = np.unique(groups)
        auprs = [linear_fit.aupr(docs[seen, k], truth[seen, k]) for k in range(len(names))]
        f1s = [
            linear_fit.best_f1_threshold(docs[seen, k], truth[seen, k])[1]
            for k, name in enumerate(names)
            if name not in cuad_v1.FIELD_CATEGORIES
        ]
        print(
            f"  {label:8s} C={strength:<4} doc AUPR {np.nanmean(auprs):.3f}  "
            f"clause best-F1 {np.mean(f1s):.3f}",
            flush=True,
        )


def fitted(
    x: sparse.csr_matrix, labels: np.ndarray, groups: np.ndarray
) -> tuple[np.ndarray, linear_fit.Heads]:
    """The passages' out-of-fold scores and the heads fitted on all of them, cached in
    .cache/review/ (six fits of a minute each), keyed by the data's shape and the settings."""
    key = f"clauses-C{STRENGTH}-{x.shape[0]}x{x.shape[1]}-{FOLDS}.npz"
    cached = review_data.CACHE / key
    if cached.exists():
        with np.load(cached) as found:
            return found["oof"], linear_fit.Heads(found["weights"], found["bias"])
    oof = linear_fit.out_of_fold(x, labels, groups, FOLDS, STRENGTH)
    heads = linear_fit.fit(x, labels, STRENGTH)
    np.savez(cached, oof=oof, weights=heads.weights, bias=heads.bias)
    return oof, heads


def train_clauses(
    data: Passages,
    train_rows: np.ndarray,
    names: list[str],
    contracts: list[Contract],
    train_ids: list[int],
) -> dict[str, np.ndarray]:
    """The clause model: vocabulary, weights, and per-category document thresholds."""
    rows = np.nonzero(train_rows)[0]
    texts = [data.texts[i] for i in rows]
    vocab = Vocabulary.fit(texts, MIN_COUNT, VOCABULARY_SIZE)
    x = features(vocab, texts, data.vectors[rows], 1.0)
    labels = data.labels[rows]
    groups = data.contract[rows]
    print(f"clause model: {len(rows)} passages, {x.shape[1]} features", flush=True)
    oof, heads = fitted(x, labels, groups)
    truth = np.array([[contracts[i].present(n) for n in names] for i in train_ids], dtype=bool)
    docs = linear_fit.document_scores(oof, groups, len(contracts))[train_ids]
    flag = np.zeros(len(names), np.float32)
    present = np.zeros(len(names), np.float32)
    for k, name in enumerate(names):
        flag[k], f1 = linear_fit.best_f1_threshold(docs[:, k], truth[:, k])
        present[k] = max(
            flag[k], linear_fit.precise_threshold(docs[:, k], truth[:, k], CHECK_PRECISION)
        )
        print(
            f"  {name:38s} folds F1 {f1:.2f}  flag >= {flag[k]:.3f}  present >= {present[k]:.3f}",
            flush=True,
        )
    words = len(vocab.terms)
    return {
        "categories": np.array(names),
        "terms": np.array(vocab.terms),
        "idf": vocab.idf,
        "word_weights": heads.weights[:words].astype(np.float16),
        "vector_weights": heads.weights[words:].astype(np.float32),
        "bias": heads.bias,
        "flag_threshold": flag,
        "present_threshold": present,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", action="store_true", help="compare feature sets first")
    parser.add_argument("--validation", type=Path, help="fit without the validation fifth, to DIR")
    args = parser.parse_args()
    names, contracts = cuad_v1.load()
    data, variant = review_data.passages(contracts, names)
    train_ids = [i for i in range(len(contracts)) if not cuad_v1.held_out(i)]
    if args.validation:
        train_ids = [i for k, i in enumerate(train_ids) if not cuad_v1.validating(k)]
    train_rows = np.isin(data.contract, train_ids)
    print(
        f"{len(train_ids)} training contracts, {int(train_rows.sum())} passages "
        f"({variant} vectors)",
        flush=True,
    )
    if args.compare:
        rows = np.nonzero(train_rows)[0]
        vocab = Vocabulary.fit([data.texts[i] for i in rows], MIN_COUNT, VOCABULARY_SIZE)
        compare(data, train_rows, names, vocab, contracts)
    out = args.validation or OUT
    out.mkdir(parents=True, exist_ok=True)
    clauses = train_clauses(data, train_rows, names, contracts, train_ids)
    np.savez_compressed(out / "cuad-clauses.npz", embedder=np.array(variant), **clauses)
    types = type_fit.train([contracts[i] for i in train_ids], data, train_ids)
    np.savez_compressed(out / "cuad-types.npz", embedder=np.array(variant), **types)
    if args.validation:
        return
    router = router_fit.train(review_data.embed)
    np.savez_compressed(OUT / "cuad-questions.npz", embedder=np.array(variant), **router)
    from discreet.core.hashing import sha256_file

    for name in ("cuad-clauses.npz", "cuad-types.npz", "cuad-questions.npz"):
        print(f"{name}: sha256 {sha256_file(OUT / name)}")


if __name__ == "__main__":
    main()
