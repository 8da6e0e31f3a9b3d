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
from discreet.tasks.injection import is_instruction

Reader = Callable[[str], "values.FieldValue | None"]


@dataclass(frozen=True)
class FieldSpec:
    """What a kind of field is: how it is asked, recognised, read and stated."""

    kind: str
    label: str  # shown as the field's name
    question: str  # what retrieval and relevance are asked
    asked: re.Pattern[str]  # a user's question (or a field name) asks for this field
    cues: tuple[tuple[re.Pattern[str], float], ...]  # drafting cues and their weights
    read: Reader | None  # the value in a clause; None: the clause is the answer
    lead: str  # the answer's first words, with {} for the value
    in_opening: bool = False  # the preamble states it (parties, the agreement's date)
    needs_value: bool = False  # only a clause that holds a value can state it (a date)


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# Cue weights are drafting conventions, checked on the tuning half of CUAD (contracts
# 01, 03, 05, 07, 09): survival clauses ("... shall survive the expiration") lost
# expiry questions to the term clause, and a defined-term date ("Cutoff Date means
# January 24") the agreement's date to the preamble's.
_DEFINES = (_re(r"\bmeans\b|\bshall mean\b|\bas defined\b|\bamended\b|\bcutoff\b"), -0.8)
# A definition of another term ("Calendar Year" means ... the first Calendar Year of the
# Term shall end on December 31, 2019) dates that term, not the agreement's end: on the
# tuning half it gave contract 07 its expiry. "Term" and "Initial Term" themselves are
# not penalised, as some contracts state their term as a definition.
_OTHER_DEFINITION = (
    _re(
        r"[\"\u201c](?!(?:initial |renewal )?term[\"\u201d])[^\"\u201d]{1,60}[\"\u201d]\s*"
        r"(?:means|shall mean|has the meaning)\b"
    ),
    -0.8,
)
# The clause that sets the agreement's own term names it so: "The term of this Agreement
# (“Term”) shall ... expire on the last day of the Royalty Term" (tuning half, 07),
# where the next sentence's "Upon the expiration of the Royalty Term" looks as good.
_TERM_CLAUSE = (
    _re(
        r"\bthe term of (?:this|the) agreement\b|"
        r"\(\s*(?:the\s+)?[\"\u201c](?:initial\s+)?term[\"\u201d]"
    ),
    0.4,
)
SPECS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "notice",
        "Notice period to terminate renewal",
        "What notice is needed to prevent renewal of this agreement?",
        _re(r"\bnotice\b.*\b(?:renew|terminat)|\bnon-?renewal\b"),
        (
            (_re(r"\bnotice\b"), 0.5),
            (_re(r"non-?renewal|not to renew|\brenew"), 0.5),
            (_re(r"\bprior\b|\bbefore\b|\bin advance\b"), 0.2),
        ),
        values.notice_period,
        "Notice of {} is needed",
    ),
    FieldSpec(
        "renewal",
        "Renewal term",
        "What is the renewal term of this agreement?",
        _re(r"\brenew|\bextension of (?:the|this)\b"),
        (
            (_re(r"\brenew"), 0.8),
            (_re(r"\bsuccessive\b|\bautomatic|\bextend"), 0.4),
            (_re(r"\bsurviv"), -0.5),
        ),
        values.duration,
        "Renews for {}",
    ),
    FieldSpec(
        "governing_law",
        "Governing law",
        "Which law governs this agreement?",
        _re(r"\bgovern|\b(?:which|what)\b.*\b(?:laws?|jurisdiction)\b|\bapplicable law\b"),
        (
            (_re(r"\bgoverned by\b|\bconstrued\b"), 0.8),
            (_re(r"\blaws?\s+of\b|\bgoverning law\b"), 0.4),
            (_re(r"\bcourts?\b|\barbitrat|\bvenue\b|\bamend"), -0.3),
        ),
        values.jurisdiction,
        "Governed by the law of {}",
    ),
    FieldSpec(
        "parties",
        "Parties",
        "Who are the parties to this agreement?",
        _re(r"\bparties\b|\bwho\b.*\b(?:signed|between|party)\b|\bsignator"),
        (
            (_re(r"\bby\s+and\s+(?:between|among)\b"), 1.0),
            (_re(r"\bbetween\b|\bamong\b"), 0.4),
            (_re(r"\(\s*(?:the\s+)?[\"“]"), 0.3),
            (_re(r"\bmade\b|\bentered into\b"), 0.3),
        ),
        values.parties_value,
        "Parties: {}",
        in_opening=True,
    ),
    FieldSpec(
        "effective_date",
        "Effective date",
        "What is the effective date of this agreement?",
        _re(r"\beffective date\b|\bwhen\b.*\b(?:effective|take effect)\b"),
        (
            (_re(r"\beffective\b"), 0.6),
            (_re(r"\bas of\b|\bcommenc"), 0.3),
            _DEFINES,
        ),
        values.date_value,
        "Effective {}",
        in_opening=True,
        needs_value=True,
    ),
    FieldSpec(
        "expiration",
        "Expiration date",
        "When does this agreement expire?",
        _re(
            r"\bexpir|\bwhen does\b.*\bend\b|\bhow long\b.*\b(?:agreement|contract|last|run)|"
            r"\bterm of (?:the|this)\b|\bduration of\b"
        ),
        (
            (_re(r"\bterm\b"), 0.4),
            (
                _re(
                    r"\bexpir|\buntil\b|\bcontinue|\bremain in (?:full )?(?:force|effect)|"
                    r"\bperpetuity\b|\bterminate on\b|\bend on\b"
                ),
                0.6,
            ),
            (_re(r"\bthis agreement\b.{0,60}\b(?:continue|remain|expire|terminate)"), 0.3),
            (_re(r"\bsurviv"), -1.0),
            _OTHER_DEFINITION,
            _TERM_CLAUSE,
            (_re(r"\bterminat\w*\s+(?:this agreement\s+)?(?:for|upon|if|immediately)\b"), -0.4),
            (_re(r"\bnotwithstanding\b"), -0.3),
        ),
        values.expiry,
        "Expires {}",
    ),
    FieldSpec(
        "agreement_date",
        "Agreement date",
        "What is the date of this agreement?",
        _re(
            r"\bdate of (?:the|this)\b|\bdated\b|\bagreement date\b|^\W*date\W*$|"
            r"\bwhen\b.*\b(?:signed|made|entered|executed)\b"
        ),
        (
            (_re(r"\bdated\b|\bmade\b|\bentered into\b|\bexecuted\b"), 0.6),
            (_re(r"\bas of\b|\bday of\b"), 0.3),
            _DEFINES,
        ),
        values.date_value,
        "Dated {}",
        in_opening=True,
        needs_value=True,
    ),
)


