"""The sidebar: which library, what is in it, and how each document fared."""

from __future__ import annotations

import time
from collections.abc import Set as AbstractSet
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from discreet.gui.feedback import buddy_label, icon

STATUS_TEXT = {"indexed": "Indexed", "needs_ocr": "Needs OCR", "failed": "Failed"}
NEEDS_OCR_TIP = (
    "Scanned pages were not read because OCR was off. Turn on Settings › Storage › "
    "Scans; the next add or sync reads them."
)
DOC_ID = Qt.ItemDataRole.UserRole
PATH = Qt.ItemDataRole.UserRole + 1
ERASED = (
    "Their text, their index entries and the answers in the conversation that quote "
    "them are erased from this computer. Your original files are not touched."
)


def _added(updated_at: float) -> tuple[str, str]:
    """When a file was added: "27 Dec" ("27 Dec 2025" from another year), short enough
    for the sidebar, and the date and time in full for its tooltip; blank if unknown."""
    if not updated_at:
        return "", ""
    when = time.localtime(updated_at)
    short = f"{when.tm_mday} {time.strftime('%b', when)}"
    if when.tm_year != time.localtime().tm_year:
        short += f" {when.tm_year}"
    return short, time.strftime("Added %Y-%m-%d %H:%M", when)


class LibraryPanel(QWidget):
    """The window's left sidebar: choosing and managing libraries, adding and removing documents,
    and the files that failed. It only asks, by signal; `MainWindow` does the work and fills it."""

    library_chosen = Signal(str)
    create_requested = Signal(str)
    rename_requested = Signal(str, str)
    delete_requested = Signal(str)
    add_requested = Signal(list)  # of Path
    remove_requested = Signal(list)  # of Path: documents to take out of the library
    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker = QComboBox()
        self.picker.setToolTip("The library to work in: its documents, answers and settings")
        self.picker.currentTextChanged.connect(self._chosen)
        row = self._library_buttons()

        self.add_files = QPushButton(icon("add-file"), "Add files…")
        self.add_files.setToolTip("Add documents (Ctrl+O)")
        self.add_files.clicked.connect(self.choose_files)
        self.add_folder = QPushButton(icon("add-folder"), "Add folder…")
        self.add_folder.setToolTip("Add every supported document in a folder and its subfolders")
        self.add_folder.clicked.connect(self.choose_folder)
        adds = QHBoxLayout()
        adds.addWidget(self.add_files)
        adds.addWidget(self.add_folder)

        self.documents = QTreeWidget()
        self.documents.setAccessibleName("Documents")
        self.documents.setAccessibleDescription(
            "The documents in this library and their status; Delete removes the selected ones"
        )
        self.documents.setHeaderLabels(["Document", "Status", "Pages", "Added"])
        self.documents.setRootIsDecorated(False)
        self.documents.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.documents.itemSelectionChanged.connect(self.selection_changed)
        # The sidebar is 340 px at the window's default size: status, pages and date take
        # what their text needs, and the name the rest, elided in its middle so that its
        # number and extension show (the full path is its tooltip).
        header = self.documents.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.documents.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.remove = QPushButton("Remove…")
        self.remove.setAccessibleName("Remove the selected documents from the library")
        self.remove.setToolTip("Remove the selected documents (Delete)")
        self.remove.setEnabled(False)
        self.remove.clicked.connect(self._remove)
        self.documents.itemSelectionChanged.connect(
            lambda: self.remove.setEnabled(bool(self.documents.selectedItems()))
        )
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.documents, self._remove)
        self.problems_label = QLabel("Problems")
        self.problems = QListWidget()
        self.problems.setAccessibleName("Files that could not be added")
        self.problems.setAccessibleDescription("Each file with the reason it was not added")
        self.problems.setWordWrap(True)
        self.problems.setMaximumHeight(120)

        layout = QVBoxLayout(self)
        layout.addWidget(buddy_label("&Library", self.picker, bold=True))
        layout.addWidget(self.picker)
        layout.addLayout(row)
        layout.addLayout(adds)
        layout.addWidget(self.documents, 1)
        layout.addWidget(self.remove, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems)
        self.show_problems([])

    def _library_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for text, name, tip, slot in (
            ("New…", "New library", "Create a new, empty library", self._new),
            ("Rename…", "Rename library", "Rename this library", self._rename),
            ("Delete…", "Delete library", "Delete this library and all it indexed", self._delete),
        ):
            button = QPushButton(text)
            button.setAccessibleName(name)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            row.addWidget(button)
        return row

    # --- filling -----------------------------------------------------------------

    def set_libraries(self, names: list[str], current: str) -> None:
        """Fill the library picker without emitting `library_chosen`: listing is not choosing."""
        self.picker.blockSignals(True)
        self.picker.clear()
        self.picker.addItems(names)
        self.picker.setCurrentText(current)
        self.picker.blockSignals(False)

    def set_documents(self, records: list, indexing: AbstractSet[str] = frozenset()) -> None:
        """List the documents with their status and OCR confidence, keeping the selection; paths
        in `indexing` show as being indexed."""
        selected = set(self.selected_doc_ids())
        self.documents.clear()
        for record in records:
            status = STATUS_TEXT.get(record.status, record.status)
            sources = record.sources
            if sources is not None and sources.ocr_pages:  # "Indexed" goes without saying
                status = f"OCR {sources.confidence:.0%}" + (" ⚠" if sources.low_pages else "")
            if record.path in indexing:
                status = "Indexing…"
            added, added_in_full = _added(record.updated_at)
            item = QTreeWidgetItem(
                [record.title or Path(record.path).name, status, str(record.pages or ""), added]
            )
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(3, added_in_full)
            item.setIcon(0, icon("document"))
            item.setData(0, DOC_ID, record.doc_id)
            item.setData(0, PATH, record.path)
            tip = record.path if not record.error else f"{record.path}\n{record.error}"
            item.setToolTip(0, tip)
            where = sources.describe() if sources is not None else ""
            tip = record.error or f"{status}\nText from: {where}".strip()
            if record.status == "needs_ocr":
                tip = NEEDS_OCR_TIP
            item.setToolTip(1, tip)
            self.documents.addTopLevelItem(item)
            item.setSelected(record.doc_id in selected)

    def show_problems(self, lines: list[str]) -> None:
        """List the files that could not be added, each with why; the list hides when empty."""
        self.problems.clear()
        self.problems.addItems(lines)
        self.problems.setVisible(bool(lines))
        self.problems_label.setVisible(bool(lines))
        self.problems_label.setText(f"<b>Problems</b> ({len(lines)})")

    def selected_doc_ids(self) -> list[str]:
        """The documents selected in the list: the scope of a scoped ask, a summary or a batch."""
        ids = [item.data(0, DOC_ID) for item in self.documents.selectedItems()]
        return [doc_id for doc_id in ids if doc_id]

    def all_doc_ids(self) -> list[str]:
        """Every document listed, for a batch run with nothing selected."""
        return [doc_id for item in self._items() if (doc_id := item.data(0, DOC_ID))]

    def titles(self) -> dict[str, str]:
        """Each listed document's title by doc_id, to name documents in summaries and exports."""
        return {
            item.data(0, DOC_ID): item.text(0) for item in self._items() if item.data(0, DOC_ID)
        }

    def _items(self) -> list[QTreeWidgetItem]:
        rows = range(self.documents.topLevelItemCount())
        return [item for i in rows if (item := self.documents.topLevelItem(i)) is not None]

    # --- user actions ----------------------------------------------------------

    def choose_files(self) -> None:
        """Ask which documents to add (Ctrl+O, File menu, the welcome's button); request them."""
        files, _ = QFileDialog.getOpenFileNames(
            self,
            "Add documents",
            "",
            "Documents (*.pdf *.docx *.txt *.md *.html *.htm *.eml);;All files (*)",
        )
        if files:
            self.add_requested.emit([Path(f) for f in files])

    def choose_folder(self) -> None:
        """Ask for a folder whose supported documents, subfolders included, are to be added."""
        folder = QFileDialog.getExistingDirectory(self, "Add a folder of documents")
        if folder:
            self.add_requested.emit([Path(folder)])

    def _chosen(self, name: str) -> None:
        if name:
            self.library_chosen.emit(name)

    def _new(self) -> None:
        name, ok = QInputDialog.getText(self, "New library", "Name of the new library:")
        if ok and name.strip():
            self.create_requested.emit(name.strip())

    def _rename(self) -> None:
        old = self.picker.currentText()
        name, ok = QInputDialog.getText(self, "Rename library", "New name:", text=old)
        if ok and name.strip() and name.strip() != old:
            self.rename_requested.emit(old, name.strip())

    def _remove(self) -> None:
        paths = [Path(item.data(0, PATH)) for item in self.documents.selectedItems()]
        if not paths:
            return
        names = ", ".join(f"“{p.name}”" for p in paths[:3]) + (" …" if len(paths) > 3 else "")
        answer = QMessageBox.question(
            self,
            "Remove documents",
            f"Remove {len(paths)} document(s) from this library: {names}?\n\n{ERASED}",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.remove_requested.emit(paths)

    def _delete(self) -> None:
        name = self.picker.currentText()
        answer = QMessageBox.question(
            self,
            "Delete library",
            f"Delete the library “{name}”? Its index, the text of its documents and its "
            "conversation are erased from this computer; your original files are not touched.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_requested.emit(name)
