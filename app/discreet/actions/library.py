"""Remove documents from a library, and with them everything said about them.

What a user removes must be gone from the disk: not only the passages and vectors
(`Library.remove`) but the conversation that quoted them, the labels confirmed on them
and the reviewer's corrections of their clauses, which all live beside the library. The
CLI's `discreet remove` and the window's Remove both call `remove_documents`.
"""

from __future__ import annotations

from pathlib import Path

from discreet.index.library import Library
from discreet.tasks.review.corrections import Corrections
from discreet.tasks.workspace import Workspace


def remove_documents(library: Library, workspace: Workspace, paths: list[Path]) -> int:
    """Remove the files or folders `paths`; returns how many files went."""
    removed = library.remove(paths)
    workspace.after_removal(library)
    Corrections.load(library).after_removal(library)
    return removed
