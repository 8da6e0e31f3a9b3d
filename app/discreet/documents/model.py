"""The data a loader hands to the chunker."""

from __future__ import annotations

from dataclasses import dataclass, field

# What reading a file yields. Bump it when a loader change alters a document's text, so
# that libraries read their files again at the next sync instead of keeping the old
# text until a file changes. 2: running headers and footers off PDF pages. 3: OCR,
# attachments as documents of their own. It lives here, not in `loader`, so that the
# app's process checks it without importing every parser (the sandboxed reader reads).
READER_VERSION = 3

TEXT_LAYER = "text layer"  # the file's own text: a PDF's text layer, a DOCX's paragraphs
OCR = "OCR"  # recognised from an image of the page
# Below this mean confidence an OCR'd page is flagged for checking against the image: on
# bench/ocr.py's pages, those above it read at a character error rate under 2%.
LOW_CONFIDENCE = 0.8


@dataclass(frozen=True)
class TextLine:
    """A recognised line: where it sits in the page's text and on the page's image.

    The box is in fractions of the page's width and height (x0, y0, x1, y1, from the
    top left), so a viewer can draw it at any zoom; citation spans map to boxes
    through `start`/`end`.
    """

    start: int
    end: int
    box: tuple[float, float, float, float]
    confidence: float  # 0..1


@dataclass(frozen=True)
class Page:
    """One page of text, the unit citations point into: a PDF page, a slide, a sheet, or
    the whole text of a format without pages (DOCX, e-mail, plain text)."""

    number: int  # 1-based, as a reader counts them
    text: str
    needs_ocr: bool = False  # an image of text that OCR has not (or could not) read
    source: str = TEXT_LAYER
    confidence: float | None = None  # mean OCR confidence, 0..1; None for a text layer
    lines: tuple[TextLine, ...] = ()


@dataclass
class Attachment:
    """A file inside a document (an e-mail's attachment), indexed as its own document.

    Loaders fill `name` and `data`; `documents.loader` reads `data` into `document`,
    or records why it could not in `error`.
    """

    name: str
    data: bytes = b""
    digest: str = ""  # SHA-256 of data: the attachment's document id
    document: LoadedDocument | None = None
    error: str = ""


@dataclass
class LoadedDocument:
    """What a loader makes of one file: its format, a title (from the file, else its name),
    its pages, and attachments to be read as documents of their own."""

    kind: str  # pdf, docx, txt, md, html, eml, msg, image, xlsx, ...
    title: str
    pages: list[Page] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def needs_ocr_pages(self) -> int:
        """How many pages are pictures of text that OCR has not read (yet, or at all)."""
        return sum(1 for page in self.pages if page.needs_ocr)

    @property
    def ocr_pages(self) -> int:
        """How many pages have text recognised by OCR rather than the file's own."""
        return sum(1 for page in self.pages if page.source == OCR)

    @property
    def has_text(self) -> bool:
        """Whether any page has text; without it the file is empty unless it has scans or
        attachments."""
        return any(page.text.strip() for page in self.pages)
