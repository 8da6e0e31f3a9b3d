"""The Sources beside the conversation: the last answer's passages, grouped by document,
numbered as the answer numbers them, the cited ones marked (`tasks.source_rows`).

Each passage is one line of its text, so a reader can tell the clauses apart without
opening them; the line is what gives way when the pane is narrow (the viewer open
beside it), never the number or the relevance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

if TYPE_CHECKING:
    from discreet.tasks.source_rows import SourceGroup

TARGET = Qt.ItemDataRole.UserRole  # the Citation or SearchHit a passage row opens


class SourcesList(QTreeWidget):
    """Documents, each with its passages under it; Enter or a double click opens one."""

    open_source = Signal(object)  # a Citation or a SearchHit

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Sources")
        self.setAccessibleDescription(
            "The last answer's passages by document, numbered as in the answer; "
            "Enter opens one in the viewer"
        )
        self.setHeaderLabels(["#", "Passage", "Relevance"])
        self.setColumnCount(3)
        self.setUniformRowHeights(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.itemActivated.connect(self._activated)

    def show_groups(self, groups: list[SourceGroup]) -> None:
        """List each document, then its passages, all expanded."""
        self.clear()
        for group in groups:
            document = QTreeWidgetItem([group.name])
            document.setToolTip(0, group.path)
            font = QFont(document.font(0))
            font.setBold(True)
            document.setFont(0, font)
            self.addTopLevelItem(document)
            document.setFirstColumnSpanned(True)
            for row in group.rows:
                number = f"[{row.number}]" if row.number is not None else ""
                item = QTreeWidgetItem([number, f"p. {row.page}  {row.snippet}", row.label])
                item.setData(0, TARGET, row.target)
                item.setToolTip(1, row.snippet)
                if row.cited:
                    for column in range(3):
                        bold = QFont(item.font(column))
                        bold.setBold(True)
                        item.setFont(column, bold)
                document.addChild(item)
        self.expandAll()

    def passages(self) -> list[QTreeWidgetItem]:
        """Every passage row, in the order shown."""
        documents = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        return [
            passage
            for document in documents
            if document is not None  # Qt's None is for an index out of range only
            for j in range(document.childCount())
            if (passage := document.child(j)) is not None
        ]

    def _activated(self, item: QTreeWidgetItem) -> None:
        target = item.data(0, TARGET)
        if target is not None:
            self.open_source.emit(target)
