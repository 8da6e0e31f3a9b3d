"""The viewer's find bar: Ctrl+F, a word, then Enter and Shift+Enter through the matches.

The bar only asks; `viewer_search` finds, in QtPdf's text of a PDF or in the page text
on show. Esc, Enter and Shift+Enter are taken by the field before any shortcut sees them,
so Esc closes the bar rather than stopping the answer being written (the window's Esc).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from discreet.gui.viewer_toolbar import tool_button

FIELD_TIP = "Words to find; Enter for the next match, Shift+Enter for the one before"
KEYS = (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter)


class FindField(QLineEdit):
    """The words to find; Enter moves to the next match, Shift+Enter back, Esc closes."""

    stepped = Signal(int)
    escaped = Signal()

    def event(self, event: QEvent) -> bool:
        """Claim the bar's keys from the window's shortcuts while the field has the keyboard."""
        override = event.type() == QEvent.Type.ShortcutOverride
        if override and isinstance(event, QKeyEvent) and event.key() in KEYS:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter, Shift+Enter and Esc; other keys edit the words as usual."""
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
        elif event.key() in KEYS:
            shifted = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            self.stepped.emit(-1 if shifted else 1)
        else:
            super().keyPressEvent(event)


class FindBar(QWidget):
    """Find in the document on show, below the viewer's toolbar; hidden until Ctrl+F."""

    searched = Signal(str)
    stepped = Signal(int)  # to the next match (1) or the previous one (-1)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = FindField()
        self.field.setPlaceholderText("Find in the document")
        self.field.setAccessibleName("Find in the document (Ctrl+F)")
        self.field.setToolTip(FIELD_TIP)
        self.field.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setMinimumWidth(90)
        previous = tool_button("Previous", "Previous match (Shift+Enter)")
        following = tool_button("Next", "Next match (Enter)")
        close = tool_button("×", "Close the find bar (Esc)")
        self.field.textChanged.connect(self.searched)
        self.field.stepped.connect(self.stepped)
        self.field.escaped.connect(self.close_bar)
        previous.clicked.connect(lambda: self.stepped.emit(-1))
        following.clicked.connect(lambda: self.stepped.emit(1))
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field, 1)
        for widget in (previous, following, self.count, close):
            layout.addWidget(widget)
        self.hide()

    def open_bar(self, searchable: bool, why_not: str = "") -> None:
        """Show the bar with its words selected, to type over or to search again with Enter;
        where the view has no text to search it shows why, greyed out."""
        self.show()
        self.setEnabled(searchable)
        self.field.setPlaceholderText("Find in the document" if searchable else why_not)
        self.field.setToolTip(FIELD_TIP if searchable else why_not)
        if searchable:
            self.field.setFocus()
            self.field.selectAll()

    def close_bar(self) -> None:
        """Hide the bar and let the viewer put the citation's own mark back."""
        if self.isVisible():
            self.hide()
            self.closed.emit()

    def show_count(self, current: int, total: int) -> None:
        """Where the reader is among the matches (`current` from 1), or how many there are
        before one is chosen."""
        if not self.field.text():
            self.count.clear()
        elif total == 0:
            self.count.setText("No matches")
        elif current:
            self.count.setText(f"{current} of {total}")
        else:
            self.count.setText(f"{total} found")
