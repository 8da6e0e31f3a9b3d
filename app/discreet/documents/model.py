"""The data a loader hands to the chunker."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, as a reader counts them
    text: str
    needs_ocr: bool = False  # a page with no text layer; OCR can fill it in later


@dataclass
class LoadedDocument:
    kind: str  # pdf, docx, txt, md, html, eml
    title: str
    pages: list[Page] = field(default_factory=list)

    @property
    def needs_ocr_pages(self) -> int:
        return sum(1 for page in self.pages if page.needs_ocr)

    @property
    def has_text(self) -> bool:
        return any(page.text.strip() for page in self.pages)
