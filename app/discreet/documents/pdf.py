"""PDF pages through pypdf, one record per page so citations keep their page numbers."""

from __future__ import annotations

import logging
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

from discreet.core.errors import CorruptDocument, EmptyDocument, EncryptedDocument
from discreet.documents.model import LoadedDocument, Page
from discreet.documents.running_lines import strip_running_lines
from discreet.documents.scans import scanned_pages

log = logging.getLogger(__name__)
logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns loudly on harmless quirks


def load_pdf(path: Path) -> LoadedDocument:
    """A page per PDF page, running headers and footers removed and pages with (almost) no
    text layer flagged for OCR.

    Raises `EncryptedDocument` unless it opens with an empty password, `CorruptDocument`
    when pypdf cannot parse it, and `EmptyDocument` when it has no pages; a page that
    cannot be parsed is kept empty, for OCR, rather than failing the file.
    """
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedDocument(path)
        count = len(reader.pages)
    except (FileNotDecryptedError, DependencyError) as err:
        raise EncryptedDocument(path) from err
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, OSError) as err:
        raise CorruptDocument(path, _short(err)) from err
    if count == 0:
        raise EmptyDocument(path, "the PDF has no pages")
    pages = strip_running_lines([_page(reader, index, path) for index in range(count)])
    try:
        pages = scanned_pages(path, pages)
    except Exception as err:  # pdfium refusing a file pypdf read: keep the text layer
        log.warning("%s: cannot look for scanned pages: %s", path.name, err)
    title = _title(reader) or path.stem
    return LoadedDocument(kind="pdf", title=title, pages=pages)


def _page(reader: PdfReader, index: int, path: Path) -> Page:
    """A page that cannot be parsed is kept as an empty, OCR-able page, not a failure."""
    try:
        text = reader.pages[index].extract_text() or ""
    except Exception as err:  # pypdf raises many types on damaged page streams
        log.warning("%s page %d: %s", path.name, index + 1, err)
        text = ""
    text = text.replace("\x00", "")
    return Page(number=index + 1, text=text, needs_ocr=not text.strip())


def _title(reader: PdfReader) -> str:
    try:
        meta = reader.metadata
        return (meta.title or "").strip() if meta else ""
    except Exception:  # broken metadata must not sink an otherwise readable file
        return ""


def _short(err: Exception) -> str:
    text = str(err).strip() or type(err).__name__
    return text if len(text) < 120 else text[:117] + "…"
