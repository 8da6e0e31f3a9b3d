"""Whole-document summaries by map-reduce, so the middle of a long report is not lost.

Retrieval-based summaries only see the top few chunks; here every page feeds the map
step. Pages are grouped into windows; from each page of a window the passage most
typical of that window (closest to the mean of its chunk vectors) is taken, so every
page contributes and a window stays small enough for a CPU. Each window yields a few
notes; the reduce step writes the summary from the notes, citing note numbers, which
map back to pages: that is the coverage report.

Then each point is checked as an answer sentence is: `citations.cite` looks among the
point's pages for the sentence that supports it. The map window only says where a
point came from; the check keeps the one to three pages that actually say it, with
the verbatim quote. A point no page supports is left out of the summary text and kept
beside it, marked, so a reader can see what the model wrote that the pages do not say.
"""

from __future__ import annotations

import re

import numpy as np

from discreet.core.errors import Cancelled, DiscreetError
from discreet.core.progress import CancelToken, EventSink, Progress
from discreet.core.settings import Settings
from discreet.grounding.markers import cited_numbers, strip_markers
from discreet.index.library import Library
from discreet.index.records import ChunkRecord
from discreet.models.embedder import Embedder
from discreet.models.language_model import LanguageModel
from discreet.retrieval.hybrid import SearchHit
from discreet.tasks import prompts
from discreet.tasks.citations import Citation, answer_sentences, cite
from discreet.tasks.point_form import as_sentence, is_heading
from discreet.tasks.review.loading import ReviewModels
from discreet.tasks.review.terms import contract_terms
from discreet.tasks.summary import SummaryPoint, SummaryResult

LENGTHS = tuple(prompts.LENGTH_INSTRUCTIONS)


def summarize(
    library: Library,
    llm: LanguageModel,
    doc_ids: list[str],
    length: str = "paragraph",
    window_tokens: int = 700,
    on_event: EventSink | None = None,
    cancel: CancelToken | None = None,
    settings: Settings | None = None,
    review: ReviewModels | None = None,
) -> SummaryResult:
    """Summarize `doc_ids`; a single contract's summary opens with its key terms, read from
    its review (`tasks.review.terms`) when the review's models are given.

    A summary point is held to the same standard as an answer sentence, so points are
    checked at the user's `ask.min_support`.
    """
    if length not in LENGTHS:
        raise DiscreetError(f"Unknown summary length {length!r}; choose from {', '.join(LENGTHS)}.")
    cancel = cancel or CancelToken()
    settings = settings or Settings()
    chunks = [c for doc in doc_ids for c in library.chunks_of(doc)]
    if not chunks:
        raise DiscreetError("Nothing to summarize: the selected documents have no text.")
    windows = _windows(library, llm, chunks, window_tokens)
    notes: list[str] = []
    note_pages: list[list[tuple[str, int]]] = []
    result = SummaryResult(
        "",
        [],
        notes,
        note_pages,
        # the sidebar's count: a blank page has no chunk, yet it is a page of the document
        sum(record.pages for record in library.files_of(doc_ids))
        or len({(c.doc_id, c.page) for c in chunks}),
        sum(len({(c.doc_id, c.page) for c in w}) for w in windows),
    )
    terms: list[SummaryPoint] = []
    try:
        if len(doc_ids) == 1 and review is not None:
            _emit(on_event, 0, len(windows), "terms")
            terms = [term.point for term in contract_terms(library, review, doc_ids[0])]
        for index, window in enumerate(windows):
            _emit(on_event, index, len(windows), "map")
            cancel.raise_if_cancelled("Summarizing")
            text = "\n\n".join(c.text for c in window)
            if len(windows) == 1:  # short document: one pass, no notes needed
                notes.append(text)
            else:
                notes.extend(_notes(llm.chat(prompts.map_messages(text), 120, cancel).collect()))
            note_pages.extend(
                [sorted({(c.doc_id, c.page) for c in window})] * (len(notes) - len(note_pages))
            )
        _emit(on_event, len(windows), len(windows), "reduce")
        cancel.raise_if_cancelled("Summarizing")
        final_notes, final_pages = _condense(llm, notes, note_pages, library.embedder(), cancel)
        stream = llm.chat(prompts.reduce_messages(final_notes, length), 300, cancel)
        result.draft = stream.collect().strip()
        result.cancelled = stream.stats.finish_reason == "cancelled"
    except Cancelled:
        result.cancelled = True
        return result
    traced = _points(result.draft, final_notes, final_pages, library.embedder())
    sentences = [as_sentence(point) for point in traced if not is_heading(point.text)]
    traced = [point for point in sentences if point is not None]
    checked = [check_point(point, library, settings.ask.min_support) for point in traced]
    result.terms = len(terms)
    result.points = terms + [point for point in checked if point.supported]
    result.unsupported = [point for point in checked if not point.supported]
    result.summary = _compose(result.points, length)
    for number, point in enumerate(result.points, 1):
        for doc_id, page in point.pages:
            result.coverage.setdefault(f"{doc_id}:{page}", []).append(number)
    _emit(on_event, len(windows), len(windows), "done")
    return result


