"""Whole-document summaries by map-reduce, so the middle of a long report is not lost.

Retrieval-based summaries only see the top few chunks; here every page feeds the map
step. Pages are grouped into windows; from each page of a window the passage most
typical of that window (closest to the mean of its chunk vectors) is taken, so every
page contributes and a window stays small enough for a CPU. Each window yields a few
notes; the reduce step writes the summary from the notes, citing note numbers, which
map back to pages: that is the coverage report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from discreet.core.errors import Cancelled, DiscreetError
from discreet.core.progress import CancelToken
from discreet.index.library import Library
from discreet.index.registry import ChunkRecord
from discreet.models.embedder import Embedder
from discreet.models.llm import LLM
from discreet.tasks import prompts
from discreet.tasks.citations import strip_markers

LENGTHS = tuple(prompts.LENGTH_INSTRUCTIONS)
_MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")


@dataclass(frozen=True)
class SummaryProgress:
    windows_done: int
    windows_total: int
    stage: str  # map, reduce, done


@dataclass(frozen=True)
class SummaryPoint:
    text: str
    pages: list[tuple[str, int]]  # (doc_id, page) the point came from


@dataclass
class SummaryResult:
    summary: str
    points: list[SummaryPoint]
    notes: list[str]
    note_pages: list[list[tuple[str, int]]]
    pages_total: int
    pages_fed: int  # pages whose text went into the map step
    cancelled: bool = False
    coverage: dict[str, list[int]] = field(default_factory=dict)  # "doc:page" -> points

    @property
    def page_coverage(self) -> float:
        return self.pages_fed / self.pages_total if self.pages_total else 0.0


def summarize(
    library: Library,
    llm: LLM,
    doc_ids: list[str],
    length: str = "paragraph",
    window_tokens: int = 700,
    on_event: Callable[[SummaryProgress], None] | None = None,
    cancel: CancelToken | None = None,
) -> SummaryResult:
    if length not in LENGTHS:
        raise DiscreetError(f"Unknown summary length {length!r}; choose from {', '.join(LENGTHS)}.")
    cancel = cancel or CancelToken()
    chunks = [c for doc in doc_ids for c in library.registry.document_chunks(doc)]
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
        len({(c.doc_id, c.page) for c in chunks}),
        sum(len({(c.doc_id, c.page) for c in w}) for w in windows),
    )
    try:
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
        result.summary = stream.collect().strip()
        result.cancelled = stream.stats.finish_reason == "cancelled"
    except Cancelled:
        result.cancelled = True
        return result
    result.points = _points(result.summary, final_notes, final_pages, library.embedder())
    for number, point in enumerate(result.points, 1):
        for doc_id, page in point.pages:
            result.coverage.setdefault(f"{doc_id}:{page}", []).append(number)
    _emit(on_event, len(windows), len(windows), "done")
    return result


REDUCE_GROUP = 16  # notes one reduce call reads; more and the model drops the later ones
KEEP_PER_GROUP = 4  # points a round keeps from each group, so every round shrinks


def _condense(
    llm: LLM,
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


def _emit(
    sink: Callable[[SummaryProgress], None] | None, done: int, total: int, stage: str
) -> None:
    if sink is not None:
        sink(SummaryProgress(done, total, stage))


def _windows(
    library: Library, llm: LLM, chunks: list[ChunkRecord], budget: int
) -> list[list[ChunkRecord]]:
    """Consecutive pages per window; from each page, its most typical chunk."""
    vectors = library.vectors.embeddings([c.chunk_id for c in chunks])
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
    return [line for line in lines if len(line.split()) >= 3][:3] or [text.strip()]


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
            numbers = [int(n) for group in _MARKER.findall(line) for n in group.split(",")]
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
