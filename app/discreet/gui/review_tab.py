"""The Review tab: documents by clause categories, each cell Present, Check or Not found.

A lawyer reads across a folder of contracts: which have a non-compete, whose liability
is capped, under which law. Each cell says the status (and a field's value); selecting
it shows the clause quoted, its page and how sure the model is, and Open clause shows
it on its page. The lawyer can mark a cell checked or correct it (kept for the library,
see `tasks.review.corrections`), and compare two reviewed contracts side by side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from discreet.gui.checklist_box import ChecklistBox
from discreet.gui.compare_view import CompareDialog
from discreet.gui.feedback import buddy_label
from discreet.gui.review_cells import cell, detail
from discreet.gui.review_correct import CorrectionDialog, checked
from discreet.tasks.review.compare import compare_reviews

if TYPE_CHECKING:
    from discreet.tasks.review.review import DocumentReview, Finding

FIXED = ["Type"]  # the document's name is its row's header, in view however far one scrolls
EXPORT_FILTER = "Excel workbook (*.xlsx);;Word memo (*.docx);;CSV (*.csv)"


class ReviewTab(QWidget):
    """Categories in, a matrix of documents by categories out; the window runs the review on
    `run_requested` and fills the matrix with `show_reviews`."""

    run_requested = Signal(str)  # the categories, comma-separated ("" for all 41)
    open_clause = Signal(object, object)  # DocumentReview, Finding
    export_requested = Signal(str)
    correction_made = Signal(object, object)  # DocumentReview, Correction

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reviews: list[DocumentReview] = []
        self.categories = QLineEdit()
        self.categories.setAccessibleName("Categories")
        self.categories.setPlaceholderText(
            "All 41 CUAD categories; or comma-separated, e.g. Non-Compete, Cap On Liability"
        )
        self.categories.setToolTip("The categories to review; empty reviews all 41")
        self.categories.returnPressed.connect(self._run)
        self.checklists = ChecklistBox()
        self.checklists.chosen.connect(self.categories.setText)
        self.scope = QLabel()
        self.run = QPushButton("Review")
        self.run.setToolTip("Review the selected documents, or else the whole library")
        self.run.clicked.connect(self._run)
        self.export = QPushButton("Export…")
        self.export.setToolTip("Save the review: a spreadsheet, a Word memo or CSV")
        self.export.setEnabled(False)
        self.export.clicked.connect(self._export)
        self.matrix = QTableWidget(0, len(FIXED))
        self.matrix.setAccessibleName("Review matrix")
        self.matrix.setAccessibleDescription(
            "One row per document, one column per category; select a cell to read its clause"
        )
        self.matrix.setHorizontalHeaderLabels(FIXED)
        self.matrix.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.matrix.currentCellChanged.connect(lambda row, column, *_: self._select(row, column))
        self.matrix.itemSelectionChanged.connect(self._enable_compare)
        self.matrix.cellDoubleClicked.connect(self._open)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Clause")
        self.detail.setAccessibleDescription(
            "The selected cell's category, what it means, and the clause that decided it"
        )
        self.detail.setPlaceholderText("Select a cell to read the clause that decided it.")
        self.open = QPushButton("Open clause")
        self.open.setToolTip("Show the selected cell's clause on its page")
        self.open.setEnabled(False)
        self.open.clicked.connect(
            lambda: self._open(self.matrix.currentRow(), self.matrix.currentColumn())
        )
        self.check = QPushButton("Mark chec&ked")
        self.check.setToolTip("Confirm the selected cell as it reads")
        self.check.clicked.connect(self._check)
        self.correct = QPushButton("C&orrect…")
        self.correct.setToolTip("Set the selected cell's status, value and a note yourself")
        self.correct.clicked.connect(self._correct)
        for button in (self.check, self.correct):
            button.setEnabled(False)
        self.compare = QPushButton("Com&pare…")
        self.compare.setToolTip(
            "Two contracts side by side: the two rows selected, or the only two reviewed"
        )
        self.compare.setEnabled(False)
        self.compare.clicked.connect(self._compare)
        self.comparing: CompareDialog | None = None
        self._lay_out()

    def _lay_out(self) -> None:
        """Checklist, categories and Review on top, the matrix beside the clause, scope and
        Export below."""
        top = QHBoxLayout()
        top.addWidget(self.checklists)
        top.addWidget(buddy_label("Cate&gories:", self.categories))
        top.addWidget(self.categories, 1)
        top.addWidget(self.run)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.detail, 1)
        buttons = QHBoxLayout()
        for button in (self.check, self.correct, self.open):
            buttons.addWidget(button)
        side_layout.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.matrix)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.scope, 1)
        bottom.addWidget(self.compare)
        bottom.addWidget(self.export)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)

    def set_scope(self, selected: int, total: int) -> None:
        """Say what Review will run on: the selected documents, or the whole library."""
        self.scope.setText(
            f"Reviews the {selected} selected document(s)."
            if selected
            else f"Reviews all {total} document(s) of the library."
        )

    def show_reviews(self, reviews: list[DocumentReview]) -> None:
        """Fill the matrix: a row per document, a column per category reviewed."""
        self.reviews = reviews
        titles = [f.category.title for f in reviews[0].findings] if reviews else []
        self.matrix.clear()
        self.matrix.setColumnCount(len(FIXED) + len(titles))
        self.matrix.setHorizontalHeaderLabels(FIXED + titles)
        self.matrix.setRowCount(len(reviews))
        self.matrix.setVerticalHeaderLabels([review.name for review in reviews])
        for row, review in enumerate(reviews):
            kind = review.contract_type
            self.matrix.setItem(row, 0, QTableWidgetItem(f"{kind.label} ({kind.confidence:.0%})"))
            self._fill(row)
        self.matrix.resizeColumnsToContents()
        self.export.setEnabled(bool(reviews))
        self.detail.clear()
        for button in (self.open, self.check, self.correct):
            button.setEnabled(False)
        self._enable_compare()

    def replace_review(self, review: DocumentReview) -> None:
        """Show `review` (as corrected) in place of the row of the same document."""
        rows = [i for i, shown in enumerate(self.reviews) if shown.doc_id == review.doc_id]
        for row in rows:
            self.reviews[row] = review
            self._fill(row)
        self._select(self.matrix.currentRow(), self.matrix.currentColumn())

    def _fill(self, row: int) -> None:
        for column, finding in enumerate(self.reviews[row].findings, start=len(FIXED)):
            self.matrix.setItem(row, column, cell(finding))

    def finding_at(self, row: int, column: int) -> Finding | None:
        """The finding a cell shows, or None for a document's own columns."""
        if not 0 <= row < len(self.reviews) or column < len(FIXED):
            return None
        findings = self.reviews[row].findings
        index = column - len(FIXED)
        return findings[index] if index < len(findings) else None

    def _select(self, row: int, column: int) -> None:
        finding = self.finding_at(row, column)
        self.open.setEnabled(finding is not None and finding.passage is not None)
        self.check.setEnabled(finding is not None)
        self.correct.setEnabled(finding is not None)
        if finding is None:
            self.detail.clear()
            return
        self.detail.setHtml(detail(finding))

    def _check(self) -> None:
        row = self.matrix.currentRow()
        finding = self.finding_at(row, self.matrix.currentColumn())
        if finding is not None:
            self.correction_made.emit(self.reviews[row], checked(self.reviews[row].doc_id, finding))

    def _correct(self) -> None:
        row = self.matrix.currentRow()
        finding = self.finding_at(row, self.matrix.currentColumn())
        if finding is None:
            return
        dialog = CorrectionDialog(self.reviews[row].doc_id, finding, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.correction_made.emit(self.reviews[row], dialog.correction())

    def compared(self) -> list[DocumentReview]:
        """The two reviews Compare sets side by side: the two rows selected, else the only
        two reviewed; [] when that is not two."""
        rows = sorted({index.row() for index in self.matrix.selectedIndexes()})
        chosen = [self.reviews[r] for r in rows] if len(rows) == 2 else self.reviews
        return list(chosen) if len(chosen) == 2 else []

    def _enable_compare(self) -> None:
        self.compare.setEnabled(bool(self.compared()))

    def _compare(self) -> None:
        chosen = self.compared()
        if chosen:
            self.comparing = CompareDialog(compare_reviews(*chosen), self)
            self.comparing.show()

    def _open(self, row: int, column: int) -> None:
        finding = self.finding_at(row, column)
        if finding is not None and finding.passage is not None:
            self.open_clause.emit(self.reviews[row], finding)

    def _run(self) -> None:
        self.run_requested.emit(self.categories.text())

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the review", "review.xlsx", EXPORT_FILTER
        )
        if path:
            self.export_requested.emit(path)