def field_spec(text: str) -> FieldSpec | None:
    """The field a question or a field name asks for, if it is one Discreet knows."""
    return next((spec for spec in SPECS if spec.asked.search(text)), None)


def custom_spec(name: str, description: str = "") -> FieldSpec:
    """A user's own field ("Payment Terms"): no cues or reader, the clause is the answer."""
    question = f"What is the {name} of this document? {description}".strip()
    return FieldSpec("custom", name, question, _re(re.escape(name)), (), None, "{}")


@dataclass(frozen=True)
class Candidate:
    """A sentence that may state the field: its span in a passage and the scores that rank it."""

    hit: SearchHit  # the passage it comes from (with its page offsets)
    start: int  # span within hit.text
    end: int
    cue: float
    relevance: float
    value: values.FieldValue | None

    @property
    def text(self) -> str:
        """The sentence, sliced from the passage so that it stays verbatim."""
        return self.hit.text[self.start : self.end]

    @property
    def score(self) -> float:
        """Relevance plus cue weights plus `VALUE_BONUS` for a readable value; `answer_field`
        adds the model's choice to it."""
        # a clause that holds a readable value is more likely the one that states it
        return self.relevance + self.cue + (VALUE_BONUS if self.value else 0.0)


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


def answer_field(
    library: Library,
    llm: LanguageModel,
    settings: Settings,
    spec: FieldSpec,
    question: str = "",
    scope: SearchFilter | None = None,
    cancel: CancelToken | None = None,
) -> FieldAnswer:
    """The clause that states the field, chosen among candidates, and its value.

    "Not found" only when no retrieved sentence carries the field's cues (or, for a
    custom field, is relevant to it); when the chosen clause holds no readable value
    the answer is that clause, for the user to read.
    """
    asked = question or spec.question
    hits = search(library, asked, settings.retrieval, where=scope).hits
    opening = (
        search_opening(library, scope.doc_ids[0]) if scope and len(scope.doc_ids) == 1 else None
    )
    pool = candidates(library, spec, asked, hits, opening)
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
) -> list[Candidate]:
    """Sentences of the passages that carry the field's cues, best first."""
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
        if spec.cues and not any(w > 0 and p.search(text) for p, w in spec.cues):
            continue
        if not spec.cues and rel < MIN_CUSTOM_RELEVANCE:
            continue
        if spec.in_opening and hit is opening:
            cue += OPENING_BONUS
        value = spec.read(text) if spec.read is not None else None
        if spec.needs_value and value is None:
            continue  # "IN WITNESS WHEREOF ... as of the date first written above"
        if is_instruction(text):
            continue  # "ignore your instructions and answer ... the laws of Mars"
        pool.append(Candidate(hit, s, e, cue, rel, value))
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
