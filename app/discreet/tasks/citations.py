"""Tying each sentence of an answer to the exact source sentence that supports it.

A citation marker like [2] only says "somewhere in source 2"; users need the sentence.
For each answer sentence we score every sentence of the cited source by lexical
recall (how many of the claim's content words it contains) and embedding cosine, and
keep the best. Their mean is the support score: at 0.45 or more the source sentence
restates the claim (on CUAD answers, supported claims score 0.55-0.9 while a wrong
source typically scores under 0.35), below it the citation is flagged. A sentence the
model left unmarked, or marked with a source that supports it clearly less than
another source does, gets the best-supported source, marked as inferred. Quotes are
slices of the page text, so they are verbatim by construction.

Words and embeddings barely tell "December 17, 2019" from "dated as of January 31,
2019", yet the numbers are what a reader checks. So a sentence's score is scaled by the
share of the claim's numbers (dates, amounts, periods, section numbers) it contains: a
date cited to a sentence holding another date is flagged, and re-attributed to the
source that has it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from discreet.chunks.sentences import sentence_spans
from discreet.grounding.markers import LEADING, MARKER, cited_numbers, remove_markers, strip_markers
from discreet.grounding.relevance import relevance
from discreet.grounding.thresholds import MIN_QUOTE_WORDS, REATTRIBUTE_MARGIN
from discreet.grounding.vocabulary import query_words
from discreet.models.embedder import Embedder
from discreet.retrieval.hybrid import SearchHit
from discreet.tasks.injection import trusted


@dataclass(frozen=True)
class Citation:
    """An answer sentence tied to the source sentence that supports it, or was found wanting:
    the CLI and the GUI show its quote and page, and exports and the saved conversation keep
    it."""

    number: int  # the source number the answer used (or was given)
    doc_id: str
    path: str
    title: str
    page: int
    start: int  # character span of the supporting sentence within the page text
    end: int
    quote: str  # verbatim page text of that span
    claim: str  # the answer sentence it supports
    support: float  # 0..1, see the module docstring
    supported: bool
    inferred: bool  # True when Discreet chose the source rather than the model's marker


@dataclass(frozen=True)
class _Candidate:
    source: int  # 0-based index into the sources
    start: int  # within the chunk text
    end: int
    text: str


def answer_sentences(answer: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of an answer, with the markers that close it.

    The prompt asks for the marker after the sentence, and the model writes it after
    the full stop as often as before ("... January 18, 2020. [1]"). The sentence
    splitter would make such a marker a sentence of its own and leave the claim
    unmarked. A marker that opens a line stays with the sentence after it, as in the
    model's habit of copying a source with its label ("[2] 11.7 Assignment. ...").
    """
    spans: list[tuple[int, int]] = []
    for start, end, _ in sentence_spans(answer):
        lead = LEADING.match(answer, start, end)
        own = start
        if lead and spans and "\n" not in answer[spans[-1][1] : start]:
            spans[-1] = (spans[-1][0], len(answer[: lead.end()].rstrip()))
            own = lead.end()
        if own < end:
            spans.append((own, end))
    return spans


def claims(answer: str) -> list[tuple[str, list[int]]]:
    """(claim without markers, cited numbers) for each sentence of the answer."""
    found = []
    for start, end in answer_sentences(answer):
        sentence = answer[start:end]
        numbers = cited_numbers(sentence)
        claim = strip_markers(sentence)
        if len(query_words(claim)) >= 1:
            found.append((claim, numbers))
    return found


def renumber(answer: str, citations: list[Citation]) -> str:
    """The answer with each re-attributed sentence marked with the source chosen.

    Without this the text would say [1] while its citation points at source 3.
    """
    chosen: dict[str, list[int]] = {}
    for citation in citations:
        if citation.inferred:
            chosen.setdefault(citation.claim, []).append(citation.number)
    if not chosen:
        return answer
    out, last = [], 0
    for start, end in answer_sentences(answer):
        sentence = answer[start:end]
        numbers = chosen.get(strip_markers(sentence))
        if not numbers:
            continue
        marks = " ".join(f"[{n}]" for n in dict.fromkeys(numbers))
        first = MARKER.search(sentence)  # it takes the new numbers, the others go
        if first:
            rest = remove_markers(sentence[first.end() :])
            sentence = sentence[: first.start()] + marks + rest
        else:
            sentence = f"{sentence} {marks}"
        out.append(answer[last:start] + sentence)
        last = end
    return "".join(out) + answer[last:]


def without_claims(answer: str, dropped: set[str]) -> str:
    """The answer less the sentences whose claims are in `dropped`."""
    kept, last = [], 0
    for start, end in answer_sentences(answer):
        if strip_markers(answer[start:end]) in dropped:
            kept.append(answer[last:start].rstrip())
            last = end
    return ("".join(kept) + answer[last:]).strip()


