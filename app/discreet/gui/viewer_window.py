"""The viewer in a window of its own, and back in its pane.

A contract is read best on a screen of its own while the questions are asked on the
other. `Docking` takes the viewer out of the main window's splitter into a window and
puts it back where it was, at the width it had. The window is owned by the main window
rather than parentless: an owned window never keeps the application running after the
main window closes, and goes with it.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QSplitter, QWidget


class Docking:
    """Moves a widget between its place in a `QSplitter` and a window of its own; a widget
    outside any splitter (shown alone) just goes back to being hidden."""

    def __init__(self, widget: QWidget) -> None:
        self.widget = widget
        self.splitter: QSplitter | None = None
        self.index = -1
        self.sizes: list[int] = []
        self.out = False

    def pop_out(self) -> None:
        """Show the widget in its own window, where it was on screen and as big."""
        if self.out:
            return
        widget, parent = self.widget, self.widget.parentWidget()
        self.splitter = parent if isinstance(parent, QSplitter) else None
        if self.splitter is not None:
            self.index, self.sizes = self.splitter.indexOf(widget), self.splitter.sizes()
        corner, size = widget.mapToGlobal(QPoint()), widget.size()
        widget.setParent(widget.window() if parent is not None else None, Qt.WindowType.Window)
        widget.move(corner)
        widget.resize(size)
        widget.show()
        self.out = True

    def dock(self, shown: bool) -> None:
        """Put the widget back at its index in the splitter, the panes as wide as before, and
        `shown` or not there (a closed window docks hidden)."""
        if not self.out:
            return
        self.out = False
        if self.splitter is None:
            self.widget.hide()
            return
        self.splitter.insertWidget(self.index, self.widget)
        self.splitter.setSizes(self.sizes)
        self.widget.setVisible(shown)
