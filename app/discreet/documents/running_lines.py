"""Running headers and footers, taken off PDF pages before chunking.

Filings repeat a line at the top or bottom of every page: "Source: PARATEK
PHARMACEUTICALS, INC., 10-K/A, 5/5/2017", a page number, a confidentiality legend.
Left in, it becomes the most repeated sentence of the document: it is retrieved for
any question, the small model reads its filing date as the agreement's date, and
summaries repeat it. A line counts as running when, with its digits masked, it is
among the first or last lines of at least half the pages (and of three at least).
Only those edge lines are removed, so the same words in the body stay.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from discreet.documents.model import Page

EDGE_LINES = 2  # non-blank lines at each end of a page that may be a header or footer
MIN_PAGES = 3

_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def strip_running_lines(pages: list[Page]) -> list[Page]:
    """The pages without their running headers and footers (see the module); the same list
    when no line repeats on enough page edges."""
    edges = [_edge_lines(page.text) for page in pages]
    counts = Counter(key for found in edges for key in {_key(line) for _, line in found})
    with_text = sum(1 for page in pages if page.text.strip())
    needed = max(MIN_PAGES, (with_text + 1) // 2)
    running = {key for key, count in counts.items() if count >= needed and key}
    if not running:
        return pages
    return [
        _without(page, {index for index, line in found if _key(line) in running})
        for page, found in zip(pages, edges, strict=True)
    ]


def _edge_lines(text: str) -> list[tuple[int, str]]:
    """(line index, line) of the first and last few non-blank lines."""
    lines = [(index, line) for index, line in enumerate(text.split("\n")) if line.strip()]
    if len(lines) <= 2 * EDGE_LINES:
        return lines
    return lines[:EDGE_LINES] + lines[-EDGE_LINES:]


def _key(line: str) -> str:
    return _SPACE.sub(" ", _DIGITS.sub("#", line)).strip().lower()


def _without(page: Page, drop: set[int]) -> Page:
    if not drop:
        return page
    lines = page.text.split("\n")
    text = "\n".join(line for index, line in enumerate(lines) if index not in drop)
    return dataclasses.replace(page, text=text.strip("\n"))
