"""The reviewer's word on one cell of the review grid: a status, a value, a note.

A small dialog rather than editing in the grid, so a correction is a deliberate act (a
stray keystroke in the grid must not overrule the model) and it can carry a note saying
why. The passage kept is the one the cell cites: confirming a clause confirms that text,
which is what later reviews learn from.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from discreet.tasks.review.clause_model import CHECK, NOT_FOUND, PRESENT
from discreet.tasks.review.corrections import Correction, model_finding, note_of
from discreet.tasks.review.review import Finding

STATUSES = {PRESENT: "Present", CHECK: "Check", NOT_FOUND: "Not found"}


def checked(doc_id: str, finding: Finding) -> Correction:
    """The reviewer confirming the cell as it reads."""
    return Correction(
        doc_id,
        finding.category.name,
        finding.status,
        finding.value,
        note_of(finding),
        finding.passage.chunk_id if finding.passage else "",
    )


class CorrectionDialog(QDialog):
    """Asks what the cell should say; `correction()` is the answer once accepted."""

    def __init__(self, doc_id: str, finding: Finding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc_id, self.finding = doc_id, finding
        self.setWindowTitle(f"Correct: {finding.category.title}")
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        for status, shown in STATUSES.items():
            self.status.addItem(shown, status)
        self.status.setCurrentIndex(list(STATUSES).index(finding.status))
        self.value = QLineEdit(finding.value)
        self.value.setAccessibleName("Value")
        self.value.setPlaceholderText("e.g. New York (a field's value; empty for a clause)")
        self.note = QLineEdit(note_of(finding))
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("Why, for whoever reads the review next")
        model = model_finding(finding)
        said = STATUSES[model.status] + (f": {model.value}" if model.value else "")
        self.setMinimumWidth(460)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(f"The model said: {said}"))
        form.addRow("&Status:", self.status)
        form.addRow("&Value:", self.value)
        form.addRow("&Note:", self.note)
        form.addRow(buttons)

    def correction(self) -> Correction:
        """The cell as the reviewer set it; the cited passage is kept unless not found."""
        status = str(self.status.currentData())
        passage = self.finding.passage or model_finding(self.finding).passage
        return Correction(
            self.doc_id,
            self.finding.category.name,
            status,
            self.value.text().strip() if status != NOT_FOUND else "",
            self.note.text().strip(),
            passage.chunk_id if passage and status != NOT_FOUND else "",
        )
