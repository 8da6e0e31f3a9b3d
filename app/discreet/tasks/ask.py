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
from discreet.core.settings import AskSettings, Settings
from discreet.grounding.relevance import Question
from discreet.grounding.thresholds import CLEAR_ANSWER, OFF_TOPIC_MARGIN
from discreet.index.library import Library
from discreet.models.embedder import Embedder
from discreet.models.language_model import LanguageModel
from discreet.retrieval.hybrid import SearchFilter, SearchHit
from discreet.tasks import prompts
from discreet.tasks.ask_result import AskResult, Turn, is_not_found
from discreet.tasks.citations import Citation, cite, claims, renumber, without_claims
from discreet.tasks.evidence import Evidence, best_evidence
from discreet.tasks.field_specs import FieldSpec, field_spec
from discreet.tasks.fields import ClauseScores, answer_field
from discreet.tasks.focus import best_sentence
from discreet.tasks.followup import read_question
from discreet.tasks.named import without_names
from discreet.tasks.restated import drop_restated_question, restates
from discreet.tasks.review.answers import answer_clause
from discreet.tasks.review.categories import CLAUSE, Category
from discreet.tasks.review.fields import spec_of
from discreet.tasks.review.loading import ReviewModels, scored_once
from discreet.tasks.sources import prompt_sources
from discreet.tasks.verdicts.closed import is_closed_question, question_part
from discreet.tasks.verdicts.loading import VerdictModels
from discreet.tasks.verdicts.roles import leads_with_a_study
from discreet.tasks.verdicts.verdict import NO, VERDICT_WORDS, YES, verdict

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
    category = _category(review, question, standalone)
    category = None if category and _about_a_study(library, hits, verdicts) else category
    if review and category and category.kind == CLAUSE and is_closed_question(standalone):
        _answer_clause(result, library, review, category, scope)
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
        and _answer_field(result, library, llm, settings, spec, scope, cancel, clauses)
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
        if not _answer_closed(result, library, llm, verdicts, settings, asked, scope, cancel):
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
        _cite_or_quote(result, library, settings.ask, asked)
    result.answer = renumber(result.answer, result.citations)
    if is_not_found(result.answer) or (
        not result.cancelled and not any(c.supported for c in result.citations)
    ):
        result.abstained = True  # the model declined, or no source supports its answer
        result.draft = result.draft or result.answer
        result.answer = prompts.NOT_FOUND
        result.citations = []
    result.revision = _revision(result, stream.text.strip())
    timings["total_s"] = time.perf_counter() - started
    return result


def _revision(result: AskResult, streamed: str) -> str:
    if result.cancelled:
        return ""
    if result.abstained:
        return "unsupported" if result.draft and not is_not_found(result.draft) else ""
    if result.draft:
        return "quoted"
    return "checked" if result.answer != streamed else ""


def _cite_or_quote(
    result: AskResult, library: Library, settings: AskSettings, question: Question
) -> None:
    """Cite the answer; quote the source instead when the answer misses the question.

    The 0.5B model sometimes replies "[1] [2]" (on CUAD, to one question in six),
    echoes the question ("[1] Governing Law"), or copies a neighbouring clause
    ("9.8 Severability" for "which law governs?") while a source sentence plainly
    answers. When both what it says and the source sentences that support it are far
    less relevant to the question than the best source sentence (question relevance,
    `tasks.focus`), that sentence, quoted verbatim, is the answer: checkable, and not
    invented. Only a clearly relevant sentence may replace the model's words, so a
    weak match still ends in "Not found".
    """
    embedder = library.embedder()

    def run_cite() -> list[Citation]:
        return cite(result.answer, result.sources, embedder, settings.min_support, question.text)

    result.citations = run_cite()
    index, sentence, best = best_sentence(result.sources, question, embedder)
    topical = _claim_relevance(result, question, embedder)
    on_topic = max(topical.values(), default=0.0)
    missed = (
        not result.citations
        or restates(result.answer, question.text)
        or on_topic < best - OFF_TOPIC_MARGIN
    )
    if missed and (best >= CLEAR_ANSWER or not topical):
        result.draft = result.answer
        # the page's line breaks go: the citation keeps the verbatim text
        result.answer = f"\u201c{' '.join(sentence.split())}\u201d [{index + 1}]"
        result.citations = run_cite()
        return
    _leave_out_asides(result, topical, on_topic - OFF_TOPIC_MARGIN)


def _leave_out_asides(result: AskResult, topical: dict[str, float], threshold: float) -> None:
    """Drop what the model copied from a further source that is off the question.

    It often copies one whole ("[2] 11.7 Assignment. ..." after the governing-law
    clause). A sentence below `threshold` goes when it cites only sources that no
    on-topic sentence cites; that test spares the rest of a sentence the splitter cut
    ("... Paratek Pharmaceuticals, Inc. [5]" / "and CARBOGEN AMCIS AG.").
    """
    cited: dict[str, set[int]] = {}
    for c in result.citations:
        cited.setdefault(c.claim, set()).add(c.number)
    kept = {
        n for claim, score in topical.items() if score >= threshold for n in cited.get(claim, ())
    }
    asides = {
        claim
        for claim, score in topical.items()
        if score < threshold and cited.get(claim) and cited[claim].isdisjoint(kept)
    }
    if asides:
        result.answer = without_claims(result.answer, asides)
        result.citations = [c for c in result.citations if c.claim not in asides]


def _claim_relevance(result: AskResult, question: Question, embedder: Embedder) -> dict[str, float]:
    """Each claim's relevance to the question: its own or its supporting sentence's.

    The supporting sentence counts because a bare value ("PSiTech Corporation and
    Empirical Ventures, Inc.") shares no word with "who are the parties?" while the
    preamble it comes from does.
    """
    said = [claim for claim, _ in claims(result.answer)]
    backing = [(c.claim, c.quote) for c in result.citations if c.supported]
    scores = question.relevance_of(said + [quote for _, quote in backing], embedder)
    relevance = dict(zip(said, scores[: len(said)], strict=True))
    for (claim, _), score in zip(backing, scores[len(said) :], strict=True):
        relevance[claim] = max(relevance.get(claim, 0.0), score)
    return relevance


def _answer_field(
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


def _category(review: ReviewModels | None, question: str, standalone: str) -> Category | None:
    """The category the question asks about, as asked or else as rewritten; None without
    the review's router or when it is about none."""
    if review is None:
        return None
    found = review.route(question).category
    if found is None and standalone != question:
        found = review.route(standalone).category
    return found


def _about_a_study(library: Library, hits: list[SearchHit], verdicts: VerdictModels | None) -> bool:
    """A question about a study goes the study's way, whatever words it shares with a
    contract clause's ("Is it worth the price?" is no price restriction)."""
    return verdicts is not None and leads_with_a_study(library, hits, verdicts.roles)


def _answer_clause(
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


def _answer_closed(
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
