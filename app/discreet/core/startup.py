"""What every process of Discreet does before it touches a document.

The network guard goes up (and the offline switches of the libraries are set) before
any library that might phone home is imported, and files are made private to the user
before any is created. The CLI and the GUI call `prepare` first thing; `Services`
calls it too, so code that uses the core directly (benchmarks, scripts) is held to the
same rules.
"""

from __future__ import annotations

from discreet.core import offline
from discreet.core.paths import keep_private


def prepare() -> None:
    """Offline and private from here on; harmless to call again."""
    offline.enforce()
    keep_private()
