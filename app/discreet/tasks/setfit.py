"""SetFit-style few-shot classification: the embedder tuned on the user's confirmed labels.

The plain few-shot model is a logistic regression on the bundled embedder's document
vectors; documents of different types can lie close in that space, since MiniLM never
learnt what sets a licence apart from a service agreement. SetFit first fine-tunes the
embedder contrastively on passage pairs drawn from the confirmed documents (same label
close, different label apart), then fits the same regression on the tuned vectors.

With a handful of examples that can overfit, so it is kept only where it wins: both
are scored leave-one-out on the confirmed examples (each left-out document classified
by models trained on the others, the embedder too), and SetFit is saved with the
library only if it gets more of them right.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from discreet.core.errors import DiscreetError
from discreet.core.progress import CancelToken, EventSink, Progress, ignore_event
from discreet.core.settings import EmbedderSettings
from discreet.index.library import Library
from discreet.models.adapted import (
    AdaptedModel,
    adapted_root,
    discard,
    load_adapted,
    record,
    stored,
)
from discreet.models.embedder import Embedder, embedder_folder
from discreet.models.finetune import TrainPlan, Triplet, fine_tune, require_training
from discreet.models.registry import EmbedderEntry
from discreet.tasks.classify import FewShotModel, document_vector, unit_vector

OPENING = 8  # a document's first chunks: where its type is usually stated
PASSAGES = 24  # passages per document: the opening, then evenly spaced
ANCHORS = 8  # training anchors per confirmed document
# SetFit's published defaults (learning rate 2e-5, cosine pairs, a pass or two), not
# tuned on the shared contracts: with ten documents any tuning would be fitted to them.
PLAN = TrainPlan(learning_rate=2e-5, epochs=2, batch_size=16, budget_s=120.0, pairs=True)


@dataclass(frozen=True)
class SetFitReport:
    """Both classifiers' leave-one-out accuracy on the confirmed examples, and which is kept."""

    setfit_loo: float
    plain_loo: float
    examples: int
    seconds: float
    kept: bool
    right: dict[str, tuple[bool, bool]]  # doc_id -> (plain, SetFit) classified it right
    model: AdaptedModel | None = None


@dataclass
class SetFitModel:
    """A tuned embedder and the regression on its document vectors; `few_shot` uses it as it
    uses a `FewShotModel`."""

    head: FewShotModel
    embedder: Embedder
    method = "setfit"

    @property
    def labels(self) -> list[str]:
        """The labels it was trained on."""
        return self.head.labels

    def vector(self, library: Library, doc_id: str) -> np.ndarray:
        """The document's vector in the tuned space."""
        return _vector(self.embedder, passages(library, doc_id))

    def predict(self, vector: np.ndarray) -> tuple[str, float]:
        """The regression's label and probability for a vector from `vector`."""
        return self.head.predict(vector)


