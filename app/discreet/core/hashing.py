"""Content hashing, shared by model verification and document de-duplication."""

from __future__ import annotations

import hashlib
from pathlib import Path

_BLOCK = 4 * 1024 * 1024


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in 4 MiB blocks so a multi-GB model never sits in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()
