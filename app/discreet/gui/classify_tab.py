"""The Classify and Extract tab: labels or fields in, a checkable table out.

Correcting a row's label is how the user teaches the few-shot classifier: the
window records it as a confirmed example of this library and retrains.
"""

from __future__ import annotations

from pathlib import Path

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

COLUMNS = ["Document", "Label or field", "Value", "Confidence", "Evidence"]


class ClassifyTab(QWidget):
    run_requested = Signal(str, str)  # mode ("classify" or "extract"), labels or fields text
    label_confirmed = Signal(str, str)  # doc_id, label
    open_evidence = Signal(object)  # the result row
    export_requested = Signal(str)
    definitions_changed = Signal(str, str)  # labels text, fields text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = QComboBox()
        self.mode.setAccessibleName("Task")
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
        self.run.clicked.connect(self._run)
        self.export = QPushButton("Export CSV…")
        self.export.setEnabled(False)
        self.export.clicked.connect(self._export)
        self.teaching = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.mode)
        top.addWidget(self.labels, 1)
        top.addWidget(self.fields, 1)
        top.addWidget(self.run)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Results")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 220)
        self.table.setColumnWidth(1, 170)
        self.table.setColumnWidth(2, 260)
        bottom = QHBoxLayout()
        bottom.addWidget(self.teaching, 1)
        bottom.addWidget(self.export)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scope)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.rows: list = []
        self._mode_changed()

    @property
    def extracting(self) -> bool:
        return self.mode.currentIndex() == 1

    def set_definitions(self, labels: str, fields: str) -> None:
        self.labels.setText(labels)
        self.fields.setText(fields)

    def set_scope(self, count: int, total: int) -> None:
        target = f"the {count} selected" if count else f"all {total}"
        self.scope.setText(f"Runs over {target} document(s).")

    def set_teaching(self, examples: int) -> None:
        self.teaching.setText(
            f"{examples} confirmed example(s): classification uses a model trained on them."
            if examples
            else "Correct a label in the table to teach Discreet your categories."
        )

    def show_rows(self, rows: list, labels: list[str]) -> None:
        self.rows = list(rows)
        self.table.setRowCount(0)
        for row in rows:
            at = self.table.rowCount()
            self.table.insertRow(at)
            name = Path(row.path).name
            if hasattr(row, "label"):
                cells = [name, "Label", "", f"{row.confidence:.2f}", row.evidence]
                page = row.evidence_page
            else:
                cells = [name, row.field, row.value or "Not found", f"{row.support:.2f}", row.quote]
                page = row.page
            for column, text in enumerate(cells):
                item = QTableWidgetItem(" ".join(text.split()))
                item.setToolTip(text[:600])
                self.table.setItem(at, column, item)
            if hasattr(row, "label"):
                self.table.setCellWidget(at, 2, self._label_picker(row, labels))
            if page:
                link = QPushButton(f"p. {page}")
                link.setAccessibleName(f"Open evidence for {name}")
                link.clicked.connect(lambda _=False, r=row: self.open_evidence.emit(r))
                self.table.setCellWidget(at, 4, link)
        self.export.setEnabled(bool(rows))

    def _label_picker(self, row: object, labels: list[str]) -> QComboBox:
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
        path, _ = QFileDialog.getSaveFileName(self, "Export results", "results.csv", "CSV (*.csv)")
        if path:
            self.export_requested.emit(path)
