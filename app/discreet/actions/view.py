"""Open a cited page: how the viewer can show a passage where a source says it is.

The window's viewer shows a page's picture with the passage's boxes, else the PDF
itself, else the page's text with the span marked; which one is decided here, off the
UI thread, since placing the boxes reads and renders the document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from discreet.index.library import Library
from discreet.tasks.highlight import PageMarks, page_marks

# How the viewer shows a cited page, and what it shows it with (`cited_page`).
CitedPage = (
    tuple[Literal["marks"], PageMarks]
    | tuple[Literal["pdf"], None]
    | tuple[Literal["text"], tuple[str, int, int]]
)


def cited_page(
    library: Library,
    path: str,
    doc_id: str,
    page: int,
    quote: str,
    start: int | None,
    end: int | None,
) -> CitedPage:
    """("marks", PageMarks) where the passage can be placed on the page's picture, else
    ("pdf", None) for a PDF, else ("text", (page text, begin, end)) of the span."""
    text = library.page_text(doc_id, page) or ""
    begin = start if start is not None else max(0, text.find(quote))
    finish = end if end is not None else begin + len(quote)
    if quote or start is not None:
        marks = page_marks(library, path, doc_id, page, begin, finish, quote)
        if marks is not None:
            return "marks", marks
    if path.lower().endswith(".pdf") and Path(path).is_file():
        return "pdf", None
    return "text", (text, begin, finish)