def passages(library: Library, doc_id: str) -> list[str]:
    """The opening chunks and evenly spaced others: enough to tell a type, cheap to embed."""
    chunks = [c.text for c in library.chunks_of(doc_id)]
    rest = chunks[OPENING:]
    step = max(1, len(rest) // max(1, PASSAGES - OPENING))
    return chunks[:OPENING] + rest[::step][: PASSAGES - OPENING]


def examples_key(examples: dict[str, str]) -> str:
    """Which confirmed examples a classifier was trained on: retrained when they change."""
    return hashlib.sha256(json.dumps(sorted(examples.items())).encode()).hexdigest()[:16]


def train_setfit(
    library: Library,
    examples: dict[str, str],
    base: EmbedderEntry,
    settings: EmbedderSettings,
    on_event: EventSink = ignore_event,
    cancel: CancelToken | None = None,
) -> SetFitReport:
    """Score SetFit and the plain model leave-one-out; save SetFit with the library if it wins."""
    require_training()
    cancel = cancel or CancelToken()
    if len(set(examples.values())) < 2 or len(examples) < 4:
        raise DiscreetError("SetFit needs confirmed examples of two labels, four in all.")
    started = time.monotonic()
    docs = sorted(examples)
    texts = {d: passages(library, d) for d in docs}
    plain = {d: document_vector(library, d) for d in docs}
    right: dict[str, tuple[bool, bool]] = {}
    with tempfile.TemporaryDirectory(prefix="discreet-setfit-") as scratch:
        for i, held in enumerate(docs):
            on_event(
                Progress("training", i, len(docs) + 1, "folds", Path(library.path_of(held)).name)
            )
            rest = {d: examples[d] for d in docs if d != held}
            head = FewShotModel.train(np.stack([plain[d] for d in rest]), [rest[d] for d in rest])
            model, _ = _fit(base, settings, texts, rest, Path(scratch) / str(i), cancel)
            right[held] = (
                head.predict(plain[held])[0] == examples[held],
                model.predict(model.vector(library, held))[0] == examples[held],
            )
            shutil.rmtree(Path(scratch) / str(i), ignore_errors=True)
        plain_right = sum(p for p, _ in right.values())
        setfit_right = sum(s for _, s in right.values())
        kept = setfit_right > plain_right
        saved = None
        if kept:
            on_event(Progress("training", len(docs), len(docs) + 1, "folds", "all examples"))
            figures = {"setfit_loo": setfit_right / len(docs), "plain_loo": plain_right / len(docs)}
            saved = _save(library, base, settings, texts, examples, cancel, figures)
    on_event(Progress("done", len(docs) + 1, len(docs) + 1, "folds"))
    return SetFitReport(
        setfit_right / len(docs),
        plain_right / len(docs),
        len(docs),
        time.monotonic() - started,
        kept,
        right,
        saved,
    )


def load_setfit(
    library: Library, examples: dict[str, str], settings: EmbedderSettings
) -> SetFitModel | None:
    """The SetFit classifier saved for exactly these examples, if one won and was saved."""
    if library.folder is None:
        return None
    key = examples_key(examples)
    for model in stored(library.folder, "classifier"):
        if model.trained_on == key:
            head = FewShotModel(**json.loads((model.folder / "head.json").read_text("utf-8")))
            return SetFitModel(head, load_adapted(model, settings))
    return None


def _triplets(texts: dict[str, list[str]], labels: dict[str, str], seed: int = 0) -> list[Triplet]:
    """For each confirmed document, passages paired with one of another document of its label
    (of its own when it is the label's only one) and one of another label."""
    rng = random.Random(seed)
    found = []
    for doc, label in labels.items():
        same = [d for d in labels if labels[d] == label and d != doc] or [doc]
        other = [d for d in labels if labels[d] != label]
        for anchor in rng.sample(texts[doc], min(ANCHORS, len(texts[doc]))):
            found.append(
                Triplet(
                    anchor,
                    rng.choice(texts[rng.choice(same)]),
                    rng.choice(texts[rng.choice(other)]),
                )
            )
    return found


def _fit(
    base: EmbedderEntry,
    settings: EmbedderSettings,
    texts: dict[str, list[str]],
    labels: dict[str, str],
    out: Path,
    cancel: CancelToken,
) -> tuple[SetFitModel, str]:
    """Tune a copy of the embedder on the examples' pairs, then fit the regression on it;
    the model and its weights' hash."""
    triplets = _triplets(texts, labels)
    result = fine_tune(
        embedder_folder(base), triplets, out, PLAN, lambda *_: None, cancel, out / ".work"
    )
    shutil.rmtree(out / ".work", ignore_errors=True)
    embedder = load_adapted(AdaptedModel(out, result.sha256, base.name, time.time()), settings)
    vectors = np.stack([_vector(embedder, texts[doc], cancel) for doc in labels])
    head = FewShotModel.train(vectors, list(labels.values()))
    return SetFitModel(head, embedder), result.sha256


def _vector(embedder: Embedder, texts: list[str], cancel: CancelToken | None = None) -> np.ndarray:
    """A document's vector from its passages: their mean, at unit length, as for the plain
    model's `document_vector`."""
    return unit_vector(embedder.embed_documents(texts, cancel).mean(axis=0))


def _save(
    library: Library,
    base: EmbedderEntry,
    settings: EmbedderSettings,
    texts: dict[str, list[str]],
    examples: dict[str, str],
    cancel: CancelToken,
    figures: dict[str, float],
) -> AdaptedModel:
    """Train on every example and store the result with the library, replacing older ones."""
    if library.folder is None:  # a library without a folder keeps no models
        raise DiscreetError("This library keeps no files of its own to store a classifier in.")
    root = adapted_root(library.folder)
    work = root / ".setfit"
    shutil.rmtree(work, ignore_errors=True)
    model, sha = _fit(base, settings, texts, examples, work, cancel)
    (work / "head.json").write_text(json.dumps(asdict(model.head)), "utf-8")
    for old in stored(root.parent, "classifier"):
        discard(old)
    final = root / f"setfit-{sha[:12]}"
    shutil.rmtree(final, ignore_errors=True)
    work.rename(final)
    saved = AdaptedModel(
        final, sha, base.name, time.time(), "classifier", figures, examples_key(examples)
    )
    return record(saved)
