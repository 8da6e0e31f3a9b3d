"""Sorting documents into the user's own categories.

Zero-shot scores every label by three independent signals, the document's title lines,
its content and the language model's calibrated reading (see `tasks.label_scores`),
so that it holds up with six to ten labels, some of them near misses of each other.

Once the user has confirmed a few examples, a logistic regression on document vectors
learns their notion of each label in milliseconds; it is stored with the
library as plain JSON (no pickles in a user's data folder).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from discreet.core.errors import DiscreetError
from discreet.core.progress import CancelToken
from discreet.index.library import Library
from discreet.models.llm import LLM
from discreet.tasks.label_scores import OPENING_TOKENS, score_labels


@dataclass(frozen=True)
class Label:
    name: str
    description: str = ""


@dataclass(frozen=True)
class Classification:
    doc_id: str
    path: str
    label: str
    confidence: float
    evidence: str  # the passage most similar to the chosen label
    evidence_page: int
    method: str  # zero-shot or few-shot


def parse_labels(text: str, minimum: int = 2) -> list[Label]:
    """'Service Agreement, License: grants rights' -> labels with optional descriptions."""
    labels = []
    for part in text.split(","):
        name, _, description = part.partition(":")
        if name.strip():
            labels.append(Label(name.strip(), description.strip()))
    if len(labels) < minimum:
        raise DiscreetError(f"Give at least {minimum} name(s), separated by commas.")
    return labels


def document_vector(library: Library, doc_id: str) -> np.ndarray:
    """The normalised mean of a document's chunk vectors: what the whole text is about."""
    ids = [c.chunk_id for c in library.chunks_of(doc_id)]
    if not ids:
        raise DiscreetError("This document has no text to classify (does it need OCR?).")
    return _unit(library.embeddings(ids).mean(axis=0))


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / (np.linalg.norm(vector) or 1.0)


def _opening(library: Library, doc_id: str, llm: LLM) -> str:
    """The first chunks of a document: titles and recitals say most about its type."""
    parts, used = [], 0
    for chunk in library.chunks_of(doc_id):
        cost = llm.count_tokens(chunk.text)
        if parts and used + cost > OPENING_TOKENS:
            break
        parts.append(chunk.text)
        used += cost
    return "\n".join(parts)


def zero_shot(
    library: Library, llm: LLM, doc_id: str, labels: list[Label], cancel: CancelToken | None = None
) -> Classification:
    vector = document_vector(library, doc_id)
    scores = score_labels(
        llm,
        library.embedder(),
        _opening(library, doc_id, llm),
        vector,
        [(label.name, label.description) for label in labels],
        cancel,
    )
    probabilities = scores.probabilities()
    best = int(np.argmax(probabilities))
    return _result(
        library,
        doc_id,
        labels[best],
        float(probabilities[best]),
        scores.label_vectors[best],
        "zero-shot",
    )


@dataclass
class FewShotModel:
    """Logistic regression on document vectors, from the user's confirmed examples."""

    labels: list[str]
    coef: list[list[float]]
    intercept: list[float]

    @classmethod
    def train(cls, vectors: np.ndarray, labels: list[str]) -> FewShotModel:
        if len(set(labels)) < 2:
            raise DiscreetError("Confirm examples of at least two labels before training.")
        # Unit vectors differ by little, so regularisation must be weak: on CUAD contract
        # types (leave one out) C=100 scores 8/10, C=10 6/10 and C=1 0/10.
        model = LogisticRegression(C=100.0, max_iter=2000).fit(vectors, labels)
        coef = model.coef_
        intercept = model.intercept_
        if len(model.classes_) == 2:  # sklearn keeps one row for two classes
            coef = np.vstack([-coef[0], coef[0]])
            intercept = np.array([-intercept[0], intercept[0]])
        return cls(list(model.classes_), coef.tolist(), intercept.tolist())

    def predict(self, vector: np.ndarray) -> tuple[str, float]:
        logits = np.asarray(self.coef) @ vector + np.asarray(self.intercept)
        probs = np.exp(logits - logits.max())
        probs /= probs.sum()
        best = int(np.argmax(probs))
        return self.labels[best], float(probs[best])

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> FewShotModel:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def train_from_examples(library: Library, examples: dict[str, str]) -> FewShotModel:
    """A few-shot model from confirmed labels (doc_id -> label), trained in seconds."""
    doc_ids = list(examples)
    vectors = np.stack([document_vector(library, doc_id) for doc_id in doc_ids])
    return FewShotModel.train(vectors, [examples[doc_id] for doc_id in doc_ids])


def classify(
    library: Library, llm: LLM, doc_id: str, labels: list[Label], model: FewShotModel | None
) -> Classification:
    """Few-shot once the user has confirmed examples, zero-shot until then."""
    if model is not None:
        return few_shot(library, model, doc_id, labels)
    return zero_shot(library, llm, doc_id, labels)


def few_shot(
    library: Library, model: FewShotModel, doc_id: str, labels: list[Label]
) -> Classification:
    label, confidence = model.predict(document_vector(library, doc_id))
    chosen = next((item for item in labels if item.name == label), Label(label))
    text = f"{chosen.name}: {chosen.description}" if chosen.description else chosen.name
    return _result(
        library, doc_id, chosen, confidence, library.embedder().embed_query(text), "few-shot"
    )


def _result(
    library: Library,
    doc_id: str,
    label: Label,
    confidence: float,
    label_vec: np.ndarray,
    method: str,
) -> Classification:
    chunks = library.chunks_of(doc_id)
    vectors = library.embeddings([c.chunk_id for c in chunks])
    evidence = chunks[int(np.argmax(vectors @ label_vec))]
    path = library.path_of(doc_id)
    return Classification(
        doc_id, path, label.name, round(confidence, 3), evidence.text, evidence.page, method
    )
