"""Loading a shipped head's arrays, after checking the file is the one the registry pins.

Heads are NumPy archives read with `allow_pickle=False`: arrays of numbers and strings
only, so a swapped file can at worst be refused, never run code.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from discreet.core.errors import ModelHashMismatch, ModelLoadFailed, ModelMissing
from discreet.core.hashing import sha256_file
from discreet.core.paths import resources_dir
from discreet.models.registry import HeadEntry


def head_path(entry: HeadEntry) -> Path:
    """Where the head's file lies in this installation."""
    return resources_dir() / entry.file


def load_head(entry: HeadEntry) -> dict[str, np.ndarray]:
    """The head's named arrays; ModelMissing, ModelHashMismatch or ModelLoadFailed else."""
    path = head_path(entry)
    if not path.is_file():
        raise ModelMissing(entry.name, str(path))
    actual = sha256_file(path)
    if actual != entry.sha256:
        raise ModelHashMismatch(path, entry.sha256, actual)
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except (OSError, ValueError, zipfile.BadZipFile) as err:
        raise ModelLoadFailed(path, str(err)) from err
