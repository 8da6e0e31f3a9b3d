"""Closed questions about a contract's clauses, answered by the clause model.

"Is there a non-compete?" or "Can either party terminate for convenience?" is a question
about whether a kind of clause is there, which the clause model was trained to tell from
lawyers' labels. The answer is Yes with the clause quoted, a request to check the
closest clause where the model is unsure, or "The contract doesn't say" where no clause
of the kind is found: never a generated guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from discreet.index.library import Library
from discreet.index.records import ChunkRecord
from discreet.retrieval.hybrid import SearchHit
from discreet.tasks.citations import Citation, quote_in
from discreet.tasks.review.categories import Category
from discreet.tasks.review.clause_model import NOT_FOUND, PRESENT, ClauseModel
from discreet.tasks.review.scores import Vectors, passage_hit, score_document

MOST_DOCUMENTS = 3  # documents answered for at once, the most likely ones first


@dataclass
class ClauseAnswer:
    """The answer's text, its verdict ("yes", "check", "absent"), sources and citations."""

    verdict: str
    text: str
    confidence: float
    sources: list[SearchHit] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)


def answer_clause(
    library: Library,
    model: ClauseModel,
    vectors: Vectors,
    category: Category,
    doc_ids: list[str],
) -> ClauseAnswer:
    """Whether the documents hold a clause of `category`, each cited where one is found."""
    column = model.index(category.name)
    found: list[tuple[float, str, ChunkRecord]] = []
    for doc_id in doc_ids:
        scored = score_document(library, doc_id, model, vectors)
        for row in scored.ranked(category.name):
            found.append((scored.score(category.name), doc_id, scored.chunks[row]))
    found.sort(key=lambda item: -item[0])
    found = found[:MOST_DOCUMENTS]
    statuses = [model.status(column, score) for score, _, _ in found]
    title = category.title.lower()
    if not found or all(status == NOT_FOUND for status in statuses):
        where = _names(library, [doc_id for _, doc_id, _ in found])
        top = found[0][0] if found else 0.0
        return ClauseAnswer(
            "absent",
            f"The contract doesn't say: no {title} clause was found in {where}.",
            model.confidence(column, top),
        )
    answer = ClauseAnswer("yes" if PRESENT in statuses else "check", "", 0.0)
    lines = []
    for (score, _, chunk), status in zip(found, statuses, strict=True):
        if status == NOT_FOUND:
            continue
        hit = passage_hit(library.path_of(chunk.doc_id), chunk, score)
        number = len(answer.sources) + 1
        claim = "Yes" if status == PRESENT else "Check"
        answer.sources.append(hit)
        answer.citations.append(
            quote_in(
                hit,
                0,
                len(hit.text),
                number=number,
                claim=claim,
                support=score,
                supported=status == PRESENT,
                inferred=True,
            )
        )
        lead = "Yes" if status == PRESENT else f"Possibly; check whether this is a {title} clause"
        quote = " ".join(chunk.text.split())
        lines.append(f"{lead} ({hit.title}, page {chunk.page}): \u201c{quote}\u201d [{number}]")
        answer.confidence = max(answer.confidence, model.confidence(column, score))
    answer.text = "\n".join(lines)
    return answer


def _names(library: Library, doc_ids: list[str]) -> str:
    if not doc_ids:
        return "the documents searched"
    return ", ".join(Path(library.path_of(d)).name for d in doc_ids)
