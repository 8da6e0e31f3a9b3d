"""The Review tab's saved checklists: pick one to fill the categories, save the categories
typed as a named checklist, or delete one (`actions.checklists` keeps them)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QInputDialog, QPushButton, QWidget

from discreet.gui.feedback import buddy_label

NONE_CHOSEN = "(none: the categories typed)"


class ChecklistBox(QWidget):
    """A combo of the library's checklists with Save as… and Delete; the window keeps them."""

    chosen = Signal(str)  # the checklist's categories, comma-separated
    save_requested = Signal(str)  # the name to save the categories typed under
    delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.saved: dict[str, str] = {}
        self.combo = QComboBox()
        self.combo.setAccessibleName("Saved checklist")
        self.combo.setToolTip("A saved checklist fills the categories; Review runs it")
        self.combo.setMinimumContentsLength(18)
        self.combo.activated.connect(self._activated)
        self.save = QPushButton("Save as…")
        self.save.setToolTip("Keep the categories typed as a named checklist of this library")
        self.save.clicked.connect(self._save)
        self.delete = QPushButton("Delete")
        self.delete.setToolTip("Forget the checklist shown")
        self.delete.clicked.connect(lambda: self.delete_requested.emit(self.combo.currentText()))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(buddy_label("C&hecklist:", self.combo))
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.save)
        layout.addWidget(self.delete)
        self.set_checklists({})

    def set_checklists(self, saved: dict[str, str], current: str = "") -> None:
        """Show the library's checklists, `current` chosen where it is one of them."""
        self.saved = dict(saved)
        self.combo.clear()
        self.combo.addItems([NONE_CHOSEN, *sorted(saved)])
        if current in saved:
            self.combo.setCurrentText(current)
        self.delete.setEnabled(self.combo.currentIndex() > 0)

    def _activated(self, index: int) -> None:
        self.delete.setEnabled(index > 0)
        if index > 0:
            self.chosen.emit(self.saved[self.combo.currentText()])

    def _save(self) -> None:
        current = self.combo.currentText() if self.combo.currentIndex() > 0 else ""
        name, accepted = QInputDialog.getText(
            self, "Save the checklist", "Name, e.g. Our standard NDA review:", text=current
        )
        if accepted and name.strip():
            self.save_requested.emit(name.strip())
