"""Answers decided whole rather than streamed: a contract field read from the clause that
states it, whether a contract has a clause of a category (the clause model's call), and
a closed question's verdict with the sentences that decide it.

`ask` tries these before the open, streamed answer; each fills the `AskResult` and says
whether it answered, so the question otherwise goes the open way.
"""

from __future__ import annotations

from discreet.core.progress import CancelToken
from discreet.core.settings import Settings
from discreet.grounding.relevance import Question
from discreet.grounding.thresholds import CLEAR_ANSWER
from discreet.index.library import Library
from discreet.models.language_model import LanguageModel
from discreet.retrieval.hybrid import SearchFilter, SearchHit
from discreet.tasks.ask_result import AskResult
from discreet.tasks.field_specs import FieldSpec
from discreet.tasks.fields import ClauseScores, answer_field
from discreet.tasks.review.answers import answer_clause
from discreet.tasks.review.categories import Category
from discreet.tasks.review.loading import ReviewModels
from discreet.tasks.verdicts.closed import is_closed_question, question_part
from discreet.tasks.verdicts.loading import VerdictModels
from discreet.tasks.verdicts.roles import leads_with_a_study
from discreet.tasks.verdicts.verdict import NO, VERDICT_WORDS, YES, verdict


def asked_category(review: ReviewModels | None, question: str, standalone: str) -> Category | None:
    """The category the question asks about, as asked or else as rewritten; None without
    the review's router or when it is about none."""
    if review is None:
        return None
    found = review.route(question).category
    if found is None and standalone != question:
        found = review.route(standalone).category
    return found


def about_a_study(library: Library, hits: list[SearchHit], verdicts: VerdictModels | None) -> bool:
    """A question about a study goes the study's way, whatever words it shares with a
    contract clause's ("Is it worth the price?" is no price restriction)."""
    return verdicts is not None and leads_with_a_study(library, hits, verdicts.roles)


def answer_from_clause(
    result: AskResult,
    library: Library,
    review: ReviewModels,
    category: Category,
    scope: SearchFilter | None,
) -> None:
    """Is there such a clause? The clause model answers for the documents in scope, or
    else the ones retrieval ranked first."""
    doc_ids = list(scope.doc_ids) if scope is not None and scope.doc_ids else []
    for hit in result.retrieved:
        if not scope or not scope.doc_ids:
            doc_ids += [] if hit.doc_id in doc_ids else [hit.doc_id]
    answer = answer_clause(library, review.clauses, review.vectors(library), category, doc_ids)
    result.field, result.verdict = category.title, answer.verdict
    result.answer, result.confidence = answer.text, answer.confidence
    result.sources, result.citations = answer.sources, answer.citations


def answer_from_field(
    result: AskResult,
    library: Library,
    llm: LanguageModel,
    settings: Settings,
    spec: FieldSpec,
    scope: SearchFilter | None,
    cancel: CancelToken,
    clauses: ClauseScores | None,
) -> bool:
    """Answer with the clause that states the field; False when no clause carries it.

    Then an open question goes the open way, whose own guards still end in "Not
    found" when nothing supports an answer, and a closed one gets a verdict. A closed
    question that states the field's value ("Is it governed by Kansas law?") is
    answered Yes or No by comparing that value with the clause's: reading a value is
    exact where the model's yes/no is a guess, so no confidence goes with it.
    """
    question = result.standalone_question
    closed = is_closed_question(question)
    claimed = spec.read(question) if closed and spec.read is not None else None
    if closed and (claimed is None or not claimed.canonical):
        return False  # "Does it renew automatically?": nothing to compare
    found = answer_field(library, llm, settings, spec, question, scope, cancel, clauses)
    if found.citation is None or found.source is None:
        return False
    if claimed is not None and found.value is None:
        return False
    result.field, result.field_status = spec.label, found.status
    result.sources, result.citations, result.answer = [found.source], [found.citation], found.answer
    if found.value is not None:
        result.value, result.normalised = found.value.display, found.value.canonical
    if claimed is not None:
        result.verdict = YES if result.normalised == claimed.canonical else NO
        result.answer = f"{VERDICT_WORDS[result.verdict]}. {found.answer}"
    return True


def answer_closed(
    result: AskResult,
    library: Library,
    llm: LanguageModel,
    verdicts: VerdictModels | None,
    settings: Settings,
    asked: Question,
    scope: SearchFilter | None,
    cancel: CancelToken,
) -> bool:
    """Answer with a verdict word first, then the sentences that decide it, quoted.

    False, for "Not found", when none of those sentences plainly bears on the question
    (`CLEAR_ANSWER`): sources on another subject settle nothing, and saying they
    "don't settle this" would suggest they are about it.
    """
    decided = verdict(library, llm, verdicts, settings, question_part(asked.text), scope, cancel)
    # A study's findings report numbers, not the question's words; whether the study is
    # about the question shows in its passages (aims, methods) instead.
    about = [h.text for h in decided.sources] if decided.study else []
    relevance = asked.relevance_of([c.quote for c in decided.evidence] + about, library.embedder())
    if max(relevance, default=0.0) < CLEAR_ANSWER:
        return False
    result.verdict, result.confidence = decided.label, decided.confidence
    result.sources, result.citations = decided.sources, decided.evidence
    result.answer = decided.text()
    return True
