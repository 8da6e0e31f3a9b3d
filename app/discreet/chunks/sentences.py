"""Sentence and paragraph boundaries, shared by the chunker and citation matching.

A plain regular expression rather than a language model: it runs on every page at
ingest, and its mistakes (a cut after "Inc.") only move a boundary, never lose text.
"""

from __future__ import annotations

import re

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+")


def sentence_spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, opens_paragraph) of each sentence, whitespace trimmed."""
    spans = []
    para_start = 0
    for para_end, next_start in [
        *((m.start(), m.end()) for m in _PARAGRAPH_BREAK.finditer(text)),
        (len(text), len(text)),
    ]:
        first = True
        cursor = para_start
        for cut in [*(m for m in _SENTENCE_END.finditer(text, para_start, para_end))]:
            spans.append((cursor, cut.start(), first))
            first = False
            cursor = cut.end()
        spans.append((cursor, para_end, first))
        para_start = next_start
    trimmed = []
    for start, end, opens in spans:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        tail = len(piece.rstrip())
        if tail > lead:
            trimmed.append((start + lead, start + tail, opens))
    return trimmed
