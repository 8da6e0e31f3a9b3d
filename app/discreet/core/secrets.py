"""API keys and tokens for the organization's servers, read from files only their
owner can read; never logged, never echoed in an error."""

from __future__ import annotations

import os
import re
from pathlib import Path

from discreet.core.errors import ServerSecretUnsafe, ServerUnavailable

_TOKEN = re.compile(r"[\x21-\x7e]{1,4096}")  # printable ASCII, no spaces: a bearer token


def read_secret(path: Path) -> str:
    """The token in `path`; refused when others can read the file or it holds more than a
    token (a pasted private key would otherwise travel in a header, and show in errors)."""
    try:
        if os.name == "posix" and path.stat().st_mode & 0o077:
            raise ServerSecretUnsafe(path)
        secret = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as err:
        detail = getattr(err, "strerror", None) or "not text"
        raise ServerUnavailable(str(path), f"the key file cannot be read: {detail}") from None
    if not _TOKEN.fullmatch(secret):
        raise ServerUnavailable(str(path), "the key file must hold the key alone, on one line")
    return secret
