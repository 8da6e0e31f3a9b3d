"""The review's shipped models, loaded from the registry's hashed `[[head]]` entries,
with the bundled embedder whose vectors they were trained on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from discreet.index.library import Library
from discreet.index.records import ChunkRecord
from discreet.models.embedder import Embedder
from discreet.models.heads import load_head
from discreet.models.registry import Registry
from discreet.tasks.review.clause_model import ClauseModel
from discreet.tasks.review.contract_type import TypeModel
from discreet.tasks.review.intent import Intent, IntentModel
from discreet.tasks.review.scores import DocumentScores, Vectors, score_document

CLAUSES = "cuad-clauses"
TYPES = "cuad-types"
QUESTIONS = "cuad-questions"
BASE_SPACES = ("int8", "fp32")  # the bundled embedder's vectors, which the heads were fitted on


@dataclass(frozen=True)
class ReviewModels:
    """The clause model, the contract-type classifier and the question router (small
    linear heads), and the bundled embedder they read."""

    clauses: ClauseModel
    types: TypeModel
    intents: IntentModel
    embedder: Callable[[], Embedder]

    def vectors(self, library: Library) -> Vectors:
        """Passages' vectors in the heads' space: the library's stored ones where it holds
        the bundled embedder's, else embedded afresh (a library searching with an adapted
        embedder)."""
        if library.space is None or library.space.variant in BASE_SPACES:
            return lambda chunks: library.embeddings([c.chunk_id for c in chunks])

        def embedded(chunks: list[ChunkRecord]) -> np.ndarray:
            return self.embedder().embed_documents([c.text for c in chunks])

        return embedded

    def route(self, question: str) -> Intent:
        """The category `question` asks about, if any."""
        return self.intents.route(question, self.embedder().embed_query(question))


def scored_once(library: Library, models: ReviewModels) -> Callable[[str], DocumentScores]:
    """A document's clause-model scores by id, computed on first request and kept, so the
    fields of one extraction or answer read one scoring of the document."""
    kept: dict[str, DocumentScores] = {}
    vectors = models.vectors(library)

    def scores(doc_id: str) -> DocumentScores:
        if doc_id not in kept:
            kept[doc_id] = score_document(library, doc_id, models.clauses, vectors)
        return kept[doc_id]

    return scores


def load_review_models(registry: Registry, embedder: Callable[[], Embedder]) -> ReviewModels:
    """The three heads, each checked against its pinned SHA-256 before it is read."""
    return ReviewModels(
        ClauseModel.from_arrays(load_head(registry.head(CLAUSES))),
        TypeModel.from_arrays(load_head(registry.head(TYPES))),
        IntentModel.from_arrays(load_head(registry.head(QUESTIONS))),
        embedder,
    )
