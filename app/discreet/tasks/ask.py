"""Grounded question answering over a library.

Retrieve, fill the prompt with the best passages up to the source budget, stream the
answer, then tie every claim to a verified source sentence. Two guards keep the model
from inventing: when no passage is similar enough to the question the model is not
asked at all, and when the model says the sources do not answer, that is the answer.
Either way the user sees "Not found in your documents" and the closest passages.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from discreet.core.errors import EmptyLibrary
from discreet.core.progress import CancelToken
from discreet.core.settings import Settings
from discreet.grounding.relevance import Question
from discreet.index.library import Library
from discreet.models.language_model import LanguageModel
from discreet.retrieval.hybrid import SearchFilter
from discreet.tasks import prompts
from discreet.tasks.answer_revision import cite_or_quote, revision
from discreet.tasks.answer_routes import (
    about_a_study,
    answer_closed,
    answer_from_clause,
    answer_from_field,
    asked_category,
)
from discreet.tasks.ask_result import AskResult, Turn, is_not_found
from discreet.tasks.citations import renumber
from discreet.tasks.evidence import Evidence, best_evidence
from discreet.tasks.field_specs import field_spec
from discreet.tasks.followup import read_question
from discreet.tasks.named import without_names
from discreet.tasks.restated import drop_restated_question
from discreet.tasks.review.categories import CLAUSE
from discreet.tasks.review.fields import spec_of
from discreet.tasks.review.loading import ReviewModels, scored_once
from discreet.tasks.sources import prompt_sources
from discreet.tasks.verdicts.closed import is_closed_question
from discreet.tasks.verdicts.loading import VerdictModels

TokenSink = Callable[[str], None]


def ask(
    library: Library,
    llm: LanguageModel,
    settings: Settings,
    question: str,
    history: list[Turn] | None = None,
    scope: SearchFilter | None = None,
    on_token: TokenSink | None = None,
    cancel: CancelToken | None = None,
    on_evidence: Callable[[Evidence], None] | None = None,
    verdicts: VerdictModels | None = None,
    review: ReviewModels | None = None,
) -> AskResult:
    """Answer `question`; `on_evidence` gets the best passage as soon as it is known.

    `history` holds the earlier exchanges a follow-up is rewritten against, and `scope`
    limits retrieval to the documents it keeps (None: all of them). `on_token` receives
    the model's text piece by piece as it streams; an answer decided whole (a field's
    clause, a verdict, an early "Not found") comes as one piece. What was streamed is
    the unchecked draft: the result's `answer` is the text to show. `on_evidence` gets
    one `Evidence` before the model answers, except when a field's clause or an
    abstention on relevance is the answer, since those come as fast. `verdicts` tells a
    study and reads a closed question about one (`Services.verdict_models`, its reader
    loaded only for one); None: closed questions get their quoted sentences, unsettled.
    `review` (`Services.review_models`) decides which contract field
    or clause category a question asks about, however it is worded, and answers a closed
    question about a clause category from the clause model; None: the field names alone.

    When it abstains, `abstained` is True, `answer` is `prompts.NOT_FOUND` with no
    citations, `closest` holds the passages to show beside it, and `draft` what the
    model wrote, if it wrote anything. A Stop during the stream is no error: the result
    comes back with `cancelled` True and the partial answer, uncited.

    Raises `EmptyLibrary` when the library has no text to search, and
    `LibraryNeedsReembedding` when its vectors came from another embedder.
    """
    if library.counts()[1] == 0:
        raise EmptyLibrary(library.name)
    started = time.perf_counter()
    cancel = cancel or CancelToken()
    chosen = scope is not None and scope.active  # the user's choice: no naming
    named, searched = ([], question) if chosen else without_names(library, question)
    scope = SearchFilter(doc_ids=tuple(named)) if named else scope
    pairs = [(t.question, t.answer) for t in history or []]
    reading = read_question(library, llm, settings.retrieval, searched, pairs, scope, cancel)
    standalone, retrieval = reading.question, reading.retrieval
    timings = {"retrieval_s": retrieval.timings.get("total_s", 0.0)}
    hits = retrieval.hits
    best = max((h.dense_score for h in hits if h.dense_score is not None), default=0.0)
    result = AskResult(question, standalone, "", [], [], hits, abstained=False, timings=timings)
    result.named = tuple(r.path for r in library.files_of(named))
    # The category is read off the question as asked where it names one: a rewrite that
    # carries the previous question along ("Which law governs X? When does it expire?")
    # must not turn an expiry question into a governing-law one.
    category = asked_category(review, question, standalone)
    category = None if category and about_a_study(library, hits, verdicts) else category
    if review and category and category.kind == CLAUSE and is_closed_question(standalone):
        answer_from_clause(result, library, review, category, scope)
        return _finish(result, on_token, started)
    spec = (
        spec_of(category) if review is not None else field_spec(question) or field_spec(standalone)
    )
    clauses = scored_once(library, review) if review is not None else None
    # The relevance gate is for answers drawn from retrieved passages; a field the router
    # recognised is read from the clauses the clause model finds, which says itself when a
    # document doesn't state the field (reworded field questions were turned away).
    relevant = best >= settings.ask.min_relevance
    if (
        spec is not None
        and (relevant or clauses is not None)
        and answer_from_field(result, library, llm, settings, spec, scope, cancel, clauses)
    ):
        return _finish(result, on_token, started)
    if not relevant:
        return _abstain(result, on_token, started)
    # Only before the model works: a field's own clause comes as fast, and the top
    # passage, picked by shared words, can be another clause (a fee line for "how long").
    if on_evidence is not None and (evidence := best_evidence(hits, standalone)):
        on_evidence(evidence)
        timings["evidence_s"] = time.perf_counter() - started
    asked = Question.read(standalone, library.embedder())  # embedded once, scored often
    if is_closed_question(standalone):
        if not answer_closed(result, library, llm, verdicts, settings, asked, scope, cancel):
            return _abstain(result, on_token, started)
        return _finish(result, on_token, started)

    result.sources = prompt_sources(library, llm, hits, scope, settings.ask, asked)
    messages = prompts.ask_messages(standalone, [h.text for h in result.sources])
    stream = llm.chat(messages, settings.ask.answer_tokens, cancel)
    for piece in stream:
        if "ttft_s" not in timings:
            timings["ttft_s"] = time.perf_counter() - started
        if on_token is not None:
            on_token(piece)
    result.answer = drop_restated_question(stream.text.strip(), question, standalone)
    result.cancelled = stream.stats.finish_reason == "cancelled"
    if not is_not_found(result.answer) and not result.cancelled:
        cite_or_quote(result, library, settings.ask, asked)
    result.answer = renumber(result.answer, result.citations)
    if is_not_found(result.answer) or (
        not result.cancelled and not any(c.supported for c in result.citations)
    ):
        result.abstained = True  # the model declined, or no source supports its answer
        result.draft = result.draft or result.answer
        result.answer = prompts.NOT_FOUND
        result.citations = []
    result.revision = revision(result, stream.text.strip())
    timings["total_s"] = time.perf_counter() - started
    return result


def _abstain(result: AskResult, on_token: TokenSink | None, started: float) -> AskResult:
    result.abstained = True
    result.answer = prompts.NOT_FOUND
    return _finish(result, on_token, started)


def _finish(result: AskResult, on_token: TokenSink | None, started: float) -> AskResult:
    """Deliver an answer that was decided whole rather than streamed."""
    result.timings["ttft_s"] = time.perf_counter() - started
    if on_token is not None:
        on_token(result.answer)
    result.timings["total_s"] = result.timings["ttft_s"]
    return result
