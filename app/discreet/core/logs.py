"""Where Discreet writes what went wrong: one log file per front end in the logs folder.

Both front ends log the `discreet` loggers the same way, so a bug report carries the
same kind of file whichever was used; what the user is shown (a dialog, one line on
stderr) stays with each front end.
"""

from __future__ import annotations

import logging
from pathlib import Path


def log_to(folder: Path, name: str) -> Path:
    """Send the `discreet` loggers (INFO and up) to `name` in `folder`; its path, for
    messages that send the user there. The folder is private to the user."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / name
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("discreet")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
