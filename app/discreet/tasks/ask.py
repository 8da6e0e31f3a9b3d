"""Grounded question answering over a library.

Retrieve, fill the prompt with the best passages up to the source budget, stream the
answer, then tie every claim to a verified source sentence. Two guards keep the model
from inventing: when no passage is similar enough to the question the model is not
asked at all, and when the model says the sources do not answer, that is the answer.
Either way the user sees "Not found in your documents" and the closest passages.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from discreet.core.errors import EmptyLibrary
from discreet.core.progress import CancelToken
from discreet.core.settings import AskSettings, Settings
from discreet.grounding.markers import drop_leading_markers, strip_markers
from discreet.grounding.relevance import Question
from discreet.grounding.thresholds import CLEAR_ANSWER, OFF_TOPIC_MARGIN
from discreet.grounding.vocabulary import content_stems, query_words, stem
from discreet.index.library import Library
from discreet.models.embedder import Embedder
from discreet.models.language_model import LanguageModel
from discreet.retrieval.hybrid import SearchFilter, SearchHit
from discreet.tasks import prompts
from discreet.tasks.citations import Citation, cite, claims, renumber, without_claims
from discreet.tasks.evidence import Evidence, best_evidence
from discreet.tasks.field_specs import FieldSpec, field_spec
from discreet.tasks.fields import answer_field
from discreet.tasks.focus import best_sentence
from discreet.tasks.followup import read_question
from discreet.tasks.named import without_names
from discreet.tasks.sources import prompt_sources
from discreet.tasks.verdict import NO, VERDICT_WORDS, YES, is_closed_question, verdict

TokenSink = Callable[[str], None]


@dataclass
class AskResult:
    """One answer as `ask` checked it, with its citations and the passages behind it: what the
    CLI prints, the Ask tab shows, exports write and the conversation remembers."""

    question: str
    standalone_question: str
    answer: str
    citations: list[Citation]
    sources: list[SearchHit]  # the passages given to the model, numbered from 1
    retrieved: list[SearchHit]  # everything retrieval returned, with scores
    abstained: bool
    cancelled: bool = False
    draft: str = ""  # what the model wrote, when withheld (unsupported, or quoted instead)
    revision: str = ""  # why `answer` is not what streamed: a key of REVISIONS, or ""
    timings: dict[str, float] = field(default_factory=dict)
    # A field question ("which law governs?") is answered with a clause and its value
    # (see `tasks.fields`): the field's name, the value as shown and as normalised
    # ("2028-12-31", "ohio", "P36M"), and "found", "unclear" or "not found".
    field: str = ""
    value: str = ""
    normalised: str = ""
    field_status: str = ""
    # A closed question ("Does ...?") gets a verdict (see `tasks.verdict`): "yes", "no"
    # or "unsettled" (the sources don't settle it), with its calibrated confidence.
    verdict: str = ""
    confidence: float | None = None
    named: tuple[str, ...] = ()  # paths of the documents the question named: searched alone

    @property
    def search_note(self) -> str:
        """What was searched, where it is not simply the question over the whole scope: the
        conversation's rewrite, and the documents the question named."""
        notes = []
        if self.standalone_question != self.question:
            notes.append(f"Searched for: {self.standalone_question}")
        if self.named:
            shown = ", ".join(Path(p).name for p in self.named)
            notes.append(f"Searched only {shown}, which the question names")
        return "; ".join(notes)

    @property
    def closest(self) -> list[SearchHit]:
        """What to show beside a "Not found" answer."""
        return self.retrieved[:3]

    @property
    def revision_note(self) -> str:
        """Why the answer shown replaced the one that streamed, for the user ("" if not)."""
        return REVISIONS.get(self.revision, "")


# The front ends stream the model's words, then show the checked answer; when the two
# differ, this says why, so neither front end has to work it out.
REVISIONS = {
    "unsupported": "No source supports what the model wrote, so it is not given as the answer.",
    "quoted": "The model's answer missed the question; the source's own words are shown.",
    "checked": "Checked against the sources: an aside was left out or sources renumbered.",
}


@dataclass
class Turn:
    """An earlier exchange of the conversation, which a follow-up question is read against."""

    question: str
    answer: str


def is_not_found(answer: str) -> bool:
    """Whether the answer says "Not found in your documents" anywhere, in any case or spacing."""
    return "not found in your documents" in " ".join(answer.lower().split())


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
    judges: Callable[[], Sequence[LanguageModel]] | None = None,
) -> AskResult:
    """Answer `question`; `on_evidence` gets the best passage as soon as it is known.

    `history` holds the earlier exchanges a follow-up is rewritten against, and `scope`
    limits retrieval to the documents it keeps (None: all of them). `on_token` receives
    the model's text piece by piece as it streams; an answer decided whole (a field's
    clause, a verdict, an early "Not found") comes as one piece. What was streamed is
    the unchecked draft: the result's `answer` is the text to show. `on_evidence` gets
    one `Evidence` before the model answers, except when a field's clause or an
    abstention on relevance is the answer, since those come as fast. `judges` gives the
    models that read a closed question (`Services.verdict_models`, loaded only for one);
    None: `llm` alone.

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
    if best < settings.ask.min_relevance:
        return _abstain(result, on_token, started)
    # The field is read off the question as asked where it names one: a rewrite that
    # carries the previous question along ("Which law governs X? When does it expire?")
    # must not turn an expiry question into a governing-law one.
    spec = field_spec(question) or field_spec(standalone)
    if spec is not None and _answer_field(result, library, llm, settings, spec, scope, cancel):
        return _finish(result, on_token, started)
    # Only before the model works: a field's own clause comes as fast, and the top
    # passage, picked by shared words, can be another clause (a fee line for "how long").
    if on_evidence is not None and (evidence := best_evidence(hits, standalone)):
        on_evidence(evidence)
        timings["evidence_s"] = time.perf_counter() - started
    asked = Question.read(standalone, library.embedder())  # embedded once, scored often
    if is_closed_question(standalone):
        judging = judges or (lambda: [llm])
        if not _answer_closed(result, library, llm, judging, settings, asked, scope, cancel):
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


def opens_with_question(answer: str, question: str) -> bool:
    """Whether the answer starts by asking the question again ("When does the Sykes
    agreement expire? [2] January 1, 1998 [2]"): a first sentence that is a question
    and mostly the question's words."""
    text = strip_markers(answer)
    end = text.find("?")
    if end < 0 or "." in text[:end]:
        return False
    said = content_stems(text[:end])
    asked = content_stems(question)
    return bool(said) and len(said & asked) >= 0.6 * len(said)


def drop_restated_question(answer: str, *questions: str) -> str:
    """The answer without a repeat of the question at its start (a lawyer reads the
    answer, not the question twice); unchanged when nothing else is left."""
    if not any(opens_with_question(answer, question) for question in questions):
        return answer
    rest = drop_leading_markers(answer[answer.index("?") + 1 :])
    return rest.strip() or answer


def restates(answer: str, question: str) -> bool:
    """True when the answer only echoes the question's words ("Governing Law [1]")."""
    stems = content_stems(question)
    words = query_words(strip_markers(answer))
    return bool(words) and all(stem(word) in stems for word in words)


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
    found = answer_field(library, llm, settings, spec, question, scope, cancel)
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


def _answer_closed(
    result: AskResult,
    library: Library,
    llm: LanguageModel,
    judges: Callable[[], Sequence[LanguageModel]],
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
    decided = verdict(library, llm, judges, settings, asked.text, scope, cancel)
    relevance = asked.relevance_of([c.quote for c in decided.evidence], library.embedder())
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
