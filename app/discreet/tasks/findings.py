"""The sentences a closed question is decided on, and whether the sources are a study.

In a study report, background and method sentences restate the question ("we asked
whether X improves Y"), which a small model reads as the answer; its findings are the
sentences to read. A contract or a policy states what it states, so there every
sentence is a candidate, and the verdict stays "unsettled": the calibrations were fitted
on study reports only.
"""

from __future__ import annotations

import dataclasses
import re

from discreet.chunks.sentences import sentence_spans
from discreet.grounding.relevance import Question
from discreet.index.library import Library
from discreet.models.language_model import LanguageModel
from discreet.retrieval.hybrid import SearchHit
from discreet.tasks.injection import trusted
from discreet.tasks.sources import fill

# A sentence that reports a finding: a statistic, or a verb of effect, change or
# comparison. The plain verbs of change ("rose", "fell", "halved") are there because a
# result put that simply ("Serum vitamin D rose in the treated group only") was
# otherwise never read, and the question it answers was "Not found".
_FINDING = re.compile(
    r"\bp\s*[<=>\u2264]|\d\s*%|\bsignifican|\bassociat|\bdiffer|\bcorrelat|\bcompar"
    r"|\bincreas|\bdecreas|\bhigher\b|\blower\b|\bimprov|\breduc|\bpredict|\brisk\b"
    r"|\bodds\b|\bfound\b|\bshowed?\b|\bshown\b|\bobserved\b|\bdemonstrat|\bresult"
    r"|\brose\b|\bfell\b|\bdropped\b|\bdeclined\b|\bdoubled\b|\bhalved\b|\bunchanged\b"
    r"|\bsimilar\b|\bno (?:effect|change)\b",
    re.I,
)
# A sentence that states what the study set out to test ("We tested whether monthly
# vitamin D reduces falls") repeats the question, not an answer, whatever verbs it has.
_AIM = re.compile(r"\bwhether\b|\baim(?:s|ed)?\b|\bobjective\b|\bpurpose\b|\bhypothes", re.I)
FINDING_TOKENS = 250  # about ten sentences: an abstract's results fit whole
# What marks a study report: statistics, or the people (or animals) a study counts. On
# the 100 PubMedQA abstracts 98 show one statistic or two sentences about subjects; of
# the 343 CUAD contract pages 15 do (checked on both halves: a rule about genres, not a
# threshold fitted to the questions). In the verdicts' retrieved passages it missed 13
# abstracts; the words after "rats" come from the 4 of them in the tuning half (a
# descriptive study of the elderly, a porcine and an ovine model, a policy study), and
# they catch 5 of the 9 in the held-out half.
_STATISTICS = re.compile(
    r"\bp\s*[<=>\u2264]|\b95\s*%|\bCI\b|\bsignifican|\b(?:odds|hazard|risk) ratio"
    r"|\bconfidence interval|\bversus\b|\bvs\.?\s",
    re.I,
)
_SUBJECTS = re.compile(
    r"\b(?:patients?|participants?|subjects|cohort|randomi[sz]ed|trial|respondents|cases"
    r"|controls|women|men|children|adults|infants|mice|rats"
    r"|study|studies|elderly|animals|pigs|ewes|sheep|longitudinal)\b",
    re.I,
)


def _is_study(sentences: list[SearchHit]) -> bool:
    if any(_STATISTICS.search(s.text) for s in sentences):
        return True
    return sum(1 for s in sentences if _SUBJECTS.search(s.text)) >= 2


def _reports(sentence: str) -> bool:
    return bool(_FINDING.search(sentence)) and not _AIM.search(sentence)


def findings(
    sources: list[SearchHit], question: str, library: Library, llm: LanguageModel
) -> tuple[list[SearchHit], list[float], bool]:
    """The sentences that decide, most relevant to the question first, as many as
    fit `FINDING_TOKENS` of `llm`, and whether the sources are a study report."""
    sentences = [
        dataclasses.replace(hit, text=hit.text[s:e], start=hit.start + s, end=hit.start + e)
        for hit in sources
        for s, e, _ in trusted(hit.text, sentence_spans(hit.text))
    ]
    study = _is_study(sentences)
    reported = [s for s in sentences if not study or _reports(s.text)] or sentences
    embedder = library.embedder()
    ranks = Question.read(question, embedder).relevance_of([s.text for s in reported], embedder)
    order = sorted(range(len(reported)), key=lambda i: -ranks[i])
    chosen = fill(llm, [reported[i] for i in order], FINDING_TOKENS)
    kept = {id(hit) for hit in chosen}
    return chosen, [ranks[i] for i in order if id(reported[i]) in kept], study