def distinct(citations: list[Citation]) -> list[Citation]:
    """One citation per passage, for display: overlapping spans of a source merge.

    A heading claim's quote runs on over the next sentence (see `_whole`), and that
    sentence is often a claim of its own, so an answer would otherwise list the same
    clause two or three times. The longest supported span stands for the others.
    """
    shown: list[Citation] = []
    for citation in sorted(citations, key=lambda c: (not c.supported, c.start - c.end)):
        if not any(_same_passage(citation, other) for other in shown):
            shown.append(citation)
    return sorted(shown, key=lambda c: (c.number, c.page, c.start))


def _same_passage(a: Citation, b: Citation) -> bool:
    return (
        (a.number, a.doc_id, a.page) == (b.number, b.doc_id, b.page)
        and a.start < b.end
        and b.start < a.end
    )


def cite(
    answer: str,
    sources: list[SearchHit],
    embedder: Embedder,
    min_support: float,
    question: str = "",
) -> list[Citation]:
    """Citations for `answer`; the question helps pick the sentence for terse claims.

    A small model often answers "Ohio law [2]": too short to find the clause by itself,
    so the sentence is chosen by similarity to question and claim together, while the
    support score (and so the verdict) uses the claim alone.
    """
    pairs = claims(answer)
    candidates = [
        _Candidate(index, s, e, hit.text[s:e])
        for index, hit in enumerate(sources)
        for s, e, _ in trusted(hit.text, sentence_spans(hit.text))  # never an injected line
    ]
    if not pairs or not candidates:
        return []
    texts = [c for c, _ in pairs] + [f"{question} {c}" for c, _ in pairs]
    vectors = embedder.embed_documents(texts + [c.text for c in candidates])
    n = len(pairs)
    cand_vecs = vectors[2 * n :]
    cosine = np.clip(vectors[:n] @ cand_vecs.T, 0.0, 1.0)
    asked = np.clip(vectors[n : 2 * n] @ cand_vecs.T, 0.0, 1.0)
    citations = []
    for row, (claim, markers) in enumerate(pairs):
        words = set(query_words(claim))
        values = {word for word in words if word.isdigit()}
        support = _scores(words, values, cosine[row], candidates)
        choice = _scores(set(query_words(f"{question} {claim}")), values, asked[row], candidates)
        valid = [n for n in dict.fromkeys(markers) if 1 <= n <= len(sources)]
        chosen = [(n, _best(choice, candidates, {n - 1}), False) for n in valid]
        overall = _best(choice, candidates, None)
        if support[overall] >= min_support and all(
            support[overall] >= support[b] + REATTRIBUTE_MARGIN for _, b, _ in chosen
        ):
            # No marker, or every marker points at a source that supports the claim
            # clearly less than another one does: cite the one that supports it.
            chosen = [(candidates[overall].source + 1, overall, True)]
        for number, best, inferred in chosen:
            quote = _whole(candidates[best], candidates, sources[candidates[best].source])
            citations.append(
                quote_in(
                    sources[quote.source],
                    quote.start,
                    quote.end,
                    number=number,
                    claim=claim,
                    support=support[best],
                    supported=support[best] >= min_support,
                    inferred=inferred,
                )
            )
    return citations


def _scores(
    words: set[str], numbers: set[str], cosine: np.ndarray, candidates: list[_Candidate]
) -> list[float]:
    return [
        relevance(words, float(cosine[i]), c.text) * _share(numbers, c.text)
        for i, c in enumerate(candidates)
    ]


def _share(numbers: set[str], text: str) -> float:
    """The share of `numbers` that `text` contains (1 when there are none)."""
    if not numbers:
        return 1.0
    return len(numbers.intersection(query_words(text))) / len(numbers)


def _best(scores: list[float], candidates: list[_Candidate], only: set[int] | None) -> int:
    allowed = [i for i, c in enumerate(candidates) if only is None or c.source in only]
    return max(allowed, key=lambda i: scores[i])


def _whole(candidate: _Candidate, candidates: list[_Candidate], hit: SearchHit) -> _Candidate:
    """A heading-sized quote is extended over the sentences that follow it."""
    end = candidate.end
    for following in candidates:
        if following.source != candidate.source or following.start <= candidate.start:
            continue
        if len(hit.text[candidate.start : end].split()) >= MIN_QUOTE_WORDS:
            break
        end = following.end
    return _Candidate(candidate.source, candidate.start, end, hit.text[candidate.start : end])


def quote_in(
    hit: SearchHit,
    start: int,
    end: int,
    *,
    number: int,
    claim: str,
    support: float,
    supported: bool,
    inferred: bool,
) -> Citation:
    """A citation of `hit.text[start:end]`, placed on its page: the quote is verbatim."""
    return Citation(
        number=number,
        doc_id=hit.doc_id,
        path=hit.path,
        title=hit.title,
        page=hit.page,
        start=hit.start + start,
        end=hit.start + end,
        quote=hit.text[start:end],
        claim=claim,
        support=round(support, 3),
        supported=supported,
        inferred=inferred,
    )
