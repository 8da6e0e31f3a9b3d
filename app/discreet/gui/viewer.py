"""The document viewer a citation opens: the cited page, with the quoted passage marked.

Where the page has a picture (a scan, an image file, a PDF) it is shown with the
passage's boxes drawn over it (`tasks.highlight`): from OCR's line boxes on a scanned
page, from pdfium's character boxes on a text PDF, so a quote broken across lines is
marked on each. A PDF whose passage can't be placed opens in QtPdf at the page, the
quote found with its search model. Other formats show the page text Discreet
extracted, with the cited span selected; its offsets are the citation's own.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from discreet.gui.page_picture import PagePicture

if TYPE_CHECKING:
    from discreet.tasks.highlight import PageMarks

SEARCH_WORDS = 7  # enough words to be unique on a page, few enough to survive line breaks


class DocumentViewer(QWidget):
    """The right-hand pane a citation opens, hidden until then; `MainWindow` owns it and picks
    which of its views (`show_marks`, `show_pdf`, `show_text`) a source gets."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Document viewer")
        self.path = ""
        self.page = 0
        self.title = QLabel()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        open_button = QPushButton("Open file")
        open_button.setToolTip("Open the document in the system's own viewer")
        open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.path)))
        close_button = QPushButton("Close")
        close_button.setToolTip("Close the viewer")
        close_button.clicked.connect(self.hide)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        for text, step, tip in (("−", -1, "Zoom out (Ctrl+wheel)"), ("+", 1, "Zoom in")):
            zoom = QPushButton(text)
            zoom.setFixedWidth(32)
            zoom.setToolTip(tip)
            zoom.setAccessibleName(tip)
            zoom.clicked.connect(lambda _=False, step=step: self._zoom(step))
            header.addWidget(zoom)
        header.addWidget(open_button)
        header.addWidget(close_button)

        self.pdf = QPdfDocument(self)
        self.pdf_view = QPdfView(self)
        self.pdf_view.setDocument(self.pdf)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.search = QPdfSearchModel(self)
        self.search.setDocument(self.pdf)
        self.pdf_view.setSearchModel(self.search)
        self.search.countChanged.connect(self._select_result)
        self.text_view = QTextBrowser(self)
        self.text_view.setAccessibleName("Document text")
        self.picture_view = PagePicture(self)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.pdf_view)
        self.stack.addWidget(self.text_view)
        self.stack.addWidget(self.picture_view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)

    @property
    def showing_pdf(self) -> bool:
        """True while the PDF view is on show, where the page and zoom are QtPdf's."""
        return self.stack.currentWidget() is self.pdf_view

    def current_page(self) -> int:
        """The 1-based page in view."""
        if self.showing_pdf:
            return self.pdf_view.pageNavigator().currentPage() + 1
        return self.page

    def show_pdf(self, path: str, page: int, quote: str) -> None:
        """Open the PDF at `page`, loading it only if it is another file, and search for the
        quote's first words, which QtPdf highlights."""
        if self.path != path or self.pdf.status() != QPdfDocument.Status.Ready:
            self.pdf.load(path)
        self.path, self.page = path, page
        self.stack.setCurrentWidget(self.pdf_view)
        self.title.setText(f"<b>{Path(path).name}</b> — page {page}")
        self.show()
        # Jump once the view has laid its pages out: a view shown in this same event
        # cycle has no geometry yet, records the page and stays on the first one.
        QTimer.singleShot(0, lambda: self.pdf_view.pageNavigator().jump(page - 1, QPointF(), 0))
        words = re.findall(r"\w+", quote)[:SEARCH_WORDS]
        self.search.setSearchString(" ".join(words))
        self._select_result()

    def show_marks(self, path: str, page: int, marks: PageMarks) -> None:
        """The page's picture, fitted to the viewer's width, the passage's boxes over it."""
        self.path, self.page = path, page
        self.stack.setCurrentWidget(self.picture_view)
        self.title.setText(f"<b>{Path(path).name}</b> — page {page}")
        self.show()
        self.picture_view.show_marks(marks)

    def show_text(self, path: str, page: int, text: str, start: int, end: int) -> None:
        """Show the page's extracted text with characters `start` to `end` marked and scrolled
        into view."""
        self.path, self.page = path, page
        self.stack.setCurrentWidget(self.text_view)
        self.title.setText(f"<b>{Path(path).name}</b> — page {page}")
        self.text_view.setPlainText(text)
        cursor = QTextCursor(self.text_view.document())
        cursor.setPosition(min(start, len(text)))
        cursor.setPosition(min(end, len(text)), QTextCursor.MoveMode.KeepAnchor)
        mark = QTextEdit.ExtraSelection()
        mark.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(255, 214, 102))
        fmt.setForeground(QColor(0, 0, 0))
        mark.format = fmt
        self.text_view.setExtraSelections([mark])
        self.text_view.setTextCursor(cursor)
        self.text_view.ensureCursorVisible()
        self.show()

    def highlighted(self) -> str:
        """The text marked as the cited passage (the search hit, for PDFs)."""
        if self.stack.currentWidget() is self.picture_view:
            return f"{len(self.picture_view.boxes)} boxes" if self.picture_view.boxes else ""
        if self.showing_pdf:
            return (
                self.search.searchString() if self.pdf_view.currentSearchResultIndex() >= 0 else ""
            )
        marks = self.text_view.extraSelections()
        return marks[0].cursor.selectedText() if marks else ""

    def _zoom(self, step: int) -> None:
        if self.showing_pdf:
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.pdf_view.setZoomFactor(max(0.25, self.pdf_view.zoomFactor() * (1.25**step)))
        else:
            self.picture_view.zoom_by(step)

    def _select_result(self) -> None:
        """Make the first hit on the cited page current: QtPdf draws it highlighted."""
        for index in range(self.search.count()):
            link = self.search.resultAtIndex(index)
            if link.page() == self.page - 1:
                self.pdf_view.setCurrentSearchResultIndex(index)
                QTimer.singleShot(0, lambda hit=link: self.pdf_view.pageNavigator().jump(hit))
                return