REDUCE_GROUP = 16  # notes one reduce call reads; more and the model drops the later ones
KEEP_PER_GROUP = 4  # points a round keeps from each group, so every round shrinks


def _condense(
    llm: LanguageModel,
    notes: list[str],
    pages: list[list[tuple[str, int]]],
    embedder: Embedder,
    cancel: CancelToken,
) -> tuple[list[str], list[list]]:
    """Reduce in rounds of at most REDUCE_GROUP notes, keeping each point's pages.

    Given 50 notes at once, the small model summarizes the first dozen and ignores the
    rest: the very "lost middle" that map-reduce exists to avoid.
    """
    while len(notes) > REDUCE_GROUP:
        merged_notes: list[str] = []
        merged_pages: list[list] = []
        for first in range(0, len(notes), REDUCE_GROUP):
            cancel.raise_if_cancelled("Summarizing")
            part = notes[first : first + REDUCE_GROUP]
            text = llm.chat(prompts.reduce_messages(part, "bullets"), 300, cancel).collect()
            points = _points(text, part, pages[first : first + REDUCE_GROUP], embedder)
            for point in points[:KEEP_PER_GROUP]:  # the model may echo every note back
                merged_notes.append(point.text)
                merged_pages.append(point.pages)
        if len(merged_notes) >= len(notes):  # no progress: stop rather than loop
            break
        notes, pages = merged_notes, merged_pages
    return notes, pages


def _emit(sink: EventSink | None, done: int, total: int, stage: str) -> None:
    if sink is not None:
        sink(Progress(stage, done, total, "windows"))


def _windows(
    library: Library, llm: LanguageModel, chunks: list[ChunkRecord], budget: int
) -> list[list[ChunkRecord]]:
    """Consecutive pages per window; from each page, its most typical chunk."""
    vectors = library.embeddings([c.chunk_id for c in chunks])
    by_page: dict[tuple[str, int], list[int]] = {}
    for index, chunk in enumerate(chunks):
        by_page.setdefault((chunk.doc_id, chunk.page), []).append(index)
    pages = list(by_page.values())
    windows: list[list[ChunkRecord]] = []
    current: list[int] = []
    used = 0
    for members in pages:
        cost = sum(llm.count_tokens(chunks[i].text) for i in members[:1]) + 2
        if current and used + cost > budget:
            windows.append(_pick(chunks, vectors, current, by_page))
            current, used = [], 0
        current.extend(members)
        used += cost
    if current:
        windows.append(_pick(chunks, vectors, current, by_page))
    return windows


