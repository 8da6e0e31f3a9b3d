"""Two reviewed contracts side by side: category | document A | document B | differs.

The differing categories come first and are tinted, so a lawyer reads down the
differences; selecting a row quotes both clauses with their pages, one above the other.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from discreet.gui.review_cells import MARKS
from discreet.tasks.review.compare import Comparison
from discreet.tasks.review.corrections import reviewed_of
from discreet.tasks.review.review import Finding

DIFFERS = QColor(210, 153, 34, 70)  # the grid's "check" tint: look here
WHY = {"status": "Status", "value": "Value", "wording": "Wording"}


def side(finding: Finding) -> str:
    """A cell: the reviewer's mark, the status, a field's value, the page."""
    text = MARKS.get(reviewed_of(finding), "") + finding.status.capitalize()
    if finding.value:
        text += f": {finding.value}"
    return text + (f" (p. {finding.passage.page})" if finding.passage else "")


class CompareDialog(QDialog):
    """Shows a `Comparison`; modeless, so the grid stays usable beside it."""

    def __init__(self, comparison: Comparison, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.comparison = comparison
        a, b = comparison.a.name, comparison.b.name
        self.setWindowTitle(f"Compare {a} and {b}")
        self.summary = QLabel(
            f"{len(comparison.differing)} of {len(comparison.rows)} categories differ."
        )
        self.table = QTableWidget(len(comparison.rows), 4)
        self.table.setAccessibleName("Comparison")
        self.table.setAccessibleDescription(
            "One row per category, differing ones first; select a row to read both clauses"
        )
        self.table.setHorizontalHeaderLabels(["Category", a, b, "Differs"])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        for row, line in enumerate(comparison.rows):
            cells = [line.category.title, side(line.a), side(line.b), WHY.get(line.why, "—")]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if line.differs:
                    item.setBackground(QBrush(DIFFERS))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        for column in (1, 2):  # the documents share what room there is
            self.table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch
            )
        self.table.currentCellChanged.connect(lambda row, *_: self._select(row))
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Both clauses")
        self.detail.setPlaceholderText("Select a row to read both clauses.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.resize(980, 640)
        if comparison.rows:
            self.table.setCurrentCell(0, 0)

    def _select(self, row: int) -> None:
        if not 0 <= row < len(self.comparison.rows):
            self.detail.clear()
            return
        line = self.comparison.rows[row]
        parts = [f"<h3>{html.escape(line.category.title)}</h3>"]
        if line.differs:
            parts.append(f"<p><b>{WHY[line.why]} differs.</b></p>")
        for review, finding in ((self.comparison.a, line.a), (self.comparison.b, line.b)):
            parts.append(f"<h4>{html.escape(review.name)}: {html.escape(side(finding))}</h4>")
            parts.append(
                f"<blockquote>“{html.escape(finding.quote)}”</blockquote>"
                if finding.passage
                else "<p>No clause of this kind was found.</p>"
            )
        self.detail.setHtml("".join(parts))
