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

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QImage,
    QPainter,
    QPixmap,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from discreet.tasks.highlight import PageMarks

SEARCH_WORDS = 7  # enough words to be unique on a page, few enough to survive line breaks


class DocumentViewer(QWidget):
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
        close_button.clicked.connect(self.hide)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
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
        self.picture = QLabel()
        self.picture.setAccessibleName("Page image with the cited passage highlighted")
        self.picture_view = QScrollArea(self)
        self.picture_view.setWidget(self.picture)
        self.picture_view.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.marks: tuple[tuple[float, float, float, float], ...] = ()
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
        return self.stack.currentWidget() is self.pdf_view

    def current_page(self) -> int:
        """The 1-based page in view."""
        if self.showing_pdf:
            return self.pdf_view.pageNavigator().currentPage() + 1
        return self.page

    def show_pdf(self, path: str, page: int, quote: str) -> None:
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
        self.path, self.page, self.marks = path, page, marks.boxes
        self.stack.setCurrentWidget(self.picture_view)
        self.title.setText(f"<b>{Path(path).name}</b> — page {page}")
        self.show()
        image = marks.image.convert("RGB")
        data = image.tobytes()
        qimage = QImage(
            data, image.width, image.height, 3 * image.width, QImage.Format.Format_RGB888
        )
        width = max(self.picture_view.viewport().width() - 4, 400)
        pixmap = QPixmap.fromImage(qimage).scaledToWidth(
            width, Qt.TransformationMode.SmoothTransformation
        )
        painter = QPainter(pixmap)
        painter.setPen(QColor(230, 150, 0))
        painter.setBrush(QColor(255, 214, 102, 110))
        w, h = pixmap.width(), pixmap.height()
        for x0, y0, x1, y1 in marks.boxes:
            pad = 0.003
            painter.drawRect(QRectF((x0 - pad) * w, (y0 - pad) * h, (x1 - x0 + 2 * pad) * w,
                                    (y1 - y0 + 2 * pad) * h))  # fmt: skip
        painter.end()
        self.picture.setPixmap(pixmap)
        self.picture.resize(pixmap.size())
        top = min(y0 for _, y0, _, _ in marks.boxes) * h
        QTimer.singleShot(0, lambda: self.picture_view.ensureVisible(w // 2, int(top), 0, 120))

    def show_text(self, path: str, page: int, text: str, start: int, end: int) -> None:
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
            return f"{len(self.marks)} boxes" if self.marks else ""
        if self.showing_pdf:
            return (
                self.search.searchString() if self.pdf_view.currentSearchResultIndex() >= 0 else ""
            )
        marks = self.text_view.extraSelections()
        return marks[0].cursor.selectedText() if marks else ""

    def _select_result(self) -> None:
        """Make the first hit on the cited page current: QtPdf draws it highlighted."""
        for index in range(self.search.count()):
            link = self.search.resultAtIndex(index)
            if link.page() == self.page - 1:
                self.pdf_view.setCurrentSearchResultIndex(index)
                QTimer.singleShot(0, lambda hit=link: self.pdf_view.pageNavigator().jump(hit))
                return
