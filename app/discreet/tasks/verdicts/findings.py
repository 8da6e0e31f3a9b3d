"""The sentences a closed question is decided on, and whether the sources are a study.

In a study report, background and method sentences restate the question ("we asked
whether X improves Y"), which reads like an answer; its findings are the sentences to
quote. A contract or a policy states what it states, so there every sentence is a
candidate, and the verdict stays "unsettled": the reader was fitted on studies only.
Both calls are the learned sentence roles' (`roles.SentenceRoles`), not word lists.
"""

from __future__ import annotations

import dataclasses

from discreet.chunks.sentences import sentence_spans
from discreet.grounding.relevance import Question
from discreet.index.library import Library
from discreet.models.language_model import LanguageModel
from discreet.retrieval.hybrid import SearchHit
from discreet.tasks.injection import trusted
from discreet.tasks.sources import fill
from discreet.tasks.verdicts.roles import SentenceRoles

FINDING_TOKENS = 250  # about ten sentences: an abstract's results fit whole


def findings(
    sources: list[SearchHit],
    question: str,
    library: Library,
    llm: LanguageModel,
    roles: SentenceRoles | None,
) -> tuple[list[SearchHit], list[float], bool]:
    """The sentences that decide, most relevant to the question first, as many as fit
    `FINDING_TOKENS` of `llm`, and whether the sources are a study report (never without
    `roles`: then every sentence is a candidate, as in a contract)."""
    sentences = [
        dataclasses.replace(hit, text=hit.text[s:e], start=hit.start + s, end=hit.start + e)
        for hit in sources
        for s, e, _ in trusted(hit.text, sentence_spans(hit.text))
    ]
    embedder = library.embedder()
    study = False
    reported = sentences
    if roles is not None and sentences:
        vectors = embedder.embed_documents([s.text for s in sentences])
        study = roles.is_study(vectors)
        if study:
            flags = roles.findings(vectors)
            reported = [s for s, flag in zip(sentences, flags, strict=True) if flag] or sentences
    ranks = Question.read(question, embedder).relevance_of([s.text for s in reported], embedder)
    order = sorted(range(len(reported)), key=lambda i: -ranks[i])
    chosen = fill(llm, [reported[i] for i in order], FINDING_TOKENS)
    kept = {id(hit) for hit in chosen}
    return chosen, [ranks[i] for i in order if id(reported[i]) in kept], study
