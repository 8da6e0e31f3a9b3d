"""Icons, error dialogs and the last-resort exception hook shared by every widget.

Users see messages, never tracebacks: `DiscreetError` text is already written for
them, and anything unexpected is logged to the logs folder with its traceback and
shown once, in one dialog, however many times it repeats.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QWidget

from discreet.core.errors import DiscreetError
from discreet.core.paths import resources_dir
from discreet.gui.theme import svg_icon

log = logging.getLogger("discreet.gui")


def icon(name: str) -> QIcon:
    """An SVG icon from resources/icons: vectors stay sharp at any screen scale, and its
    colours follow the light or dark look."""
    return svg_icon(resources_dir() / "icons" / f"{name}.svg")


def buddy_label(text: str, widget: QWidget, bold: bool = False) -> QLabel:
    """A visible label that names `widget`, with an Alt+letter mnemonic that focuses it.

    Screen readers on Linux name a combo box by its label (the accessible relation a
    buddy creates), not by an accessible name set on the box, which they ignore.
    """
    label = QLabel(text)
    label.setBuddy(widget)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


EXPORT_FORMATS = "Markdown (*.md);;Word document (*.docx);;PDF (*.pdf)"


def export_path(parent: QWidget, title: str, suggested: str) -> str:
    """Where to save an export; its suffix picks the format. Empty when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, EXPORT_FORMATS)
    return path


def show_error(parent: QWidget | None, message: str, title: str = "Discreet") -> None:
    """A warning dialog that does not block, so jobs keep reporting while it is open."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("errorDialog")
    box.open()  # non-blocking: a modal loop here would stall progress updates


def install_excepthook(log_path: Path) -> None:
    """Show exceptions nothing caught as dialogs, not tracebacks: a `DiscreetError` as its
    message; anything else logged, and announced once per kind of error with `log_path` named."""
    shown: set[str] = set()

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if isinstance(error, DiscreetError):
            show_error(None, str(error))
            return
        log.error("Unexpected error:\n%s", "".join(traceback.format_exception(kind, error, tb)))
        if kind.__name__ in shown:
            return
        shown.add(kind.__name__)
        show_error(
            None,
            "Something went wrong inside Discreet. Your documents and library are safe.\n\n"
            f"The details were written to {log_path}.",
        )

    sys.excepthook = hook


def eta_text(seconds: float | None) -> str:
    """ "about 3 min left" for the status bar; empty while there is no estimate yet."""
    if seconds is None:
        return ""
    if seconds < 60:
        return f"about {max(1, round(seconds))} s left"
    return f"about {round(seconds / 60)} min left"
