"""Where a document's text came from, as a reader needs to know before trusting it.

An OCR'd page may misread a figure or a name, so every list of documents says which
pages were recognised rather than read, how sure the engine was, and which pages fell
below `LOW_CONFIDENCE` and deserve a look at the image.
"""

from __future__ import annotations

from dataclasses import dataclass

from discreet.documents.model import LOW_CONFIDENCE


@dataclass(frozen=True)
class PageSource:
    """How one page's stored text was obtained; `confidence` is None for a text layer."""

    page: int
    source: str  # "text layer" or "OCR"
    confidence: float | None  # mean OCR confidence, 0..1

    @property
    def low_confidence(self) -> bool:
        """Whether OCR read this page below `LOW_CONFIDENCE`, so its image deserves a look
        (never for a text layer)."""
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE


@dataclass(frozen=True)
class TextSources:
    """Where each page of one document got its text, in page order, as
    `DocumentRegistry.text_sources` reads it for `Library.documents`."""

    pages: tuple[PageSource, ...]

    @property
    def ocr_pages(self) -> tuple[PageSource, ...]:
        """The pages read by OCR (those with a confidence), in page order."""
        return tuple(p for p in self.pages if p.confidence is not None)

    @property
    def confidence(self) -> float | None:
        """Mean OCR confidence over the recognised pages."""
        ocr = self.ocr_pages
        return sum(p.confidence or 0.0 for p in ocr) / len(ocr) if ocr else None

    @property
    def low_pages(self) -> tuple[PageSource, ...]:
        """The OCR'd pages read below `LOW_CONFIDENCE`, which `describe` names for checking."""
        return tuple(p for p in self.pages if p.low_confidence)

    def describe(self) -> str:
        """ "text layer", or "OCR, 91% confidence; check page 3 (62%)"."""
        ocr = self.ocr_pages
        if not ocr:
            return "text layer"
        share = "OCR" if len(ocr) == len(self.pages) else f"OCR on {len(ocr)} pages"
        text = f"{share}, {self.confidence:.0%} confidence"
        if low := self.low_pages:
            pages = ", ".join(f"{p.page} ({p.confidence:.0%})" for p in low[:5])
            more = f" and {len(low) - 5} more" if len(low) > 5 else ""
            text += f"; check {'pages' if len(low) > 1 else 'page'} {pages}{more}"
        return text
