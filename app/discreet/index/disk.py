"""Room on the disk: a document the disk cannot hold is refused before anything is
written, and a full disk is told from other errors, so adding stops with `DiskFull`
and opening a library waits for space instead of failing."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

from discreet.core.errors import DiskFull
from discreet.documents.model import LoadedDocument

SPACE_RESERVE = 16 * 2**20


def check_space(folder: Path, document: LoadedDocument, vector_bytes: int) -> None:
    """Refuse to store a document the disk holding `folder` has no room for.

    Chroma's embedded store blocks instead of failing when the disk fills up, so
    the room is checked before anything is written: the text about four times
    (pages, chunks, the full-text index, the WAL), the vectors with their HNSW
    links three times, and a reserve for SQLite's own bookkeeping.
    """
    text = sum(len(page.text.encode("utf-8")) for page in document.pages)
    needed = 4 * text + 3 * vector_bytes + SPACE_RESERVE
    if shutil.disk_usage(folder).free < needed:
        raise DiskFull(folder)


def disk_full(err: BaseException) -> bool:
    """Whether the error, or one it came from, is a full disk (the OS's ENOSPC, or
    SQLite's "database or disk is full", which Chroma passes on in its own errors)."""
    seen: BaseException | None = err
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC:
            return True
        if "disk is full" in str(seen) or "No space left" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
