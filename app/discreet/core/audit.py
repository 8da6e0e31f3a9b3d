"""An append-only record of what was done, for organisations that must show it.

Turned on by the admin policy (`audit_log`). Each line is one JSON object: when, which
user, what action, on which library, and counts. Questions and document text are
not written: the log proves what happened without becoming a second copy of the
confidential material it audits. The file is private to the user (0600).
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from pathlib import Path
from typing import Any


class AuditLog:
    def __init__(self, path: Path | None) -> None:
        self.path = path  # None: auditing is off

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def record(self, action: str, **details: Any) -> None:
        if self.path is None:
            return
        entry = {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "user": getpass.getuser(),
            "action": action,
            **details,
        }
        line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as out:
            out.write(line)
