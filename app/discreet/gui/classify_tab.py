"""The Classify and Extract tab: labels or fields in, a checkable table out.

Correcting a row's label is how the user teaches the few-shot classifier: the
window records it as a confirmed example of this library and retrains.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from discreet.gui.feedback import buddy_label

if TYPE_CHECKING:
    from discreet.tasks.classify import Classification
    from discreet.tasks.schedule import Schedule

COLUMNS = ["Document", "Label", "", "Confidence", "Evidence"]
EXPORT_FILTERS = {False: "CSV (*.csv)", True: "CSV (*.csv);;Excel workbook (*.xlsx)"}


class ClassifyTab(QWidget):
    """The Classify and Extract tab: what to look for in, a table of results out; the window runs
    the jobs on its signals and fills the table."""

    run_requested = Signal(str, str)  # mode ("classify" or "extract"), labels or fields text
    label_confirmed = Signal(str, str)  # doc_id, label
    open_evidence = Signal(object)  # the result row
    export_requested = Signal(str)
    definitions_changed = Signal(str, str)  # labels text, fields text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = QComboBox()
        self.mode.setToolTip("Sort documents into labels, or read fields out of them")
        self.mode.addItems(["Classify documents", "Extract fields"])
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.labels = QLineEdit()
        self.labels.setAccessibleName("Labels")
        self.labels.setPlaceholderText(
            "Labels, comma-separated; optional description after a colon, "
            "e.g. Service Agreement, License Agreement: grants rights to use"
        )
        self.fields = QLineEdit()
        self.fields.setAccessibleName("Fields")
        self.fields.setPlaceholderText("Fields, comma-separated, e.g. Parties, Governing Law")
        for edit in (self.labels, self.fields):
            edit.editingFinished.connect(
                lambda: self.definitions_changed.emit(self.labels.text(), self.fields.text())
            )
        self.scope = QLabel()
        self.run = QPushButton("Run")
        self.run.setToolTip("Run on the selected documents, or else the whole library")
        self.run.clicked.connect(self._run)
        self.export = QPushButton("Export…")
        self.export.setToolTip("Save the table with its evidence")
        self.export.setEnabled(False)
        self.export.clicked.connect(self._export)
        self.teaching = QLabel()
        top = QHBoxLayout()
        top.addWidget(buddy_label("Tas&k:", self.mode))
        top.addWidget(self.mode)
        top.addWidget(self.labels, 1)
        top.addWidget(self.fields, 1)
        top.addWidget(self.run)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Results")
        self.table.setAccessibleDescription("A row per document; a page button opens its evidence")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 220)
        self.table.setColumnWidth(1, 170)
        self.table.setColumnWidth(2, 260)
        bottom = QHBoxLayout()
        bottom.addWidget(self.teaching, 1)
        bottom.addWidget(self.export)
        self.setFocusProxy(self.mode)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scope)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.rows: list = []
        self.schedule: Schedule | None = None  # the extraction shown, when it is one
        self.table.cellActivated.connect(self._cell_activated)
        self.table.cellDoubleClicked.connect(self._cell_activated)
        self._mode_changed()

    @property
    def extracting(self) -> bool:
        """True in Extract fields mode, False when classifying."""
        return self.mode.currentIndex() == 1

    def set_definitions(self, labels: str, fields: str) -> None:
        """Fill the boxes with the library's saved labels and fields, when it opens."""
        self.labels.setText(labels)
        self.fields.setText(fields)

    def set_scope(self, count: int, total: int) -> None:
        """Say which documents a run would cover: the selection, or else all of them."""
        target = f"the {count} selected" if count else f"all {total}"
        self.scope.setText(f"Runs over {target} document(s).")

    def set_teaching(self, examples: int) -> None:
        """Say how many labels the user has confirmed, or, with none yet, how to teach Discreet
        by correcting one."""
        self.teaching.setText(
            f"{examples} confirmed example(s): classification uses a model trained on them."
            if examples
            else "Correct a label in the table to teach Discreet your categories."
        )

    def show_rows(self, rows: list[Classification], labels: list[str]) -> None:
        """Classifications: a row per document, its label correctable in place."""
        self.rows, self.schedule = list(rows), None
        self._reset(COLUMNS)
        for row in rows:
            at = self.table.rowCount()
            self.table.insertRow(at)
            name = Path(row.path).name
            cells = [name, "Label", "", f"{row.confidence:.2f}", row.evidence]
            for column, text in enumerate(cells):
                self._put(at, column, " ".join(text.split()), text[:600])
            self.table.setCellWidget(at, 2, self._label_picker(row, labels))
            if row.evidence_page:
                link = QPushButton(f"p. {row.evidence_page}")
                link.setAccessibleName(f"Open evidence for {name}")
                link.clicked.connect(lambda _=False, r=row: self.open_evidence.emit(r))
                self.table.setCellWidget(at, 4, link)
        self.export.setEnabled(bool(rows))

    def show_schedule(self, table: Schedule) -> None:
        """Extractions: a row per document, a column per field; activating a cell
        (double-click or Enter) opens the clause it was read from."""
        from discreet.tasks.schedule import cell_text  # not at start-up: it pulls in the index

        self.schedule = table
        self.rows = [e for row in table.rows for e in row]
        self._reset(["Document", *table.fields])
        for at, (name, row) in enumerate(zip(table.documents, table.rows, strict=True)):
            self.table.insertRow(at)
            self._put(at, 0, name, name)
            for column, e in enumerate(row, start=1):
                page = f" \u00b7 p. {e.page}" if e.page else ""
                quote = " ".join(e.quote.split())
                self._put(
                    at, column, cell_text(e) + page, f"p. {e.page}: {quote}"[:600] if quote else ""
                )
        self.export.setEnabled(bool(table.rows))

    def _reset(self, headers: list[str]) -> None:
        self.table.clearContents()
        self.table.setRowCount(0)
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)

    def _put(self, row: int, column: int, text: str, tip: str) -> None:
        item = QTableWidgetItem(text)
        item.setToolTip(tip)
        self.table.setItem(row, column, item)

    def _cell_activated(self, row: int, column: int) -> None:
        if self.schedule is None or column == 0:
            return
        e = self.schedule.rows[row][column - 1]
        if e.page:
            self.open_evidence.emit(e)

    def _label_picker(self, row: Classification, labels: list[str]) -> QComboBox:
        picker = QComboBox()
        picker.setAccessibleName(f"Label of {Path(row.path).name}")
        picker.addItems(labels if row.label in labels else [*labels, row.label])
        picker.setCurrentText(row.label)
        picker.activated.connect(
            lambda _: self.label_confirmed.emit(row.doc_id, picker.currentText())
        )
        return picker

    def _run(self) -> None:
        text = self.fields.text() if self.extracting else self.labels.text()
        self.run_requested.emit("extract" if self.extracting else "classify", text)

    def _mode_changed(self) -> None:
        self.labels.setVisible(not self.extracting)
        self.fields.setVisible(self.extracting)

    def _export(self) -> None:
        filters = EXPORT_FILTERS[self.schedule is not None]
        path, _ = QFileDialog.getSaveFileName(self, "Export results", "results.csv", filters)
        if path:
            self.export_requested.emit(path)
