"""Closed questions about a study answered Yes, No or "the sources don't settle this".

A verdict is read, not written: the study that retrieval ranks first is shown, whole,
to the fast model with the question, and the learned reader (`reader.VerdictReader`, a
probe fitted on expert-labelled PubMedQA questions) turns the model's hidden state into
the probability of yes, no and maybe. Below the confidence threshold (Settings,
`ask.verdict_confidence`, shown there with the precision and coverage each value gave)
the verdict is "unsettled" and the user reads the quoted findings instead.

Only a study report is read so: on a contract or a policy the quoted sentences are the
answer, since the reader was fitted on studies and its confidence there would be a
number nobody measured.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from discreet.chunks.sentences import sentence_spans
from discreet.core.progress import CancelToken
from discreet.core.settings import Settings
from discreet.grounding.thresholds import EVIDENCE, EVIDENCE_MARGIN
from discreet.index.library import Library
from discreet.index.records import SearchFilter
from discreet.models.language_model import LanguageModel
from discreet.retrieval.hybrid import SearchHit, search
from discreet.tasks.citations import Citation, quote_in
from discreet.tasks.injection import trusted
from discreet.tasks.sources import fill
from discreet.tasks.verdicts.findings import findings as read_findings
from discreet.tasks.verdicts.loading import VerdictModels
from discreet.tasks.verdicts.reader import Odds
from discreet.tasks.verdicts.roles import SentenceRoles

YES, NO, UNSETTLED = "yes", "no", "unsettled"
VERDICT_WORDS = {YES: "Yes", NO: "No", UNSETTLED: "The sources don't settle this"}
DOCUMENT_TOKENS = 600  # a whole abstract, or the retrieved pages of a longer paper
_PARAGRAPHS = re.compile(r"\n\s*\n")


@dataclass
class Verdict:
    """A closed question's answer, with the source sentences that decide it."""

    question: str
    label: str  # YES, NO or UNSETTLED ("the sources don't settle this")
    confidence: float  # the reader's probability of its leaning (0 when not read)
    odds: Odds | None  # yes / no / maybe; None when the sources were not read
    evidence: list[Citation]  # the deciding sentences, most relevant first
    sources: list[SearchHit]  # the passages they were read from
    study: bool = False  # the sources are a study report

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
    """What was gathered for the reader: the study's passages and its findings."""

    findings: list[SearchHit]  # the sentences quoted as evidence, each a slice of a source
    relevance: list[float]  # each finding's relevance to the question, highest first
    sources: list[SearchHit]
    relevant: bool  # False when no retrieved passage is near the question
    study: bool = True  # the sources are a study report, what the reader was fitted on

    @property
    def needs_reader(self) -> bool:
        """Whether the reader's odds could change the verdict."""
        return self.relevant and self.study


def verdict(
    library: Library,
    llm: LanguageModel,
    models: VerdictModels | None,
    settings: Settings,
    question: str,
    scope: SearchFilter | None = None,
    cancel: CancelToken | None = None,
) -> Verdict:
    """Yes, No or unsettled, from what the study retrieval ranks first reports.

    The reader is loaded only when the sources are a study report near the question, so
    a closed question about a contract never loads it; without `models`, or where they
    cannot read, the sentences are quoted, unsettled.
    """
    roles = models.roles if models is not None else None
    reading = gather(library, llm, settings, question, roles, scope, cancel)
    readable = models is not None and models.can_read and reading.needs_reader
    if models is None or not readable or (cancel is not None and cancel.cancelled):
        return settle(question, reading, None, 1.0)
    odds = models.reader().read(question, study_text(library, reading.sources, llm))
    return settle(question, reading, odds, settings.ask.verdict_confidence)


def settle(question: str, reading: Reading, odds: Odds | None, threshold: float) -> Verdict:
    """The verdict the odds support at a confidence threshold."""
    evidence = _evidence(reading) if reading.relevant else []
    study = reading.relevant and reading.study
    if odds is None:
        return Verdict(question, UNSETTLED, 0.0, None, evidence, reading.sources, study)
    label = odds.leaning if odds.confidence >= threshold else UNSETTLED
    return Verdict(question, label, odds.confidence, odds, evidence, reading.sources, study)


def gather(
    library: Library,
    llm: LanguageModel,
    settings: Settings,
    question: str,
    roles: SentenceRoles | None,
    scope: SearchFilter | None = None,
    cancel: CancelToken | None = None,
) -> Reading:
    """Retrieve the study nearest the question and pick its findings to quote (`llm`
    counts their tokens; `roles` tells a study and its findings), before it is read."""
    hits = search(library, question, settings.retrieval, where=scope).hits
    best = max((h.dense_score for h in hits if h.dense_score is not None), default=0.0)
    if best < settings.ask.min_relevance or (cancel is not None and cancel.cancelled):
        return Reading([], [], [], relevant=False)
    # One document: the best-ranked one. Another study's results mixed in would be read
    # as this one's.
    sources = [hit for hit in hits if hit.doc_id == hits[0].doc_id]
    findings, relevance, study = read_findings(sources, question, library, llm, roles)
    return Reading(findings, relevance, sources, relevant=True, study=study)


def study_text(library: Library, sources: list[SearchHit], llm: LanguageModel) -> list[str]:
    """What the reader reads: the pages the study's passages come from, whole where they
    fit `DOCUMENT_TOKENS` (an abstract always does), as it was fitted on whole abstracts;
    else the retrieved passages themselves, their overlaps merged, in page order. Either
    way screened for injected instructions."""
    pages = sorted({hit.page for hit in sources})
    doc_id = sources[0].doc_id
    texts = [library.page_text(doc_id, page) or "" for page in pages]
    if sum(llm.count_tokens(text) for text in texts) > DOCUMENT_TOKENS:
        texts = _merged(sources)
    # paragraph by paragraph, as the abstracts it was fitted on were laid out
    texts = [part for text in texts for part in _PARAGRAPHS.split(text) if part.strip()]
    screened = [
        " ".join(text[s:e] for s, e, _ in spans)
        for text in texts
        if (spans := trusted(text, sentence_spans(text)))
    ]
    fitted = fill(llm, [dataclasses.replace(sources[0], text=t) for t in screened], DOCUMENT_TOKENS)
    return [hit.text for hit in fitted]


def _merged(sources: list[SearchHit]) -> list[str]:
    """The passages' text in page order, each overlap between neighbours read once."""
    texts: list[str] = []
    last: SearchHit | None = None
    for hit in sorted(sources, key=lambda h: (h.page, h.start)):
        if last is not None and hit.page == last.page and hit.start < last.end:
            texts[-1] += hit.text[last.end - hit.start :]
            last = dataclasses.replace(last, end=max(last.end, hit.end))
            continue
        texts.append(hit.text)
        last = hit
    return texts


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
