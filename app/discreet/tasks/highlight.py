"""Where a cited passage sits on its page, as boxes over the page's picture.

A citation is a character span of the page text. On an OCR'd page the recognised
lines carry their boxes, so the span maps to boxes exactly; no text search is needed,
and a quote that breaks across lines is marked on every line it covers. On a PDF with
a text layer, pdfium gives every character's box; the quote is found in pdfium's own
text of the page (whitespace and case aside, so line breaks don't matter) and its
characters' boxes are merged line by line. Boxes are fractions of the page, from the
top left, so any view can draw them at any zoom.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from discreet.core.errors import DocumentError
from discreet.documents.detect import detect_kind
from discreet.documents.model import TextLine
from discreet.documents.scans import pictures
from discreet.index.library import Library

Box = tuple[float, float, float, float]
VIEW_DPI = 120  # enough to read a page on screen; the OCR itself ran at 300


@dataclass(frozen=True)
class PageMarks:
    """A page's picture with the boxes of a cited passage, as fractions of the page from the
    top left: what the GUI's viewer draws over the page."""

    image: Image.Image  # the page as printed (or scanned)
    boxes: tuple[Box, ...]  # the cited passage, line by line


def page_marks(
    library: Library, path: str, doc_id: str, page: int, start: int, end: int, quote: str
) -> PageMarks | None:
    """The cited page's picture and the passage's boxes; None where there is no picture
    to show (a DOCX, an attachment inside an e-mail) or the passage can't be placed."""
    source = Path(path)
    try:
        kind = detect_kind(source) if source.is_file() else ""
    except (DocumentError, OSError):
        return None
    if kind not in ("pdf", "image"):
        return None
    lines = library.page_lines(doc_id, page)
    if lines:
        boxes = span_boxes(lines, start, end)
    elif kind == "pdf":
        boxes = pdf_quote_boxes(source, page, quote)
    else:
        boxes = ()
    if not boxes:
        return None
    return PageMarks(next(pictures(kind, source, [page], VIEW_DPI)), boxes)


def span_boxes(lines: tuple[TextLine, ...], start: int, end: int) -> tuple[Box, ...]:
    """The boxes of the lines the span [start, end) covers, each cut to the covered part
    of its line (in proportion to characters, which is close for printed text)."""
    boxes = []
    for line in lines:
        if line.end <= start or line.start >= end or line.end == line.start:
            continue
        x0, y0, x1, y1 = line.box
        if x1 - x0 >= y1 - y0:  # an upright line: cut along its width
            length = line.end - line.start
            left = (max(start, line.start) - line.start) / length
            right = (min(end, line.end) - line.start) / length
            x0, x1 = x0 + (x1 - x0) * left, x0 + (x1 - x0) * right
        boxes.append((x0, y0, x1, y1))
    return tuple(boxes)


def pdf_quote_boxes(path: Path, page: int, quote: str) -> tuple[Box, ...]:
    """The quote's boxes on a page (from 1) of a PDF with a text layer, one per printed line;
    empty when pdfium's text of the page does not contain it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        pdf_page_ = document[page - 1]
        width, height = pdf_page_.get_size()
        text_page = pdf_page_.get_textpage()
        span = _find(text_page.get_text_range(), quote)
        if span is None:
            return ()
        chars = [text_page.get_charbox(i) for i in range(*span)]
    finally:
        document.close()
    return tuple(
        (left / width, 1 - top / height, right / width, 1 - bottom / height)
        for left, bottom, right, top in _line_boxes(chars)
    )


def _find(text: str, quote: str) -> tuple[int, int] | None:
    """Where the quote is in `text`, as character indexes, on letters and digits alone.

    Two extractors of one PDF disagree on everything else: pypdf gives "Siteand" where
    pdfium gives "Site and", soft hyphens and no-break spaces come and go, and a line
    break may be a space or nothing.
    """
    origin = [index for index, char in enumerate(text) if char.isalnum()]
    flat = "".join(text[index] for index in origin).lower()
    needle = "".join(char for char in quote if char.isalnum()).lower()
    at = flat.find(needle) if needle else -1
    if at < 0:
        return None
    return origin[at], origin[at + len(needle) - 1] + 1


def _line_boxes(chars: list[tuple[float, float, float, float]]) -> list[Box]:
    """Character boxes (PDF points) merged into one box per printed line."""
    lines: list[list[float]] = []
    for left, bottom, right, top in chars:
        if right <= left or top <= bottom:  # a space or a line break: no ink
            continue
        last = lines[-1] if lines else None
        if last and bottom < last[3] and top > last[1] and left >= last[0] - 1:
            last[0], last[1] = min(last[0], left), min(last[1], bottom)
            last[2], last[3] = max(last[2], right), max(last[3], top)
        else:
            lines.append([left, bottom, right, top])
    return [tuple(line) for line in lines]  # type: ignore[misc]
