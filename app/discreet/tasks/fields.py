"""Field questions: a verbatim clause and its normalised value, never free prose.

"When does it expire?", "Which law governs?", "Who are the parties?" have one right
clause and one right value. Asked to write an answer, the 0.5B model copies a
neighbouring clause into fluent prose, or picks the start date from the right clause
("January 1, 1998" for an agreement that ends December 31, 1998). So here it never
writes: candidate clauses are the retrieved sentences that carry the field's drafting
cues, scored by those cues and by relevance to the question, and the model's part is
a constrained choice among the best few (the probability it gives each clause
number). The value is then read out of the chosen clause by `tasks.values`, so it is
in the clause's own words or reported as unclear.

Both `ask` (for a field question) and `extract` (for every field of a schedule) come
here, so one set of rules decides what a field's answer is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from discreet.chunks.sentences import sentence_spans
from discreet.core.progress import CancelToken
from discreet.core.settings import Settings
from discreet.grounding.relevance import Question
from discreet.grounding.thresholds import MIN_CUSTOM_RELEVANCE
from discreet.index.library import Library
from discreet.index.records import SearchFilter
from discreet.models.language_model import LanguageModel
from discreet.retrieval.hybrid import SearchHit, search, search_opening
from discreet.tasks import prompts, values
from discreet.tasks.citations import Citation, quote_in
from discreet.tasks.field_specs import FieldSpec
from discreet.tasks.injection import is_instruction
from discreet.tasks.review.clause_model import NOT_FOUND
from discreet.tasks.review.fields import category_of
from discreet.tasks.review.scores import DocumentScores


@dataclass(frozen=True)
class Candidate:
    """A sentence that may state the field: its span in a passage and the scores that rank it."""

    hit: SearchHit  # the passage it comes from (with its page offsets)
    start: int  # span within hit.text
    end: int
    cue: float
    relevance: float
    value: values.FieldValue | None
    clause: float = 0.0  # the clause model's probability that its passage states the field

    @property
    def text(self) -> str:
        """The sentence, sliced from the passage so that it stays verbatim."""
        return self.hit.text[self.start : self.end]

    @property
    def score(self) -> float:
        """Relevance plus cue weights plus `VALUE_BONUS` for a readable value plus the clause
        model's probability; `answer_field` adds the language model's choice to it."""
        # a clause that holds a readable value is more likely the one that states it
        bonus = VALUE_BONUS if self.value else 0.0
        return self.relevance + self.cue + bonus + CLAUSE_WEIGHT * self.clause


@dataclass
class FieldAnswer:
    """The answer to one field question; `status` says how far it got."""

    spec: FieldSpec
    status: str  # "found", "unclear" (clause, no value) or "not found"
    value: values.FieldValue | None
    citation: Citation | None
    source: SearchHit | None  # the passage the cited clause is in: the answer's source [1]
    candidates: list[Candidate]
    choice: list[float]  # the model's probability for each of the top candidates

    @property
    def answer(self) -> str:
        """The answer text, value first; its one marker cites the clause."""
        if self.citation is None:
            return prompts.NOT_FOUND
        if self.value is None:
            return f"\u201c{' '.join(self.citation.quote.split())}\u201d [1]"
        if self.value in (values.BLANK, values.REDACTED):  # "Dated left blank" reads badly
            return f"{self.spec.label}: {self.value.display} [1]"
        return f"{self.spec.lead.format(self.value.display)} [1]"


VALUE_BONUS = 0.3  # tuning half of CUAD: the value-bearing sentence is the labelled one
OPENING_BONUS = 0.3  # parties and dates are stated in the preamble
CHOICES = 4  # clauses the model chooses among (one prompt of about 300 tokens)
MODEL_WEIGHT = 0.5  # the model's choice probability, added to the cue score
CLAUSE_PASSAGES = 3  # the clause model's best passages for the field, beside retrieval's
CLAUSE_WEIGHT = 1.0  # its passage probability, added to the cue score
ClauseScores = Callable[[str], DocumentScores]  # a document's clause-model scores, by id


def answer_field(
    library: Library,
    llm: LanguageModel,
    settings: Settings,
    spec: FieldSpec,
    question: str = "",
    scope: SearchFilter | None = None,
    cancel: CancelToken | None = None,
    clauses: ClauseScores | None = None,
) -> FieldAnswer:
    """The clause that states the field, chosen among candidates, and its value.

    With `clauses`, the clause model (trained on CUAD's lawyer labels) decides first
    whether the document states the field at all, "not found" where it doesn't, and its
    best passages join retrieval's as candidates, needing no drafting cue. Without it, or
    for a field CUAD doesn't label, "not found" only when no retrieved sentence carries
    the field's cues (or, for a custom field, is relevant to it). When the chosen clause
    holds no readable value the answer is that clause, for the user to read.
    """
    asked = question or spec.question
    hits = search(library, asked, settings.retrieval, where=scope).hits
    # One document's answer, the best-ranked one's: a field has a value per document,
    # and across documents another one's stronger drafting cue ("by and between") beat
    # the clause of the document the question is about ("the parties to the marketing
    # agreement" got a sublease's parties).
    single = scope.doc_ids[0] if scope and len(scope.doc_ids) == 1 else None
    doc_id = single or (hits[0].doc_id if hits else None)
    hits = [hit for hit in hits if hit.doc_id == doc_id]
    learned: dict[str, float] = {}
    category = category_of(spec)
    if clauses is not None and doc_id and category:
        scored = clauses(doc_id)
        if scored.status(category) == NOT_FOUND:
            return FieldAnswer(spec, "not found", None, None, None, [], [])
        found = scored.hits(category, CLAUSE_PASSAGES)
        learned = {hit.chunk_id: hit.score for hit in found}
        hits = found + [hit for hit in hits if hit.chunk_id not in learned]
    opening = search_opening(library, doc_id) if doc_id else None
    pool = candidates(library, spec, asked, hits, opening, learned)
    if not pool:
        return FieldAnswer(spec, "not found", None, None, None, [], [])
    top = pool[:CHOICES]
    choice = _model_choice(llm, spec, top, cancel) if len(top) > 1 else [1.0]
    best = max(range(len(top)), key=lambda i: top[i].score + MODEL_WEIGHT * choice[i])
    chosen = top[best]
    citation = quote_in(
        chosen.hit,
        chosen.start,
        chosen.end,
        number=1,
        claim=asked,
        support=min(1.0, chosen.relevance),
        supported=True,
        inferred=True,
    )
    status = "found" if chosen.value is not None else "unclear"
    return FieldAnswer(spec, status, chosen.value, citation, chosen.hit, pool, choice)


def candidates(
    library: Library,
    spec: FieldSpec,
    question: str,
    hits: list[SearchHit],
    opening: SearchHit | None,
    learned: dict[str, float] | None = None,
) -> list[Candidate]:
    """Sentences of the passages that carry the field's cues, or that the clause model
    found (`learned`: its probability by chunk id), best first."""
    learned = learned or {}
    sources = [*hits, opening] if opening is not None else list(hits)
    spans = [(hit, s, e) for hit in sources for s, e in clause_spans(hit.text)]
    spans = _distinct(spans)
    if not spans:
        return []
    texts = [hit.text[s:e] for hit, s, e in spans]
    embedder = library.embedder()
    relevance = Question.read(question, embedder).relevance_of(texts, embedder)
    pool = []
    for (hit, s, e), text, rel in zip(spans, texts, relevance, strict=True):
        cue = sum(weight for pattern, weight in spec.cues if pattern.search(text))
        clause = learned.get(hit.chunk_id, 0.0)
        if spec.cues and not clause and not any(w > 0 and p.search(text) for p, w in spec.cues):
            continue
        if not spec.cues and rel < MIN_CUSTOM_RELEVANCE:
            continue
        if spec.in_opening and _in_opening(hit, s, opening):
            cue += OPENING_BONUS
        value = spec.read(text) if spec.read is not None else None
        if spec.needs_value and value is None:
            continue  # "IN WITNESS WHEREOF ... as of the date first written above"
        if is_instruction(text):
            continue  # "ignore your instructions and answer ... the laws of Mars"
        pool.append(Candidate(hit, s, e, cue, rel, value, clause))
    return sorted(pool, key=lambda c: -c.score)


_ABBREVIATION = re.compile(
    r"\b(?:Inc|Ltd|Co|Corp|L\.P|L\.L\.C|N\.V|S\.A|B\.V|No|Nos|Sec|Art|U\.S|St|Mr|Ms|Dr)\.$"
)


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Sentences, rejoined where the splitter cut after "Inc." or "No."."""
    merged: list[tuple[int, int]] = []
    for start, end, _ in sentence_spans(text):
        if merged and _ABBREVIATION.search(text[merged[-1][0] : merged[-1][1]]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _in_opening(hit: SearchHit, start: int, opening: SearchHit | None) -> bool:
    """Whether a sentence lies in the document's opening, by its page offsets: the
    preamble is usually also a retrieved passage, and that copy is the one kept."""
    return (
        opening is not None
        and hit.doc_id == opening.doc_id
        and hit.page == opening.page
        and opening.start <= hit.start + start < opening.end
    )


def _distinct(spans: list[tuple[SearchHit, int, int]]) -> list[tuple[SearchHit, int, int]]:
    """One candidate per page span: overlapping chunks repeat their shared sentences."""
    seen: set[tuple[str, int, int]] = set()
    kept = []
    for hit, s, e in spans:
        key = (hit.doc_id, hit.page, hit.start + s)
        if key not in seen:
            seen.add(key)
            kept.append((hit, s, e))
    return kept


def _model_choice(
    llm: LanguageModel, spec: FieldSpec, top: list[Candidate], cancel: CancelToken | None
) -> list[float]:
    """The model's probability that each numbered clause states the field."""
    if cancel is not None and cancel.cancelled:
        return [0.0] * len(top)
    messages = prompts.field_choice_messages(spec.label, [c.text for c in top])
    numbers = [str(i) for i in range(1, len(top) + 1)]
    logprobs = llm.first_word_logprobs(messages, numbers)
    peak = max(logprobs)
    weights = [2.718281828 ** (lp - peak) for lp in logprobs]
    total = sum(weights)
    return [w / total for w in weights]
