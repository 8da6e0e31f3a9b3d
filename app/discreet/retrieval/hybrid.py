"""Hybrid retrieval: dense vectors and BM25, fused by reciprocal rank.

Dense search finds paraphrases ("which state's law applies" ~ "governed by the laws
of Ohio"); BM25 finds the exact names, numbers and defined terms that embeddings
blur. Reciprocal rank fusion combines the two rankings without having to calibrate
their incomparable scores. A hit next to a better-ranked hit from the same page is
merged into it rather than listed again: neighbouring chunks overlap by design, and a
clause cut between two chunks then reads whole.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from discreet.core.settings import RetrievalSettings
from discreet.grounding.thresholds import (
    BM25_POSTINGS,
    COMMON_TERM,
    MAX_MERGED_CHARS,
    MAX_TERMS,
    OPENING_CHARS,
    PREAMBLE_PAGES,
)
from discreet.grounding.vocabulary import query_words
from discreet.index.records import ChunkRecord, SearchFilter

if TYPE_CHECKING:  # only a type here; the window imports this before it shows
    from discreet.index.library import Library

# What a contract's preamble says: "made ... by and between", "entered into by", or
# "between A (the "Licensor") and ..." with a defined role.
PREAMBLE = re.compile(
    r"\bby\s+and\s+(?:between|among)\b"
    r"|\b(?:made|entered\s+into|executed)\b[^.;]{0,150}?\b(?:between|among|by)\b"
    r"|\bbetween\b[^.;]{0,200}?\(\s*(?:the\s+)?[\"“]",
    re.I,
)


@dataclass(frozen=True)
class SearchHit:
    """A retrieved passage: one chunk, or a chunk grown over the neighbour merged into it.

    `start` and `end` are offsets in the page text and `text` is that slice, so a quote cut
    from it is verbatim. Ranks count from 0 and, like the scores, are None where that search
    missed it; a hit made without searching (a document's opening, a whole page) scores 0.
    Prompts and citations are built from it, and the CLI and the GUI list it as a source.
    """

    chunk_id: str
    doc_id: str
    path: str
    title: str
    page: int
    start: int
    end: int
    text: str
    score: float  # fused RRF score
    dense_score: float | None  # cosine similarity, if dense search found it
    bm25_score: float | None  # BM25, if lexical search found it
    dense_rank: int | None = None
    bm25_rank: int | None = None


@dataclass
class SearchResult:
    """The hits of one search, best first, with the seconds each stage took (see `search`)."""

    hits: list[SearchHit]
    timings: dict[str, float] = field(default_factory=dict)


def search(
    library: Library,
    query: str,
    settings: RetrievalSettings,
    k: int | None = None,
    where: SearchFilter | None = None,
) -> SearchResult:
    """The best passages for `query` in the documents `where` keeps, best first.

    Raises `LibraryNeedsReembedding` when the library's vectors came from another
    embedder, since a query embedded one way ranks vectors made another way wrongly.

    Args:
        k: The most hits returned (`settings.top_k` when None or 0); a neighbour merged
            into a better hit does not count, so fewer may come back.
        where: Which documents to search; None searches all of them, and a filter that
            keeps none returns no hits, and no timings, without embedding the query.

    Returns:
        The hits, with `timings` in wall-clock seconds: `embed_s` (embedding the query),
        `dense_s` (the vector search), `bm25_s` (choosing the query's rare words and the
        keyword search) and `total_s` (all of it, fusion included).
    """
    k = k or settings.top_k
    library.require_current()  # a query of one kind against vectors of another ranks wrong
    library.refresh()  # a server library: what other computers added or removed
    doc_ids = library.doc_ids_matching(where or SearchFilter())
    if doc_ids is not None and not doc_ids:
        return SearchResult([])
    started = time.perf_counter()
    embedding = library.embedder().embed_query(query)
    embedded = time.perf_counter()
    dense = _dense(library, embedding, settings.candidates, doc_ids)
    searched = time.perf_counter()
    words = library.selective_words(query_words(query), MAX_TERMS, COMMON_TERM, BM25_POSTINGS)
    lexical = library.keyword_search(words, settings.candidates, doc_ids)
    scored = time.perf_counter()
    hits = _fuse(library, dense, lexical, settings.rrf_k, k)
    timings = {
        "embed_s": embedded - started,
        "dense_s": searched - embedded,
        "bm25_s": scored - searched,
        "total_s": time.perf_counter() - started,
    }
    return SearchResult(hits, timings)


# A filter that keeps at most this many chunks is searched exactly, over their stored
# vectors: Chroma's own filter scans metadata whatever it keeps (76 ms at 100k chunks,
# ten times that at 1M), while fetching and scoring 5,000 vectors takes a few ms.
EXACT_CHUNKS = 5000


def _dense(library: Library, embedding: np.ndarray, n: int, doc_ids: list[str] | None) -> list:
    if doc_ids is not None:
        ids = library.chunk_ids_of(doc_ids, limit=EXACT_CHUNKS + 1)
        if not ids:
            return []
        if len(ids) <= EXACT_CHUNKS:
            try:
                scores = library.embeddings(ids) @ embedding
            except KeyError:  # a chunk the vector store lacks: let Chroma's filter decide
                return library.nearest(embedding, n, doc_ids)
            best = np.argsort(-scores)[:n]
            return [(ids[i], float(scores[i])) for i in best]
    return library.nearest(embedding, n, doc_ids)


def search_opening(library: Library, doc_id: str) -> SearchHit | None:
    """The start of a document's first page, or of its preamble, as a hit with no
    retrieval scores.

    Several chunks, not the first one alone: filings open with a cover line or two
    ("Exhibit 10.28 / Execution Version", a redaction notice) that would otherwise be
    the whole "opening", with the preamble naming the parties in the next chunk. Where
    the first page holds no preamble (a cover page, a table of contents, a long filing
    header), the opening starts at the first chunk of the next pages that has one.
    """
    chunks = library.chunks_of(doc_id)
    if not chunks:
        return None
    first = opening_chunk(chunks)
    page = library.page_text(doc_id, first.page)
    if page is None:  # pages are stored with their chunks; this is only belt and braces
        return None
    end = max(
        c.end
        for c in chunks
        if c.page == first.page and first.start <= c.start < first.start + OPENING_CHARS
    )
    path, title = _paths(library, {doc_id}).get(doc_id, ("", ""))
    return SearchHit(
        first.chunk_id,
        doc_id,
        path,
        title,
        first.page,
        first.start,
        end,
        page[first.start : end],
        0.0,
        None,
        None,
    )


def _fuse(
    library: Library, dense: list[tuple], lexical: list[tuple], rrf_k: int, k: int
) -> list[SearchHit]:
    scores: dict[str, float] = {}
    for ranking in (dense, lexical):
        for rank, (chunk_id, _) in enumerate(ranking):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + 1.0 / (rrf_k + rank + 1)
    dense_at = {cid: (rank, score) for rank, (cid, score) in enumerate(dense)}
    lexical_at = {cid: (rank, score) for rank, (cid, score) in enumerate(lexical)}
    ordered = sorted(scores, key=lambda cid: -scores[cid])
    records = library.chunks_by_id(ordered[: k * 3])
    paths = _paths(library, {r.doc_id for r in records.values()})
    hits: list[SearchHit] = []
    slot: dict[tuple[str, int, int], int] = {}  # (doc, page, ordinal) -> index in hits
    for cid in ordered:
        record = records.get(cid)
        if record is None:
            continue
        here = (record.doc_id, record.page)
        near = slot.get((*here, record.ordinal - 1), slot.get((*here, record.ordinal + 1)))
        if near is not None:
            if _merge(library, hits, near, record):
                slot[(*here, record.ordinal)] = near
            continue
        slot[(*here, record.ordinal)] = len(hits)
        d_rank, d_score = dense_at.get(cid, (None, None))
        b_rank, b_score = lexical_at.get(cid, (None, None))
        path, title = paths.get(record.doc_id, ("", ""))
        hits.append(
            SearchHit(
                cid,
                record.doc_id,
                path,
                title,
                record.page,
                record.start,
                record.end,
                record.text,
                scores[cid],
                d_score,
                b_score,
                d_rank,
                b_rank,
            )
        )
        if len(hits) == k:
            break
    return hits


def _merge(library: Library, hits: list[SearchHit], index: int, record: ChunkRecord) -> bool:
    """Grow a hit over its neighbouring chunk, so a clause cut in two reads whole."""
    hit = hits[index]
    start, end = min(hit.start, record.start), max(hit.end, record.end)
    page = library.page_text(record.doc_id, record.page)
    if page is None or end - start > MAX_MERGED_CHARS:
        return False
    hits[index] = replace(hit, start=start, end=end, text=page[start:end])
    return True


def opening_chunk(chunks: list[ChunkRecord]) -> ChunkRecord:
    """The first chunk, unless the opening it starts lacks a preamble and a chunk of the
    first few pages has one."""
    first = chunks[0]
    region = " ".join(
        c.text for c in chunks if c.page == first.page and c.start < first.start + OPENING_CHARS
    )
    if PREAMBLE.search(region):
        return first
    early = (c for c in chunks if c.page < first.page + PREAMBLE_PAGES)
    return next((c for c in early if PREAMBLE.search(c.text)), first)


def _paths(library: Library, doc_ids: set[str]) -> dict[str, tuple[str, str]]:
    if not doc_ids:
        return {}
    found: dict[str, tuple[str, str]] = {}
    for record in library.files_of(sorted(doc_ids)):
        if record.doc_id is not None:
            found.setdefault(record.doc_id, (record.path, record.title or ""))
    return found
