"""The document viewer a citation opens: the cited page, with the quoted passage marked.

Where the page has a picture (a scan, an image file, a PDF) it is shown with the
passage's boxes drawn over it (`tasks.highlight`): from OCR's line boxes on a scanned
page, from pdfium's character boxes on a text PDF, so a quote broken across lines is
marked on each. A PDF whose passage can't be placed opens in QtPdf at the page, the
quote found with its search model. Other formats show the page text Discreet
extracted, with the cited span selected; its offsets are the citation's own.

Lawyers read in it all day, so it reads like a reader: pages turned with Page Up and
Page Down or typed in, zoom that fits the width or the page and keeps the passage in
view, Ctrl+F through the document, and a window of its own for a second screen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QDesktopServices,
    QKeySequence,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from discreet.gui.page_picture import Fit, PagePicture
from discreet.gui.viewer_find import FindBar
from discreet.gui.viewer_pdf import PdfPane
from discreet.gui.viewer_search import Finder, PdfFinder, TextFinder
from discreet.gui.viewer_toolbar import PageBar, ZoomBar, tool_button
from discreet.gui.viewer_window import Docking

if TYPE_CHECKING:
    from discreet.tasks.highlight import PageMarks

NO_TEXT = "A scan has no text to search"
SETTLE_MS = 250  # before searching a PDF just opened for Ctrl+F; see `open_find`
POP_OUT = "Show the viewer in a window of its own, for another screen"
DOCK = "Put the viewer back beside the tabs"


class DocumentViewer(QWidget):
    """The right-hand pane a citation opens, hidden until then; `MainWindow` owns it and picks
    which of its views (`show_marks`, `show_pdf`, `show_text`) a source gets."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Document viewer")
        self.setWindowTitle("Document viewer")
        self.path = ""
        self.page = 0
        self.title = QLabel()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # a long file name is cut rather than widen the pane
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.pop_button = tool_button("Pop out", POP_OUT, True)
        open_button = tool_button("Open file", "Open the document in the system's own viewer")
        close_button = tool_button("Close", "Close the viewer")
        self.find_button = tool_button("Find", "Find in the document (Ctrl+F)")
        self.pages = PageBar()
        self.zoom = ZoomBar()
        self.find_bar = FindBar()

        self.pdf = QPdfDocument(self)
        self.pdf_view = PdfPane(self.pdf, self)
        self.text_view = QTextBrowser(self)
        self.text_view.setAccessibleName("Document text")
        self.picture_view = PagePicture(self)
        self.pdf_finder = PdfFinder(self.pdf_view, self.pdf_view.places, self.find_bar.show_count)
        self.text_finder = TextFinder(self.text_view, self.find_bar.show_count)
        self.docking = Docking(self)
        self.stack = QStackedWidget()
        for view in (self.pdf_view, self.text_view, self.picture_view):
            self.stack.addWidget(view)

        self.pdf_view.pageNavigator().currentPageChanged.connect(self._show_page)
        self.pdf.statusChanged.connect(self._show_page)
        self.pop_button.toggled.connect(self._pop)
        open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.path)))
        close_button.clicked.connect(self.close)
        self.find_button.clicked.connect(self.open_find)
        self.pages.page_chosen.connect(self._go_to_page)
        self.zoom.zoomed.connect(self._zoom)
        self.zoom.fitted.connect(self._fit)
        self.find_bar.searched.connect(self._find)
        self.find_bar.stepped.connect(lambda by: self._finder().step(by))
        self.find_bar.closed.connect(self._end_find)
        self._page_keys = [
            self._key(QKeySequence(Qt.Key.Key_PageUp), lambda: self.pages.step(-1)),
            self._key(QKeySequence(Qt.Key.Key_PageDown), lambda: self.pages.step(1)),
        ]
        self._key(QKeySequence(QKeySequence.StandardKey.Find), self.open_find)
        self._key(QKeySequence(QKeySequence.StandardKey.ZoomIn), lambda: self._zoom(1))
        self._key(QKeySequence(QKeySequence.StandardKey.ZoomOut), lambda: self._zoom(-1))
        self._lay_out(open_button, close_button)

    def _lay_out(self, open_button: QWidget, close_button: QWidget) -> None:
        """The file and the window on top; pages, find and zoom below; the find bar when open."""
        header = QHBoxLayout()
        for widget in (self.title, self.pop_button, open_button, close_button):
            header.addWidget(widget, 1 if widget is self.title else 0)
        tools = QHBoxLayout()
        tools.addWidget(self.pages)
        tools.addStretch(1)
        tools.addWidget(self.find_button)
        tools.addWidget(self.zoom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for row in (header, tools):
            layout.addLayout(row)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.stack, 1)

    def _key(self, keys: QKeySequence, slot: Callable[[], object]) -> QShortcut:
        """A key that works wherever in the viewer the keyboard is, popped out or not."""
        shortcut = QShortcut(keys, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        return shortcut

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
        self._show(path, page, self.pdf_view)
        self.pdf_view.cite(path, page, quote)

    def show_marks(self, path: str, page: int, marks: PageMarks) -> None:
        """The page's picture, fitted to the viewer's width, the passage's boxes over it."""
        self._show(path, page, self.picture_view)
        self.picture_view.show_marks(marks)
        self.zoom.show_fit(self.picture_view.fit)

    def show_text(self, path: str, page: int, text: str, start: int, end: int) -> None:
        """Show the page's extracted text with characters `start` to `end` marked and scrolled
        into view."""
        self._show(path, page, self.text_view)
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
        self.text_finder.marks = [mark]
        self.text_view.setExtraSelections([mark])
        self.text_view.setTextCursor(cursor)
        self.text_view.ensureCursorVisible()

    def highlighted(self) -> str:
        """The text marked as the cited passage (the search hit, for PDFs)."""
        if self.stack.currentWidget() is self.picture_view:
            return f"{len(self.picture_view.boxes)} boxes" if self.picture_view.boxes else ""
        if self.showing_pdf:
            return self.pdf_view.highlighted()
        marks = self.text_view.extraSelections()
        return marks[0].cursor.selectedText() if marks else ""

    def open_find(self) -> None:
        """Ctrl+F: the find bar, searching again for the words it holds. A PDF page shown as
        a picture (its passage boxed from pdfium's character boxes) is searched in QtPdf's
        view of the same page: the whole document, as a reader searches it."""
        if self.stack.currentWidget() is self.picture_view and self.path.lower().endswith(".pdf"):
            self.show_pdf(self.path, self.page, "")
            # QtPdf (6.12) crashes when the find model searches a document the view loaded
            # a moment ago; after one turn of the event loop or two it still does, after
            # 100 ms it no longer did in 20 tries. SETTLE_MS leaves room beyond that.
            self.find_bar.open_bar(True, NO_TEXT)
            QTimer.singleShot(SETTLE_MS, lambda: self._find(self.find_bar.field.text()))
            return
        searchable = self.stack.currentWidget() is not self.picture_view
        self.find_bar.open_bar(searchable, NO_TEXT)
        if searchable:
            self._find(self.find_bar.field.text())

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the viewer's own window docks it back in its pane, hidden; docked, it just
        hides. The dock waits for the next turn of the event loop: the window being closed is
        still handling this event, and docking takes its native window away."""
        if self.docking.out:
            QTimer.singleShot(0, lambda: self.pop_button.setChecked(False))
        super().closeEvent(event)

    def _show(self, path: str, page: int, view: QWidget) -> None:
        """What every source shares: the file named, its view put forward, any find ended."""
        self.find_bar.close_bar()
        self.path, self.page = path, page
        self.stack.setCurrentWidget(view)
        name = Path(path).name
        self.title.setText(f"<b>{name}</b> — page {page}")
        self.title.setToolTip(path)
        self.setWindowTitle(f"{name} — Discreet")
        self.zoom.show_fit(self._fit_in_force(), view is not self.text_view)
        self._show_page()
        self.show()
        if self.docking.out:
            self.raise_()

    def _show_page(self) -> None:
        """The page box: QtPdf's page of the PDF's count, else the one page given."""
        if self.showing_pdf and self.pdf.status() == QPdfDocument.Status.Ready:
            self.pages.show_page(self.current_page(), self.pdf.pageCount())
        else:
            self.pages.show_page(self.page, None)
        for key in self._page_keys:  # elsewhere Page Up and Down scroll the view as usual
            key.setEnabled(self.showing_pdf)

    def _go_to_page(self, page: int) -> None:
        if self.showing_pdf:
            self.pdf_view.go_to(page)

    def _fit_in_force(self) -> Fit | None:
        return self.pdf_view.fit if self.showing_pdf else self.picture_view.fit

    def _zoom(self, step: int) -> None:
        """Zoom the view on show; the pictured views keep the passage or hit in sight."""
        view = self.stack.currentWidget()
        if view is self.text_view:
            self.text_view.zoomIn(step)
        else:
            (self.pdf_view if view is self.pdf_view else self.picture_view).zoom_by(step)
        self.zoom.show_fit(self._fit_in_force(), view is not self.text_view)

    def _fit(self, fit: Fit) -> None:
        (self.pdf_view if self.showing_pdf else self.picture_view).fit_to(fit)
        self.zoom.show_fit(fit)

    def _finder(self) -> Finder:
        return self.pdf_finder if self.showing_pdf else self.text_finder

    def _find(self, words: str) -> None:
        if words and self.find_bar.isEnabled():
            self._finder().search(words)
        else:
            self._end_find()
            self.find_bar.show_count(0, 0)

    def _end_find(self) -> None:
        """Drop the matches and give QtPdf the citation's hit back to draw."""
        self.pdf_finder.stop()
        self.text_finder.stop()
        self.pdf_view.show_citation()

    def _pop(self, out: bool) -> None:
        """Pop out into a window of its own, or dock back as shown as it was."""
        self.pop_button.setText("Dock" if out else "Pop out")
        tip = DOCK if out else POP_OUT
        self.pop_button.setToolTip(tip)
        self.pop_button.setAccessibleName(tip)
        if out:
            self.docking.pop_out()
        else:
            self.docking.dock(self.isVisible())