def _pick(
    chunks: list[ChunkRecord], vectors: np.ndarray, members: list[int], by_page: dict
) -> list[ChunkRecord]:
    centre = vectors[members].mean(axis=0)
    chosen = []
    pages = dict.fromkeys((chunks[i].doc_id, chunks[i].page) for i in members)
    for page in pages:
        best = max(by_page[page], key=lambda i: float(vectors[i] @ centre))
        chosen.append(chunks[best])
    return chosen


def _notes(text: str) -> list[str]:
    lines = [line.strip(" -*•\t") for line in text.splitlines()]
    kept = [line for line in lines if len(line.split()) >= 3 and not is_heading(line)]
    return kept[:3] or [text.strip()]


def _points(
    summary: str, notes: list[str], note_pages: list[list[tuple[str, int]]], embedder: Embedder
) -> list[SummaryPoint]:
    """Summary lines with the pages behind them.

    The reduce step is asked to cite note numbers; when it does not, a point is traced
    to the note it is most similar to, so the coverage report never has blank points.
    """
    lines = []
    for line in re.split(r"\n+|(?<=[.!?])\s+(?=[A-Z•\-*])", summary):
        text = strip_markers(line).strip(" -*•")
        if text:
            numbers = cited_numbers(line)
            lines.append((text, [n for n in numbers if 1 <= n <= len(notes)]))
    unmarked = [text for text, numbers in lines if not numbers]
    if unmarked:
        vectors = embedder.embed_documents(unmarked + notes)
        nearest = iter((vectors[: len(unmarked)] @ vectors[len(unmarked) :].T).argmax(axis=1))
        lines = [(t, n or [int(next(nearest)) + 1]) for t, n in lines]
    return [
        SummaryPoint(text, sorted({p for n in numbers for p in note_pages[n - 1]}))
        for text, numbers in lines
    ]


MAX_EVIDENCE_PAGES = 3  # a point restates a few pages at most; more is the map window


def check_point(point: SummaryPoint, library: Library, min_support: float) -> SummaryPoint:
    """The point with the pages and sentences that support each of its claims.

    Every sentence of the point is marked with all of its pages, so `cite` scores the
    best sentence of each page for it (and moves to a page that supports it clearly
    better, as it does for answers). A point is supported when each of its claims is.
    """
    hits = [hit for doc_id, page in point.pages if (hit := _page_hit(library, doc_id, page))]
    marks = " ".join(f"[{n}]" for n in range(1, len(hits) + 1))
    marked = " ".join(f"{point.text[s:e]} {marks}" for s, e in answer_sentences(point.text))
    found = sorted(
        cite(marked, hits, library.embedder(), min_support) if hits else [],
        key=lambda c: -c.support,
    )
    best: dict[str, Citation] = {}
    for citation in found:
        best.setdefault(citation.claim, citation)
    support = min((c.support for c in best.values()), default=0.0)
    if not best or not all(c.supported for c in best.values()):
        return SummaryPoint(point.text, point.pages, False, [], support)
    evidence = list(best.values())  # each claim's best sentence, then other pages saying it
    for citation in found:
        seen = {(c.doc_id, c.page) for c in evidence}
        if len(seen) >= MAX_EVIDENCE_PAGES:
            break
        if citation.supported and (citation.doc_id, citation.page) not in seen:
            evidence.append(citation)
    pages = sorted({(c.doc_id, c.page) for c in evidence})
    return SummaryPoint(point.text, pages, True, evidence, support)


def _page_hit(library: Library, doc_id: str, page: int) -> SearchHit | None:
    """A whole page as a citable source, so quotes are spans of the page text."""
    text = library.page_text(doc_id, page)
    if not text:
        return None
    record = library.files_of([doc_id])[0]
    return SearchHit(
        "", doc_id, record.path, record.title or "", page, 0, len(text), text, 0.0, None, None
    )


def _compose(points: list[SummaryPoint], length: str) -> str:
    """The summary text from the points that stand, without the note markers."""
    if length == "bullets":
        return "\n".join(f"- {point.text}" for point in points)
    return " ".join(point.text for point in points)
