"""Clauses the reviewer confirmed, taught to the reviews that follow in the same library.

When a lawyer confirms that a passage is, say, this library's non-compete, a later review
of another document should not call "not found" a passage worded almost the same way.
So a category the model found nowhere in a document is raised to "check", citing the
document's passage most like a confirmed example, when that passage's stored vector lies
at least `SIMILAR` cosine from the example's. Only the positive rule is applied: a cell
corrected to "not found" says that document lacks the clause, which tells nothing certain
about a passage elsewhere, so it lowers nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from discreet.tasks.review.clause_model import CHECK, NOT_FOUND
from discreet.tasks.review.corrections import Correction
from discreet.tasks.review.review import DocumentReview, Finding
from discreet.tasks.review.scores import Vectors

if TYPE_CHECKING:  # only a type here; the window imports this before it shows
    from discreet.index.library import Library

# Measured with the bundled MiniLM on CUAD v1's lawyer-marked clauses (10 categories, 30
# contracts each; 4,350 same-category and 39,886 other-category pairs, always across two
# contracts): at 0.75 cosine, 99.4% of the pairs that pass are of the same category (a
# clause of another category passes in under 0.01% of pairs), while 3.5% of same-category
# pairs pass: the near-template clauses (governing law, assignment, termination) a lawyer
# wants found again. At 0.60 one pass in twelve was of another category; at 0.80 only 2%
# of the same-category pairs pass. So 0.75 raises the wrong category almost never, and
# leaves differently drafted clauses to the model, which is there to find them.
SIMILAR = 0.75


@dataclass(frozen=True)
class ExampleFinding(Finding):
    """A category raised to "check" because a passage reads like a confirmed example."""

    like: str = ""  # the confirmed example's clause, on one line
    similarity: float = 0.0


@dataclass(frozen=True)
class Examples:
    """The confirmed examples' categories, documents, quotes and unit vectors, row by row."""

    categories: tuple[str, ...]
    doc_ids: tuple[str, ...]
    quotes: tuple[str, ...]
    vectors: np.ndarray  # (examples, dimensions), each row of unit length

    @classmethod
    def of(cls, confirmed: list[Correction], library: Library, vectors: Vectors) -> Examples:
        """The examples among `confirmed` whose passage is still in the library."""
        chunks = library.chunks_by_id([c.chunk_id for c in confirmed]) if confirmed else {}
        kept = [c for c in confirmed if c.chunk_id in chunks]
        passages = [chunks[c.chunk_id] for c in kept]
        matrix = _unit(vectors(passages)) if passages else np.zeros((0, 0), np.float32)
        return cls(
            tuple(c.category for c in kept),
            tuple(c.doc_id for c in kept),
            tuple(" ".join(p.text.split()) for p in passages),
            matrix,
        )

    def raise_findings(
        self, review: DocumentReview, library: Library, vectors: Vectors
    ) -> DocumentReview:
        """`review` with each not-found category that has an example from another document
        raised to "check" where a passage lies within SIMILAR of that example."""
        rows = {
            f.category.name: [
                i
                for i, (name, doc) in enumerate(zip(self.categories, self.doc_ids, strict=True))
                if name == f.category.name and doc != review.doc_id
            ]
            for f in review.findings
            if f.status == NOT_FOUND
        }
        if not any(rows.values()):
            return review
        chunks = library.chunks_of(review.doc_id)
        if not chunks:
            return review
        similarity = _unit(vectors(chunks)) @ self.vectors.T  # (passages, examples)
        findings = []
        for finding in review.findings:
            wanted = rows.get(finding.category.name, [])
            best = similarity[:, wanted] if wanted else None
            if best is None or float(best.max()) < SIMILAR:
                findings.append(finding)
                continue
            passage, example = np.unravel_index(int(best.argmax()), best.shape)
            raised = ExampleFinding(
                finding.category,
                CHECK,
                finding.score,
                float(best.max()),
                chunks[int(passage)],
                like=self.quotes[wanted[int(example)]],
                similarity=float(best.max()),
            )
            findings.append(raised)
        return replace(review, findings=tuple(findings))


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.asarray(matrix / np.maximum(norms, 1e-12), np.float32)
