"""Content hashing, shared by model verification and document de-duplication."""

from __future__ import annotations

import hashlib
from pathlib import Path

_BLOCK = 4 * 1024 * 1024


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()
