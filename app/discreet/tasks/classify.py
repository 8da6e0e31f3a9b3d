"""Sorting documents into the user's own categories.

Zero-shot scores every label by three independent signals, the document's title lines,
its content and the language model's calibrated reading (see `tasks.label_scores`),
so that it holds up with six to ten labels, some of them near misses of each other.

Once the user has confirmed a few examples, a logistic regression on document vectors
learns their notion of each label in milliseconds. The confirmed examples are what is
kept with the library (`tasks.workspace`); the model is trained again from them when
needed, so no weights, and no pickle, ever sit in a user's data folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from sklearn.linear_model import LogisticRegression

from discreet.core.errors import DiscreetError
from discreet.core.progress import CancelToken
from discreet.index.library import Library
from discreet.models.language_model import LanguageModel
from discreet.tasks.label_scores import OPENING_TOKENS, score_labels


@dataclass(frozen=True)
class Label:
    """A category as the user typed it, with an optional description; extraction takes its
    fields in the same form."""

    name: str
    description: str = ""


@dataclass(frozen=True)
class Classification:
    """One document's label, how sure it is and the passage that shows it: a row of the CLI's
    table, of the GUI's "Classify and extract" tab and of a CSV export."""

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
    return unit_vector(library.embeddings(ids).mean(axis=0))


def unit_vector(vector: np.ndarray) -> np.ndarray:
    """`vector` scaled to length 1 (a zero vector stays zero)."""
    return vector / (np.linalg.norm(vector) or 1.0)


def _opening(library: Library, doc_id: str, llm: LanguageModel) -> str:
    """The first chunks of a document: titles and recitals say most about its type."""
    parts: list[str] = []
    used = 0
    for chunk in library.chunks_of(doc_id):
        cost = llm.count_tokens(chunk.text)
        if parts and used + cost > OPENING_TOKENS:
            break
        parts.append(chunk.text)
        used += cost
    return "\n".join(parts)


def zero_shot(
    library: Library,
    llm: LanguageModel,
    doc_id: str,
    labels: list[Label],
    cancel: CancelToken | None = None,
) -> Classification:
    """The best of `labels` without examples: title, content and the model's calibrated
    reading (`tasks.label_scores`), with the softmax of their mean as the confidence.

    Raises `DiscreetError` when the document has no text.
    """
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
    method = "few-shot"

    @classmethod
    def train(cls, vectors: np.ndarray, labels: list[str]) -> FewShotModel:
        """Fit on unit document vectors; raises `DiscreetError` unless two labels have examples.

        For two labels sklearn keeps one row of weights; it is stored as two mirrored rows, so
        `predict` reads any number of labels the same way.
        """
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

    def vector(self, library: Library, doc_id: str) -> np.ndarray:
        """The document's vector as the model was trained on it: from the stored vectors."""
        return document_vector(library, doc_id)

    def predict(self, vector: np.ndarray) -> tuple[str, float]:
        """The most probable label for a unit document vector, and its probability (softmax)."""
        logits = np.asarray(self.coef) @ vector + np.asarray(self.intercept)
        probs = np.exp(logits - logits.max())
        probs /= probs.sum()
        best = int(np.argmax(probs))
        return self.labels[best], float(probs[best])


def train_from_examples(library: Library, examples: dict[str, str]) -> FewShotModel:
    """A few-shot model from confirmed labels (doc_id -> label), trained in seconds."""
    doc_ids = list(examples)
    vectors = np.stack([document_vector(library, doc_id) for doc_id in doc_ids])
    return FewShotModel.train(vectors, [examples[doc_id] for doc_id in doc_ids])


class DocumentClassifier(Protocol):
    """A model trained on confirmed examples: the plain `FewShotModel`, or SetFit's
    (`tasks.setfit`), whose vectors come from its own tuned embedder."""

    method: str  # how a classification says it was made

    def vector(self, library: Library, doc_id: str) -> np.ndarray:
        """The document's vector in the model's space."""
        ...

    def predict(self, vector: np.ndarray) -> tuple[str, float]:
        """The label for such a vector, and its probability."""
        ...


def classifier(
    library: Library,
    examples: dict[str, str],
    load_llm: Callable[[], LanguageModel],
    examples_required: bool = False,
    tuned: Callable[[dict[str, str]], DocumentClassifier | None] = lambda _: None,
) -> tuple[DocumentClassifier | None, LanguageModel | None]:
    """What classifies, decided once for both front ends: a model trained on the confirmed
    examples (doc_id -> label) once they cover two labels, else the language model, which
    is loaded only then. A SetFit model saved for exactly these examples (`tuned`) is
    used in place of the plain one: it was kept only because it scored better.

    With `examples_required` (the user handed examples in) too few of them is an error
    (`DiscreetError`) rather than a quiet fall back to zero-shot.
    """
    if len(set(examples.values())) >= 2 or (examples_required and examples):
        return tuned(examples) or train_from_examples(library, examples), None
    return None, load_llm()


def classify(
    library: Library,
    llm: LanguageModel | None,
    doc_id: str,
    labels: list[Label],
    model: DocumentClassifier | None,
) -> Classification:
    """Few-shot once the user has confirmed examples, zero-shot until then (see
    `classifier`, which gives one of `llm` and `model`)."""
    if model is not None:
        return few_shot(library, model, doc_id, labels)
    if llm is None:
        raise ValueError("zero-shot classification needs the language model")
    return zero_shot(library, llm, doc_id, labels)


def few_shot(
    library: Library, model: DocumentClassifier, doc_id: str, labels: list[Label]
) -> Classification:
    """The trained model's label for a document, which may be one `labels` lacks.

    `labels` only lend the label's description: the evidence is the passage nearest the
    label's name and description, embedded as a query.
    """
    label, confidence = model.predict(model.vector(library, doc_id))
    chosen = next((item for item in labels if item.name == label), Label(label))
    text = f"{chosen.name}: {chosen.description}" if chosen.description else chosen.name
    return _result(
        library, doc_id, chosen, confidence, library.embedder().embed_query(text), model.method
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
