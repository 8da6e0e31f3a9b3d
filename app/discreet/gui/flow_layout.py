"""A layout that wraps its widgets onto new lines, like words in a paragraph.

Citation chips under an answer are many and of unpredictable width; in a row layout
they force the answer wider than the window and its text stops wrapping.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    """Lays out an `AnswerView`'s citation chips in lines that wrap at the answer's width."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        """Qt passes each widget added with `addWidget` here, wrapped as an item."""
        self._items.append(item)

    def count(self) -> int:
        """How many items there are, for Qt's walk over them."""
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        """The item at `index`, or None past the end, which is how Qt knows to stop."""
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        """Remove the item at `index` and hand it to the caller, or None past the end."""
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        """Claim no spare space: the chips keep their own size, however wide the answer is."""
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        """True: the narrower the layout, the more lines the chips take."""
        return True

    def heightForWidth(self, width: int) -> int:
        """The height the items take when wrapped at `width`, measured without moving them."""
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        """Place the items in `rect`, wrapping, whenever Qt lays the answer out."""
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        """Only as wide as the widest chip, so the chips never widen the answer past the window."""
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        """The widest and tallest item's minimum: one chip a line is as small as it can get."""
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Place items left to right, wrapping; returns the height used."""
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() and line > 0:
                x, y, line = rect.x(), y + line + self.spacing(), 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self.spacing()
            line = max(line, hint.height())
        return y + line - rect.y()
