"""What ingest reports while it runs and when it is done."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FileFailure:
    """A file that could not be indexed, and why in words fit to show the user; the batch went
    on without it. `path` may be an attachment's key below its e-mail (`mail.eml/report.pdf`)."""

    path: str
    message: str


@dataclass
class IngestReport:
    """What one `Library.add` or `Library.sync` did, counted per file; `Ingestor.run` fills it
    in as it goes, so a cancelled batch still reports what was done before the stop."""

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
