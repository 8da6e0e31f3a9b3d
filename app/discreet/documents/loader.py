"""One entry point from a path to a `LoadedDocument`, whatever the format.

Every failure becomes a `DocumentError` naming the file, so the ingest loop can
record it on that file's line and carry on with the batch.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from discreet.core.errors import DocumentError, EmptyDocument, FileTooLarge
from discreet.documents.detect import detect_kind
from discreet.documents.email_loader import load_eml
from discreet.documents.model import LoadedDocument, Page
from discreet.documents.office import load_docx
from discreet.documents.pdf import load_pdf
from discreet.documents.text import load_html, load_text

# What reading a file yields. Bump it when a loader change alters a document's text, so
# that libraries read their files again at the next sync instead of keeping the old
# text until a file changes. 2: running headers and footers off PDF pages.
READER_VERSION = 2


class OcrEngine(Protocol):
    """The seam for OCR: given a PDF page without a text layer, return its text."""

    def page_text(self, path: Path, page_number: int) -> str: ...


_LOADERS: dict[str, Callable[[Path], LoadedDocument]] = {
    "pdf": load_pdf,
    "docx": load_docx,
    "txt": lambda p: load_text(p, "txt"),
    "md": lambda p: load_text(p, "md"),
    "html": load_html,
    "eml": load_eml,
}


def load_document(path: Path, max_bytes: int, ocr: OcrEngine | None = None) -> LoadedDocument:
    size = path.stat().st_size
    if size == 0:
        raise EmptyDocument(path, "0 bytes")
    if size > max_bytes:
        raise FileTooLarge(path, f"{size / 2**20:.0f} MB, limit {max_bytes / 2**20:.0f} MB")
    kind = detect_kind(path)
    try:
        document = _LOADERS[kind](path)
    except DocumentError:
        raise
    except (OSError, ValueError, LookupError) as err:
        raise DocumentError(path, str(err)) from err
    if not document.has_text and not document.needs_ocr_pages:
        raise EmptyDocument(path)
    return apply_ocr(document, path, ocr) if ocr is not None else document


def apply_ocr(document: LoadedDocument, path: Path, ocr: OcrEngine) -> LoadedDocument:
    """Fill the pages that have no text layer with what OCR reads on them."""
    if document.needs_ocr_pages:
        document.pages = [_with_ocr(ocr, path, page) for page in document.pages]
    return document


def _with_ocr(ocr: OcrEngine, path: Path, page: Page) -> Page:
    if not page.needs_ocr:
        return page
    text = ocr.page_text(path, page.number)
    return Page(page.number, text, needs_ocr=not text.strip())
