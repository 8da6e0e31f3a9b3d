"""The rules that revise a streamed answer before it is shown.

Once the model has answered, its claims are cited; an answer that misses the question
gives way to the source sentence that plainly answers it, quoted; what the model copied
from an off-question source is left out; and the result says which of these happened
(`revision`). These rules decide with grounding's relevance (`grounding.relevance`) and
thresholds (`OFF_TOPIC_MARGIN`, `CLEAR_ANSWER`), but they act on an `AskResult` through
the citations (`tasks.citations`), the best sentence (`tasks.focus`) and the restatement
check (`tasks.restated`), all a layer above grounding, so they live here, beside `ask`.
"""

from __future__ import annotations

from discreet.core.settings import AskSettings
from discreet.grounding.relevance import Question
from discreet.grounding.thresholds import CLEAR_ANSWER, OFF_TOPIC_MARGIN
from discreet.index.library import Library
from discreet.models.embedder import Embedder
from discreet.tasks.ask_result import AskResult, is_not_found
from discreet.tasks.citations import Citation, cite, claims, without_claims
from discreet.tasks.focus import best_sentence
from discreet.tasks.restated import restates


def cite_or_quote(
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


def revision(result: AskResult, streamed: str) -> str:
    """Why the answer shown is not what streamed: a key of `ask_result.REVISIONS`
    ("unsupported", "quoted", "checked"), or "" when it is, or the answer was stopped."""
    if result.cancelled:
        return ""
    if result.abstained:
        return "unsupported" if result.draft and not is_not_found(result.draft) else ""
    if result.draft:
        return "quoted"
    return "checked" if result.answer != streamed else ""
