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


# A list item's label, "(b) " or "2. ", comes before the words that show a fragment.
_ENUMERATOR = re.compile(r"^\s*\(?[A-Za-z0-9]{1,4}[.)]\s+")
_OPEN_END = re.compile(r"(?:[;,:\u2014-]|\b(?:and|or|but|the|of|to))$", re.IGNORECASE)
_CLOSERS = "\"')]\u201d\u2019 "
LONGEST_SENTENCE = 600  # characters a sentence may grow to when punctuation split it


def opens_midway(text: str) -> bool:
    """Whether `text` starts mid-sentence: its first word, past any list label, is lower case."""
    body = _ENUMERATOR.sub("", text.strip().lstrip("\"'\u201c\u2018"), count=1)
    first = next((c for c in body if c.isalnum()), "")
    return not first or first.islower()


def dangles(text: str) -> bool:
    """Whether `text` breaks off on a word or mark that needs more: ";", ",", "and", "of"."""
    body = text.rstrip(_CLOSERS)
    return not body or bool(_OPEN_END.search(body))


def ends_open(text: str) -> bool:
    """Whether `text` stops mid-sentence: it dangles, or has no full stop."""
    return dangles(text) or text.rstrip(_CLOSERS)[-1] not in ".!?"


def is_fragment(text: str) -> bool:
    """Whether `text` fails to read as a sentence: a summary point or a quote must not."""
    return opens_midway(text) or ends_open(text)


def whole_sentence(
    text: str, spans: list[tuple[int, int]], index: int, limit: int = LONGEST_SENTENCE
) -> tuple[int, int]:
    """Sentence `index` of `spans` grown over its neighbours while it starts or stops
    mid-sentence, as a clause split at "; and" or a list item is, up to `limit` characters."""
    first = last = index
    while (
        first > 0
        and opens_midway(text[spans[first][0] : spans[first][1]])
        and spans[last][1] - spans[first - 1][0] <= limit
    ):
        first -= 1
    while (
        last + 1 < len(spans)
        and (
            ends_open(text[spans[first][0] : spans[last][1]])
            or _named_on(text[spans[first][0] : spans[last][1]], text[spans[last + 1][0] :])
        )
        and spans[last + 1][1] - spans[first][0] <= limit
    ):
        last += 1
    return spans[first][0], spans[last][1]


# A name's abbreviation ("Acme, Inc.") ends no sentence when a bracket or lower case follows.
_ABBREVIATED = re.compile(
    r"\b(?:Inc|Ltd|Corp|Co|Bros|L\.?P|L\.?L\.?C|N\.A|S\.A|B\.V|N\.V|No|St|Mr|Mrs|Ms|Dr)\.$"
)


def _named_on(sentence: str, rest: str) -> bool:
    """Whether `sentence` was cut after a name's abbreviation that its clause goes on past:
    "made by and among Acme, Inc. (\u201cAcme\u201d), ... as of February 10, 2012"."""
    follows = rest.lstrip()[:1]
    return bool(_ABBREVIATED.search(sentence.rstrip())) and (follows == "(" or follows.islower())
