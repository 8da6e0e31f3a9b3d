"""Closed questions ("Does ...?", "Is ...?") answered Yes, No or "don't settle".

A verdict is read, never written: the model is shown the findings of the document
retrieval ranks first (its sentences that report a result, most relevant to the
question first) after two fixed demonstrations, and the probability it gives "yes"
against "no" as the first word of its reply is taken (`LLM.first_word_logprobs`).
Three steps make that an honest verdict:

- contextual calibration: the model's lean on a content-free input ("N/A") is taken
  off, so a model nobody calibrated starts from even odds;
- Platt scaling, fitted per model on the tuning half of PubMedQA, turns the log-odds
  into a probability of "yes" (bench/verdicts.py fits it and checks the constants);
- below a confidence threshold the verdict is "unsettled": the sources don't settle
  it, and the user reads the quoted findings instead.

Where both bundled models are at hand, a panel reads the question three ways (the
fast model on the findings, again with its demonstrations in the other order, and the
accurate model on the document's passages in order) and one fitted logistic model
weighs the three: on held-out PubMedQA that orders yes above no questions better than
the fast model alone (AUC 0.80 against 0.72) and gives a verdict to more of them (26%
against 20%), about as often right (77% against 80%; see `CALIBRATIONS`). Alone, the
0.5B model's reading is weak, so most of its verdicts come out "unsettled"; the
confidence says how far a Yes or No can be trusted.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from discreet.chunks.sentences import sentence_spans
from discreet.core.progress import CancelToken
from discreet.core.settings import Settings
from discreet.grounding.thresholds import EVIDENCE, EVIDENCE_MARGIN
from discreet.index.library import Library
from discreet.index.records import SearchFilter
from discreet.models.language_model import LanguageModel
from discreet.retrieval.hybrid import SearchHit, search
from discreet.tasks import prompts
from discreet.tasks.citations import Citation, quote_in
from discreet.tasks.findings import findings as read_findings
from discreet.tasks.injection import trusted
from discreet.tasks.sources import fill

# Words that open a yes/no question, negated forms included ("Doesn't it renew?").
_AUXILIARIES = frozenset(
    re.findall(
        r"\w+",
        "am is are was were be do does did has have had can could shall should will would "
        "may might must need",
    )
)
_WH_WORDS = frozenset(re.findall(r"\w+", "what who whom whose when where which why how"))
# A clause opens at the start, or after a lead-in that ends in ":", ",", ";" or a dash
# ("In adults, does ...", "Fatigue in Sjogren's syndrome: is there a link ...").
_CLAUSE_OPENING = re.compile(r"(?:^|[:;,\u2013\u2014]|--|\s-\s)\s*[\"'(\[]*([A-Za-z']+)")
# "Is it benign or malignant?" asks to choose, not to confirm; a list ("X, Y, or Z")
# and "... or not?" still ask yes or no.
_EITHER_OR = re.compile(r"[^,\s]\s+or\s+(?!not\b|no\b)", re.I)


def is_closed_question(question: str) -> bool:
    """Whether the question asks for yes or no rather than for a fact or a choice.

    The first clause that opens with a question word decides: an auxiliary verb makes
    it closed, a wh-word open. After a lead-in the text must end in "?", so that a
    statement with a comma ("The lease, as amended, is valid") is not taken for one.
    """
    text = question.strip()
    for match in _CLAUSE_OPENING.finditer(text):
        word = match.group(1).lower()
        word = word[:-3] if word.endswith("n't") else word
        if word in _WH_WORDS:
            return False
        if word in _AUXILIARIES or word in ("ca", "wo", "sha"):  # can't, won't, shan't
            if match.start() > 0 and not text.endswith("?"):
                return False
            return not _EITHER_OR.search(text[match.start(1) :])
    return False


YES, NO, UNSETTLED = "yes", "no", "unsettled"
VERDICT_WORDS = {YES: "Yes", NO: "No", UNSETTLED: "The sources don't settle this"}


@dataclass
class Verdict:
    """A closed question's answer, with the source sentences that decide it."""

    question: str
    label: str  # YES, NO or UNSETTLED ("the sources don't settle this")
    confidence: float  # calibrated probability of the label given (of "yes" or "no")
    p_yes: float  # calibrated probability that the answer is yes
    evidence: list[Citation]  # the deciding sentences, most relevant first
    sources: list[SearchHit]  # the passages they were read from

    def text(self) -> str:
        """The answer as shown: the verdict word first, its confidence when it is a Yes
        or a No, then the deciding sentences quoted with their source numbers."""
        sure = "" if self.label == UNSETTLED else f" (confidence {self.confidence:.0%})"
        shown = " ".join(
            f"\u201c{' '.join(c.quote.split())}\u201d [{c.number}]" for c in self.evidence
        )
        return f"{VERDICT_WORDS[self.label]}{sure}. {shown}".strip()


