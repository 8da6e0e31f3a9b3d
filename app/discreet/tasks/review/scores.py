"""One document's passages scored for every category at once, and what follows from it.

A review, a field answer and a closed question about a clause all read the same scores,
so a document is scored once per task: its stored vectors and its words through the
clause model, a matrix product for all 41 categories together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from discreet.index.records import ChunkRecord
from discreet.retrieval.hybrid import SearchHit
from discreet.tasks.review.clause_model import ClauseModel

if TYPE_CHECKING:  # only a type here; the window imports this before it shows
    from discreet.index.library import Library

Vectors = Callable[[list[ChunkRecord]], np.ndarray]


@dataclass(frozen=True)
class DocumentScores:
    """A document's passages, their vectors, each passage's and the document's scores."""

    path: str
    chunks: list[ChunkRecord]
    vectors: np.ndarray  # (passages, dimensions)
    passages: np.ndarray  # (passages, categories): how likely each passage states each
    document: np.ndarray  # (categories,): how likely the document holds each
    model: ClauseModel

    def score(self, name: str) -> float:
        """The document's probability of holding a clause of category `name`."""
        return float(self.document[self.model.index(name)]) if self.chunks else 0.0

    def status(self, name: str) -> str:
        """Present, check or not found, by the category's trained thresholds."""
        return self.model.status(self.model.index(name), self.score(name))

    def ranked(self, name: str, count: int = 1) -> list[int]:
        """The rows of the `count` passages most likely to state `name`, best first."""
        if not self.chunks:
            return []
        return [int(i) for i in np.argsort(-self.passages[:, self.model.index(name)])[:count]]

    def hits(self, name: str, count: int) -> list[SearchHit]:
        """The best passages as sources, each scored by its own probability."""
        column = self.model.index(name)
        return [
            passage_hit(self.path, self.chunks[row], float(self.passages[row, column]))
            for row in self.ranked(name, count)
        ]


def score_document(
    library: Library, doc_id: str, model: ClauseModel, vectors: Vectors
) -> DocumentScores:
    """Score every passage of the document once, for every category."""
    chunks = library.chunks_of(doc_id)
    matrix = vectors(chunks) if chunks else np.zeros((0, 0), np.float32)
    passages = model.scores([c.text for c in chunks], matrix)
    document = model.document(passages) if chunks else np.zeros(len(model.names), np.float32)
    return DocumentScores(library.path_of(doc_id), chunks, matrix, passages, document, model)


def passage_hit(path: str, chunk: ChunkRecord, score: float) -> SearchHit:
    """A passage the clause model chose, in the shape sources and citations take."""
    return SearchHit(
        chunk.chunk_id,
        chunk.doc_id,
        path,
        Path(path).name,
        chunk.page,
        chunk.start,
        chunk.end,
        chunk.text,
        score,
        None,
        None,
    )
