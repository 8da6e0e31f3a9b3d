"""Structure-aware chunking, measured in the embedder's own tokens.

Chunks never cross a page, so every chunk has one page number, and each keeps its
exact character span within the page: a citation can then highlight the very text
the answer relied on. Sentences are packed whole until the target size; a paragraph
break closes a chunk that is already well filled; a sentence too long for the
embedder is cut at token boundaries. Neighbouring chunks share a few sentences of
overlap so that a fact split across the cut is still found whole in one of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from discreet.chunks.sentences import sentence_spans
from discreet.documents.model import Page

_SPECIAL_TOKENS = 2  # [CLS] and [SEP] take two places in the embedder's window


class Tokenizer(Protocol):
    """The part of an embedder the chunker uses; any `Embedder` satisfies it.

    `max_tokens` is the embedder's whole window, its two special tokens included; counts
    and offsets leave those out.
    """

    max_tokens: int

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Each text's token count, special tokens excluded: the unit chunk sizes are set in."""

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Each token's (start, end) in `text`, no special tokens: where a long sentence is cut."""


@dataclass(frozen=True)
class Chunk:
    """One piece of one page, within the embedder's window: what the index embeds and stores.

    Made by `chunk_pages`. `start` and `end` are character offsets into the page's text, so
    a citation can highlight exactly this span; `tokens` is the sum of its sentences'
    counts, special tokens excluded.
    """

    chunk_id: str
    doc_id: str
    ordinal: int
    page: int
    start: int  # character offsets into the page text
    end: int
    text: str
    tokens: int


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    tokens: int
    opens_paragraph: bool


def chunk_id(doc_id: str, ordinal: int) -> str:
    """Deterministic: the same content always yields the same ids, so re-runs upsert."""
    return f"{doc_id[:32]}-{ordinal:06d}"


def chunk_pages(
    doc_id: str, pages: list[Page], tokenizer: Tokenizer, target: int, overlap: int
) -> list[Chunk]:
    """Chunks of every page in order, `ordinal` counting across the whole document.

    `target` and `overlap` are in embedder tokens; `target` is held between 16 and the
    embedder's window less its special tokens. A page without text yields no chunk.
    """
    limit = tokenizer.max_tokens - _SPECIAL_TOKENS
    target = max(16, min(target, limit))
    chunks: list[Chunk] = []
    for page in pages:
        units = _units(page.text, tokenizer, limit)
        for start, end, tokens in _pack(units, target, limit, overlap):
            ordinal = len(chunks)
            chunks.append(
                Chunk(
                    chunk_id(doc_id, ordinal),
                    doc_id,
                    ordinal,
                    page.number,
                    start,
                    end,
                    page.text[start:end],
                    tokens,
                )
            )
    return chunks


def _units(text: str, tokenizer: Tokenizer, limit: int) -> list[_Unit]:
    spans = sentence_spans(text)
    counts = tokenizer.count_tokens([text[s:e] for s, e, _ in spans])
    units: list[_Unit] = []
    for (start, end, opens), count in zip(spans, counts, strict=True):
        if count <= limit:
            units.append(_Unit(start, end, count, opens))
            continue
        offsets = tokenizer.token_offsets(text[start:end])
        for first in range(0, len(offsets), limit):
            window = offsets[first : first + limit]
            units.append(
                _Unit(
                    start + window[0][0], start + window[-1][1], len(window), opens and first == 0
                )
            )
    return units


def _pack(
    units: list[_Unit], target: int, limit: int, overlap: int
) -> Iterator[tuple[int, int, int]]:
    current: list[_Unit] = []
    tokens = 0
    for unit in units:
        full = tokens + unit.tokens > target or (unit.opens_paragraph and tokens >= target * 0.6)
        if current and full:
            yield current[0].start, current[-1].end, tokens
            current = _tail(current, overlap)
            tokens = sum(u.tokens for u in current)
            while current and tokens + unit.tokens > limit:
                tokens -= current.pop(0).tokens
        current.append(unit)
        tokens += unit.tokens
    if current:
        yield current[0].start, current[-1].end, tokens


def _tail(units: list[_Unit], overlap: int) -> list[_Unit]:
    """The last whole sentences worth at most `overlap` tokens (never the whole chunk)."""
    kept: list[_Unit] = []
    total = 0
    for unit in reversed(units[1:]):
        if total + unit.tokens > overlap:
            break
        kept.insert(0, unit)
        total += unit.tokens
    return kept
