"""Reviewing a contract: every category Present, Check or Not found, with its clause.

One pass scores all of a document's passages for all categories at once (the passages'
stored vectors and their words, a matrix product), so a 41-category review costs about
as much as one category. A field category (the parties, the governing law) also reads
its value from the clause found, with the same readers `ask` and `extract` use.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from discreet.index.records import ChunkRecord
from discreet.retrieval.hybrid import SearchHit
from discreet.tasks.review.categories import FIELD, Category
from discreet.tasks.review.clause_model import NOT_FOUND, ClauseModel
from discreet.tasks.review.contract_type import ContractType, TypeModel
from discreet.tasks.review.fields import spec_of
from discreet.tasks.review.scores import DocumentScores, Vectors, passage_hit, score_document

if TYPE_CHECKING:  # the window imports this before it shows; Chroma would cost a second
    from discreet.index.library import Library


@dataclass(frozen=True)
class Finding:
    """One category in one document: its status, the clause that decided it, a value."""

    category: Category
    status: str  # present, check, not found
    score: float  # the document stage's probability for the category, 0..1
    confidence: float  # how sure the status is, 0..1
    passage: ChunkRecord | None  # the clause cited; None when not found
    value: str = ""  # a field's value as read from the clause; "" for a clause category

    @property
    def quote(self) -> str:
        """The cited clause on one line."""
        return " ".join(self.passage.text.split()) if self.passage else ""


@dataclass(frozen=True)
class DocumentReview:
    """A document's review: its type and one finding per category asked for."""

    doc_id: str
    path: str
    contract_type: ContractType
    findings: tuple[Finding, ...]
    passages: int
    seconds: float

    @property
    def name(self) -> str:
        """The file's name, as the review table shows it."""
        return Path(self.path).name

    def finding(self, name: str) -> Finding | None:
        """The finding for category `name`, if it was reviewed."""
        return next((f for f in self.findings if f.category.name == name), None)

    def source(self, finding: Finding) -> SearchHit | None:
        """The finding's clause as a source the viewer opens and exports cite."""
        if finding.passage is None:
            return None
        return passage_hit(self.path, finding.passage, finding.score)


def review_document(
    library: Library,
    doc_id: str,
    model: ClauseModel,
    types: TypeModel,
    chosen: list[Category],
    vectors: Vectors,
) -> DocumentReview:
    """Score every passage of the document once and decide each chosen category."""
    began = time.monotonic()
    scored = score_document(library, doc_id, model, vectors)
    findings = tuple(decide(scored, category) for category in chosen)
    contract_type = types.predict(scored.chunks, scored.vectors)
    return DocumentReview(
        doc_id,
        scored.path,
        contract_type,
        findings,
        len(scored.chunks),
        time.monotonic() - began,
    )


def decide(scored: DocumentScores, category: Category) -> Finding:
    """The category's finding from the document's scores: status, clause and value."""
    if not scored.chunks:
        return Finding(category, NOT_FOUND, 0.0, 1.0, None)
    score = scored.score(category.name)
    status = scored.status(category.name)
    confidence = scored.model.confidence(scored.model.index(category.name), score)
    if status == NOT_FOUND:
        return Finding(category, status, score, confidence, None)
    passage = scored.chunks[scored.ranked(category.name)[0]]
    value = _value(category, passage.text) if category.kind == FIELD else ""
    return Finding(category, status, score, confidence, passage, value)


def _value(category: Category, text: str) -> str:
    """The field's value in the clause, or "" where its reader finds none."""
    spec = spec_of(category)
    if spec is None:  # Document Name: the clause is the name
        return " ".join(text.split())[:120]
    found = spec.read(text) if spec.read else None
    return found.display if found else ""