@dataclass(frozen=True)
class Reading:
    """What the model made of the sources, before calibration.

    Kept apart from the verdict so that a benchmark can fit the calibration on many
    questions without asking the model again.
    """

    # Per probe of the panel: log P(yes) - log P(no) for the reply's first word, shifted
    # by the probe's content-free lean (below).
    log_odds: tuple[float, ...]
    findings: list[SearchHit]  # the sentences the model read, each a slice of a source
    relevance: list[float]  # each finding's relevance to the question, highest first
    sources: list[SearchHit]
    relevant: bool  # False when no retrieved passage is near the question
    # The sources are a study report, the kind of text the calibrations were fitted on.
    # On anything else (a contract) a confidence would be a number nobody measured.
    study: bool = True

    @property
    def needs_models(self) -> bool:
        """Whether the models' readings could change the verdict."""
        return self.relevant and self.study


@dataclass(frozen=True)
class Calibration:
    """Maps a panel's log-odds to a probability of "yes" (Platt scaling, one weight per
    probe), with the confidence below which the verdict is "unsettled"."""

    weights: tuple[float, ...]
    intercept: float
    threshold: float

    def p_yes(self, log_odds: Sequence[float]) -> float:
        """The calibrated probability that the answer is yes, given a reading's log-odds."""
        score = sum(w * x for w, x in zip(self.weights, log_odds, strict=True))
        return 1.0 / (1.0 + math.exp(-(score + self.intercept)))


@dataclass(frozen=True)
class Probe:
    """One way of asking a model for the verdict."""

    model: LanguageModel
    document: bool = False  # the document's passages in order, not its findings
    reversed_demos: bool = False  # the "No" demonstration first

    @property
    def key(self) -> str:
        """Names the probe in `CALIBRATIONS`: model, what it reads, demonstration order."""
        read = "document" if self.document else "findings"
        return f"{self.model.entry.name}:{read}" + (":reversed" if self.reversed_demos else "")


def panel(models: Sequence[LanguageModel]) -> list[Probe]:
    """The probes for the models at hand: one model reads the findings; the fast and the
    accurate model together read three ways (chosen on PubMedQA's tuning half, where
    the three combined ordered yes above no questions better than any one: AUC 0.83
    against 0.73 to 0.80)."""
    if len(models) == 1:
        return [Probe(models[0])]
    fast, accurate = models
    return [Probe(fast), Probe(fast, reversed_demos=True), Probe(accurate, document=True)]


def panel_key(probes: Sequence[Probe]) -> str:
    """Names the panel in `CALIBRATIONS`, so that constants fitted for one set of probes
    are never applied to another."""
    return " + ".join(probe.key for probe in probes)


_FAST, _ACCURATE = "qwen2.5-coder-0.5b-instruct-q4_k_m", "qwen2.5-coder-1.5b-instruct-q4_k_m"
# Fitted by bench/verdicts.py on the tuning half of PubMedQA (50 questions, all read as
# study reports; the 44 yes / no ones for the scaling). The threshold is the lowest
# confidence at which the verdicts given there were right 80% of the time.
CALIBRATIONS: dict[str, Calibration] = {
    # AUC 0.80 on the tuning half: a weak signal, hence few verdicts.
    f"{_FAST}:findings": Calibration((1.597,), -0.434, 0.816),
    # Orders the questions less well (AUC 0.76) and leans to "yes" even after the
    # content-free shift, hence the negative intercept.
    f"{_ACCURATE}:findings": Calibration((0.809,), -1.548, 0.959),
    # The panel of both (see `panel`): logistic regression on its three log-odds.
    f"{_FAST}:findings + {_FAST}:findings:reversed + {_ACCURATE}:document": Calibration(
        (0.75, 0.743, 0.526), -2.429, 0.8
    ),
}
# A model without fitted constants (one a user added): contextual calibration alone,
# and a verdict only at 80% confidence.
UNCALIBRATED = Calibration((1.0,), 0.0, 0.8)


def calibration_for(probes: Sequence[Probe]) -> Calibration:
    """The constants fitted for this panel, or `UNCALIBRATED` for a model never fitted
    (a panel is always made of the bundled models, fitted)."""
    return CALIBRATIONS.get(panel_key(probes), UNCALIBRATED)


def verdict(
    library: Library,
    llm: LanguageModel,
    judges: Callable[[], Sequence[LanguageModel]],
    settings: Settings,
    question: str,
    scope: SearchFilter | None = None,
    cancel: CancelToken | None = None,
) -> Verdict:
    """Yes, No or unsettled, from what the sources report, read by `panel(judges())`.

    `judges` is called only when the sources are a study report near the question:
    on anything else the verdict is "unsettled" whatever the models make of it, so a
    closed question about a contract neither loads the accurate model nor waits about
    3 s for the panel's three readings.
    """
    reading = gather(library, llm, settings, question, scope, cancel)
    if not reading.needs_models or (cancel is not None and cancel.cancelled):
        return settle(question, reading, UNCALIBRATED)
    probes = panel(judges())
    return settle(question, judge(reading, probes, question), calibration_for(probes))


