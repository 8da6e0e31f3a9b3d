"""Facts about this computer that tune defaults."""

from __future__ import annotations

import os

import psutil


def physical_cores() -> int:
    """Physical cores, because llama.cpp slows down on hyper-threads sharing a core."""
    return psutil.cpu_count(logical=False) or os.cpu_count() or 1


def resolve_threads(configured: int) -> int:
    """The thread count a `threads` setting means: 0 (or less) is one per physical core."""
    return configured if configured > 0 else physical_cores()
