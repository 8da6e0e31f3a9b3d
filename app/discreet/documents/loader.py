"""One entry point from a path to a `LoadedDocument`, whatever the format.

Every failure becomes a `DocumentError` naming the file, so the ingest loop can
record it on that file's line and carry on with the batch. Pages that are pictures
of text are read by OCR here, inside the sandboxed reader, and an e-mail's
attachments are read here too, each into a document of its own.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PIL import Image

from discreet.core.errors import DocumentError, EmptyDocument, FileTooLarge
from discreet.documents.detect import detect_kind
from discreet.documents.email_loader import load_eml
from discreet.documents.model import OCR, Attachment, LoadedDocument, Page
from discreet.documents.ocr import OcrEngine
from discreet.documents.office import load_docx
from discreet.documents.outlook import load_msg
from discreet.documents.pdf import load_pdf
from discreet.documents.richtext import load_odt, load_rtf
from discreet.documents.scans import load_image, pictures
from discreet.documents.slides import load_pptx
from discreet.documents.spreadsheet import load_csv, load_xls, load_xlsx
from discreet.documents.text import load_html, load_text

# An attachment inside an attachment inside an e-mail is read; deeper is not.
MAX_NESTING = 3

PageProgress = Callable[[int, int], None]  # OCR pages done, pages to OCR in this file

_LOADERS: dict[str, Callable[[Path], LoadedDocument]] = {
    "pdf": load_pdf,
    "docx": load_docx,
    "txt": lambda p: load_text(p, "txt"),
    "md": lambda p: load_text(p, "md"),
    "html": load_html,
    "eml": load_eml,
    "image": load_image,
    "xlsx": load_xlsx,
    "xls": load_xls,
    "csv": load_csv,
    "pptx": load_pptx,
    "msg": load_msg,
    "rtf": load_rtf,
    "odt": load_odt,
}


def load_document(
    path: Path,
    max_bytes: int,
    ocr: OcrEngine | None = None,
    on_page: PageProgress | None = None,
    depth: int = 0,
) -> LoadedDocument:
    """Read a file into a `LoadedDocument`, OCR its scanned pages and read its attachments.

    Raises `EmptyDocument` for 0 bytes, or for a file without text, scans or attachments
    ("no text was recognised" when OCR found none), `FileTooLarge` past `max_bytes`, and
    what `detect_kind` and the loaders raise (`UnsupportedFile`, `EncryptedDocument`,
    `CorruptDocument`); a loader's OSError, ValueError or LookupError becomes a
    `DocumentError`. Other exceptions, and an OSError from stat or from reading the first
    bytes, propagate: the sandboxed worker reports them as this file's failure.

    Args:
        path: The file; its content, not its name, decides the format.
        max_bytes: Size limit in bytes, for the file and for each attachment.
        ocr: Reads pages that are pictures of text; None leaves them flagged `needs_ocr`.
            A page the engine cannot read stays flagged rather than failing the file.
        on_page: Called with (pages done, pages to OCR) after each OCR'd page; not for
            attachments.
        depth: How deep in attachments this file is, 0 for one the user added.

    Each attachment is read through a private temporary file into a document of its own;
    one that fails, or is nested more than `MAX_NESTING` deep, records why in its
    `error` instead of failing the file.
    """
    size = path.stat().st_size
    if size == 0:
        raise EmptyDocument(path, "0 bytes")
    if size > max_bytes:
        raise FileTooLarge(path, f"{size / 2**20:.0f} MB, limit {max_bytes / 2**20:.0f} MB")
    kind = detect_kind(path)
    try:
        document = _LOADERS[kind](path)
        if ocr is not None and document.needs_ocr_pages:
            document.pages = _read_scans(document, path, ocr, on_page)
    except DocumentError:
        raise
    except (OSError, ValueError, LookupError) as err:
        raise DocumentError(path, str(err)) from err
    if not document.has_text and not document.needs_ocr_pages and not document.attachments:
        raise EmptyDocument(path, "no text was recognised" if document.ocr_pages else "")
    for attachment in document.attachments:
        _read_attachment(attachment, max_bytes, ocr, depth + 1)
    return document


def _read_scans(
    document: LoadedDocument, path: Path, ocr: OcrEngine, on_page: PageProgress | None
) -> list[Page]:
    """OCR every page that needs it; a page the engine cannot read stays flagged."""
    scans = [page for page in document.pages if page.needs_ocr]
    images = pictures(document.kind, path, [page.number for page in scans])
    read: dict[int, Page] = {}
    for done, (page, image) in enumerate(zip(scans, images, strict=True), start=1):
        read[page.number] = _read_scan(ocr, image, page)
        if on_page is not None:
            on_page(done, len(scans))
    return [read.get(page.number, page) for page in document.pages]


def _read_scan(ocr: OcrEngine, image: Image.Image, page: Page) -> Page:
    try:
        result = ocr.read(image)
    except RuntimeError:  # the engine gave up on this picture: the page stays flagged
        return page
    if len(result.text) < len(page.text.strip()):  # a text layer that says more
        return replace(page, needs_ocr=False)
    return Page(page.number, result.text, False, OCR, result.confidence, result.lines)


def _read_attachment(
    attachment: Attachment, max_bytes: int, ocr: OcrEngine | None, depth: int
) -> None:
    """Read an attachment through a private temporary file, as if the user had added it."""
    data, attachment.data = attachment.data, b""
    attachment.digest = hashlib.sha256(data).hexdigest()
    if depth > MAX_NESTING:
        attachment.error = "attached too deeply inside other attachments"
        return
    suffix = Path(attachment.name).suffix[:16]
    with tempfile.TemporaryDirectory(prefix="discreet-attachment-") as folder:
        path = Path(folder) / f"attachment{suffix}"
        path.write_bytes(data)
        try:
            attachment.document = load_document(path, max_bytes, ocr, None, depth)
        except DocumentError as err:
            attachment.error = f"{err.reason} ({err.detail})" if err.detail else err.reason