def settle(question: str, reading: Reading, calibration: Calibration) -> Verdict:
    """The verdict a reading supports under a calibration."""
    if not reading.relevant:
        return Verdict(question, UNSETTLED, 0.0, 0.5, [], reading.sources)
    if not reading.study:  # the quoted sentences are the answer; the user reads them
        return Verdict(question, UNSETTLED, 0.0, 0.5, _evidence(reading), reading.sources)
    p_yes = calibration.p_yes(reading.log_odds)
    label = YES if p_yes >= 0.5 else NO
    confidence = max(p_yes, 1.0 - p_yes)
    if confidence < calibration.threshold:
        label = UNSETTLED
    return Verdict(question, label, confidence, p_yes, _evidence(reading), reading.sources)


def gather(
    library: Library,
    llm: LanguageModel,
    settings: Settings,
    question: str,
    scope: SearchFilter | None = None,
    cancel: CancelToken | None = None,
) -> Reading:
    """Retrieve and pick the sentences that report findings (`llm` counts their
    tokens), before any model reads them: the reading has no log-odds yet."""
    hits = search(library, question, settings.retrieval, where=scope).hits
    best = max((h.dense_score for h in hits if h.dense_score is not None), default=0.0)
    if best < settings.ask.min_relevance or (cancel is not None and cancel.cancelled):
        return Reading((), [], [], [], relevant=False)
    # One document's findings: the best-ranked one. Mixed with another study's
    # results, the small model reads that study's effect as the answer (on the tuning
    # half, three findings in four came from other abstracts before this).
    sources = [hit for hit in hits if hit.doc_id == hits[0].doc_id]
    findings, relevance, study = read_findings(sources, question, library, llm)
    return Reading((), findings, relevance, sources, relevant=True, study=study)


def judge(reading: Reading, probes: Sequence[Probe], question: str) -> Reading:
    """The gathered reading with each probe's log-odds of "yes"."""
    log_odds = []
    for probe in probes:
        read_texts = _document(reading.sources, probe.model) if probe.document else reading.findings
        texts = [hit.text for hit in read_texts]
        messages = prompts.decision_messages(question, texts, probe.reversed_demos)
        yes, no = probe.model.first_word_logprobs(messages, [YES, NO])
        log_odds.append(yes - no - _content_free(probe))
    return dataclasses.replace(reading, log_odds=tuple(log_odds))


_CONTENT_FREE: dict[tuple[str, bool], float] = {}


def _content_free(probe: Probe) -> float:
    """The probe's log-odds of "yes" for a content-free question and source.

    Contextual calibration (Zhao et al., 2021): a small model leans to one answer
    whatever it reads; its lean on "N/A" measures that bias, which is taken off every
    reading, so that an uncalibrated model (one a user added) starts from even odds.
    """
    key = (probe.model.entry.name, probe.reversed_demos)
    if key not in _CONTENT_FREE:
        messages = prompts.decision_messages("N/A", ["N/A"], probe.reversed_demos)
        yes, no = probe.model.first_word_logprobs(messages, [YES, NO])
        _CONTENT_FREE[key] = yes - no
    return _CONTENT_FREE[key]


DOCUMENT_TOKENS = 600  # a whole abstract, or the retrieved pages of a longer paper


def _document(sources: list[SearchHit], llm: LanguageModel) -> list[SearchHit]:
    """The retrieved passages of the document in their order, screened for injected
    instructions: read whole, the methods tell the accurate model what was compared."""
    ordered = sorted(sources, key=lambda hit: (hit.page, hit.start))
    screened = [
        dataclasses.replace(hit, text=" ".join(hit.text[s:e] for s, e, _ in spans))
        for hit in ordered
        if (spans := trusted(hit.text, sentence_spans(hit.text)))
    ]
    return fill(llm, screened, DOCUMENT_TOKENS)


def _evidence(reading: Reading) -> list[Citation]:
    """The most relevant findings: two, and a third when it is nearly as relevant.

    A third sentence from a neighbouring passage about something else would only
    distract from the two that decide.
    """
    floor = reading.relevance[0] - EVIDENCE_MARGIN if reading.relevance else 0.0
    count = sum(
        1 for rank, score in enumerate(reading.relevance[:EVIDENCE]) if rank < 2 or score >= floor
    )
    numbers = {hit.chunk_id: number for number, hit in enumerate(reading.sources, 1)}
    return [
        quote_in(
            finding,
            0,
            len(finding.text),
            number=numbers[finding.chunk_id],  # the source it is quoted from
            claim="",
            support=1.0,
            supported=True,
            inferred=True,
        )
        for finding in reading.findings[:count]
    ]
