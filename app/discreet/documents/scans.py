"""Pages as images: image files as documents, PDF pages rendered for OCR.

A scanned contract arrives either as an image-only PDF or as image files (a fax's
multi-page TIFF, a phone's JPEG). Both become pages that need OCR; this module gives
the OCR step each page's picture. PDF pages render through pdfium, at 300 dpi: the
resolution Tesseract is trained for, and `bench/ocr.py` shows it reads 200-dpi scans
as well when they are rendered at 300.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from discreet.core.errors import CorruptDocument, FileTooLarge
from discreet.documents.model import LoadedDocument, Page

RENDER_DPI = 300
# A page is a picture, not a poster: past this many pixels an image is refused rather
# than decoded (PIL's own bomb check only warns below twice its limit).
MAX_PIXELS = 120_000_000
# A PDF page with a text layer this short that is mostly image is a scan with a stamp
# or a page number on it: it is read by OCR too.
FEW_CHARACTERS = 40
MOSTLY_IMAGE = 0.5

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def load_image(path: Path) -> LoadedDocument:
    """PNG, JPEG, TIFF (every page of a multi-page one), BMP: a page per frame, to OCR.

    Each frame is decoded here once, so that a damaged one fails the file now, and
    then again, one at a time, when OCR reads it: a 300-page fax never sits in memory
    whole.
    """
    frames = sum(1 for _ in _frames(path, None))
    pages = [Page(number, "", needs_ocr=True) for number in range(1, frames + 1)]
    return LoadedDocument(kind="image", title=path.stem, pages=pages)


def pictures(
    kind: str, path: Path, numbers: list[int], dpi: int = RENDER_DPI
) -> Iterator[Image.Image]:
    """Pages `numbers` (1-based, ascending) of a PDF or an image file as pictures, the
    file opened once for all of them."""
    if kind == "pdf":
        yield from _pdf_pictures(path, numbers, dpi)
        return
    for frame in _frames(path, set(numbers)):
        yield frame if frame.mode in ("RGB", "L") else frame.convert("RGB")


def _frames(path: Path, wanted: set[int] | None) -> Iterator[Image.Image]:
    """Decode every frame (`wanted` None, yielding each) or only the frames `wanted`."""
    count = 0
    try:
        with Image.open(path) as image:
            for count, frame in enumerate(ImageSequence.Iterator(image), start=1):
                if frame.width * frame.height > MAX_PIXELS:
                    raise FileTooLarge(path, f"{frame.width}×{frame.height} pixels")
                if wanted is None or count in wanted:
                    frame.load()
                    yield frame.copy() if wanted is not None else frame
    except Image.DecompressionBombError as err:
        raise FileTooLarge(path, "the picture has too many pixels to be a page") from err
    except UnidentifiedImageError as err:
        raise CorruptDocument(path, str(err)) from err
    except (OSError, SyntaxError, ValueError, EOFError) as err:  # truncated or damaged data
        raise CorruptDocument(path, f"the image cannot be decoded ({err})") from err
    if not count:
        raise CorruptDocument(path, "the image has no frames")


def _pdf_pictures(path: Path, numbers: list[int], dpi: int) -> Iterator[Image.Image]:
    """PDF pages as the printer would draw them."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        for number in numbers:
            page = document[number - 1]
            width, height = page.get_size()
            scale = dpi / 72
            if width * height * scale * scale > MAX_PIXELS:  # a poster-sized page
                scale = (MAX_PIXELS / (width * height)) ** 0.5
            yield page.render(scale=scale, grayscale=True).to_pil()
    finally:
        document.close()


def scanned_pages(path: Path, pages: list[Page]) -> list[Page]:
    """Mark the PDF pages that are mostly image with almost no text layer as needing OCR."""
    short = [page for page in pages if not page.needs_ocr and _few_characters(page)]
    if not short:
        return pages
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        scans = {p.number for p in short if _image_share(document[p.number - 1]) >= MOSTLY_IMAGE}
    finally:
        document.close()
    return [Page(p.number, p.text, needs_ocr=True) if p.number in scans else p for p in pages]


def _few_characters(page: Page) -> bool:
    return len("".join(page.text.split())) < FEW_CHARACTERS


def _image_share(page: object) -> float:
    """The share of the page that images cover (capped at 1)."""
    from pypdfium2 import raw

    width, height = page.get_size()  # type: ignore[attr-defined]
    covered = 0.0
    for item in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):  # type: ignore[attr-defined]
        left, bottom, right, top = item.get_pos()
        covered += max(right - left, 0) * max(top - bottom, 0)
    return min(covered / (width * height), 1.0) if width and height else 0.0
