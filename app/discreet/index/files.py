"""Which files a batch holds, and what each is called in the library.

Folders are walked for the types Discreet reads, hidden files and folders skipped; an
e-mail's attachment is filed below the e-mail's own path, so removing the e-mail
removes its attachments.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from discreet.documents.detect import SUPPORTED_SUFFIXES
from discreet.index.events import FileFailure, IngestReport


def walk(paths: Iterable[Path], report: IngestReport) -> list[Path]:
    """Files to consider: given files as they are, folders recursively (known types only)."""
    found: dict[Path, None] = {}
    for given in paths:
        path = given.expanduser().resolve()
        if path.is_file():
            found[path] = None
        elif path.is_dir():
            found.update(dict.fromkeys(_walk_folder(path)))
        else:
            report.failed.append(FileFailure(str(path), f"{path.name}: no such file or folder"))
    return list(found)


def _walk_folder(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                yield Path(root) / name


def attachment_key(path: Path, name: str, taken: set[str]) -> str:
    """`mail.eml/report.pdf`: below the e-mail, unique among its attachments."""
    clean = name.replace("/", "_").replace("\\", "_").strip() or "attachment"
    key, number = clean, 1
    while key in taken:
        number += 1
        key = f"{Path(clean).stem} ({number}){Path(clean).suffix}"
    taken.add(key)
    return f"{path}/{key}"


def file_size(path: Path) -> int:
    """Its size in bytes, 0 for one that went away (a batch's progress counts bytes)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0
