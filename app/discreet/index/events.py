"""What ingest reports while it runs and when it is done."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class IngestProgress:
    files_done: int
    files_total: int
    pages_done: int
    chunks_done: int
    current_file: str
    stage: str  # scanning, reading, ocr, embedding, storing, done
    eta_s: float | None  # of the batch; during OCR, of this file's scanned pages
    errors: int
    ocr_done: int = 0  # while stage is "ocr": this file's pages read, of ocr_total
    ocr_total: int = 0


@dataclass(frozen=True)
class FileFailure:
    path: str
    message: str


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    removed: int = 0
    needs_ocr: int = 0
    pages: int = 0
    chunks: int = 0
    failed: list[FileFailure] = field(default_factory=list)
    cancelled: bool = False
    elapsed_s: float = 0.0
