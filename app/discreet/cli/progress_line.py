"""Long work's progress on the terminal: a redrawn bar, or plain lines when piped."""

from __future__ import annotations

import sys
from pathlib import Path

from discreet.core.progress import Progress


class ProgressLine:
    """A redrawn bar on a terminal, one plain line per file when piped."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.last_file = ""

    def __call__(self, event: Progress) -> None:
        """Draw one event: the bar on a terminal, a line per new file otherwise."""
        if self.quiet:
            return
        name = Path(event.current).name
        if self.tty:
            width = 24
            filled = int(width * event.done / max(1, event.total))
            eta = f" ETA {event.eta_s:.0f}s" if event.eta_s else ""
            work = (
                f"OCR page {event.part_done}/{event.part_total}"
                if event.stage == "ocr"
                else f"{event.pages} pages, {event.chunks} chunks"
                if event.unit == "files"
                else ""
            )
            line = (
                f"\r[{'#' * filled}{'.' * (width - filled)}] {event.done}/"
                f"{event.total} {event.unit}, {work}{eta} {name[:40]:<40}"
            )
            sys.stderr.write(line + ("\n" if event.finished else ""))
            sys.stderr.flush()
        elif name and name != self.last_file:
            print(f"[{event.done + 1}/{event.total}] {name}", file=sys.stderr)
            self.last_file = name
        elif event.stage == "ocr" and event.part_done == 1:
            print(f"  OCR of {event.part_total} scanned page(s)", file=sys.stderr)
